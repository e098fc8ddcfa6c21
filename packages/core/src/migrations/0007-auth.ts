/**
 * Version 7: sign-in and the audit trail. Accounts, server-side sessions, every login
 * attempt (the rate limiter counts recent failures from here, so a restart does not reset it) and
 * an append-only audit log of who opened personal data.
 *
 * No CHECK on `role`: the web app validates roles against its one permission module, so adding a
 * role there needs no schema change. Session ids are SHA-256 digests of the cookie token, so a
 * copy of the file does not hand out live sessions.
 */
export const authTables = /* sql */ `
CREATE TABLE users (
  id VARCHAR PRIMARY KEY,
  email VARCHAR NOT NULL UNIQUE,
  display_name VARCHAR,
  role VARCHAR NOT NULL,
  password_hash VARCHAR,
  agent_id VARCHAR,
  disabled BOOLEAN NOT NULL DEFAULT false,
  demo BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  last_login_at TIMESTAMPTZ
);

CREATE TABLE user_sessions (
  id VARCHAR PRIMARY KEY,
  user_id VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  address VARCHAR,
  user_agent VARCHAR
);

CREATE TABLE login_attempts (
  attempted_at TIMESTAMPTZ NOT NULL,
  email VARCHAR NOT NULL,
  address VARCHAR NOT NULL,
  succeeded BOOLEAN NOT NULL,
  reason VARCHAR NOT NULL
);

CREATE TABLE audit_log (
  id VARCHAR PRIMARY KEY,
  occurred_at TIMESTAMPTZ NOT NULL,
  user_id VARCHAR,
  user_email VARCHAR,
  role VARCHAR,
  action VARCHAR NOT NULL,
  target VARCHAR,
  detail JSON,
  address VARCHAR
);
`;
