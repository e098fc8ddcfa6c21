/**
 * Version 1: the canonical model of DESIGN.md. These tables are a public contract: analysts open
 * the file in DuckDB directly, so columns are added by later migrations, never renamed here.
 * All times are UTC TIMESTAMPTZ; business hours and reporting zones are applied in metrics.
 */
export const canonicalModel = /* sql */ `
CREATE TABLE teams (
  id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  time_zone VARCHAR NOT NULL DEFAULT 'UTC',
  source VARCHAR NOT NULL
);

CREATE TABLE agents (
  id VARCHAR PRIMARY KEY,
  source VARCHAR NOT NULL,
  native_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  email VARCHAR,
  team_id VARCHAR,
  skills VARCHAR[] NOT NULL DEFAULT [],
  languages VARCHAR[] NOT NULL DEFAULT [],
  channels VARCHAR[] NOT NULL DEFAULT [],
  shift_start_hour INTEGER,
  shift_end_hour INTEGER,
  shift_days INTEGER[],
  time_zone VARCHAR NOT NULL DEFAULT 'UTC',
  max_concurrency INTEGER NOT NULL DEFAULT 1,
  is_bot BOOLEAN NOT NULL DEFAULT false,
  active BOOLEAN NOT NULL DEFAULT true
);

CREATE TABLE queues (
  id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  channel VARCHAR NOT NULL CHECK (channel IN ('chat', 'email', 'phone', 'social', 'help_center')),
  team_id VARCHAR,
  required_skills VARCHAR[] NOT NULL DEFAULT [],
  language VARCHAR,
  source VARCHAR NOT NULL
);

CREATE TABLE customers (
  id VARCHAR PRIMARY KEY,
  display_name VARCHAR,
  primary_email VARCHAR,
  primary_phone VARCHAR,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE customer_attributes (
  customer_id VARCHAR,
  contact_id VARCHAR NOT NULL,
  attribute VARCHAR NOT NULL,
  value VARCHAR,
  valid_from TIMESTAMPTZ NOT NULL,
  valid_to TIMESTAMPTZ,
  source VARCHAR NOT NULL
);

CREATE TABLE identities (
  id VARCHAR PRIMARY KEY,
  contact_id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('email', 'phone', 'chat_visitor', 'social_handle', 'crm_contact',
    'account', 'order', 'name', 'dob', 'city', 'postcode')),
  raw_value VARCHAR NOT NULL,
  value VARCHAR NOT NULL,
  verified BOOLEAN NOT NULL DEFAULT false,
  customer_id VARCHAR,
  first_seen_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE cases (
  id VARCHAR PRIMARY KEY,
  customer_id VARCHAR,
  intent VARCHAR,
  opened_at TIMESTAMPTZ NOT NULL,
  closed_at TIMESTAMPTZ,
  status VARCHAR NOT NULL CHECK (status IN ('open', 'closed')),
  link_reason VARCHAR NOT NULL
);

CREATE TABLE interactions (
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
  article_id VARCHAR
);

-- No primary key on events: an index over tens of millions of rows costs more memory than
-- it saves; (interaction_id, seq) is the logical key and adapters replace events per interaction.
CREATE TABLE events (
  id VARCHAR NOT NULL,
  interaction_id VARCHAR NOT NULL,
  seq INTEGER NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  type VARCHAR NOT NULL CHECK (type IN ('message', 'assignment', 'transfer', 'status_change', 'hold_start',
    'hold_end', 'queue_enter', 'queue_leave', 'callback_requested', 'callback_completed', 'bot_handoff',
    'csat', 'reopen', 'article_view', 'call_answered', 'call_ended', 'ivr_enter', 'ivr_leave', 'wrap_up_end')),
  author_role VARCHAR CHECK (author_role IN ('customer', 'agent', 'bot', 'system')),
  author_id VARCHAR,
  is_public BOOLEAN,
  body VARCHAR,
  from_value VARCHAR,
  to_value VARCHAR,
  value_num DOUBLE
);

CREATE TABLE routing_decisions (
  id VARCHAR PRIMARY KEY,
  interaction_id VARCHAR NOT NULL,
  seq INTEGER NOT NULL,
  decided_at TIMESTAMPTZ NOT NULL,
  queue_id VARCHAR,
  agent_id VARCHAR,
  rule VARCHAR,
  reason VARCHAR,
  source VARCHAR NOT NULL
);
`;
