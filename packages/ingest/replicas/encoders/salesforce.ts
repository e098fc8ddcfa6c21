/**
 * Salesforce SOQL row payloads (REST API v62.0 query and queryAll), the one place their shape is
 * written (fixtures/vendor-api/salesforce, `docs-example-queryall-response.json`: each row carries
 * `attributes {type, url}`): the replica's org and the demo generator both hand their facts to
 * these functions. Times come in as epoch milliseconds; Salesforce writes
 * `2026-01-01T10:00:00.000+0000` (milliseconds and a colon-less offset).
 */

/** Salesforce's datetime form. */
export const sfTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const sfTimeOrNull = (ms: number | null) => (ms === null ? null : sfTime(ms));
/** An 18-character record id: the object's key prefix, then `RO` and the number (this org's ids). */
export const sfId = (prefix: string, n: number | string) => `${prefix}RO${String(n).padStart(13, '0')}`;
const attributes = (type: string, id: string) => ({ type, url: `/services/data/v62.0/sobjects/${type}/${id}` });

/** What every row carries: its id, creation and last modification. */
interface RowFacts {
  id: string;
  createdAt: number;
  modifiedAt: number;
  isDeleted?: boolean;
}
const stamps = (r: RowFacts) => ({ CreatedDate: sfTime(r.createdAt), SystemModstamp: sfTime(r.modifiedAt), IsDeleted: r.isDeleted ?? false });

export interface SalesforceAccountFacts extends RowFacts {
  name: string;
  website: string | null;
  phone: string | null;
  /** Custom fields by API name (the tier field, `Tier__c` by default). */
  custom: Record<string, unknown>;
  /** Field history rows (`Histories` sub-query), or null when the field has no change. */
  histories: { field: string; oldValue: unknown; newValue: unknown; at: number }[] | null;
}

export function salesforceAccount(a: SalesforceAccountFacts): Record<string, unknown> {
  return {
    attributes: attributes('Account', a.id), Id: a.id, Name: a.name, Website: a.website, Phone: a.phone, ...a.custom, ...stamps(a),
    Histories: a.histories && {
      totalSize: a.histories.length, done: true,
      records: a.histories.map((h) => ({ attributes: { type: 'AccountHistory' }, Field: h.field, OldValue: h.oldValue, NewValue: h.newValue, CreatedDate: sfTime(h.at) })),
    },
  };
}

export interface SalesforceContactFacts extends RowFacts {
  firstName: string | null;
  lastName: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  mobilePhone: string | null;
  accountId: string | null;
  title: string | null;
}

export function salesforceContact(c: SalesforceContactFacts): Record<string, unknown> {
  return {
    attributes: attributes('Contact', c.id), Id: c.id, FirstName: c.firstName, LastName: c.lastName, Name: c.name, Email: c.email, Phone: c.phone,
    MobilePhone: c.mobilePhone, AccountId: c.accountId, Title: c.title, ...stamps(c),
  };
}

export function salesforceUser(u: RowFacts & { name: string; email: string; isActive: boolean; userType: string }): Record<string, unknown> {
  return { attributes: attributes('User', u.id), Id: u.id, Name: u.name, Email: u.email, IsActive: u.isActive, UserType: u.userType, CreatedDate: sfTime(u.createdAt), SystemModstamp: sfTime(u.modifiedAt) };
}

export function salesforceGroup(g: RowFacts & { name: string; developerName: string; type: 'Queue' | 'Regular' }): Record<string, unknown> {
  return {
    attributes: attributes('Group', g.id), Id: g.id, Name: g.name, DeveloperName: g.developerName, Type: g.type,
    CreatedDate: sfTime(g.createdAt), SystemModstamp: sfTime(g.modifiedAt),
  };
}

export interface SalesforceCaseFacts extends RowFacts {
  caseNumber: string;
  subject: string | null;
  status: string;
  isClosed: boolean;
  closedAt: number | null;
  isEscalated: boolean;
  priority: string;
  origin: string;
  type: string | null;
  reason: string | null;
  ownerId: string | null;
  contactId: string | null;
  accountId: string | null;
  parentId: string | null;
}

