import { z } from 'zod';
import type { Adapter, StreamSpec } from '../../framework/adapter.ts';
import type { Effects } from '../../framework/effects.ts';
import { HttpClient, type AuthStrategy } from '../../framework/http-client.ts';
import { isoFromVendor } from '../../framework/time.ts';
import {
  channelMapOf, normalizeCase, normalizeCaseComment, normalizeCaseHistory, normalizeChatTranscript, normalizeEmailMessage, normalizeGroup, normalizeUser,
} from './cases.ts';
import { normalizeAccount, normalizeContact } from './normalize.ts';
import {
  SalesforceAccount, SalesforceCase, SalesforceCaseComment, SalesforceCaseHistory, SalesforceChatTranscript, SalesforceContact, SalesforceEmailMessage,
  SalesforceGroup, SalesforceUser,
} from './schemas.ts';
import { incrementalSoql, readModified, SOQL_NAME, type ReadPlan } from './soql.ts';
import { salesforceStages } from './stages.ts';

export const SalesforceOptions = z.object({
  /** The org's instance URL (`https://<my-domain>.my.salesforce.com`): there is no global API host. */
  baseUrl: z.url(),
  accessToken: z.string().min(1, 'an OAuth access token is required'),
  apiVersion: z.string().regex(/^\d+\.\d$/, 'expected an API version like 62.0').default('62.0'),
  /** The Account field that holds the account tier (orgs name custom fields differently). */
  tierField: z.string().regex(SOQL_NAME, 'expected a field API name such as Tier__c').default('Tier__c'),
  /** Read the tier's field history (`Histories` sub-query) so a tier change keeps its date; needs field history tracking on Account. */
  tierHistory: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true),
  /** Case Origin to channel, `Origin=channel` pairs merged over the defaults (README). */
  channelMap: z.union([z.string(), z.record(z.string(), z.string())]).optional()
    .refine((m) => { try { channelMapOf(m); return true; } catch { return false; } }, 'expected Origin=channel pairs such as "Web=chat,Community=help_center" (channels: chat, email, phone, social, help_center)'),
  /** Case Status values that close a case, comma-separated (default Closed). */
  closedStatuses: z.string().default('Closed'),
  /** Case custom fields holding the contact reason and the customer tier (none by default). */
  caseIntentField: z.string().regex(SOQL_NAME, 'expected a field API name such as Reason__c').optional(),
  caseTierField: z.string().regex(SOQL_NAME, 'expected a field API name such as Tier__c').optional(),
  /** Read LiveChatTranscript (only orgs with Chat have the object). */
  chat: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true),
  /** OAuth refresh: a refresh token and the connected app's client id (and secret, unless PKCE). */
  refreshToken: z.string().min(1).optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  /** The token endpoint (default `<baseUrl>/services/oauth2/token`; login.salesforce.com works too). */
  tokenUrl: z.url().optional(),
  /** Rows per query batch (`Sforce-Query-Options: batchSize`, 200 to 2,000; Salesforce may send fewer). */
  batchSize: z.coerce.number().int().min(200).max(2000).default(2000),
  timeoutMs: z.coerce.number().int().positive().default(30_000),
  concurrency: z.coerce.number().int().min(1).max(8).default(2),
});
export type SalesforceOptions = z.infer<typeof SalesforceOptions>;

/**
 * Bearer auth. With a refresh token, a 401 (`INVALID_SESSION_ID`: the session expired) posts the
 * OAuth 2.0 refresh-token grant to the token endpoint once and carries on with the new access
 * token; without one, or when the grant is refused, the run fails asking for a new token.
 */
function salesforceAuth(o: SalesforceOptions, fetchFn: Effects['fetch']): AuthStrategy {
  let token = o.accessToken;
  return {
    headers: () => ({ authorization: `Bearer ${token}`, 'sforce-query-options': `batchSize=${o.batchSize}` }),
    refresh: o.refreshToken && o.clientId
      ? async () => {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: o.refreshToken!, client_id: o.clientId! });
        if (o.clientSecret) form.set('client_secret', o.clientSecret);
        try {
          const response = await fetchFn(o.tokenUrl ?? new URL('/services/oauth2/token', o.baseUrl).toString(), {
            method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString(),
          });
          if (!response.ok) return false;
          const body = (await response.json()) as { access_token?: unknown };
          if (typeof body.access_token !== 'string' || !body.access_token) return false;
          token = body.access_token;
          return true;
        } catch {
          return false;
        }
      }
      : undefined,
  };
}

