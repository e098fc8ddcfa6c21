/**
 * Version 21: what case threading read of each interaction last time (as one hash) and what it
 * decided, so that the next run threads again only the cases a sync can have changed.
 */
export const caseInputs = /* sql */ `
CREATE TABLE case_inputs (
  id VARCHAR NOT NULL,
  h UBIGINT NOT NULL,
  customer_id VARCHAR,
  parent_interaction_id VARCHAR,
  case_id VARCHAR NOT NULL,
  explicit BOOLEAN NOT NULL,
  inferred BOOLEAN NOT NULL,
  cross_channel BOOLEAN NOT NULL
);
`;
