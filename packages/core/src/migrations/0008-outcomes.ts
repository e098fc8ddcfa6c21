/**
 * Version 8: the outcome of every interaction as explicit columns, set by the adapter (and the
 * demo's direct writer) from the vendor's own semantics and only read by metrics, so that no KPI
 * infers an outcome from `status = 'closed'` or from the last event of some other kind.
 *
 * The table is rebuilt rather than altered: DuckDB cannot add a column with a constraint, and
 * refuses a second ALTER of a table with a primary key (and rows) in one transaction. Columns keep
 * their order; the new ones follow `article_id`.
 *
 * Rows written before this version get the best reading their existing columns allow (abandoned
 * from the status, answered from a human response, resolved from a solved/closed status with a
 * resolution time except for calls, callbacks from the events); re-ingesting a source rewrites them
 * from the vendor.
 */
export const outcomeColumns = /* sql */ `
CREATE TABLE interactions_v8 (
  id VARCHAR PRIMARY KEY,
  source VARCHAR NOT NULL,
  native_id VARCHAR NOT NULL,
  channel VARCHAR NOT NULL CHECK (channel IN ('chat', 'email', 'phone', 'social', 'help_center')),
  direction VARCHAR NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
  contact_id VARCHAR,
  customer_id VARCHAR,
  case_id VARCHAR,
  parent_interaction_id VARCHAR,
  queue_id VARCHAR,
  team_id VARCHAR,
  agent_id VARCHAR,
  priority VARCHAR NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  language VARCHAR,
  country VARCHAR,
  intent VARCHAR,
  tags VARCHAR[] NOT NULL DEFAULT [],
  subject VARCHAR,
  status VARCHAR NOT NULL CHECK (status IN ('new', 'open', 'pending', 'solved', 'closed', 'abandoned')),
  created_at TIMESTAMPTZ NOT NULL,
  first_response_at TIMESTAMPTZ,
  resolved_at TIMESTAMPTZ,
  closed_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL,
  bot_involved BOOLEAN NOT NULL DEFAULT false,
  bot_handoff_at TIMESTAMPTZ,
  bot_contained BOOLEAN NOT NULL DEFAULT false,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  csat_score INTEGER CHECK (csat_score BETWEEN 1 AND 5),
  queue_wait_seconds DOUBLE,
  talk_seconds DOUBLE,
  hold_seconds DOUBLE,
  wrap_up_seconds DOUBLE,
  abandon_stage VARCHAR CHECK (abandon_stage IN ('ivr', 'queue', 'hold', 'chat_queue')),
  article_id VARCHAR,
  answered BOOLEAN,
  abandoned BOOLEAN NOT NULL DEFAULT false,
  resolved BOOLEAN,
  first_resolved_at TIMESTAMPTZ,
  callback_requested BOOLEAN NOT NULL DEFAULT false,
  callback_of VARCHAR,
  bot_state VARCHAR,
  escalated BOOLEAN NOT NULL DEFAULT false
);

INSERT INTO interactions_v8
SELECT i.*,
  CASE WHEN i.status = 'abandoned' THEN false WHEN i.first_response_at IS NOT NULL THEN true END,
  i.status = 'abandoned',
  CASE WHEN i.channel = 'phone' THEN NULL ELSE i.status IN ('solved', 'closed') AND i.resolved_at IS NOT NULL END,
  i.resolved_at,
  i.id IN (SELECT interaction_id FROM events WHERE type = 'callback_requested'),
  NULL, NULL, false
FROM interactions i;

DROP TABLE interactions;
ALTER TABLE interactions_v8 RENAME TO interactions;
`;
