import { z } from 'zod';
import type { Adapter, StreamSpec } from '../../framework/adapter.ts';
import { basicAuth, bearerAuth, HttpClient, type RateLimitReader } from '../../framework/http-client.ts';
import { cursorExport, cursorList, paginate, timeExport } from '../../framework/pagination.ts';
import { isoFromVendor } from '../../framework/time.ts';
import {
  normalizeGroup, normalizeIdentity, normalizeSatisfactionRating, normalizeTicket, normalizeTicketEvent, normalizeUser, ticketEventTime,
} from './normalize.ts';
import {
  ZendeskGroup, ZendeskIdentity, ZendeskMetricEvent, ZendeskSatisfactionRating, ZendeskTicket, ZendeskTicketEvent, ZendeskTicketMetric, ZendeskUser,
} from './schemas.ts';
import { zendeskStages } from './stages.ts';

export const ZendeskOptions = z
  .object({
    /** https://<subdomain>.zendesk.com, or a replica on loopback. */
    baseUrl: z.url(),
    email: z.string().min(1).optional(),
    apiToken: z.string().min(1).optional(),
    oauthToken: z.string().min(1).optional(),
    pageSize: z.coerce.number().int().min(1).max(1000).default(1000),
    timeoutMs: z.coerce.number().int().positive().default(30_000),
    concurrency: z.coerce.number().int().min(1).max(16).default(2),
  })
  .refine((o) => o.oauthToken || (o.email && o.apiToken), { message: 'give an API token with the agent email, or an OAuth token', path: ['apiToken'] });
export type ZendeskOptions = z.infer<typeof ZendeskOptions>;

