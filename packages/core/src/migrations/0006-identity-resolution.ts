/**
 * Version 6: identity resolution's own tables. Links and cluster history are kept so that every
 * customer can be explained (which rule or which probabilistic link holds each identity) and so
 * that a later run can match only new identities against existing customers.
 */
export const identityResolution = /* sql */ `
CREATE TABLE identity_links (
  left_contact_id VARCHAR NOT NULL,
  right_contact_id VARCHAR NOT NULL,
  rule VARCHAR NOT NULL,
  kind VARCHAR,
  value VARCHAR,
  match_weight DOUBLE,
  match_probability DOUBLE NOT NULL,
  levels TINYINT[],
  run_id VARCHAR NOT NULL
);

CREATE TABLE identity_hubs (
  kind VARCHAR NOT NULL,
  value VARCHAR NOT NULL,
  records INTEGER NOT NULL,
  names INTEGER NOT NULL,
  run_id VARCHAR NOT NULL
);

CREATE TABLE identity_clusters_history (
  run_id VARCHAR NOT NULL,
  event VARCHAR NOT NULL CHECK (event IN ('created', 'merged', 'split')),
  customer_id VARCHAR NOT NULL,
  other_customer_ids VARCHAR[] NOT NULL DEFAULT [],
  contacts INTEGER NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE identity_runs (
  id VARCHAR PRIMARY KEY,
  mode VARCHAR NOT NULL CHECK (mode IN ('full', 'incremental')),
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  contacts INTEGER NOT NULL,
  customers INTEGER NOT NULL,
  merges INTEGER NOT NULL,
  splits INTEGER NOT NULL,
  pairs_scored BIGINT NOT NULL,
  config JSON NOT NULL,
  model JSON NOT NULL,
  stats JSON NOT NULL
);
`;
