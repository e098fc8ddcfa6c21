import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prng } from './prng.ts';

/**
 * Transport misbehaviours, each a probability per request (drawn from a seeded generator so a
 * test is reproducible), plus an expired token after a number of requests.
 */
export interface TransportFaults {
  /** 429 with Retry-After (and the vendor's rate-limit headers). */
  rateLimit?: number;
  /** 500, 502 or 503. */
  serverError?: number;
  /** The socket is destroyed before any response. */
  connectionReset?: number;
  /** The response comes after `slowMs` (set it above the client's timeout). */
  slow?: number;
  slowMs?: number;
  /** A 200 whose JSON body is cut in half. */
  truncated?: number;
  /** After this many requests every request gets 401 until `renewToken()`. */
  expireTokenAfter?: number;
}

export interface ReplicaRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** http://127.0.0.1:<port>, for absolute next-page links. */
  origin: string;
}

export interface ReplicaResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What a vendor replica plugs into the shared server. */
export interface VendorBehaviour {
  /** True when the request carries valid credentials. */
  authorized(req: ReplicaRequest): boolean;
  /** The vendor's 401 body. */
  unauthorized: ReplicaResponse;
  /** The vendor's 429 response (its body, Retry-After and rate-limit headers). */
  throttled(): ReplicaResponse;
  /** Rate-limit headers on every successful response. */
  rateLimitHeaders?(requestCount: number): Record<string, string>;
  route(req: ReplicaRequest): ReplicaResponse;
  /**
   * The start of the time window a list request asks for, in the vendor's own parameter read back
   * as ISO-8601 UTC, and the list it names (a path, an object type); undefined for other requests.
   */
  sinceOf?(req: ReplicaRequest): AskedSince | undefined;
  /**
   * An OAuth token endpoint, answered without the access token (it is how a client gets a new
   * one): a grant that `renewed` ends an expired-token fault, as a user renewing the token would.
   */
  tokenEndpoint?: { path: string; handle(req: ReplicaRequest): { response: ReplicaResponse; renewed: boolean } };
}

/** One list request's window start, as the replica was asked for it. */
export interface AskedSince {
  list: string;
  since: string;
}

export interface Replica {
  url: string;
  stats: { requests: number; faults: Record<string, number> };
  /** Every accepted list request's window start, in arrival order (see `VendorBehaviour.sinceOf`). */
  asked: AskedSince[];
  /** Accept requests again after an expired-token fault (the user renewed the token). */
  renewToken(): void;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on loopback that answers like a vendor's API and misbehaves on request.
 *
 * @example
 * const replica = await startReplica(zendeskBehaviour(world), { seed: 1, faults: { rateLimit: 0.1 } });
 * // ... run the adapter against replica.url ...
 * await replica.close();
 */
export async function startReplica(vendor: VendorBehaviour, options: { seed?: number; faults?: TransportFaults; port?: number } = {}): Promise<Replica> {
  const faults = options.faults ?? {};
  const rnd = prng(options.seed ?? 1);
  const stats = { requests: 0, faults: {} as Record<string, number> };
  const asked: AskedSince[] = [];
  let tokenExpired = false;
  const count = (kind: string) => (stats.faults[kind] = (stats.faults[kind] ?? 0) + 1);
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const address = server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${address.port}`;
    const url = new URL(req.url ?? '/', origin);
    let body: unknown = undefined;
    if (chunks.length && /x-www-form-urlencoded/.test(String(req.headers['content-type'] ?? ''))) {
      body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    } else if (chunks.length) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, { status: 400, body: { error: 'invalid JSON body' } });
      }
    }
    const request: ReplicaRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, origin };
    if (vendor.tokenEndpoint && url.pathname === vendor.tokenEndpoint.path) {
      const { response, renewed } = vendor.tokenEndpoint.handle(request);
      if (renewed) {
        tokenExpired = false;
        faults.expireTokenAfter = undefined;
        count('tokenRefreshed');
      }
      return send(res, response);
    }
    if (faults.expireTokenAfter !== undefined && stats.requests > faults.expireTokenAfter && !tokenExpired) tokenExpired = true;
    if (tokenExpired || !vendor.authorized(request)) {
      if (tokenExpired) count('expiredToken');
      return send(res, vendor.unauthorized);
    }
    if (faults.connectionReset && rnd.chance(faults.connectionReset)) {
      count('connectionReset');
      req.socket.destroy();
      return;
    }
    if (faults.rateLimit && rnd.chance(faults.rateLimit)) {
      count('rateLimit');
      return send(res, vendor.throttled());
    }
    if (faults.serverError && rnd.chance(faults.serverError)) {
      count('serverError');
      const status = rnd.pick([500, 502, 503]);
      return send(res, { status, body: status === 500 ? { error: 'InternalError' } : `<html><body>${status} Bad Gateway</body></html>` });
    }
    let response: ReplicaResponse;
    try {
      const since = vendor.sinceOf?.(request);
      if (since) asked.push(since);
      response = vendor.route(request);
    } catch (error) {
      response = { status: 500, body: { error: (error as Error).message } };
    }
    response = { ...response, headers: { ...(vendor.rateLimitHeaders?.(stats.requests) ?? {}), ...response.headers } };
    if (faults.slow && rnd.chance(faults.slow)) {
      count('slow');
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, response);
      }, faults.slowMs ?? 2000);
      timers.add(timer);
      return;
    }
    if (response.status === 200 && faults.truncated && rnd.chance(faults.truncated)) {
      count('truncated');
      const raw = (response.body as { text?: unknown } | null)?.constructor?.name === 'RawJson' ? (response.body as { text: string }).text : undefined;
      const text = raw ?? JSON.stringify(response.body);
      res.writeHead(200, { 'content-type': 'application/json', ...response.headers });
      res.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    send(res, response);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    asked,
    renewToken: () => {
      tokenExpired = false;
      faults.expireTokenAfter = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, response: ReplicaResponse): void {
  const isText = typeof response.body === 'string';
  const raw = (response.body as { text?: unknown } | null)?.constructor?.name === 'RawJson' ? (response.body as { text: string }).text : undefined;
  const text = raw ?? (isText ? (response.body as string) : JSON.stringify(response.body));
  res.writeHead(response.status, { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...response.headers });
  res.end(text);
}

/** Milliseconds since the epoch as ISO-8601 UTC; undefined for a value that is not a time. */
export function isoOfMs(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
