import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplicaRequest, ReplicaResponse, VendorBehaviour } from './replica-server.ts';

/**
 * A Zendesk replica that serves recorded pages from a folder (`<stream>/<nnnnnn>.json`, as the
 * benchmark writes them): page k of a stream answers the cursor `p<k>` (cursor exports), the
 * `page_file=<k>` of a `next_page` link (time-based exports) or `page[after]=<k>` (lists). The
 * literal `{origin}` in a page is replaced by the replica's address. Bodies are sent as stored.
 *
 * @example
 * const replica = await startReplica(recordedZendeskBehaviour('/tmp/pages', { email, apiToken }));
 */
export function recordedZendeskBehaviour(dir: string, options: { email: string; apiToken: string }): VendorBehaviour {
  const basic = `Basic ${Buffer.from(`${options.email}/token:${options.apiToken}`).toString('base64')}`;
  const page = (stream: string, k: number, req: ReplicaRequest, empty: unknown): ReplicaResponse => {
    const file = join(dir, stream, `${String(k).padStart(6, '0')}.json`);
    if (!existsSync(file)) return { status: 200, body: empty };
    return { status: 200, body: new RawJson(readFileSync(file, 'utf8').replaceAll('{origin}', req.origin)) };
  };
  const index = (v: string | null) => (v && /^p?\d+$/.test(v) ? Number(v.replace('p', '')) : 0);
  return {
    authorized: (req) => req.headers.authorization === basic,
    unauthorized: { status: 401, body: { error: "Couldn't authenticate you" } },
    throttled: () => ({ status: 429, headers: { 'retry-after': '1' }, body: 'Number of allowed API requests per minute exceeded' }),
    route(req) {
      const endOfCursor = { after_cursor: null, end_of_stream: true };
      switch (req.path) {
        case '/api/v2/incremental/tickets/cursor.json':
          return page('tickets', index(req.query.get('cursor')), req, { tickets: [], ...endOfCursor });
        case '/api/v2/incremental/users/cursor.json':
          return page(req.query.get('include') === 'identities' ? 'identities' : 'users', index(req.query.get('cursor')), req, { users: [], identities: [], ...endOfCursor });
        case '/api/v2/incremental/ticket_events.json':
          return page('ticket_events', index(req.query.get('page_file')), req, { ticket_events: [], end_of_stream: true, end_time: 0 });
        case '/api/v2/incremental/ticket_metric_events.json':
          return { status: 200, body: { ticket_metric_events: [], end_of_stream: true, end_time: 0 } };
        case '/api/v2/groups.json':
          return page('groups', index(req.query.get('page[after]')), req, { groups: [], meta: { has_more: false } });
        case '/api/v2/satisfaction_ratings.json':
          return page('satisfaction_ratings', index(req.query.get('page[after]')), req, { satisfaction_ratings: [], meta: { has_more: false } });
        case '/api/v2/ticket_metrics.json':
          return { status: 200, body: { ticket_metrics: [], meta: { has_more: false } } };
        default:
          return { status: 404, body: { error: 'InvalidEndpoint' } };
      }
    },
  };
}

/** A body that is already JSON text (sent without parsing and re-serialising it). */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
