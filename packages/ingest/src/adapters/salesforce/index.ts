import { z } from 'zod';
import type { Adapter, StreamSpec } from '../../framework/adapter.ts';
import type { Effects } from '../../framework/effects.ts';
import { HttpClient, type AuthStrategy } from '../../framework/http-client.ts';
import { isoFromVendor } from '../../framework/time.ts';
import { normalizeAccount, normalizeContact } from './normalize.ts';
import { SalesforceAccount, SalesforceContact } from './schemas.ts';
import { incrementalSoql, readModified, SOQL_NAME } from './soql.ts';

export const SalesforceOptions = z.object({
  /** The org's instance URL (`https://<my-domain>.my.salesforce.com`): there is no global API host. */
  baseUrl: z.url(),
  accessToken: z.string().min(1, 'an OAuth access token is required'),
  apiVersion: z.string().regex(/^\d+\.\d$/, 'expected an API version like 62.0').default('62.0'),
  /** The Account field that holds the account tier (orgs name custom fields differently). */
  tierField: z.string().regex(SOQL_NAME, 'expected a field API name such as Tier__c').default('Tier__c'),
  /** Read the tier's field history (`Histories` sub-query) so a tier change keeps its date; needs field history tracking on Account. */
  tierHistory: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true),
  /** Rows per query batch (`Sforce-Query-Options: batchSize`, 200 to 2,000; Salesforce may send fewer). */
  batchSize: z.coerce.number().int().min(200).max(2000).default(2000),
  timeoutMs: z.coerce.number().int().positive().default(30_000),
  concurrency: z.coerce.number().int().min(1).max(8).default(2),
});
export type SalesforceOptions = z.infer<typeof SalesforceOptions>;

function salesforceAuth(token: string, batchSize: number): AuthStrategy {
  return { headers: () => ({ authorization: `Bearer ${token}`, 'sforce-query-options': `batchSize=${batchSize}` }) };
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

const startOf = (state: string | null, since: string | null) => state ?? since ?? '1970-01-01T00:00:00.000Z';

/** Pages of a recorded folder: query responses whose rows are of this object type. */
const rowsOfType = (type: string, marker: string) => (page: unknown) => {
  const body = page as { records?: unknown; totalSize?: unknown };
  if (!Array.isArray(body?.records) || body.records.length === 0) return undefined;
  const first = body.records[0] as { attributes?: { type?: string } } & Record<string, unknown>;
  return first?.attributes?.type === type || (!first?.attributes && marker in first) ? body.records : undefined;
};

const contactFields = ['Id', 'FirstName', 'LastName', 'Name', 'Email', 'Phone', 'MobilePhone', 'AccountId', 'CreatedDate', 'SystemModstamp'];

const contacts: StreamSpec<SalesforceOptions, SalesforceContact> = {
  name: 'contacts', cursorField: 'SystemModstamp', primaryKey: 'Id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: SalesforceContact, versionOrder: 'time',
  nativeId: (c) => c.Id, version: (c) => isoFromVendor(c.SystemModstamp), normalize: (c) => normalizeContact(c),
  read: ({ http, options, state, since }) =>
    readModified(http, options.apiVersion, (from) => incrementalSoql('Contact', contactFields, from), startOf(state, since)),
  recordsOfPage: rowsOfType('Contact', 'Email'),
};

const accounts: StreamSpec<SalesforceOptions, SalesforceAccount> = {
  name: 'accounts', cursorField: 'SystemModstamp', primaryKey: 'Id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: SalesforceAccount, versionOrder: 'time',
  nativeId: (a) => a.Id, version: (a) => isoFromVendor(a.SystemModstamp),
  normalize: (a, options) => normalizeAccount(a, options.tierField ?? 'Tier__c'),
  read: ({ http, options, state, since }) => {
    const fields = ['Id', 'Name', 'Website', 'Phone', options.tierField, 'CreatedDate', 'SystemModstamp'];
    const history = options.tierHistory ? [`SELECT Field, OldValue, NewValue, CreatedDate FROM Histories WHERE Field = '${options.tierField}' ORDER BY CreatedDate ASC`] : [];
    return readModified(http, options.apiVersion, (from) => incrementalSoql('Account', fields, from, history), startOf(state, since));
  },
  recordsOfPage: rowsOfType('Account', 'Website'),
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
    baseUrl: { env: 'SALESFORCE_URL', description: 'instance URL, e.g. https://acme.my.salesforce.com' },
    accessToken: { env: 'SALESFORCE_ACCESS_TOKEN', secret: true, description: 'OAuth access token (Bearer)' },
    apiVersion: { env: 'SALESFORCE_API_VERSION', description: 'REST API version (default 62.0)' },
    tierField: { env: 'SALESFORCE_TIER_FIELD', description: 'Account field holding the tier (default Tier__c)' },
    tierHistory: { env: 'SALESFORCE_TIER_HISTORY', description: 'read the tier field history (default true; needs field history tracking)' },
  },
  // Accounts first, so a contact's account is known by the time contacts land.
  streams: [accounts, contacts] as StreamSpec<SalesforceOptions>[],
  http: (o, effects) => new HttpClient({
    baseUrl: o.baseUrl, effects: { ...effects, fetch: limitAsThrottle(effects.fetch) }, timeoutMs: o.timeoutMs, concurrency: o.concurrency,
    auth: salesforceAuth(o.accessToken, o.batchSize),
  }),
  explainNonRecordPage(page, file) {
    const body = page as Record<string, unknown>;
    if (body && '_what' in body) return `${file}: notes about the vendor's API behaviour, not a response`;
    if (body && Array.isArray(body.records) && body.records.length === 0) return `${file}: a query response with no rows`;
    if (body && Array.isArray(body.records)) return `${file}: query rows of an object this adapter does not ingest (${(body.records[0] as { attributes?: { type?: string } })?.attributes?.type ?? 'unknown type'})`;
    return undefined;
  },
};