/**
 * Salesforce signals its API limits with HTTP 403 `REQUEST_LIMIT_EXCEEDED` (too many concurrent
 * long-running requests, or the rolling 24-hour allocation spent), which the shared client would
 * read as rejected credentials. Here it becomes a 429, so it is retried with backoff and, if it
 * persists (the daily allocation), the run fails as rate limited rather than as a bad token.
 */
function limitAsThrottle(fetchFn: Effects['fetch']): Effects['fetch'] {
  return async (input, init) => {
    const response = await fetchFn(input, init);
    if (response.status !== 403) return response;
    const text = await response.text();
    const status = /REQUEST_LIMIT_EXCEEDED/.test(text) ? 429 : 403;
    return new Response(text, { status, headers: response.headers });
  };
}

/** The committed cursor less the look-back (the runner's `from`), else `--since`, else the start. */
const startOf = (from: string | null, since: string | null) => from ?? since ?? '1970-01-01T00:00:00.000Z';

/** Pages of a recorded folder: query responses whose rows are of this object type. */
const rowsOfType = (type: string, marker: string) => (page: unknown) => {
  const body = page as { records?: unknown; totalSize?: unknown };
  if (!Array.isArray(body?.records) || body.records.length === 0) return undefined;
  const first = body.records[0] as { attributes?: { type?: string } } & Record<string, unknown>;
  return first?.attributes?.type === type || (!first?.attributes && marker in first) ? body.records : undefined;
};

const contactFields = ['Id', 'FirstName', 'LastName', 'Name', 'Email', 'Phone', 'MobilePhone', 'AccountId', 'CreatedDate', 'SystemModstamp'];

const contacts: StreamSpec<SalesforceOptions, SalesforceContact> = {
  name: 'contacts', cursorField: 'SystemModstamp', cursorFormat: 'iso', primaryKey: 'Id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: SalesforceContact, versionOrder: 'time',
  nativeId: (c) => c.Id, version: (c) => isoFromVendor(c.SystemModstamp), normalize: (c) => normalizeContact(c),
  read: ({ http, options, from, since }) =>
    readModified(http, options.apiVersion, (after) => incrementalSoql('Contact', contactFields, after), startOf(from, since)),
  recordsOfPage: rowsOfType('Contact', 'Email'),
};

const accounts: StreamSpec<SalesforceOptions, SalesforceAccount> = {
  name: 'accounts', cursorField: 'SystemModstamp', cursorFormat: 'iso', primaryKey: 'Id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: SalesforceAccount, versionOrder: 'time',
  nativeId: (a) => a.Id, version: (a) => isoFromVendor(a.SystemModstamp),
  normalize: (a, options) => normalizeAccount(a, options.tierField ?? 'Tier__c'),
  read: ({ http, options, from, since }) => {
    const fields = ['Id', 'Name', 'Website', 'Phone', options.tierField, 'CreatedDate', 'SystemModstamp'];
    const history = options.tierHistory ? [`SELECT Field, OldValue, NewValue, CreatedDate FROM Histories WHERE Field = '${options.tierField}' ORDER BY CreatedDate ASC`] : [];
    return readModified(http, options.apiVersion, (after) => incrementalSoql('Account', fields, after, history), startOf(from, since));
  },
  recordsOfPage: rowsOfType('Account', 'Website'),
};

/**
 * A Service Cloud object read incrementally: `queryAll` where deletions matter (a deleted row comes
 * back with `IsDeleted = true` and a new SystemModstamp), five minutes of look-back because
 * SystemModstamp is set when a transaction starts, so a long one commits rows older than the
 * cursor a reader already passed.
 */
function serviceStream<R extends { Id: string }>(spec: {
  name: string; object: string; fields: (o: SalesforceOptions) => string[]; schema: z.ZodType<R>; stamp: (r: R) => string;
  normalize: StreamSpec<SalesforceOptions, R>['normalize']; resource?: ReadPlan['resource']; cursorField?: string; marker: string;
  writeDisposition?: StreamSpec['writeDisposition'];
}): StreamSpec<SalesforceOptions, R> {
  const cursorField = spec.cursorField ?? 'SystemModstamp';
  return {
    name: spec.name, cursorField, cursorFormat: 'iso', primaryKey: 'Id', writeDisposition: spec.writeDisposition ?? 'merge', lookBackSeconds: 300,
    schema: spec.schema, versionOrder: 'time',
    nativeId: (r) => r.Id, version: (r) => isoFromVendor(spec.stamp(r)), normalize: spec.normalize,
    read: ({ http, options, from, since }) =>
      readModified(http, options.apiVersion, (after) => incrementalSoql(spec.object, spec.fields(options), after, [], cursorField), startOf(from, since),
        { resource: spec.resource ?? 'queryAll', cursorField }),
    recordsOfPage: rowsOfType(spec.object, spec.marker),
  };
}

