/**
 * Version 19: interactions attributed to one member of a record several people share (a family's
 * mailbox): which customer resolution gave the interaction instead of the record's own, and why
 * (`signed "laura" from the shared address ...`). Rewritten by every resolution run, so it holds
 * the attributions in force; an interaction without a row here belongs to its record's customer.
 */
export const identityAttributions = /* sql */ `
CREATE TABLE identity_attributions (
  interaction_id VARCHAR PRIMARY KEY,
  contact_id VARCHAR NOT NULL,
  customer_id VARCHAR NOT NULL,
  record_customer_id VARCHAR,
  reason VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);
`;
