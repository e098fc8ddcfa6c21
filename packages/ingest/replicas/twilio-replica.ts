import { isoOfMs, type ReplicaRequest, type ReplicaResponse, type VendorBehaviour } from './replica-server.ts';
import type { TwilioWorld } from './twilio-world.ts';

const twilioError = (status: number, code: number, message: string): ReplicaResponse => ({
  status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});
const startOf = (c: any) => (typeof c.start_time === 'string' ? Date.parse(c.start_time) : Number(c.start_time) * 1000);

/**
 * Twilio over a seeded account: `GET /2010-04-01/Accounts/{AC}/Calls.json` (newest first,
 * `StartTime>=` by day, `PageSize` up to 1,000, `Page`/`PageToken`, relative `next_page_uri`),
 * TaskRouter `GET /v1/Workspaces/{WS}/Events` (`StartDate`/`EndDate`, absolute
 * `meta.next_page_url`) and `/TaskQueues`, HTTP Basic with AccountSid:AuthToken, and Twilio's error
 * bodies (20003 on bad credentials, 20429 on too many requests, without Retry-After).
 *
 * @example
 * const replica = await startReplica(twilioBehaviour(twilioWorld({ seed: 1, calls: 50 }), { accountSid, authToken: 't' }));
 */
export function twilioBehaviour(world: TwilioWorld, options: { accountSid: string; authToken: string; pageSize?: number }): VendorBehaviour {
  const basic = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const served: string[] = [];
  let callPages = 0;

  /** One page of a newest-first list; the fault repeats the previous page's last item on top. */
  function slice(req: ReplicaRequest, items: any[]) {
    const size = Math.min(1000, Number(req.query.get('PageSize') ?? 50), options.pageSize ?? 1000);
    const page = Number(req.query.get('Page') ?? 0);
    if (!Number.isInteger(page) || page < 0) return { error: twilioError(400, 20001, 'Page must be a non-negative integer') };
    const offset = page * size;
    const start = world.faults.duplicateAcrossPages && page > 0 ? offset - 1 : offset;
    const list = items.slice(start, offset + size);
    const more = offset + size < items.length;
    const link = (p: number) => {
      const u = new URL(`${req.origin}${req.path}`);
      for (const [k, v] of req.query) if (k !== 'Page' && k !== 'PageToken') u.searchParams.set(k, v);
      u.searchParams.set('Page', String(p));
      u.searchParams.set('PageToken', `PA${items[offset + size - 1]?.sid ?? ''}`);
      return u;
    };
    return { list, page, size, more, link };
  }

  function callsPage(req: ReplicaRequest): ReplicaResponse {
    const from = req.query.get('StartTime>');
    if (from !== null && !/^\d{4}-\d\d-\d\d$/.test(from)) return twilioError(400, 20001, `StartTime> must be a date YYYY-MM-DD: ${from}`);
    if (callPages++ >= 1) world.updateServed(served);
    const fromMs = from ? Date.parse(`${from}T00:00:00Z`) : -Infinity;
    const matching = world.calls.filter((c) => startOf(c) >= fromMs).sort((a, b) => startOf(b) - startOf(a) || (a.sid < b.sid ? 1 : -1));
    const s = slice(req, matching);
    if ('error' in s) return s.error!;
    served.push(...s.list.map((c) => c.sid));
    const uri = (u: URL) => `${u.pathname}${u.search}`;
    return {
      status: 200,
      body: {
        calls: s.list, start: s.page * s.size, end: s.page * s.size + s.list.length - 1, page: s.page, page_size: s.size,
        first_page_uri: uri(s.link(0)), previous_page_uri: s.page > 0 ? uri(s.link(s.page - 1)) : null, next_page_uri: s.more ? uri(s.link(s.page + 1)) : null,
        uri: `${req.path}?${req.query.toString()}`,
      },
    };
  }

  function taskrouterPage(req: ReplicaRequest, key: string, items: any[]): ReplicaResponse {
    const s = slice(req, items);
    if ('error' in s) return s.error!;
    return {
      status: 200,
      body: {
        [key]: s.list,
        meta: { first_page_url: s.link(0).toString(), key, next_page_url: s.more ? s.link(s.page + 1).toString() : null, page: s.page, page_size: s.size, previous_page_url: s.page > 0 ? s.link(s.page - 1).toString() : null, url: `${req.origin}${req.path}?${req.query}` },
      },
    };
  }

  return {
    authorized: (req) => req.headers.authorization === basic,
    unauthorized: { status: 401, body: { code: 20003, detail: 'Your AccountSid or AuthToken was incorrect.', message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } },
    throttled: () => twilioError(429, 20429, 'Too Many Requests'),
    sinceOf: (req) => {
      const day = req.query.get('StartTime>');
      if (day !== null && req.path.endsWith('/Calls.json')) {
        const since = isoOfMs(Date.parse(`${day}T00:00:00Z`));
        return since ? { list: 'calls', since } : undefined;
      }
      const start = req.query.get('StartDate');
      const since = start !== null && req.path.endsWith('/Events') ? isoOfMs(Date.parse(start)) : undefined;
      return since ? { list: 'events', since } : undefined;
    },
    route(req) {
      if (req.method !== 'GET') return twilioError(405, 20004, 'Method not allowed');
      const calls = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Calls\.json$/.exec(req.path);
      if (calls) return calls[1] === world.accountSid ? callsPage(req) : twilioError(404, 20404, `The requested resource ${req.path} was not found`);
      const tr = /^\/v1\/Workspaces\/(WS[0-9a-f]{32})\/(Events|TaskQueues)$/.exec(req.path);
      if (tr && tr[1] !== world.workspaceSid) return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
      if (tr?.[2] === 'TaskQueues') return taskrouterPage(req, 'task_queues', world.taskQueues);
      if (tr?.[2] === 'Events') {
        const start = req.query.get('StartDate');
        const end = req.query.get('EndDate');
        for (const d of [start, end]) if (d !== null && Number.isNaN(Date.parse(d))) return twilioError(400, 20001, `Invalid date: ${d}`);
        const from = start ? Date.parse(start) : Date.now() - 15 * 60_000;
        const to = end ? Date.parse(end) : Date.now();
        const matching = world.events.filter((e) => Date.parse(e.event_date) >= from && Date.parse(e.event_date) <= to)
          .sort((a, b) => Date.parse(b.event_date) - Date.parse(a.event_date) || (a.sid < b.sid ? 1 : -1));
        return taskrouterPage(req, 'events', matching);
      }
      return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
    },
  };
}
