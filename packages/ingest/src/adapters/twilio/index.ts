import { z } from 'zod';
import type { Adapter, PageRead, ReadContext, StreamSpec } from '../../framework/adapter.ts';
import { basicAuth, HttpClient } from '../../framework/http-client.ts';
import { paginate, type Paginator } from '../../framework/pagination.ts';
import { isoFromVendor } from '../../framework/time.ts';
import { normalizeCall, normalizeTaskEvent, normalizeTaskQueue } from './normalize.ts';
import { TaskQueue, TaskRouterEvent, TwilioCall } from './schemas.ts';
import { twilioCallOutcomes } from './stages.ts';

const DEFAULT_API = 'https://api.twilio.com';
export const TwilioOptions = z.object({
  baseUrl: z.url().default(DEFAULT_API),
  /** TaskRouter lives on its own host; with a non-default baseUrl (a replica, a proxy) it defaults to that. */
  taskrouterUrl: z.url().optional(),
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID (AC followed by 32 hex digits)'),
  authToken: z.string().min(1, 'the auth token is required'),
  /** The TaskRouter workspace (WS...); without it only calls are read. */
  workspaceSid: z.string().regex(/^WS[0-9a-fA-F]{32}$/, 'expected a Workspace SID (WS followed by 32 hex digits)').optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).default(1000),
  timeoutMs: z.coerce.number().int().positive().default(30_000),
  concurrency: z.coerce.number().int().min(1).max(8).default(1),
});
export type TwilioOptions = z.infer<typeof TwilioOptions>;

const taskrouterBase = (o: TwilioOptions) => o.taskrouterUrl ?? (o.baseUrl.replace(/\/$/, '') === DEFAULT_API ? 'https://taskrouter.twilio.com' : o.baseUrl);

/** TaskRouter keeps events for 30 days: a first run without --since asks for all of them. */
const EVENT_RETENTION_MS = 30 * 86_400_000;

/** Twilio's page links: `next_page_uri` (REST API, relative) or `meta.next_page_url` (TaskRouter, absolute). */
function twilioPages(path: string, key: string, query: Record<string, string | undefined>): Paginator {
  return {
    first: { path, query },
    step(body) {
      const next = body?.next_page_uri ?? body?.meta?.next_page_url ?? null;
      return { records: body?.[key], next: next ? { path: next } : null };
    },
  };
}

/**
 * Twilio lists newest first, so no page is a safe place to resume from: the cursor (the newest
 * time seen) is stored once the whole list has been read, in a last empty page; a run killed
 * before that starts again from the previous cursor and the ledger merges what it reads twice.
 */
async function* newestFirst(ctx: ReadContext<TwilioOptions>, paginator: Paginator, timeOf: (r: any) => string | null | undefined): AsyncIterable<PageRead> {
  let newest: string | undefined;
  for await (const page of paginate(ctx.http, paginator)) {
    for (const r of page.records) {
      try {
        const t = timeOf(r);
        const iso = t ? isoFromVendor(t) : undefined;
        if (iso && (!newest || iso > newest)) newest = iso;
      } catch {
        /* a malformed time: the record is quarantined by the schema; the cursor ignores it */
      }
    }
    yield { records: page.records };
  }
  yield { records: [], checkpoint: newest ?? ctx.state ?? undefined };
}

const calls: StreamSpec<TwilioOptions, TwilioCall> = {
  // Calls still live when read are re-read for a day: their final status, duration and legs arrive later.
  name: 'calls', cursorField: 'start_time', cursorFormat: 'iso', primaryKey: 'sid', writeDisposition: 'merge', lookBackSeconds: 86_400,
  schema: TwilioCall, versionOrder: 'time',
  nativeId: (c) => c.sid, version: (c) => isoFromVendor(c.date_updated), normalize: normalizeCall,
  read(ctx) {
    const from = ctx.from ?? ctx.since;
    // `StartTime>=` filters by day (UTC): the rest of the look-back day comes again and merges away.
    const query = { PageSize: String(ctx.options.pageSize), ...(from ? { 'StartTime>': from.slice(0, 10) } : {}) };
    return newestFirst(ctx, twilioPages(`/2010-04-01/Accounts/${ctx.options.accountSid}/Calls.json`, 'calls', query), (c) => c?.start_time ?? c?.date_created);
  },
  recordsOfPage: (page) => {
    const b = page as { calls?: unknown[]; sid?: unknown; direction?: unknown };
    if (Array.isArray(b?.calls) && b.calls.length) return b.calls;
    return typeof b?.sid === 'string' && b.sid.startsWith('CA') && 'direction' in b ? [b] : undefined;
  },
};

