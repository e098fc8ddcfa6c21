import { z } from 'zod';
import { isTimestamp } from '../../framework/time.ts';

/** Salesforce datetimes: `2026-01-31T09:15:02.000+0000` (always with an offset). */
const ts = z.string().refine(isTimestamp, 'expected a Salesforce datetime with an offset');
/** Salesforce ids: 15 or 18 case-sensitive alphanumerics. */
const sfId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'expected a 15- or 18-character Salesforce id');
/** Text fields: Salesforce sends null for an empty field; a missing key (a narrower SELECT) is fine too. */
const text = z.string().nullish();

/** A row of a `Histories` sub-query (AccountHistory with field history tracking on the tier field). */
export const SalesforceHistoryRow = z.looseObject({
  Field: z.string().nullish(),
  OldValue: z.union([z.string(), z.number(), z.boolean()]).nullish(),
  NewValue: z.union([z.string(), z.number(), z.boolean()]).nullish(),
  CreatedDate: ts,
});
export type SalesforceHistoryRow = z.infer<typeof SalesforceHistoryRow>;

/** A parent-to-child sub-query result, as nested in a record: `{ totalSize, done, records }`, or null when empty. */
const SubQuery = z.looseObject({ totalSize: z.number().nullish(), done: z.boolean().nullish(), records: z.array(SalesforceHistoryRow) }).nullish();

const common = {
  attributes: z.looseObject({ type: z.string(), url: z.string().nullish() }).nullish(),
  Id: sfId,
  CreatedDate: ts.nullish(),
  /** Changes on any write, including system ones (unlike LastModifiedDate): the incremental cursor. */
  SystemModstamp: ts,
  IsDeleted: z.boolean().nullish(),
};

/** A Contact row of a SOQL query response (unknown extra fields pass). */
export const SalesforceContact = z.looseObject({
  ...common,
  FirstName: text,
  LastName: text,
  Name: text,
  Email: text,
  Phone: text,
  MobilePhone: text,
  AccountId: sfId.nullish(),
});
export type SalesforceContact = z.infer<typeof SalesforceContact>;

/**
 * An Account row. The tier field is named by an option (`Tier__c` by default) and may be a picklist
 * (string), a number or a checkbox; other custom fields pass unchecked.
 */
export const SalesforceAccount = z.looseObject({
  ...common,
  Name: text,
  Website: text,
  Phone: text,
  Histories: SubQuery,
});
export type SalesforceAccount = z.infer<typeof SalesforceAccount>;

/** The query envelope: `GET /services/data/vXX.X/query?q=...` and its `nextRecordsUrl` pages. */
export const QueryResponse = z.looseObject({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().nullish(),
  records: z.array(z.unknown()),
});
