// The vendor payload encoders: the one place each vendor's record shapes are written. The
// replicas' worlds and the demo generator (`@helpdesk/ingest/encoders`) both build through them.
export * from './zendesk.ts';
export * from './aircall.ts';
export * from './hubspot.ts';
export * from './intercom.ts';
export * from './salesforce.ts';