const taskEvents: StreamSpec<TwilioOptions, TaskRouterEvent> = {
  // Events are immutable; a minute covers events written in the second the last run stopped at.
  name: 'task_events', cursorField: 'event_date', cursorFormat: 'iso', primaryKey: 'sid', writeDisposition: 'append', lookBackSeconds: 60,
  schema: TaskRouterEvent, versionOrder: 'time',
  nativeId: (e) => e.sid, version: (e) => isoFromVendor(e.event_date), normalize: normalizeTaskEvent,
  read(ctx) {
    const o = ctx.options;
    if (!o.workspaceSid) return (async function* () {})();
    const now = ctx.effects.now();
    const start = ctx.from !== null ? Date.parse(ctx.from) : ctx.since ? Date.parse(ctx.since) : now - EVENT_RETENTION_MS;
    const query = { PageSize: String(Math.min(o.pageSize, 1000)), StartDate: new Date(start).toISOString().replace('.000Z', 'Z'), EndDate: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    return newestFirst(ctx, twilioPages(`${taskrouterBase(o)}/v1/Workspaces/${o.workspaceSid}/Events`, 'events', query), (e) => e?.event_date);
  },
  recordsOfPage: (page) => {
    const b = page as { events?: unknown[]; meta?: unknown; sid?: unknown; event_type?: unknown };
    if (Array.isArray(b?.events) && b.events.length && b.meta) return b.events;
    return typeof b?.sid === 'string' && b.sid.startsWith('EV') && 'event_type' in b ? [b] : undefined;
  },
};

const taskQueues: StreamSpec<TwilioOptions, TaskQueue> = {
  name: 'task_queues', cursorFormat: 'none', primaryKey: 'sid', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: TaskQueue, versionOrder: 'time',
  nativeId: (q) => q.sid, version: (q) => isoFromVendor(q.date_updated), normalize: normalizeTaskQueue,
  read(ctx) {
    const o = ctx.options;
    if (!o.workspaceSid) return (async function* () {})();
    return paginate(ctx.http, twilioPages(`${taskrouterBase(o)}/v1/Workspaces/${o.workspaceSid}/TaskQueues`, 'task_queues', { PageSize: String(Math.min(o.pageSize, 1000)) }));
  },
  recordsOfPage: (page) => {
    const b = page as { task_queues?: unknown[] };
    return Array.isArray(b?.task_queues) && b.task_queues.length ? b.task_queues : undefined;
  },
};

/**
 * Twilio: Programmable Voice calls (parent calls and their `<Dial>` legs) and TaskRouter queues and
 * events, so that queue wait, abandonment, the answering agent and transfers are derivable.
 *
 * @example
 * await runIngest({ warehouse, adapter: twilioAdapter, options: { accountSid, authToken, workspaceSid } });
 */
export const twilioAdapter: Adapter<TwilioOptions> = {
  name: 'twilio',
  options: TwilioOptions as unknown as z.ZodType<TwilioOptions>,
  optionMeta: {
    baseUrl: { kind: 'url', flag: 'url', env: 'TWILIO_URL', description: 'REST API base URL (default https://api.twilio.com)' },
    taskrouterUrl: { kind: 'url', flag: 'taskrouter-url', env: 'TWILIO_TASKROUTER_URL', description: 'TaskRouter base URL (default https://taskrouter.twilio.com)' },
    accountSid: { kind: 'text', required: true, flag: 'account-sid', valueName: 'AC...', env: 'TWILIO_ACCOUNT_SID', description: 'Account SID (AC...)' },
    authToken: { kind: 'text', required: true, env: 'TWILIO_AUTH_TOKEN', secret: true, description: 'auth token (or an API key secret with its SID as accountSid)' },
    workspaceSid: { kind: 'text', flag: 'workspace-sid', valueName: 'WS...', env: 'TWILIO_WORKSPACE_SID', description: 'TaskRouter workspace SID (WS...); without it only calls are read' },
  },
  // Queues first (names for the queue ids), then calls, then the task events that refer to both.
  streams: [taskQueues, calls, taskEvents] as StreamSpec<TwilioOptions>[],
  http: (o, effects) => new HttpClient({ baseUrl: o.baseUrl, effects, timeoutMs: o.timeoutMs, concurrency: o.concurrency, auth: basicAuth(o.accountSid, o.authToken) }),
  stages: [twilioCallOutcomes],
  explainNonRecordPage(page, file) {
    const body = page as Record<string, unknown>;
    if (body && '_what' in body) return `${file}: notes about the vendor's API behaviour, not a response`;
    if (body && 'openapi' in body) return `${file}: an OpenAPI excerpt, not a response`;
    if (/INDEX\.json$/.test(file)) return `${file}: the index of the extracted examples`;
    if (body && Array.isArray(body.calls) && body.calls.length === 0) return `${file}: an empty calls page`;
    if (body && Array.isArray(body.events) && body.events.length === 0) return `${file}: an empty events page`;
    if (body && Array.isArray(body.events) && 'first_page_uri' in body) return `${file}: Call Events (the HTTP requests Twilio made for a call), not call or TaskRouter records`;
    if (body && Array.isArray(body.task_queues) && body.task_queues.length === 0) return `${file}: an empty TaskQueues page`;
    if (/statistics/i.test(file) || (body && ('cumulative' in body || 'realtime' in body || 'tasks_entered' in body || 'activity_statistics' in body || 'task_queues_statistics' in body))) {
      return `${file}: aggregate TaskRouter statistics; queue wait and abandonment are derived per call from events instead`;
    }
    return undefined;
  },
};
