import { isoOfMs, type ReplicaRequest, type ReplicaResponse, type VendorBehaviour } from './replica-server.ts';
import type { AircallWorld } from './aircall-world.ts';

/**
 * Aircall's Public API v1 over a seeded company: `/v1/calls` (from / to / order, page and per_page
 * up to 50, the 10,000-item cap), `/v1/users`, `/v1/teams`, HTTP Basic auth, `X-AircallApi-*`
 * rate-limit headers and Aircall's error bodies.
 *
 * @example
 * const replica = await startReplica(aircallBehaviour(aircallWorld({ seed: 1, calls: 100 }), { apiId: 'id', apiToken: 't' }));
 */
export function aircallBehaviour(world: AircallWorld, options: { apiId: string; apiToken: string; perPage?: number }): VendorBehaviour {
  const basic = `Basic ${Buffer.from(`${options.apiId}:${options.apiToken}`).toString('base64')}`;
  const served: number[] = [];
  let callPages = 0;
  const reset = () => String(Math.floor(Date.now() / 1000) + 60);

  function list(req: ReplicaRequest, key: string, records: any[]): ReplicaResponse {
    const perPage = Math.min(50, Number(req.query.get('per_page') ?? 20), options.perPage ?? 50);
    const page = Number(req.query.get('page') ?? 1);
    if (!Number.isInteger(page) || page < 1) return { status: 400, body: { error: 'Bad request', troubleshoot: 'page must be a positive integer' } };
    if (page * perPage > 10_000) return { status: 400, body: { error: 'Bad request', troubleshoot: 'You can only paginate through 10,000 items; use from/to to narrow the window' } };
    let start = (page - 1) * perPage;
    // The fault: the last call of the previous page comes again at the top of this one.
    if (key === 'calls' && world.faults.duplicateAcrossPages && page > 1) start -= 1;
    const items = records.slice(start, start + perPage);
    const more = start + perPage < records.length;
    const link = (p: number) => {
      const u = new URL(`${req.origin}${req.path}`);
      for (const [k, v] of req.query) u.searchParams.set(k, v);
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return u.toString();
    };
    return {
      status: 200,
      body: { [key]: items, meta: { count: items.length, total: records.length, current_page: page, per_page: perPage, next_page_link: more ? link(page + 1) : null, previous_page_link: page > 1 ? link(page - 1) : null } },
    };
  }

  return {
    authorized: (req) => req.headers.authorization === basic,
    unauthorized: { status: 401, body: { error: 'Unauthorized', troubleshoot: 'Check your API key' } },
    throttled: () => ({ status: 429, headers: { 'x-aircallapi-limit': '60', 'x-aircallapi-remaining': '0', 'x-aircallapi-reset': reset(), 'retry-after': '1' }, body: { error: 'Too Many Requests', troubleshoot: 'Rate limit reached: 60 requests per minute' } }),
    rateLimitHeaders: (n) => ({ 'x-aircallapi-limit': '60', 'x-aircallapi-remaining': String(Math.max(1, 60 - (n % 60))), 'x-aircallapi-reset': reset() }),
    sinceOf: (req) => {
      const from = req.query.get('from');
      const since = req.path === '/v1/calls' && from !== null ? isoOfMs(Number(from) * 1000) : undefined;
      return since ? { list: 'calls', since } : undefined;
    },
    route(req) {
      if (req.method !== 'GET') return { status: 405, body: { error: 'Method not allowed' } };
      if (req.path === '/v1/calls') {
        if (callPages++ >= 1) world.updateServed(served);
        const from = Number(req.query.get('from') ?? 0);
        const to = Number(req.query.get('to') ?? Number.MAX_SAFE_INTEGER);
        const order = req.query.get('order') === 'desc' ? -1 : 1;
        const startOf = (c: any) => (typeof c.started_at === 'number' ? c.started_at : Date.parse(c.started_at) / 1000);
        const matching = world.calls.filter((c) => startOf(c) >= from && startOf(c) <= to).sort((a, b) => order * (startOf(a) - startOf(b) || a.id - b.id));
        const response = list(req, 'calls', matching);
        served.push(...((response.body as { calls?: any[] }).calls ?? []).map((c) => c.id));
        return response;
      }
      if (req.path === '/v1/users') return list(req, 'users', world.users);
      if (req.path === '/v1/teams') return list(req, 'teams', world.teams);
      const single = /^\/v1\/calls\/(\d+)$/.exec(req.path);
      if (single) {
        const call = world.calls.find((c) => c.id === Number(single[1]));
        return call ? { status: 200, body: { call } } : { status: 404, body: { error: 'Not found', troubleshoot: 'No call with this id' } };
      }
      return { status: 404, body: { error: 'Not found', troubleshoot: `no route ${req.path}` } };
    },
  };
}
