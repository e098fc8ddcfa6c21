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

/** A Case (Service Cloud's ticket). The intent and tier custom fields are named by options and pass unchecked. */
export const SalesforceCase = z.looseObject({
  ...common,
  CaseNumber: text,
  Subject: text,
  Status: text,
  IsClosed: z.boolean().nullish(),
  ClosedDate: ts.nullish(),
  IsEscalated: z.boolean().nullish(),
  Priority: text,
  Origin: text,
  Type: text,
  Reason: text,
  OwnerId: sfId.nullish(),
  ContactId: sfId.nullish(),
  AccountId: sfId.nullish(),
  ParentId: sfId.nullish(),
});
export type SalesforceCase = z.infer<typeof SalesforceCase>;

/**
 * A CaseHistory row (field history of a case). History rows are never modified, so they carry
 * `CreatedDate` but no `SystemModstamp`: that is their cursor. `Field` is a case field name or one
 * of Salesforce's special values (ownerAssignment, ownerAccepted, ownerEscalated, external); a
 * changed lookup (Owner) gives two rows, one with names and one with ids.
 */
export const SalesforceCaseHistory = z.looseObject({
  attributes: common.attributes,
  Id: sfId,
  CaseId: sfId,
  Field: z.string(),
  DataType: text,
  OldValue: z.union([z.string(), z.number(), z.boolean()]).nullish(),
  NewValue: z.union([z.string(), z.number(), z.boolean()]).nullish(),
  CreatedById: sfId.nullish(),
  CreatedDate: ts,
  IsDeleted: z.boolean().nullish(),
});
export type SalesforceCaseHistory = z.infer<typeof SalesforceCaseHistory>;

/** An EmailMessage of a case (`ParentId`); `Incoming` false = sent by the org. Status 5 is a draft. */
export const SalesforceEmailMessage = z.looseObject({
  ...common,
  ParentId: sfId.nullish(),
  Incoming: z.boolean(),
  MessageDate: ts.nullish(),
  Status: z.union([z.string(), z.number()]).nullish(),
  Subject: text,
  TextBody: text,
  FromAddress: text,
  ToAddress: text,
  CreatedById: sfId.nullish(),
});
export type SalesforceEmailMessage = z.infer<typeof SalesforceEmailMessage>;

/** A CaseComment: published (visible to the customer) or internal. */
export const SalesforceCaseComment = z.looseObject({
  ...common,
  ParentId: sfId,
  IsPublished: z.boolean(),
  CommentBody: text,
  CreatedById: sfId.nullish(),
});
export type SalesforceCaseComment = z.infer<typeof SalesforceCaseComment>;

/** A LiveChatTranscript (Chat / Live Agent): the request, the agent's acceptance, the wait, its case. */
export const SalesforceChatTranscript = z.looseObject({
  ...common,
  CaseId: sfId.nullish(),
  ContactId: sfId.nullish(),
  OwnerId: sfId.nullish(),
  Status: text,
  RequestTime: ts.nullish(),
  StartTime: ts.nullish(),
  EndTime: ts.nullish(),
  WaitTime: z.number().nullish(),
  Abandoned: z.number().nullish(),
  ChatDuration: z.number().nullish(),
  Body: text,
});
export type SalesforceChatTranscript = z.infer<typeof SalesforceChatTranscript>;

/** A User: `Standard` users are the org's agents; portal and community users are customers. */
export const SalesforceUser = z.looseObject({
  ...common,
  Name: text,
  Email: text,
  IsActive: z.boolean().nullish(),
  UserType: text,
});
export type SalesforceUser = z.infer<typeof SalesforceUser>;

/** A Group; those of `Type` Queue own cases before an agent takes them. */
export const SalesforceGroup = z.looseObject({
  ...common,
  Name: text,
  DeveloperName: text,
  Type: z.string(),
});
export type SalesforceGroup = z.infer<typeof SalesforceGroup>;

/** The query envelope: `GET /services/data/vXX.X/query?q=...` and its `nextRecordsUrl` pages. */
export const QueryResponse = z.looseObject({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().nullish(),
  records: z.array(z.unknown()),
});
