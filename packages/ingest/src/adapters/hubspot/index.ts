import { z } from 'zod';
import type { Adapter, PageRead, ReadContext, StreamSpec } from '../../framework/adapter.ts';
import { bearerAuth, HttpClient, type RateLimitReader } from '../../framework/http-client.ts';
import { isoFromVendor } from '../../framework/time.ts';
import { normalizeCompany, normalizeContact } from './normalize.ts';
import { HubSpotObject } from './schemas.ts';

export const HubSpotOptions = z.object({
  baseUrl: z.url().default('https://api.hubapi.com'),
  accessToken: z.string().min(1, 'a private-app access token is required'),
  /** The contact/company property that holds the account tier (portals name it differently). */
  tierProperty: z.string().min(1).default('account_tier'),
  pageSize: z.coerce.number().int().min(1).max(200).default(100),
  timeoutMs: z.coerce.number().int().positive().default(30_000),
  concurrency: z.coerce.number().int().min(1).max(16).default(2),
});
export type HubSpotOptions = z.infer<typeof HubSpotOptions>;

/** `X-HubSpot-RateLimit-Remaining: 0` means wait for the rolling window (`...-Interval-Milliseconds`). */
const hubspotRateLimit: RateLimitReader = (headers) => {
  const remaining = headers.get('x-hubspot-ratelimit-remaining');
  if (remaining === null || Number(remaining) > 0) return undefined;
  return Number(headers.get('x-hubspot-ratelimit-interval-milliseconds') ?? 10_000);
};

/**
 * Incremental read of one object type, keyset-paginated: each page searches for records modified
 * at or after the last one seen (ascending), so records that change while we page move to the end
 * instead of shifting offsets under us, and the 10,000-result cap of search never binds. Boundary
 * records come again and merge away. Only when a whole page shares one timestamp does it page by
 * `after`. Each page's ids are then batch-read with property history, so a tier change keeps its date.
 */
async function* searchModified(ctx: ReadContext<HubSpotOptions>, type: 'contacts' | 'companies', modified: string, properties: string[], history: string[]): AsyncIterable<PageRead> {
  let from = ctx.from ?? (ctx.since ? String(Date.parse(ctx.since)) : '0');
  let after: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const search = await ctx.http.postJson(`/crm/v3/objects/${type}/search`, {
      filterGroups: [{ filters: [{ propertyName: modified, operator: 'GTE', value: from }] }],
      sorts: [{ propertyName: modified, direction: 'ASCENDING' }],
      properties: [modified], limit: ctx.options.pageSize, ...(after ? { after } : {}),
    });
    const body = search.body as { results?: { id: string; properties?: Record<string, string> }[]; paging?: { next?: { after?: string } } };
    const results = body.results ?? [];
    const fresh = results.filter((r) => !seen.has(`${r.id}@${r.properties?.[modified]}`));
    for (const r of results) seen.add(`${r.id}@${r.properties?.[modified]}`);
    const ids = fresh.map((r) => r.id);
    let records: unknown[] = [];
    if (ids.length) {
      const batch = await ctx.http.postJson(`/crm/v3/objects/${type}/batch/read`, { inputs: ids.map((id) => ({ id })), properties, propertiesWithHistory: history });
      records = ((batch.body as { results?: unknown[] }).results ?? []);
      // Batch reads come back in any order; the page keeps the search's order.
      const position = new Map(ids.map((id, i) => [id, i]));
      records.sort((a: any, b: any) => (position.get(a?.id) ?? 0) - (position.get(b?.id) ?? 0));
    }
    const firstStamp = results[0]?.properties?.[modified];
    const lastStamp = results[results.length - 1]?.properties?.[modified];
    const checkpoint = lastStamp ? String(Date.parse(isoOrMillis(lastStamp))) : undefined;
    yield { records, checkpoint };
    if (!body.paging?.next?.after) return;
    if (firstStamp === lastStamp) {
      after = body.paging.next.after;
      continue;
    }
    if (fresh.length === 0) return; // no progress is possible; never loop
    from = checkpoint!;
    after = undefined;
  }
}

