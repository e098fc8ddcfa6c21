import { isoOfMs, type ReplicaRequest, type ReplicaResponse, type VendorBehaviour } from './replica-server.ts';
import type { ZendeskWorld } from './zendesk-world.ts';

export interface ZendeskReplicaOptions {
  /** Accepted credentials: API token (`email/token:apiToken`, HTTP Basic) or OAuth bearer token. */
  email?: string;
  apiToken?: string;
  oauthToken?: string;
  /** Records per page (Zendesk allows up to 1000; small pages exercise pagination in tests). */
  pageSize?: number;
}

const encode = (at: number, id: number) => Buffer.from(`${at}.${id}`).toString('base64url');
const decode = (cursor: string) => {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('.').map(Number);
  if (!Number.isFinite(at) || !Number.isFinite(id)) throw new Error('bad cursor');
  return { at, id };
};

/**
 * Zendesk Support's API over a seeded world: the incremental cursor exports of tickets and users
 * (with the identities sideload), the time-based ticket event export, groups and satisfaction
 * ratings with cursor pagination, auth checks and Zendesk's error bodies.
 *
 * @example
 * const replica = await startReplica(zendeskBehaviour(zendeskWorld({ seed: 1, tickets: 100 }), { email: 'a@b.c', apiToken: 't' }));
 */
