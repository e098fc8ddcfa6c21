/**
 * Version 20: what identity resolution knows about each contact record between runs, so that an
 * incremental run normalizes, counts and compares only what a sync touched instead of rebuilding
 * it for the whole warehouse: the record's normalized wide row (before the hub guard blanks
 * anything), its strong identifiers, the identifiers quoted in its messages or given by follow-ups,
 * and the identifiers that were hubs before quoted identifiers were set aside.
 */
export const identityState = /* sql */ `
CREATE TABLE identity_records (
  record_id VARCHAR NOT NULL,
  source VARCHAR,
  first_name VARCHAR,
  first_canon VARCHAR,
  surname VARCHAR,
  full_name VARCHAR,
  dob VARCHAR,
  city VARCHAR,
  postcode VARCHAR,
  address VARCHAR,
  email VARCHAR,
  email_local VARCHAR,
  phone VARCHAR,
  phone_tail VARCHAR,
  account_id VARCHAR,
  crm_id VARCHAR,
  handle VARCHAR,
  order_no VARCHAR,
  chat_visitor VARCHAR
);

CREATE TABLE identity_keys (
  record_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  value VARCHAR NOT NULL,
  verified BOOLEAN NOT NULL,
  quoted BOOLEAN NOT NULL,
  -- A quoted identifier of a record that shares a hub: not the record's own, so it links nothing.
  set_aside BOOLEAN NOT NULL
);

CREATE TABLE identity_derived (
  record_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  value VARCHAR NOT NULL
);

CREATE TABLE identity_first_hubs (
  kind VARCHAR NOT NULL,
  value VARCHAR NOT NULL
);
`;
