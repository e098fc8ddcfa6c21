/**
 * Version 14: reaching people and tools outside the app. Personal API tokens for /api/v1, alert
 * rules with their firings and every delivery attempt, the delivery destinations (webhooks,
 * email recipients) and the schedules of the review packs.
 *
 * Token rows keep only the SHA-256 of the secret (shown once at creation), so a copy of the file
 * does not hand out API access. Webhook signing secrets and SMTP credentials are never stored:
 * they come from the server's environment. JSON-valued columns hold JSON text written by the app.
 */
export const alertsApiTables = /* sql */ `
CREATE TABLE api_tokens (
  id VARCHAR PRIMARY KEY,
  user_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  token_hash VARCHAR NOT NULL UNIQUE,
  prefix VARCHAR NOT NULL,
  datasets VARCHAR,
  created_at TIMESTAMPTZ NOT NULL,
  last_used_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);

CREATE TABLE alert_rules (
  id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  kpi VARCHAR,
  channel VARCHAR,
  team VARCHAR,
  queue VARCHAR,
  comparator VARCHAR NOT NULL,
  threshold DOUBLE,
  window_minutes INTEGER NOT NULL,
  cooldown_minutes INTEGER NOT NULL,
  config VARCHAR,
  enabled BOOLEAN NOT NULL DEFAULT true,
  state VARCHAR NOT NULL DEFAULT 'ok',
  last_value DOUBLE,
  last_evaluated_at TIMESTAMPTZ,
  last_fired_at TIMESTAMPTZ,
  created_by VARCHAR,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE alert_firings (
  id VARCHAR PRIMARY KEY,
  rule_id VARCHAR NOT NULL,
  rule_name VARCHAR NOT NULL,
  event VARCHAR NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  value DOUBLE,
  threshold DOUBLE,
  message VARCHAR NOT NULL,
  link VARCHAR,
  trigger VARCHAR NOT NULL,
  delivered_at TIMESTAMPTZ
);

CREATE TABLE alert_destinations (
  id VARCHAR PRIMARY KEY,
  kind VARCHAR NOT NULL,
  target VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  enabled BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE alert_deliveries (
  id VARCHAR PRIMARY KEY,
  destination_id VARCHAR,
  kind VARCHAR NOT NULL,
  target VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  firing_ids VARCHAR,
  report VARCHAR,
  status VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  http_status INTEGER,
  last_error VARCHAR,
  created_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ
);

CREATE TABLE report_schedules (
  id VARCHAR PRIMARY KEY,
  pack VARCHAR NOT NULL,
  cron VARCHAR NOT NULL,
  time_zone VARCHAR NOT NULL,
  recipients VARCHAR NOT NULL,
  enabled BOOLEAN NOT NULL DEFAULT true,
  last_run_at TIMESTAMPTZ,
  last_status VARCHAR,
  created_by VARCHAR,
  created_at TIMESTAMPTZ NOT NULL
);
`;
