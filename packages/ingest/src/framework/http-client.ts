import type { Effects } from './effects.ts';
import { IngestError } from './errors.ts';

/** How a vendor wants requests signed. `refresh` lets an OAuth token be renewed once on a 401. */
export interface AuthStrategy {
  headers(): Record<string, string>;
  refresh?: () => Promise<boolean>;
}

/** `Authorization: Bearer <token>` (HubSpot private apps, OAuth). */
export function bearerAuth(token: string): AuthStrategy {
  return { headers: () => ({ authorization: `Bearer ${token}` }) };
}

/** HTTP Basic (Aircall `api_id:api_token`, Zendesk `email/token:api_token`). */
export function basicAuth(user: string, password: string): AuthStrategy {
  const encoded = Buffer.from(`${user}:${password}`).toString('base64');
  return { headers: () => ({ authorization: `Basic ${encoded}` }) };
}

/**
 * Reads a vendor's rate-limit headers and says how long to wait before the next request
 * (milliseconds), or undefined when there is budget left. Vendors name these headers differently.
 */
export type RateLimitReader = (headers: Headers, nowMs: number) => number | undefined;

export interface HttpClientOptions {
  baseUrl: string;
  auth: AuthStrategy;
  effects: Effects;
  /** A response slower than this is abandoned and retried. */
  timeoutMs?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Requests in flight at once, across all streams of a run. */
  concurrency?: number;
  rateLimit?: RateLimitReader;
}

export interface HttpStats {
  requests: number;
  retries: number;
  errors: string[];
}

export interface JsonResponse {
  status: number;
  url: string;
  headers: Headers;
  body: unknown;
  /** The body as received (raw records are cut out of it when they land). */
  text: string;
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

/**
 * The shared HTTP machinery of every adapter: auth headers, a concurrency limit, a timeout per
 * request, and retries with exponential backoff and full jitter on network errors, 5xx and
 * unparseable (truncated) bodies; on 429 it waits `Retry-After` or the vendor's reset header.
 *
 * @example
 * const http = new HttpClient({ baseUrl: 'http://127.0.0.1:4010', auth: bearerAuth(t), effects: defaultEffects() });
 * const { body } = await http.getJson('/crm/v3/objects/contacts', { limit: '100' });
 */
export class HttpClient {
  readonly stats: HttpStats = { requests: 0, retries: 0, errors: [] };
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private pauseUntil = 0;
  private readonly o: Required<Omit<HttpClientOptions, 'rateLimit'>> & { rateLimit?: RateLimitReader };

  constructor(options: HttpClientOptions) {
    this.o = { timeoutMs: 30_000, maxRetries: 8, baseDelayMs: 250, maxDelayMs: 30_000, concurrency: 4, ...options };
  }

  /** GETs a path (relative to baseUrl) or an absolute URL the vendor handed out (next-page links). */
  async getJson(pathOrUrl: string, query: Record<string, string | undefined> = {}): Promise<JsonResponse> {
    return this.withSlot(() => this.withRetries(this.url(pathOrUrl, query)));
  }

  /** POSTs a JSON body (search endpoints that filter by last-modified date). */
  async postJson(path: string, body: unknown): Promise<JsonResponse> {
    return this.withSlot(() => this.withRetries(this.url(path, {}), JSON.stringify(body)));
  }

  private url(pathOrUrl: string, query: Record<string, string | undefined>): string {
    const url = new URL(pathOrUrl, this.o.baseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  }

  private async withRetries(url: string, postBody?: string): Promise<JsonResponse> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const wait = this.pauseUntil - this.o.effects.now();
      if (wait > 0) await this.o.effects.sleep(wait);
      try {
        return await this.once(url, postBody);
      } catch (error) {
        if (error instanceof AuthExpired && !refreshed && this.o.auth.refresh) {
          refreshed = true;
          if (await this.o.auth.refresh()) continue;
        }
        if (!(error instanceof RetryableError)) throw error instanceof AuthExpired ? error.toIngestError() : error;
        this.stats.errors.push(error.message);
        if (attempt >= this.o.maxRetries) {
          throw new IngestError(`${redact(url)}: gave up after ${attempt + 1} attempts: ${error.message}`, 'network');
        }
        this.stats.retries++;
        // Full jitter spreads retries of parallel streams apart (AWS architecture blog's advice).
        const backoff = this.o.effects.random() * Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** attempt);
        const delay = error.waitMs ?? backoff;
        if (error.waitMs !== undefined) this.pauseUntil = Math.max(this.pauseUntil, this.o.effects.now() + delay);
        this.o.effects.log('warn', `retry ${attempt + 1} in ${Math.round(delay)} ms: ${error.message}`);
        await this.o.effects.sleep(delay);
      }
    }
  }

  private async once(url: string, postBody?: string): Promise<JsonResponse> {
    this.stats.requests++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.o.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.o.effects.fetch(url, {
        method: postBody === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'application/json',
          ...(postBody === undefined ? {} : { 'content-type': 'application/json' }),
          ...this.o.auth.headers(),
        },
        body: postBody,
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      const reason = controller.signal.aborted ? `no response within ${this.o.timeoutMs} ms` : describeNetworkError(error);
      throw new RetryableError(reason);
    } finally {
      clearTimeout(timer);
    }
    const status = response.status;
    if (status === 429) {
      throw new RetryableError('429 rate limited', retryAfterMs(response.headers, this.o.effects.now()) ?? this.o.rateLimit?.(response.headers, this.o.effects.now()));
    }
    if (status >= 500) throw new RetryableError(`${status} ${text.slice(0, 80)}`);
    if (status === 401 || status === 403) throw new AuthExpired(status, redact(url), text.slice(0, 120));
    if (status >= 400) throw new IngestError(`${redact(url)}: HTTP ${status}: ${oneLine(text).slice(0, 160)}`, 'http');
    const pause = this.o.rateLimit?.(response.headers, this.o.effects.now());
    if (pause !== undefined && pause > 0) this.pauseUntil = Math.max(this.pauseUntil, this.o.effects.now() + pause);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // A cut-off body is a transport failure (the connection dropped mid-transfer), not bad data.
      throw new RetryableError(`unparseable JSON body (${text.length} bytes)`);
    }
    return { status, url, headers: response.headers, body, text };
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    while (this.active >= this.o.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

class AuthExpired extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
  toIngestError(): IngestError {
    return new IngestError(
      `${this.url}: the vendor rejected the credentials (HTTP ${this.status}: ${oneLine(this.body)}); check or renew the token`,
      'auth',
    );
  }
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return `network error: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** URLs in messages never carry query-string secrets. */
function redact(url: string): string {
  const u = new URL(url);
  for (const key of [...u.searchParams.keys()]) if (/token|key|secret|password/i.test(key)) u.searchParams.set(key, '***');
  return u.toString();
}