/**
 * @example
 * salesforceCase({ id: sfId('500', 1), caseNumber: '00001000', subject: 'Help', status: 'New', isClosed: false, closedAt: null, isEscalated: false,
 *   priority: 'Medium', origin: 'Email', type: null, reason: null, ownerId: null, contactId: null, accountId: null, parentId: null, createdAt: 0, modifiedAt: 0 });
 */
export function salesforceCase(c: SalesforceCaseFacts): Record<string, unknown> {
  return {
    attributes: attributes('Case', c.id), Id: c.id, CaseNumber: c.caseNumber, Subject: c.subject, Status: c.status, IsClosed: c.isClosed,
    ClosedDate: sfTimeOrNull(c.closedAt), IsEscalated: c.isEscalated, Priority: c.priority, Origin: c.origin, Type: c.type, Reason: c.reason,
    OwnerId: c.ownerId, ContactId: c.contactId, AccountId: c.accountId, ParentId: c.parentId, ...stamps(c),
  };
}

/** A CaseHistory row: one field change (never modified, so no SystemModstamp). */
export function salesforceCaseHistory(h: { id: string; caseId: string; field: string; dataType: string; oldValue: unknown; newValue: unknown; by: string | null; at: number }): Record<string, unknown> {
  return {
    attributes: attributes('CaseHistory', h.id), Id: h.id, CaseId: h.caseId, Field: h.field, DataType: h.dataType, OldValue: h.oldValue, NewValue: h.newValue,
    CreatedById: h.by, CreatedDate: sfTime(h.at), IsDeleted: false,
  };
}

export interface SalesforceEmailFacts extends RowFacts {
  parentId: string;
  incoming: boolean;
  messageAt: number;
  /** '1' received, '3' sent, '5' draft, ... */
  status: string;
  subject: string | null;
  textBody: string | null;
  fromAddress: string | null;
  toAddress: string | null;
  createdById: string | null;
}

export function salesforceEmailMessage(m: SalesforceEmailFacts): Record<string, unknown> {
  return {
    attributes: attributes('EmailMessage', m.id), Id: m.id, ParentId: m.parentId, Incoming: m.incoming, MessageDate: sfTime(m.messageAt), Status: m.status,
    Subject: m.subject, TextBody: m.textBody, FromAddress: m.fromAddress, ToAddress: m.toAddress, CreatedById: m.createdById, ...stamps(m),
  };
}

export function salesforceCaseComment(c: RowFacts & { parentId: string; isPublished: boolean; body: string | null; createdById: string | null }): Record<string, unknown> {
  return {
    attributes: attributes('CaseComment', c.id), Id: c.id, ParentId: c.parentId, IsPublished: c.isPublished, CommentBody: c.body, CreatedById: c.createdById, ...stamps(c),
  };
}

export interface SalesforceChatFacts extends RowFacts {
  caseId: string | null;
  contactId: string | null;
  ownerId: string;
  status: 'Completed' | 'Missed';
  requestedAt: number;
  startedAt: number | null;
  endedAt: number;
  waitTime: number | null;
  abandoned: number | null;
  chatDuration: number | null;
  body: string | null;
}

export function salesforceChatTranscript(t: SalesforceChatFacts): Record<string, unknown> {
  return {
    attributes: attributes('LiveChatTranscript', t.id), Id: t.id, CaseId: t.caseId, ContactId: t.contactId, OwnerId: t.ownerId, Status: t.status,
    RequestTime: sfTime(t.requestedAt), StartTime: sfTimeOrNull(t.startedAt), EndTime: sfTime(t.endedAt), WaitTime: t.waitTime, Abandoned: t.abandoned,
    ChatDuration: t.chatDuration, Body: t.body, ...stamps(t),
  };
}
