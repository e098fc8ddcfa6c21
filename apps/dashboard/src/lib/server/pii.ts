import { PII_MASK, maskContactsInText, redactRow, type PiiAccess } from '@helpdesk/core';
import { holds } from './auth/guard';

/**
 * Personal data in page data, CSV downloads and endpoints, applied from the one catalogue
 * (@helpdesk/core pii-catalogue.ts). A loader selects the columns it shows (never `*`), then
 * passes rows of catalogued tables through `visibleRow(s)` before returning them; the table name
 * says which catalogue entry applies. Identifying columns need `contacts.read`, free text needs
 * `messages.read` and has its emails and phone numbers masked without `contacts.read`.
 *
 * @example
 * return { events: visibleRows(locals, 'events', events) };
 */
export function piiAccess(locals: App.Locals): PiiAccess {
  return { contacts: holds(locals, 'contacts.read'), messages: holds(locals, 'messages.read') };
}

/** One row of `table` as this reader may see it (see redactRow in core). */
export function visibleRow<T extends object>(locals: App.Locals, table: string, row: T): T {
  return redactRow(table, row, piiAccess(locals));
}

export function visibleRows<T extends object>(locals: App.Locals, table: string, rows: readonly T[]): T[] {
  const access = piiAccess(locals);
  return rows.map((row) => redactRow(table, row, access));
}

/** Free text outside a catalogued row (a payload head, a note) under the same rule as `text` columns. */
export function visibleText(locals: App.Locals, text: string | null): string | null {
  const access = piiAccess(locals);
  if (text === null || !access.messages) return null;
  return access.contacts ? text : maskContactsInText(text);
}

export { PII_MASK };