/** Zendesk sends `X-Rate-Limit-Remaining`; at zero we pause until the minute window turns. */
const zendeskRateLimit: RateLimitReader = (headers) => {
  const remaining = headers.get('x-rate-limit-remaining') ?? headers.get('ratelimit-remaining');
  if (remaining === null || Number(remaining) > 0) return undefined;
  const reset = Number(headers.get('ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : 60_000;
};

const toUnix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** Zendesk refuses a start_time in the last minute; a first run without --since reads everything. */
const startTime = (since: string | null) => (since ? toUnix(since) : 0);
const pick = (body: any, ...keys: string[]) => {
  for (const k of keys) {
    const v = body?.[k];
    if (Array.isArray(v)) return v;
    if (v && typeof v === 'object') return [v];
  }
  return undefined;
};

const tickets: StreamSpec<ZendeskOptions, ZendeskTicket> = {
  name: 'tickets', cursorFormat: 'token', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: ZendeskTicket, versionOrder: 'time',
  nativeId: (t) => String(t.id), version: (t) => isoFromVendor(t.updated_at), normalize: normalizeTicket,
  read: ({ http, state, since, options }) =>
    paginate(http, cursorExport('/api/v2/incremental/tickets/cursor.json', 'tickets', state ? { cursor: state } : { start_time: String(startTime(since)) }, { per_page: String(options.pageSize) })),
  recordsOfPage: (page) => pick(page, 'tickets', 'ticket'),
};

/** Time-based exports resume from the stored end_time less the look-back (the runner's `from`); re-read records merge away. */
function timeBased<R>(spec: Omit<StreamSpec<ZendeskOptions, R>, 'read'> & { path: string; key: string; include?: string }): StreamSpec<ZendeskOptions, R> {
  return {
    ...spec,
    read: ({ http, from, since }) =>
      paginate(http, timeExport(spec.path, spec.key, from !== null ? Number(from) : startTime(since), spec.include ? { include: spec.include } : {})),
  };
}

const ticketEvents = timeBased<z.infer<typeof ZendeskTicketEvent>>({
  name: 'ticket_events', cursorField: 'created_at', cursorFormat: 'unix-seconds', primaryKey: 'id', writeDisposition: 'append', lookBackSeconds: 60,
  schema: ZendeskTicketEvent, versionOrder: 'time', path: '/api/v2/incremental/ticket_events.json', key: 'ticket_events', include: 'comment_events',
  nativeId: (e) => String(e.id), version: ticketEventTime, normalize: normalizeTicketEvent,
  recordsOfPage: (page) => pick(page, 'ticket_events', 'audits', 'audit'),
});

const users: StreamSpec<ZendeskOptions, ZendeskUser> = {
  name: 'users', cursorFormat: 'token', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: ZendeskUser, versionOrder: 'time',
  nativeId: (u) => String(u.id), version: (u) => isoFromVendor(u.updated_at ?? u.created_at ?? '1970-01-01T00:00:00Z'), normalize: normalizeUser,
  read: ({ http, state, since, options }) =>
    paginate(http, cursorExport('/api/v2/incremental/users/cursor.json', 'users', state ? { cursor: state } : { start_time: String(startTime(since)) }, { per_page: String(options.pageSize) })),
  recordsOfPage: (page) => pick(page, 'users', 'user'),
};

/** User identities: sideloaded on user export pages, or listed per user. */
const identities: StreamSpec<ZendeskOptions, z.infer<typeof ZendeskIdentity>> = {
  name: 'identities', cursorFormat: 'token', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: ZendeskIdentity, versionOrder: 'time',
  nativeId: (i) => String(i.id), version: (i) => isoFromVendor(i.updated_at), normalize: normalizeIdentity,
  read: ({ http, state, since, options }) =>
    paginate(http, cursorExport('/api/v2/incremental/users/cursor.json', 'identities', state ? { cursor: state } : { start_time: String(startTime(since)) }, { per_page: String(options.pageSize), include: 'identities' })),
  recordsOfPage: (page) => pick(page, 'identities'),
};

const groups: StreamSpec<ZendeskOptions, z.infer<typeof ZendeskGroup>> = {
  name: 'groups', cursorFormat: 'none', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: ZendeskGroup, versionOrder: 'time',
  nativeId: (g) => String(g.id), version: (g) => isoFromVendor(g.updated_at ?? g.created_at ?? '1970-01-01T00:00:00Z'), normalize: normalizeGroup,
  read: ({ http }) => paginate(http, cursorList('/api/v2/groups.json', 'groups', 100)),
  recordsOfPage: (page) => pick(page, 'groups', 'group'),
};

const satisfactionRatings: StreamSpec<ZendeskOptions, z.infer<typeof ZendeskSatisfactionRating>> = {
  name: 'satisfaction_ratings', cursorFormat: 'none', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: ZendeskSatisfactionRating, versionOrder: 'time',
  nativeId: (r) => String(r.id), version: (r) => isoFromVendor(r.updated_at), normalize: normalizeSatisfactionRating,
  read: ({ http }) => paginate(http, cursorList('/api/v2/satisfaction_ratings.json', 'satisfaction_ratings', 100)),
  recordsOfPage: (page) => pick(page, 'satisfaction_ratings', 'satisfaction_rating'),
};

const ticketMetrics: StreamSpec<ZendeskOptions, z.infer<typeof ZendeskTicketMetric>> = {
  name: 'ticket_metrics', cursorFormat: 'none', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: ZendeskTicketMetric, versionOrder: 'time',
  nativeId: (m) => String(m.id), version: (m) => isoFromVendor(m.updated_at ?? m.created_at ?? '1970-01-01T00:00:00Z'), normalize: () => ({}),
  read: ({ http }) => paginate(http, cursorList('/api/v2/ticket_metrics.json', 'ticket_metrics', 100)),
  // The OAS calls `ticket_metric` an array; the live API returns one object. Both are accepted.
  recordsOfPage: (page) => pick(page, 'ticket_metrics', 'ticket_metric'),
};

const ticketMetricEvents = timeBased<z.infer<typeof ZendeskMetricEvent>>({
  name: 'ticket_metric_events', cursorField: 'time', cursorFormat: 'unix-seconds', primaryKey: 'id', writeDisposition: 'append', lookBackSeconds: 60,
  schema: ZendeskMetricEvent, versionOrder: 'time', path: '/api/v2/incremental/ticket_metric_events.json', key: 'ticket_metric_events',
  nativeId: (e) => String(e.id), version: (e) => isoFromVendor(e.time), normalize: () => ({}),
  recordsOfPage: (page) => pick(page, 'ticket_metric_events'),
});

/**
 * Zendesk Support: tickets (cursor export), ticket events with comments, users with identities,
 * groups, satisfaction ratings, ticket metrics and metric events (the last two land raw only).
 *
 * @example
 * await runIngest({ warehouse, adapter: zendeskAdapter, options: { baseUrl: 'https://acme.zendesk.com', email, apiToken } });
 */
export const zendeskAdapter: Adapter<ZendeskOptions> = {
  name: 'zendesk',
  options: ZendeskOptions as unknown as z.ZodType<ZendeskOptions>,
  optionMeta: {
    baseUrl: { kind: 'url', required: true, flag: 'url', env: 'ZENDESK_URL', description: 'https://<subdomain>.zendesk.com' },
    email: { kind: 'text', flag: 'email', valueName: 'address', env: 'ZENDESK_EMAIL', description: 'agent email for API-token auth' },
    apiToken: { kind: 'text', env: 'ZENDESK_API_TOKEN', secret: true, description: 'API token' },
    oauthToken: { kind: 'text', env: 'ZENDESK_OAUTH_TOKEN', secret: true, description: 'OAuth access token (instead of an API token)' },
  },
  streams: [groups, users, identities, tickets, ticketEvents, satisfactionRatings, ticketMetrics, ticketMetricEvents] as StreamSpec<ZendeskOptions>[],
  http: (o, effects) =>
    new HttpClient({
      baseUrl: o.baseUrl, effects, timeoutMs: o.timeoutMs, concurrency: o.concurrency, rateLimit: zendeskRateLimit,
      auth: o.oauthToken ? bearerAuth(o.oauthToken) : basicAuth(`${o.email}/token`, o.apiToken!),
    }),
  stages: zendeskStages,
  explainNonRecordPage(page, file) {
    const body = page as Record<string, unknown>;
    if (body && '_what' in body) return `${file}: notes about the vendor's API behaviour, not a response`;
    if (body && 'openapi' in body) return `${file}: the vendor's OpenAPI document, not a response`;
    if (file.endsWith('INDEX.json')) return `${file}: index of the example files, not a response`;
    if (body && 'ticket_fields' in body) return `${file}: ticket field definitions (account settings), not records`;
    if (body && 'comments' in body) return `${file}: per-ticket comment list; the ticket id is only in the request URL, so the comments come from ticket_events instead`;
    return undefined;
  },
};