const isoOrMillis = (v: string) => (/^\d+$/.test(v) ? new Date(Number(v)).toISOString() : v);

const contactProps = (o: HubSpotOptions) => ['email', 'phone', 'mobilephone', 'firstname', 'lastname', 'lifecyclestage', 'associatedcompanyid', o.tierProperty, 'createdate', 'lastmodifieddate'];

/** Pages of a recorded folder: list/search/batch pages hold `results`; contacts carry `lastmodifieddate`, companies `hs_lastmodifieddate`. */
const resultsWith = (property: string, not?: string) => (page: unknown) => {
  const results = (page as { results?: unknown })?.results;
  if (!Array.isArray(results) || results.length === 0) return undefined;
  const props = (results[0] as { properties?: Record<string, unknown> })?.properties ?? {};
  return property in props && !(not && not in props) ? results : undefined;
};

function objectStream(name: 'contacts' | 'companies', modified: string, normalize: (o: HubSpotObject, tier: string) => ReturnType<typeof normalizeContact>): StreamSpec<HubSpotOptions, HubSpotObject> {
  return {
    name, cursorField: `properties.${modified}`, cursorFormat: 'unix-ms', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0, schema: HubSpotObject, versionOrder: 'time',
    nativeId: (o) => o.id, version: (o) => isoFromVendor(o.updatedAt), normalize: (o, options) => normalize(o, options.tierProperty ?? 'account_tier'),
    read: (ctx) => {
      const props = name === 'contacts' ? contactProps(ctx.options) : ['name', 'domain', ctx.options.tierProperty, 'createdate', 'hs_lastmodifieddate'];
      return searchModified(ctx, name, modified, props, name === 'contacts' ? [ctx.options.tierProperty, 'lifecyclestage', 'associatedcompanyid'] : [ctx.options.tierProperty]);
    },
    recordsOfPage: name === 'contacts' ? resultsWith('lastmodifieddate') : resultsWith('hs_lastmodifieddate', 'hs_pipeline'),
  };
}

/**
 * HubSpot CRM v3: contacts and companies with their properties and property history.
 *
 * @example
 * await runIngest({ warehouse, adapter: hubspotAdapter, options: { accessToken, tierProperty: 'plan' } });
 */
export const hubspotAdapter: Adapter<HubSpotOptions> = {
  name: 'hubspot',
  options: HubSpotOptions as unknown as z.ZodType<HubSpotOptions>,
  optionMeta: {
    baseUrl: { kind: 'url', flag: 'url', env: 'HUBSPOT_URL', description: 'API base URL (default https://api.hubapi.com)' },
    accessToken: { kind: 'text', required: true, env: 'HUBSPOT_ACCESS_TOKEN', secret: true, description: 'private-app access token' },
    tierProperty: { kind: 'text', flag: 'tier-property', valueName: 'PROPERTY', env: 'HUBSPOT_TIER_PROPERTY', description: 'property holding the account tier (default account_tier)' },
  },
  streams: [
    objectStream('companies', 'hs_lastmodifieddate', normalizeCompany),
    objectStream('contacts', 'lastmodifieddate', normalizeContact),
  ] as StreamSpec<HubSpotOptions>[],
  http: (o, effects) => new HttpClient({ baseUrl: o.baseUrl, effects, timeoutMs: o.timeoutMs, concurrency: o.concurrency, rateLimit: hubspotRateLimit, auth: bearerAuth(o.accessToken) }),
  explainNonRecordPage(page, file) {
    const body = page as Record<string, unknown>;
    if (body && '_what' in body) return `${file}: notes about the vendor's API behaviour, not a response`;
    const first = (body?.results as { properties?: Record<string, unknown> }[] | undefined)?.[0];
    if (first?.properties && 'hs_pipeline' in first.properties) return `${file}: HubSpot tickets; the helpdesk's tickets come from Zendesk, so CRM tickets are not ingested`;
    return undefined;
  },
};
