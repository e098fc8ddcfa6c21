import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Adapter, PageRead, StreamSpec } from '../../framework/adapter.ts';
import { HttpClient, type AuthStrategy, type RateLimitReader } from '../../framework/http-client.ts';
import { paginate, type Paginator } from '../../framework/pagination.ts';
import { isoFromEpochSeconds } from '../../framework/time.ts';
import { normalizeAdmin, normalizeContact, normalizeConversation, normalizeTeam } from './normalize.ts';
import { IntercomAdmin, IntercomContact, IntercomConversation, IntercomTeam } from './schemas.ts';

export const IntercomOptions = z.object({
  baseUrl: z.url().default('https://api.intercom.io'),
  accessToken: z.string().min(1, 'the access token is required'),
  /** Shapes differ between API versions (priority, ai_agent): pin the one this adapter was written for. */
  apiVersion: z.string().default('2.16'),
  timeoutMs: z.coerce.number().int().positive().default(30_000),
  // Conversations need one GET each for their parts: a few in flight keeps a sync from crawling.
  concurrency: z.coerce.number().int().min(1).max(8).default(4),
});
export type IntercomOptions = z.infer<typeof IntercomOptions>;

/** `X-RateLimit-Remaining: 0` means wait until `X-RateLimit-Reset` (a UNIX time; limits are per 10-second window). */
const intercomRateLimit: RateLimitReader = (headers, now) => {
  const remaining = headers.get('x-ratelimit-remaining');
  if (remaining === null || Number(remaining) > 0) return undefined;
  const reset = Number(headers.get('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : 10_000;
};

function intercomAuth(token: string, version: string): AuthStrategy {
  return { headers: () => ({ authorization: `Bearer ${token}`, 'intercom-version': version, accept: 'application/json' }) };
}

const PER_PAGE = 150;
const contentVersion = (record: unknown) => createHash('sha1').update(JSON.stringify(record)).digest('hex');
const epochVersion = (r: { updated_at: number }) => isoFromEpochSeconds(r.updated_at);

/**
 * Intercom's search endpoints (`POST /conversations/search`, `/contacts/search`): `updated_at >
 * from`, oldest first, `starting_after` paging. The checkpoint is the newest `updated_at` of the
 * page, so a resumed run continues after the last committed page.
 */
export function intercomSearch(path: string, recordsKey: string, from: number, perPage = PER_PAGE): Paginator {
  const body = (startingAfter?: string) => ({
    query: { field: 'updated_at', operator: '>', value: from },
    sort: { field: 'updated_at', order: 'ascending' },
    pagination: { per_page: perPage, ...(startingAfter ? { starting_after: startingAfter } : {}) },
  });
  return {
    first: { path, body: body() },
    step(response) {
      const records = response?.[recordsKey];
      const times = Array.isArray(records) ? records.map((r) => r?.updated_at).filter((t): t is number => typeof t === 'number') : [];
      const after = response?.pages?.next?.starting_after;
      return { records, checkpoint: times.length ? String(Math.max(...times)) : undefined, next: after ? { path, body: body(after) } : null };
    },
  };
}

/** A list endpoint answered in one response (`/admins`, `/teams`). */
const wholeList = (path: string, key: string): Paginator => ({ first: { path }, step: (b) => ({ records: b?.[key], next: null }) });

/** The committed cursor less the look-back (the runner's `from`), else `--since`, else the beginning. */
function startOf(from: string | null, since: string | null): number {
  if (from !== null) return Number(from);
  return since ? Math.floor(Date.parse(since) / 1000) : 0;
}

const conversations: StreamSpec<IntercomOptions, IntercomConversation> = {
  // A minute of look-back: a conversation written in the same second as the last one read is not lost.
  name: 'conversations', cursorField: 'updated_at', cursorFormat: 'unix-seconds', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 60,
  schema: IntercomConversation, versionOrder: 'time',
  nativeId: (c) => String(c.id), version: epochVersion, normalize: normalizeConversation,
  async *read({ http, from, since }): AsyncIterable<PageRead> {
    for await (const page of paginate(http, intercomSearch('/conversations/search', 'conversations', startOf(from, since)))) {
      // Search results omit conversation_parts: each conversation is retrieved whole (500 most recent parts).
      const records = await Promise.all(page.records.map(async (r) => {
        const id = (r as { id?: unknown })?.id;
        if (typeof id !== 'string' && typeof id !== 'number') return r; // refused by the schema, quarantined with its text
        return (await http.getJson(`/conversations/${encodeURIComponent(String(id))}`)).body;
      }));
      yield { records, checkpoint: page.checkpoint };
    }
  },
  recordsOfPage: (page) => {
    const b = page as { type?: unknown; conversations?: unknown[] };
    if (b?.type === 'conversation.list' && Array.isArray(b.conversations)) return b.conversations;
    return b?.type === 'conversation' ? [b] : undefined;
  },
};

const contacts: StreamSpec<IntercomOptions, IntercomContact> = {
  name: 'contacts', cursorField: 'updated_at', cursorFormat: 'unix-seconds', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 60,
  schema: IntercomContact, versionOrder: 'time',
  nativeId: (c) => String(c.id), version: epochVersion, normalize: normalizeContact,
  read: ({ http, from, since }) => paginate(http, intercomSearch('/contacts/search', 'data', startOf(from, since))),
  recordsOfPage: (page) => {
    const b = page as { type?: unknown; data?: unknown[] };
    if (b?.type === 'list' && Array.isArray(b.data) && b.data.every((d) => (d as { type?: unknown })?.type === 'contact')) return b.data;
    return b?.type === 'contact' ? [b] : undefined;
  },
};

const admins: StreamSpec<IntercomOptions, IntercomAdmin> = {
  name: 'admins', cursorFormat: 'none', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0, schema: IntercomAdmin, versionOrder: 'content',
  nativeId: (a) => String(a.id), version: contentVersion, normalize: normalizeAdmin,
  read: ({ http }) => paginate(http, wholeList('/admins', 'admins')),
  recordsOfPage: (page) => {
    const b = page as { type?: unknown; admins?: unknown[] };
    if (b?.type === 'admin.list' && Array.isArray(b.admins)) return b.admins;
    return b?.type === 'admin' ? [b] : undefined;
  },
};

const teams: StreamSpec<IntercomOptions, IntercomTeam> = {
  name: 'teams', cursorFormat: 'none', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0, schema: IntercomTeam, versionOrder: 'content',
  nativeId: (t) => String(t.id), version: contentVersion, normalize: normalizeTeam,
  read: ({ http }) => paginate(http, wholeList('/teams', 'teams')),
  recordsOfPage: (page) => {
    const b = page as { type?: unknown; teams?: unknown[] };
    if (b?.type === 'team.list' && Array.isArray(b.teams)) return b.teams;
    return b?.type === 'team' ? [b] : undefined;
  },
};

/**
 * Intercom (REST API 2.16): conversations with their parts (customer, teammate, bot and Fin
 * authors), statistics, ratings, tags and Fin's resolution state; contacts; admins; teams.
 *
 * @example
 * await runIngest({ warehouse, adapter: intercomAdapter, options: { accessToken } });
 */
export const intercomAdapter: Adapter<IntercomOptions> = {
  name: 'intercom',
  options: IntercomOptions as unknown as z.ZodType<IntercomOptions>,
  optionMeta: {
    baseUrl: { kind: 'url', flag: 'url', env: 'INTERCOM_URL', description: 'API base URL (default https://api.intercom.io; EU: https://api.eu.intercom.io)' },
    accessToken: { kind: 'text', required: true, env: 'INTERCOM_ACCESS_TOKEN', secret: true, description: 'access token of a private app, or an OAuth token' },
    apiVersion: { kind: 'text', flag: 'api-version', valueName: 'VERSION', env: 'INTERCOM_API_VERSION', description: 'Intercom-Version header (default 2.16)' },
  },
  streams: [teams, admins, contacts, conversations] as StreamSpec<IntercomOptions>[],
  http: (o, effects) => new HttpClient({ baseUrl: o.baseUrl, effects, timeoutMs: o.timeoutMs, concurrency: o.concurrency, rateLimit: intercomRateLimit, auth: intercomAuth(o.accessToken, o.apiVersion) }),
  explainNonRecordPage(page, file) {
    const b = page as Record<string, any>;
    if (!b || typeof b !== 'object') return undefined;
    if ('_what' in b) return `${file}: notes about the vendor's API behaviour, not a response`;
    if ('openapi' in b) return `${file}: an excerpt of Intercom's OpenAPI description, not a response`;
    if ('_note' in b && 'schemas' in b) return `${file}: per-property examples assembled from the OpenAPI description, not a response`;
    if (b.type === 'error.list') {
      const e = Array.isArray(b.errors) ? b.errors[0] : undefined;
      return `${file}: an error response (${e?.code ?? 'error'}: ${e?.message ?? 'no message'}), no records`;
    }
    if (Array.isArray(b.handling_events)) return `${file}: a teammate's pause / resume handling events; not ingested (no canonical table for agent states yet)`;
    const values = Object.values(b);
    if (values.length && values.every((v) => v && typeof v === 'object' && 'endpoint' in v)) return `${file}: the index of the OpenAPI examples, not a response`;
    return undefined;
  },
};
