import { isoOfMs, type ReplicaRequest, type ReplicaResponse, type VendorBehaviour } from './replica-server.ts';
import type { IntercomWorld } from './intercom-world.ts';

const errorList = (code: string, message: string) => ({ type: 'error.list', request_id: '00000000-0000-4000-8000-000000000000', errors: [{ code, message }] });
const cursorOf = (r: any) => Buffer.from(`${r.updated_at}:${r.id}`).toString('base64url');
const parseCursor = (c: string): [number, string] | null => {
  const m = /^(\d+):(.+)$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
  return m ? [Number(m[1]), m[2]] : null;
};
/** (updated_at, id) order; ids compare as numbers when both are numeric. */
const compare = (a: [number, string], b: [number, string]) => a[0] - b[0] || (a[1].length - b[1].length) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
const keyOf = (r: any): [number, string] => [typeof r.updated_at === 'number' ? r.updated_at : 0, String(r.id)];

/**
 * Intercom's REST API 2.16 over a seeded workspace: `POST /conversations/search` and
 * `/contacts/search` (updated_at filter, ascending sort, `starting_after` cursors, per_page up to
 * 150; search results omit parts), `GET /conversations/{id}` (with parts), `GET /admins`,
 * `GET /teams`, Bearer auth, `X-RateLimit-*` headers (10-second windows) and `error.list` bodies.
 *
 * @example
 * const replica = await startReplica(intercomBehaviour(intercomWorld({ seed: 1, conversations: 100 }), { accessToken: 't' }));
 */
export function intercomBehaviour(world: IntercomWorld, options: { accessToken: string; perPage?: number }): VendorBehaviour {
  const bearer = `Bearer ${options.accessToken}`;
  let conversationPages = 0;
  const served: string[] = [];
  const reset = () => String(Math.floor(Date.now() / 10_000) * 10 + 10);

  function search(req: ReplicaRequest, key: 'conversations' | 'data', records: any[]): ReplicaResponse {
    const body = req.body as any;
    const q = body?.query;
    if (!q || q.field !== 'updated_at' || !['>', '<', '='].includes(q.operator) || typeof q.value !== 'number') {
      return { status: 400, body: errorList('parameter_invalid', 'query must be {field: updated_at, operator, value: <unix>} in this replica') };
    }
    if (body.sort && body.sort.order !== 'ascending' && body.sort.order !== 'descending') return { status: 400, body: errorList('invalid_sort_order', `Invalid sort order '${body.sort.order}'. Must be one of: ascending, descending`) };
    const perPage = Math.min(150, Number(body.pagination?.per_page ?? 20), options.perPage ?? 150);
    const after = body.pagination?.starting_after ? parseCursor(String(body.pagination.starting_after)) : null;
    if (body.pagination?.starting_after && !after) return { status: 400, body: errorList('parameter_invalid', 'starting_after is not a cursor of this search') };
    const test = (t: number) => (q.operator === '>' ? t > q.value : q.operator === '<' ? t < q.value : t === q.value);
    const matching = records.filter((r) => test(keyOf(r)[0])).sort((a, b) => compare(keyOf(a), keyOf(b)));
    let start = after ? matching.findIndex((r) => compare(keyOf(r), after) > 0) : 0;
    if (start < 0) start = matching.length;
    // The fault: the last record of the previous page comes again at the top of this one.
    if (after && world.faults.duplicateAcrossPages && start > 0) start -= 1;
    const items = matching.slice(start, start + perPage);
    const more = start + perPage < matching.length;
    const strip = key === 'conversations' ? items.map(({ conversation_parts: _parts, ...rest }) => rest) : items;
    return {
      status: 200,
      body: {
        type: key === 'conversations' ? 'conversation.list' : 'list', [key]: strip, total_count: matching.length,
        pages: { type: 'pages', page: Math.floor(start / perPage) + 1, per_page: perPage, total_pages: Math.ceil(matching.length / perPage), ...(more ? { next: { per_page: perPage, starting_after: cursorOf(items[items.length - 1]) } } : {}) },
      },
    };
  }

  return {
    authorized: (req) => req.headers.authorization === bearer,
    unauthorized: { status: 401, body: errorList('unauthorized', 'Access Token Invalid') },
    throttled: () => ({ status: 429, headers: { 'x-ratelimit-limit': '167', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset() }, body: errorList('rate_limit_exceeded', 'Exceeded rate limit of 167 in 10_seconds') }),
    rateLimitHeaders: (n) => ({ 'x-ratelimit-limit': '167', 'x-ratelimit-remaining': String(Math.max(1, 167 - (n % 167))), 'x-ratelimit-reset': reset() }),
    sinceOf: (req) => {
      const value = (req.body as { query?: { value?: unknown } } | undefined)?.query?.value;
      const since = req.method === 'POST' && req.path.endsWith('/search') && typeof value === 'number' ? isoOfMs(value * 1000) : undefined;
      return since ? { list: req.path, since } : undefined;
    },
    route(req) {
      if (req.method === 'POST' && req.path === '/conversations/search') {
        // From the third search request on: by then the first page's conversations were retrieved whole (the second page is prefetched).
        if (conversationPages++ >= 2) world.updateServed(served);
        const response = search(req, 'conversations', world.conversations);
        served.push(...((response.body as { conversations?: any[] }).conversations ?? []).map((c) => c.id));
        return response;
      }
      if (req.method === 'POST' && req.path === '/contacts/search') return search(req, 'data', world.contacts);
      if (req.method !== 'GET') return { status: 404, body: errorList('not_found', 'Resource Not Found') };
      if (req.path === '/admins') return { status: 200, body: { type: 'admin.list', admins: world.admins } };
      if (req.path === '/teams') return { status: 200, body: { type: 'team.list', teams: world.teams } };
      const one = /^\/conversations\/([^/]+)$/.exec(req.path);
      if (one) {
        const c = world.conversations.find((x) => x.id === decodeURIComponent(one[1]));
        return c ? { status: 200, body: c } : { status: 404, body: errorList('not_found', 'Resource Not Found') };
      }
      return { status: 404, body: errorList('not_found', `no route ${req.path}`) };
    },
  };
}
