import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Warehouse } from '@helpdesk/core';
import { writeAudit } from '../auth/audit.ts';
import type { User } from '../auth/users.ts';
import { datasetOfRoute, tokenOwner, type ApiToken } from './tokens.ts';

/**
 * What /api/v1 adds to the app's request handling (hooks.server.ts): a bearer token instead of
 * the session cookie, its dataset narrowing, a rate limit per token, and an audit row per call.
 * The role check itself stays the one permission matrix of the app.
 */
export const isApiRoute = (routeId: string | null): routeId is string => !!routeId && routeId.startsWith('/api/v1/');

/** The secret of an `Authorization: Bearer <token>` header, '' for a malformed one, null without the header. */
export function bearerOf(headers: Headers): string | null {
  const value = headers.get('authorization');
  if (value === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1] : '';
}

export type TokenCheck = { ok: true; user: User; token: ApiToken } | { ok: false; status: 401 | 403; message: string };

/** Who a bearer token is, and whether it may reach this route's dataset. */
export async function checkToken(wh: Warehouse, secret: string, routeId: string): Promise<TokenCheck> {
  const owner = secret ? await tokenOwner(wh, secret) : null;
  if (!owner) return { ok: false, status: 401, message: 'The API token is unknown, revoked, or its account is disabled.' };
  const dataset = datasetOfRoute(routeId);
  if (dataset && owner.token.datasets && !owner.token.datasets.includes(dataset)) {
    return { ok: false, status: 403, message: `This token is limited to ${owner.token.datasets.join(', ')}; it may not read ${dataset}.` };
  }
  return { ok: true, ...owner };
}

interface LimiterState {
  limiter: RateLimiterMemory;
  perMinute: number;
}
const key = Symbol.for('helpdesk.dashboard.apiLimiter');
const globals = globalThis as typeof globalThis & { [key]?: LimiterState };

/** Calls per token per minute: `HELPDESK_API_RATE_PER_MINUTE` (default 120). */
export function apiRatePerMinute(env: Record<string, string | undefined>): number {
  const n = Number(env.HELPDESK_API_RATE_PER_MINUTE ?? 120);
  return Number.isInteger(n) && n > 0 ? n : 120;
}

/** Counts one call of a token; null when allowed, else the seconds until the next call is. */
export async function rateLimited(tokenId: string, perMinute: number): Promise<number | null> {
  let state = globals[key];
  if (!state || state.perMinute !== perMinute) state = globals[key] = { perMinute, limiter: new RateLimiterMemory({ points: perMinute, duration: 60 }) };
  try {
    await state.limiter.consume(tokenId);
    return null;
  } catch (reason) {
    if (reason instanceof RateLimiterRes) return Math.max(1, Math.ceil(reason.msBeforeNext / 1000));
    throw reason;
  }
}

/** One audit row per API call, refused ones included. */
export async function auditApiCall(
  wh: Warehouse,
  call: { url: URL; method: string; status: number; user: User | null; token: ApiToken | null; address: string },
): Promise<void> {
  const query = Object.fromEntries(call.url.searchParams);
  delete query.cursor;
  await writeAudit(wh, {
    action: 'api.call', target: call.url.pathname,
    detail: { method: call.method, status: call.status, token: call.token?.id ?? null, via: call.token ? 'token' : call.user ? 'session' : 'none', query },
    address: call.address, user: call.user ? { id: call.user.id, email: call.user.email, role: call.user.role } : null,
  });
}