const caseFields = (o: SalesforceOptions) => [
  'Id', 'CaseNumber', 'Subject', 'Status', 'IsClosed', 'ClosedDate', 'IsEscalated', 'Priority', 'Origin', 'Type', 'Reason', 'OwnerId',
  'ContactId', 'AccountId', 'ParentId', ...(o.caseIntentField ? [o.caseIntentField] : []), ...(o.caseTierField ? [o.caseTierField] : []),
  'CreatedDate', 'SystemModstamp', 'IsDeleted',
];

const users = serviceStream({
  name: 'users', object: 'User', schema: SalesforceUser, stamp: (u) => u.SystemModstamp, normalize: normalizeUser, resource: 'query', marker: 'UserType',
  fields: () => ['Id', 'Name', 'Email', 'IsActive', 'UserType', 'CreatedDate', 'SystemModstamp'],
});
const groups = serviceStream({
  name: 'groups', object: 'Group', schema: SalesforceGroup, stamp: (g) => g.SystemModstamp, normalize: normalizeGroup, resource: 'query', marker: 'DeveloperName',
  fields: () => ['Id', 'Name', 'DeveloperName', 'Type', 'CreatedDate', 'SystemModstamp'],
});
const cases = serviceStream({
  name: 'cases', object: 'Case', schema: SalesforceCase, stamp: (c) => c.SystemModstamp, normalize: (c, o) => normalizeCase(c, o), marker: 'CaseNumber',
  fields: caseFields,
});
const caseHistory = serviceStream({
  name: 'case_history', object: 'CaseHistory', schema: SalesforceCaseHistory, stamp: (h) => h.CreatedDate, normalize: (h, o) => normalizeCaseHistory(h, o),
  cursorField: 'CreatedDate', resource: 'query', marker: 'Field', writeDisposition: 'append',
  fields: () => ['Id', 'CaseId', 'Field', 'DataType', 'OldValue', 'NewValue', 'CreatedById', 'CreatedDate'],
});
const emailMessages = serviceStream({
  name: 'email_messages', object: 'EmailMessage', schema: SalesforceEmailMessage, stamp: (m) => m.SystemModstamp, normalize: normalizeEmailMessage, marker: 'Incoming',
  fields: () => ['Id', 'ParentId', 'Incoming', 'MessageDate', 'Status', 'Subject', 'TextBody', 'FromAddress', 'ToAddress', 'CreatedById', 'CreatedDate', 'SystemModstamp', 'IsDeleted'],
});
const caseComments = serviceStream({
  name: 'case_comments', object: 'CaseComment', schema: SalesforceCaseComment, stamp: (c) => c.SystemModstamp, normalize: normalizeCaseComment, marker: 'IsPublished',
  fields: () => ['Id', 'ParentId', 'IsPublished', 'CommentBody', 'CreatedById', 'CreatedDate', 'SystemModstamp', 'IsDeleted'],
});
const chatTranscripts = serviceStream({
  name: 'chat_transcripts', object: 'LiveChatTranscript', schema: SalesforceChatTranscript, stamp: (t) => t.SystemModstamp, normalize: normalizeChatTranscript, marker: 'RequestTime',
  fields: () => ['Id', 'CaseId', 'ContactId', 'OwnerId', 'Status', 'RequestTime', 'StartTime', 'EndTime', 'WaitTime', 'Abandoned', 'ChatDuration', 'Body', 'CreatedDate', 'SystemModstamp', 'IsDeleted'],
});
const chatStream: StreamSpec<SalesforceOptions> = {
  ...(chatTranscripts as StreamSpec<SalesforceOptions>),
  read: (ctx) => (ctx.options.chat === false ? (async function* () {})() : chatTranscripts.read(ctx)),
};

