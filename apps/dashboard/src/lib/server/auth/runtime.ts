import { hostname, networkInterfaces } from 'node:os';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { Warehouse } from '@helpdesk/core';
import { requireWarehouse } from '../warehouse';
import { authConfig, ssoEmail, type AuthConfig } from './config.ts';
import { ensureDemoAccounts, isDemoWarehouse } from './demo-accounts.ts';
import { canView, routeRules, type Role } from './permissions.ts';
import { sessionCookie, userForToken } from './sessions.ts';
import { addUser, findUserByEmail, type User } from './users.ts';

/**
 * The web server's side of sign-in: the config from the environment, the one-time preparation of
 * a warehouse (demo accounts), and "who is asking" for a request. Kept on globalThis like the
 * warehouse handle, so `vite dev` reloads do not repeat the preparation.
 */
interface State {
  config: AuthConfig | null;
  prepared: WeakMap<Warehouse, Promise<{ demo: boolean }>>;
  /** token digest -> user, for a few seconds: a page and its data requests arrive together. */
  recent: Map<string, { at: number; value: { user: User; sessionId: string } | null }>;
}
const key = Symbol.for('helpdesk.dashboard.auth');
const globals = globalThis as typeof globalThis & { [key]?: State };
const state: State = (globals[key] ??= { config: null, prepared: new WeakMap(), recent: new Map() });

export function config(): AuthConfig {
  return (state.config ??= authConfig(env, {
    hostname: hostname(),
    addresses: Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address.toLowerCase())),
  }));
}

/** The warehouse, prepared for sign-in: demo accounts exist when it is a demo. */
export async function authWarehouse(): Promise<{ wh: Warehouse; demo: boolean }> {
  const wh = await requireWarehouse();
  let prepared = state.prepared.get(wh);
  if (!prepared) {
    prepared = (async () => {
      const demo = await isDemoWarehouse(wh);
      if (demo && config().demoAccounts) await ensureDemoAccounts(wh);
      return { demo };
    })();
    prepared.catch(() => state.prepared.delete(wh));
    state.prepared.set(wh, prepared);
  }
  return { wh, demo: (await prepared).demo };
}

/** Forget cached sessions (after a role change, a disabled account, a sign-out). */
export function forgetSessions(): void {
  state.recent.clear();
}

const cacheMs = 5_000;

/** The signed-in user of this request (trusted SSO header first when enabled, then the session cookie). */
export async function requestUser(event: Pick<RequestEvent, 'cookies' | 'request' | 'getClientAddress'>): Promise<User | null> {
  const cfg = config();
  const asserted = ssoEmail(cfg, event.request.headers, clientAddress(event));
  if (asserted) return ssoUser(asserted, cfg);
  const token = event.cookies.get(sessionCookie);
  if (!token) return null;
  const now = Date.now();
  const hit = state.recent.get(token);
  if (hit && now - hit.at < cacheMs) return hit.value?.user ?? null;
  const { wh } = await authWarehouse();
  const value = await userForToken(wh, token, cfg, now);
  if (state.recent.size > 10_000) state.recent.clear();
  state.recent.set(token, { at: now, value });
  return value?.user ?? null;
}

async function ssoUser(email: string, cfg: AuthConfig): Promise<User | null> {
  const { wh } = await authWarehouse();
  const found = await findUserByEmail(wh, email);
  if (found) return found.disabled ? null : found;
  if (!cfg.sso?.autoCreateRole) return null;
  try {
    return await addUser(wh, { email, role: cfg.sso.autoCreateRole });
  } catch {
    return null;
  }
}

export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
  try {
    return event.getClientAddress();
  } catch {
    return 'unknown';
  }
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure whenever the request came over https. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
  cookies.set(sessionCookie, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires: expiresAt });
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
  cookies.delete(sessionCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}

/** Where a role lands after sign-in: the first screen of the navigation it may open. */
export function homeFor(role: Role): string {
  for (const [routeId, rule] of Object.entries(routeRules)) {
    if (rule.nav && !routeId.includes('[') && canView(role, routeId)) return routeId;
  }
  if (canView(role, '/scorecards/[channel]')) return '/scorecards/chat';
  return '/logout';
}

/** A `next` address from the query, only when it is a path on this site (no open redirect). */
export function safeNext(value: string | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001f]/.test(value)) return null;
  // Coming back to the sign-out or sign-in page right after signing in helps nobody.
  if (/^\/(logout|login|setup)(?:[/?#]|$)/.test(value)) return null;
  return value;
}
