import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Adapter, StreamSpec } from '../../framework/adapter.ts';
import { basicAuth, HttpClient, type RateLimitReader } from '../../framework/http-client.ts';
import { pageNumber, paginate } from '../../framework/pagination.ts';
import { normalizeCall, normalizeTeam, normalizeUser } from './normalize.ts';
import { AircallCall, AircallTeam, AircallUser } from './schemas.ts';

export const AircallOptions = z.object({
  baseUrl: z.url().default('https://api.aircall.io'),
  apiId: z.string().min(1, 'the API ID is required'),
  apiToken: z.string().min(1, 'the API token is required'),
  timeoutMs: z.coerce.number().int().positive().default(30_000),
  concurrency: z.coerce.number().int().min(1).max(8).default(1),
});
export type AircallOptions = z.infer<typeof AircallOptions>;

/** `X-AircallApi-Remaining: 0` means wait until `X-AircallApi-Reset` (a UNIX time). */
const aircallRateLimit: RateLimitReader = (headers, now) => {
  const remaining = headers.get('x-aircallapi-remaining');
  if (remaining === null || Number(remaining) > 0) return undefined;
  const reset = Number(headers.get('x-aircallapi-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : 60_000;
};

/** Aircall objects carry no modification time, so a version is a hash of the content. */
const contentVersion = (record: unknown) => createHash('sha1').update(JSON.stringify(record)).digest('hex');
/** Aircall lists stop at 10,000 items: past that, the read restarts from the last started_at. */
const LIST_CAP = 10_000;
const PER_PAGE = 50;

const calls: StreamSpec<AircallOptions, z.infer<typeof AircallCall>> = {
  name: 'calls', cursorField: 'started_at', cursorFormat: 'unix-seconds', primaryKey: 'id', writeDisposition: 'merge',
  // Aircall has no "modified since" filter: calls still ringing or being commented are re-read for an hour.
  lookBackSeconds: 3600,
  schema: AircallCall, versionOrder: 'content',
  nativeId: (c) => String(c.id), version: contentVersion, normalize: normalizeCall,
  async *read({ http, from: resume, since }) {
    let from = resume !== null ? Number(resume) : since ? Math.floor(Date.parse(since) / 1000) : 0;
    for (;;) {
      let last: string | undefined;
      let pages = 0;
      for await (const page of paginate(http, pageNumber('/v1/calls', 'calls', { from: String(from), order: 'asc', per_page: String(PER_PAGE) }, (r) => String(r[r.length - 1]?.started_at)))) {
        pages++;
        if (page.checkpoint) last = page.checkpoint;
        yield page;
        if (pages * PER_PAGE >= LIST_CAP) break;
      }
      if (pages * PER_PAGE < LIST_CAP || !last || Number(last) <= from) return;
      from = Number(last);
    }
  },
  recordsOfPage: (page) => {
    const b = page as { calls?: unknown[]; call?: unknown; direction?: unknown; started_at?: unknown };
    if (Array.isArray(b?.calls)) return b.calls;
    if (b?.call && typeof b.call === 'object') return [b.call];
    // A bare Call object, as Aircall's reference shows it.
    return b && typeof b === 'object' && 'direction' in b && 'started_at' in b ? [b] : undefined;
  },
};

const users: StreamSpec<AircallOptions, z.infer<typeof AircallUser>> = {
  name: 'users', cursorFormat: 'none', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0, schema: AircallUser, versionOrder: 'content',
  nativeId: (u) => String(u.id), version: contentVersion, normalize: normalizeUser,
  read: ({ http }) => paginate(http, pageNumber('/v1/users', 'users', { per_page: String(PER_PAGE) })),
  recordsOfPage: (page) => {
    const b = page as { users?: unknown[]; user?: unknown };
    if (Array.isArray(b?.users)) return b.users;
    if (b?.user && typeof b.user === 'object' && !('direction' in b)) return [b.user];
    // A bare full User (the abridged shapes nested in calls and comments lack substatus / wrap_up_time).
    return b && typeof b === 'object' && 'availability_status' in b && ('substatus' in b || 'wrap_up_time' in b) && !('users' in b) ? [b] : undefined;
  },
};

const teams: StreamSpec<AircallOptions, z.infer<typeof AircallTeam>> = {
  name: 'teams', cursorFormat: 'none', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0, schema: AircallTeam, versionOrder: 'content',
  nativeId: (t) => String(t.id), version: contentVersion, normalize: normalizeTeam,
  read: ({ http }) => paginate(http, pageNumber('/v1/teams', 'teams', { per_page: String(PER_PAGE) })),
  recordsOfPage: (page) => {
    const b = page as { teams?: unknown[]; team?: unknown; users?: unknown; name?: unknown };
    if (Array.isArray(b?.teams)) return b.teams;
    if (b?.team && typeof b.team === 'object') return [b.team];
    return b && Array.isArray(b.users) && typeof b.name === 'string' ? [b] : undefined;
  },
};

/**
 * Aircall: calls (with abandonment, holds, transfers, comments, voicemail, agent and line), users and teams.
 *
 * @example
 * await runIngest({ warehouse, adapter: aircallAdapter, options: { apiId, apiToken } });
 */
export const aircallAdapter: Adapter<AircallOptions> = {
  name: 'aircall',
  options: AircallOptions as unknown as z.ZodType<AircallOptions>,
  optionMeta: {
    baseUrl: { kind: 'url', flag: 'url', env: 'AIRCALL_URL', description: 'API base URL (default https://api.aircall.io)' },
    apiId: { kind: 'text', required: true, flag: 'api-id', valueName: 'ID', env: 'AIRCALL_API_ID', description: 'API ID' },
    apiToken: { kind: 'text', required: true, env: 'AIRCALL_API_TOKEN', secret: true, description: 'API token' },
  },
  streams: [teams, users, calls] as StreamSpec<AircallOptions>[],
  http: (o, effects) => new HttpClient({ baseUrl: o.baseUrl, effects, timeoutMs: o.timeoutMs, concurrency: o.concurrency, rateLimit: aircallRateLimit, auth: basicAuth(o.apiId, o.apiToken) }),
  stages: [
    {
      // A callback: an outbound call to a number whose inbound call was abandoned in the 24 hours
      // before is its child; once the callee picked up, it completes the callback (callback_of).
      name: 'aircall_callbacks',
      sql: `UPDATE interactions SET parent_interaction_id = m.parent, callback_of = CASE WHEN interactions.answered THEN m.parent END
            FROM (SELECT o.id, arg_max(i.id, i.created_at) AS parent
                  FROM interactions o JOIN interactions i
                    ON i.source = 'aircall' AND i.direction = 'inbound' AND i.abandoned AND i.contact_id = o.contact_id
                   AND i.created_at < o.created_at AND i.created_at >= o.created_at - INTERVAL 24 HOUR
                  WHERE o.source = 'aircall' AND o.direction = 'outbound'
                  GROUP BY o.id) m
            WHERE interactions.id = m.id AND (interactions.parent_interaction_id IS DISTINCT FROM m.parent
              OR interactions.callback_of IS DISTINCT FROM CASE WHEN interactions.answered THEN m.parent END)`,
    },
  ],
  explainNonRecordPage(page, file) {
    const body = page as Record<string, unknown>;
    if (body && '_what' in body) return `${file}: notes about the vendor's API behaviour, not a response`;
    if (body && '$schema' in body) return `${file}: a JSON Schema of the calls list, not a response`;
    if (body && 'next_page_link' in body) return `${file}: the pagination meta of a list response (followed by the calls paginator), no records`;
    if (body && 'availability' in body && Object.keys(body).length === 2) return `${file}: a user's availability status, not a record`;
    if (body && 'digits' in body && 'is_ivr' in body) return `${file}: a number (line); calls store it as their queue id aircall:line:<id>`;
    if (body && 'availability_status' in body) return `${file}: the abridged user shape nested in calls and comments; calls keep it as the agent and comment author`;
    if (body && 'phone_numbers' in body) return `${file}: an address-book contact; not ingested on its own (a call carries the contact its number was matched to, and its identities come from there)`;
    if (body && 'color' in body && 'name' in body) return `${file}: a tag definition; calls carry their tags by name`;
    return undefined;
  },
};