export function zendeskBehaviour(world: ZendeskWorld, options: ZendeskReplicaOptions = {}): VendorBehaviour {
  const pageSize = options.pageSize ?? 1000;
  const basic = options.apiToken ? `Basic ${Buffer.from(`${options.email}/token:${options.apiToken}`).toString('base64')}` : undefined;
  const servedTicketIds: number[] = [];
  let ticketPagesServed = 0;
  const dupe = world.faults.duplicateAcrossPages;

  /** Cursor export: records ordered by (generated_timestamp, id), strictly after the cursor. */
  function cursorExport(req: ReplicaRequest, key: string, records: any[], stamp: (r: any) => number, sideload?: (page: any[]) => Record<string, unknown>): ReplicaResponse {
    const perPage = Math.min(pageSize, Number(req.query.get('per_page') ?? pageSize));
    const sorted = [...records].sort((a, b) => stamp(a) - stamp(b) || a.id - b.id);
    let start = 0;
    const cursor = req.query.get('cursor');
    if (cursor) {
      let after;
      try {
        after = decode(cursor);
      } catch {
        return { status: 400, body: { error: 'InvalidPaginationParameter', description: 'cursor is invalid' } };
      }
      start = sorted.findIndex((r) => stamp(r) > after.at || (stamp(r) === after.at && r.id > after.id));
      if (start < 0) start = sorted.length;
      // The fault: the last record of the previous page comes again.
      if (dupe && start > 0) start -= 1;
    } else {
      const startTime = Number(req.query.get('start_time'));
      if (!Number.isFinite(startTime)) return { status: 400, body: { error: 'InvalidValue', description: 'start_time is required' } };
      start = sorted.findIndex((r) => stamp(r) >= startTime);
      if (start < 0) start = sorted.length;
    }
    const page = sorted.slice(start, start + perPage);
    const lastRecord = page[page.length - 1];
    const after = lastRecord ? encode(stamp(lastRecord), lastRecord.id) : (cursor ?? encode(Number(req.query.get('start_time') ?? 0), 0));
    const end = start + perPage >= sorted.length;
    return {
      status: 200,
      body: {
        [key]: page, ...(sideload?.(page) ?? {}),
        after_cursor: after, after_url: `${req.origin}${req.path}?cursor=${after}`, before_cursor: null, before_url: null, end_of_stream: end,
      },
    };
  }

  /** Time-based export: records with time >= start_time; end_time is the last record's second, so the
   *  next page re-serves that second (Zendesk's documented boundary duplicates). */
  function timeExport(req: ReplicaRequest, key: string, records: any[], stamp: (r: any) => number): ReplicaResponse {
    const startTime = Number(req.query.get('start_time'));
    if (!Number.isFinite(startTime)) return { status: 400, body: { error: 'InvalidValue', description: 'start_time is required' } };
    const sorted = records.filter((r) => stamp(r) >= startTime).sort((a, b) => stamp(a) - stamp(b) || a.id - b.id);
    // Never cut a second in two: the next page starts at the last second again (inclusive).
    let count = Math.min(pageSize, sorted.length);
    while (count > 0 && count < sorted.length && stamp(sorted[count]) === stamp(sorted[count - 1])) count++;
    const page = sorted.slice(0, count);
    const end = page.length === sorted.length;
    let endTime = page.length ? stamp(page[page.length - 1]) : startTime;
    // A page that is all one second would be served forever; move past it.
    if (!end && endTime === startTime) endTime += 1;
    return {
      status: 200,
      body: { [key]: page, count: page.length, end_of_stream: end, end_time: endTime, next_page: end ? null : `${req.origin}${req.path}?start_time=${endTime}${req.query.get('include') ? `&include=${req.query.get('include')}` : ''}` },
    };
  }

  function cursorList(req: ReplicaRequest, key: string, records: any[]): ReplicaResponse {
    const size = Math.min(100, Number(req.query.get('page[size]') ?? 100), pageSize);
    const after = req.query.get('page[after]');
    const sorted = [...records].sort((a, b) => a.id - b.id);
    let start = after ? sorted.findIndex((r) => r.id > Number(Buffer.from(after, 'base64url').toString())) : 0;
    if (start < 0) start = sorted.length;
    if (dupe && after && start > 0) start -= 1;
    const page = sorted.slice(start, start + size);
    const hasMore = start + size < sorted.length;
    const next = page.length ? Buffer.from(String(page[page.length - 1].id)).toString('base64url') : null;
    return {
      status: 200,
      body: { [key]: page, meta: { has_more: hasMore, after_cursor: next, before_cursor: null }, links: { next: hasMore ? `${req.origin}${req.path}?page[size]=${size}&page[after]=${next}` : null, prev: null } },
    };
  }

  return {
    authorized(req) {
      const header = req.headers.authorization;
      return (!!basic && header === basic) || (!!options.oauthToken && header === `Bearer ${options.oauthToken}`);
    },
    unauthorized: { status: 401, body: { error: "Couldn't authenticate you" } },
    throttled: () => ({ status: 429, headers: { 'retry-after': '1', 'x-rate-limit': '700', 'x-rate-limit-remaining': '0' }, body: 'Number of allowed API requests per minute exceeded' }),
    rateLimitHeaders: (n) => ({ 'x-rate-limit': '700', 'x-rate-limit-remaining': String(Math.max(1, 700 - (n % 700))) }),
    sinceOf: (req) => {
      const start = req.query.get('start_time');
      const since = start !== null && req.path.startsWith('/api/v2/incremental/') ? isoOfMs(Number(start) * 1000) : undefined;
      return since ? { list: req.path, since } : undefined;
    },
    route(req) {
      if (req.method !== 'GET') return { status: 405, body: { error: 'MethodNotAllowed' } };
      switch (req.path) {
        case '/api/v2/incremental/tickets/cursor.json': {
          if (ticketPagesServed++ >= 1) world.updateServedTickets(servedTicketIds);
          const response = cursorExport(req, 'tickets', world.tickets, (t) => t.generated_timestamp);
          for (const t of (response.body as { tickets?: any[] }).tickets ?? []) servedTicketIds.push(t.id);
          return response;
        }
        case '/api/v2/incremental/users/cursor.json': {
          const stamp = (u: any) => Date.parse(u.updated_at) / 1000;
          const withIdentities = req.query.get('include') === 'identities';
          return cursorExport(req, 'users', world.users, stamp, withIdentities
            ? (page) => ({ identities: world.identities.filter((i) => page.some((u) => u.id === i.user_id)) })
            : undefined);
        }
        case '/api/v2/incremental/ticket_events.json':
          return timeExport(req, 'ticket_events', world.ticketEvents, (e) => e.timestamp);
        case '/api/v2/incremental/ticket_metric_events.json':
          return timeExport(req, 'ticket_metric_events', [], () => 0);
        case '/api/v2/groups.json':
          return cursorList(req, 'groups', world.groups);
        case '/api/v2/satisfaction_ratings.json':
          return cursorList(req, 'satisfaction_ratings', world.satisfactionRatings);
        case '/api/v2/ticket_metrics.json':
          return cursorList(req, 'ticket_metrics', []);
        default:
          return { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };
      }
    },
  };
}
