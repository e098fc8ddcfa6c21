import { createHash, randomBytes } from 'node:crypto';
import type { Warehouse } from '@helpdesk/core';
import type { AuthConfig } from './config.ts';
import { findUserById, type User } from './users.ts';

/**
 * Server-side sessions in the warehouse (`user_sessions`). The browser holds only a random token
 * (cookie `helpdesk_session`); the table holds its SHA-256, so reading the file yields no live
 * session. A session ends after `idleMs` without a request or `absoluteMs` after sign-in.
 */
export const sessionCookie = 'helpdesk_session';

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Why a stored session no longer counts at `now`, or null while it is alive. */
export function sessionExpiry(session: Pick<SessionRow, 'created_at' | 'last_seen_at' | 'expires_at'>, now: number, config: Pick<AuthConfig, 'idleMs' | 'absoluteMs'>): 'idle' | 'absolute' | null {
  if (now >= Date.parse(session.expires_at) || now >= Date.parse(session.created_at) + config.absoluteMs) return 'absolute';
  if (now >= Date.parse(session.last_seen_at) + config.idleMs) return 'idle';
  return null;
}

/** Starts a session for `userId`; returns the token for the cookie (shown nowhere else). */
export async function createSession(wh: Warehouse, userId: string, config: AuthConfig, meta: { address?: string; userAgent?: string } = {}, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now + config.absoluteMs);
  const at = new Date(now).toISOString();
  await wh.db
    .insertInto('user_sessions')
    .values({
      id: tokenDigest(token), user_id: userId, created_at: at, last_seen_at: at, expires_at: expiresAt.toISOString(), address: meta.address ?? null,
      user_agent: (meta.userAgent ?? '').slice(0, 300) || null,
    })
    .execute();
  // Two sign-ins of one account at the same moment both write this row; DuckDB refuses the second
  // writer. The time is informational, so the loser is ignored rather than failing the sign-in.
  await wh.db.updateTable('users').set({ last_login_at: at }).where('id', '=', userId).execute().catch(() => undefined);
  return { token, expiresAt };
}

// Writing last_seen_at on every request would turn each page view into a write: once a minute is
// precise enough for an idle limit counted in hours.
const touchEveryMs = 60_000;

/**
 * The signed-in user of a token, or null when the token is unknown, expired (the row is then
 * removed), or its account is disabled.
 */
export async function userForToken(wh: Warehouse, token: string, config: Pick<AuthConfig, 'idleMs' | 'absoluteMs'> & Partial<Pick<AuthConfig, 'demoAccounts'>>, now = Date.now()): Promise<{ user: User; sessionId: string } | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const id = tokenDigest(token);
  const session: SessionRow | undefined = await wh.db
    .selectFrom('user_sessions')
    .select(['id', 'user_id', 'created_at', 'last_seen_at', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!session) return null;
  if (sessionExpiry(session, now, config)) {
    // A parallel request may be deleting the same row; either way it is gone.
    await endSession(wh, token).catch(() => undefined);
    return null;
  }
  const user = await findUserById(wh, session.user_id);
  // Demo accounts (published passwords) count only while the server allows them (loopback).
  if (!user || user.disabled || (user.demo && config.demoAccounts === false)) return null;
  if (now - Date.parse(session.last_seen_at) >= touchEveryMs) {
    // Two parallel requests of one browser may both touch the row; DuckDB refuses the second
    // writer with a conflict. Either write is as good as the other, so the loser is ignored.
    await wh.db.updateTable('user_sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', id).execute().catch(() => undefined);
  }
  return { user, sessionId: id };
}

export async function endSession(wh: Warehouse, token: string): Promise<void> {
  await wh.db.deleteFrom('user_sessions').where('id', '=', tokenDigest(token)).execute();
}

/**
 * Removes every expired session (run at sign-in, so the table does not grow without bound).
 * Housekeeping only: when parallel sign-ins delete the same rows DuckDB refuses one of them, and
 * that one simply leaves the work to the next sign-in.
 */
export async function pruneSessions(wh: Warehouse, config: AuthConfig, now = Date.now()): Promise<void> {
  await wh.db
    .deleteFrom('user_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', new Date(now).toISOString()), eb('last_seen_at', '<=', new Date(now - config.idleMs).toISOString())]))
    .execute()
    .catch(() => undefined);
}
