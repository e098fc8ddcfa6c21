/**
 * Transitional: branches written before the move still import `SqlParams` from here. The one
 * implementation is core's `BindParams`; import that. This file goes once no import of it is left.
 */
export { BindParams as SqlParams, type BindValue as SqlValue } from '@helpdesk/core';
