/**
 * Version 9: the pipeline's run log. Every load of data (a CLI ingest, a scheduled or on-demand
 * sync, a demo build) is one pipeline run whose stages (ingest per source, identity resolution,
 * case threading, facts refresh) are logged in order with their timing, counts and error, so that
 * `helpdesk runs` and the Sources / Data health screens can say what ran, how long it took and
 * why a stage failed. Ingest runs keep their own per-stream log in `ingest_runs`.
 */
export const pipelineTables = /* sql */ `
CREATE TABLE pipeline_runs (
  id VARCHAR PRIMARY KEY,
  trigger VARCHAR NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  status VARCHAR NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  error VARCHAR
);

CREATE TABLE pipeline_stages (
  run_id VARCHAR NOT NULL,
  seq INTEGER NOT NULL,
  stage VARCHAR NOT NULL,
  source VARCHAR,
  ingest_run_id VARCHAR,
  started_at TIMESTAMPTZ NOT NULL,
  seconds DOUBLE,
  status VARCHAR NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
  counts JSON,
  error VARCHAR,
  PRIMARY KEY (run_id, seq)
);
`;
