/**
 * Version 2: the operational tables of ingest. Kept apart from the canonical model so that a
 * version-1 file (older builds) is upgraded in place when opened, which the tests exercise.
 */
export const operations = /* sql */ `
CREATE TABLE ingest_runs (
  id VARCHAR PRIMARY KEY,
  source VARCHAR NOT NULL,
  mode VARCHAR NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  status VARCHAR NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  stats JSON,
  error VARCHAR
);

CREATE TABLE ingest_state (
  source VARCHAR NOT NULL,
  stream VARCHAR NOT NULL,
  cursor VARCHAR,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, stream)
);

CREATE TABLE raw_records (
  source VARCHAR NOT NULL,
  stream VARCHAR NOT NULL,
  native_id VARCHAR NOT NULL,
  fetched_at TIMESTAMPTZ NOT NULL,
  run_id VARCHAR NOT NULL,
  payload JSON NOT NULL
);

CREATE TABLE quarantine (
  id VARCHAR PRIMARY KEY,
  run_id VARCHAR,
  source VARCHAR NOT NULL,
  stream VARCHAR NOT NULL,
  native_id VARCHAR,
  reason VARCHAR NOT NULL,
  payload VARCHAR NOT NULL,
  quarantined_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE warehouse_meta (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);
`;