/**
 * Salesforce: contacts and accounts through the SOQL query API (`nextRecordsUrl` paging),
 * incremental on `SystemModstamp`, with the account tier field as an option.
 *
 * @example
 * await runIngest({ warehouse, adapter: salesforceAdapter, options: { baseUrl: 'https://acme.my.salesforce.com', accessToken, tierField: 'Service_Level__c' } });
 */
export const salesforceAdapter: Adapter<SalesforceOptions> = {
  name: 'salesforce',
  options: SalesforceOptions as unknown as z.ZodType<SalesforceOptions>,
  optionMeta: {
    baseUrl: { kind: 'url', required: true, flag: 'url', env: 'SALESFORCE_URL', description: 'instance URL, e.g. https://acme.my.salesforce.com' },
    accessToken: { kind: 'text', required: true, env: 'SALESFORCE_ACCESS_TOKEN', secret: true, description: 'OAuth access token (Bearer)' },
    apiVersion: { kind: 'text', flag: 'api-version', valueName: 'VERSION', env: 'SALESFORCE_API_VERSION', description: 'REST API version (default 62.0)' },
    tierField: { kind: 'text', flag: 'tier-field', valueName: 'FIELD', env: 'SALESFORCE_TIER_FIELD', description: 'Account field holding the tier (default Tier__c)' },
    tierHistory: { kind: 'boolean', flag: 'tier-history', env: 'SALESFORCE_TIER_HISTORY', description: 'read the tier field history (default true; needs field history tracking)' },
    channelMap: { kind: 'text', flag: 'channel-map', valueName: 'PAIRS', env: 'SALESFORCE_CHANNEL_MAP', description: 'case Origin to channel, e.g. "Web=chat,Community=help_center" (merged over the defaults)' },
    closedStatuses: { kind: 'text', flag: 'closed-statuses', valueName: 'LIST', env: 'SALESFORCE_CLOSED_STATUSES', description: 'case statuses that close a case, comma-separated (default Closed)' },
    caseIntentField: { kind: 'text', flag: 'case-intent-field', valueName: 'FIELD', env: 'SALESFORCE_CASE_INTENT_FIELD', description: 'Case field holding the contact reason (intent)' },
    caseTierField: { kind: 'text', flag: 'case-tier-field', valueName: 'FIELD', env: 'SALESFORCE_CASE_TIER_FIELD', description: 'Case field holding the customer tier' },
    chat: { kind: 'boolean', flag: 'chat', env: 'SALESFORCE_CHAT', description: 'read LiveChatTranscript (default true; false for orgs without Chat)' },
    refreshToken: { kind: 'text', env: 'SALESFORCE_REFRESH_TOKEN', secret: true, description: 'OAuth refresh token, to renew an expired access token' },
    clientId: { kind: 'text', flag: 'client-id', valueName: 'KEY', env: 'SALESFORCE_CLIENT_ID', description: 'connected app consumer key (for the refresh)' },
    clientSecret: { kind: 'text', env: 'SALESFORCE_CLIENT_SECRET', secret: true, description: 'connected app consumer secret (for the refresh)' },
    tokenUrl: { kind: 'url', flag: 'token-url', env: 'SALESFORCE_TOKEN_URL', description: 'OAuth token endpoint (default <instance>/services/oauth2/token)' },
  },
  // Accounts first, so a contact's account is known by the time contacts land; users and queues
  // before cases; a case before its history, emails, comments and chats.
  streams: [accounts, contacts, users, groups, cases, caseHistory, emailMessages, caseComments, chatStream] as StreamSpec<SalesforceOptions>[],
  stages: salesforceStages,
  http: (o, effects) => new HttpClient({
    baseUrl: o.baseUrl, effects: { ...effects, fetch: limitAsThrottle(effects.fetch) }, timeoutMs: o.timeoutMs, concurrency: o.concurrency,
    auth: salesforceAuth(o, effects.fetch),
  }),
  explainNonRecordPage(page, file) {
    const body = page as Record<string, unknown>;
    if (body && '_what' in body) return `${file}: notes about the vendor's API behaviour, not a response`;
    if (body && Array.isArray(body.records) && body.records.length === 0) return `${file}: a query response with no rows`;
    if (body && Array.isArray(body.records)) return `${file}: query rows of an object this adapter does not ingest (${(body.records[0] as { attributes?: { type?: string } })?.attributes?.type ?? 'unknown type'})`;
    return undefined;
  },
};
