/**
 * Version 3 (ingest): the ledger of landed vendor records. One row per
 * (source, stream, native id) with the version (the record's cursor value) that was last
 * committed, so the runner can tell a new record from an update from an unchanged re-fetch
 * without scanning `raw_records`, and a re-run after a crash lands nothing twice.
 */
export const ingestRecords = /* sql */ `
CREATE TABLE ingest_records (
  source VARCHAR NOT NULL,
  stream VARCHAR NOT NULL,
  native_id VARCHAR NOT NULL,
  version VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (source, stream, native_id)
);
`;
