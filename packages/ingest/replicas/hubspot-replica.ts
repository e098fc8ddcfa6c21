import { randomUUID } from 'node:crypto';
import { isoOfMs, type ReplicaRequest, type ReplicaResponse, type VendorBehaviour } from './replica-server.ts';
import type { HubSpotWorld } from './hubspot-world.ts';
import { hubspotHistory } from './encoders/hubspot.ts';

/**
 * HubSpot CRM v3 over a seeded portal: search by last-modified date (POST, `after` paging, 10,000
 * cap), batch read with `propertiesWithHistory` (newest first, as HubSpot returns it), the list
 * endpoint, Bearer auth, `X-HubSpot-RateLimit-*` headers and HubSpot's error bodies.
 *
 * @example
 * const replica = await startReplica(hubspotBehaviour(hubspotWorld({ seed: 1, contacts: 50 }), { accessToken: 't' }));
 */
export function hubspotBehaviour(world: HubSpotWorld, options: { accessToken: string; pageSize?: number }): VendorBehaviour {
  const served: string[] = [];
  let searchPages = 0;
  const error = (status: number, category: string, message: string): ReplicaResponse => ({
    status, body: { status: 'error', message, correlationId: randomUUID(), category },
  });
  const objects = (type: string) => (type === 'contacts' ? world.contacts : type === 'companies' ? world.companies : undefined);
  const modifiedOf = (type: string) => (type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate');
  const stamp = (o: any, type: string) => {
    const v = o.properties[modifiedOf(type)];
    return typeof v === 'string' ? Date.parse(v) : Number(v);
  };

  function search(req: ReplicaRequest, type: string): ReplicaResponse {
    const list = objects(type)!;
    const body = req.body as any;
    const filter = body?.filterGroups?.[0]?.filters?.[0];
    const limit = Math.min(200, Number(body?.limit ?? 10), options.pageSize ?? 200);
    if (filter && filter.operator !== 'GTE') return error(400, 'VALIDATION_ERROR', `unsupported operator ${filter.operator}`);
    const from = filter ? Number(filter.value) : 0;
    const matching = list.filter((o) => stamp(o, type) >= from).sort((a, b) => stamp(a, type) - stamp(b, type) || Number(a.id) - Number(b.id));
    const offset = Number(body?.after ?? 0);
    if (offset >= 10_000) return error(400, 'VALIDATION_ERROR', 'search results are limited to 10,000; narrow the filter');
    if (type === 'contacts' && searchPages++ >= 1) world.updateServed(served);
    // The fault: the previous page's last record comes again at the top of this one.
    const start = world.faults.duplicateAcrossPages && offset > 0 ? offset - 1 : offset;
    const before = world.faults.duplicateAcrossPages && from > 0 && offset === 0
      ? list.filter((o) => stamp(o, type) < from).sort((a, b) => stamp(b, type) - stamp(a, type))[0]
      : undefined;
    const page = [...(before ? [before] : []), ...matching.slice(start, start + limit)].slice(0, limit);
    if (type === 'contacts') served.push(...page.map((o) => o.id));
    const next = start + limit < matching.length ? String(start + limit) : undefined;
    return {
      status: 200,
      body: {
        total: matching.length,
        results: page.map((o) => ({ id: o.id, properties: { hs_object_id: o.id, [modifiedOf(type)]: o.properties[modifiedOf(type)], createdate: o.properties.createdate }, createdAt: o.createdAt, updatedAt: o.updatedAt, archived: false })),
        ...(next ? { paging: { next: { after: next, link: `${req.origin}${req.path}?after=${next}` } } } : {}),
      },
    };
  }

  function batchRead(req: ReplicaRequest, type: string): ReplicaResponse {
    const list = objects(type)!;
    const body = req.body as any;
    const ids: string[] = (body?.inputs ?? []).map((i: any) => String(i.id));
    const props: string[] = body?.properties ?? [];
    const withHistory: string[] = body?.propertiesWithHistory ?? [];
    // HubSpot answers batch reads in no particular order; reverse to prove the client does not rely on it.
    const results = ids.map((id) => list.find((o) => o.id === id)).filter(Boolean).reverse().map((o: any) => {
      const { properties, ...rest } = o;
      const h = world.history.get(o.id) ?? {};
      return {
        ...rest,
        properties: Object.fromEntries(Object.entries(properties).filter(([k]) => props.length === 0 || props.includes(k) || k === 'hs_object_id')),
        propertiesWithHistory: Object.fromEntries(withHistory.map((p) => [p, hubspotHistory((h[p] ?? []).map((e) => ({ value: e.value, at: Date.parse(e.timestamp) })))])),
      };
    });
    const now = new Date().toISOString();
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
  }

  return {
    authorized: (req) => req.headers.authorization === `Bearer ${options.accessToken}`,
    unauthorized: error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview'),
    throttled: () => ({
      status: 429,
      headers: { 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'retry-after': '1' },
      body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'TEN_SECONDLY_ROLLING', requestId: randomUUID() },
    }),
    rateLimitHeaders: (n) => ({ 'x-hubspot-ratelimit-max': '190', 'x-hubspot-ratelimit-remaining': String(Math.max(1, 190 - (n % 190))), 'x-hubspot-ratelimit-interval-milliseconds': '10000' }),
    sinceOf: (req) => {
      const type = /^\/crm\/v3\/objects\/(\w+)\/search$/.exec(req.path)?.[1];
      const value = (req.body as { filterGroups?: { filters?: { value?: unknown }[] }[] } | undefined)?.filterGroups?.[0]?.filters?.[0]?.value;
      const since = type && value !== undefined ? isoOfMs(Number(value)) : undefined;
      return type && since ? { list: type, since } : undefined;
    },
    route(req) {
      const m = /^\/crm\/v3\/objects\/(contacts|companies)(\/search|\/batch\/read)?$/.exec(req.path);
      if (!m) return error(404, 'OBJECT_NOT_FOUND', `no route for ${req.path}`);
      const [, type, action] = m;
      if (action === '/search' && req.method === 'POST') return search(req, type);
      if (action === '/batch/read' && req.method === 'POST') return batchRead(req, type);
      if (!action && req.method === 'GET') {
        const limit = Math.min(100, Number(req.query.get('limit') ?? 10));
        const offset = Number(req.query.get('after') ?? 0);
        const list = objects(type)!;
        const page = list.slice(offset, offset + limit);
        const next = offset + limit < list.length ? String(offset + limit) : undefined;
        return { status: 200, body: { results: page, ...(next ? { paging: { next: { after: next, link: `${req.origin}${req.path}?after=${next}` } } } : {}) } };
      }
      return error(405, 'METHOD_NOT_ALLOWED', `${req.method} ${req.path}`);
    },
  };
}
