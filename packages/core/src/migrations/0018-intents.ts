/**
 * Version 18: where each interaction's intent came from when the vendor gave none. The intent
 * stage of the pipeline writes `interactions.intent` for the contacts a rule or the text
 * classifier labelled, and one row here per contact it looked at: the rule that matched, or the
 * classifier's label and confidence; a contact below the confidence threshold keeps a NULL intent
 * (unknown) and its best guess is kept here, never written as its intent. Contacts without a row
 * here and with an intent had it from their source.
 */
export const intentTables = /* sql */ `
CREATE TABLE intent_labels (
  interaction_id VARCHAR PRIMARY KEY,
  method VARCHAR NOT NULL CHECK (method IN ('rule', 'model', 'unknown')),
  intent VARCHAR,
  rule_id VARCHAR,
  guess VARCHAR,
  confidence DOUBLE,
  labelled_at TIMESTAMPTZ NOT NULL
);
`;
