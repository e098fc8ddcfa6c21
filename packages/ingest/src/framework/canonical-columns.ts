import { columnTypes } from '@helpdesk/core';

/**
 * The DuckDB type of each canonical column the writer fills, from core's catalogue of the
 * canonical model (written there once). Rows are staged as text (one appender call per value, the
 * fastest path through the Node binding) and cast once in SQL. The order of the tables is the
 * order they are written in.
 */
export const canonicalColumns = {
  interactions: columnTypes('interactions'),
  events: columnTypes('events'),
  identities: columnTypes('identities'),
  agents: columnTypes('agents'),
  teams: columnTypes('teams'),
  queues: columnTypes('queues'),
  customer_attributes: columnTypes('customer_attributes'),
  // Not tables: what a deleted vendor record takes out of the warehouse, written after the rows above.
  deleted_interactions: { id: 'VARCHAR' },
  deleted_events: { interaction_id: 'VARCHAR', occurred_at: 'TIMESTAMPTZ', author_id: 'VARCHAR' },
} as const;

export type CanonicalTableName = keyof typeof canonicalColumns;
