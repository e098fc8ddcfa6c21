import type { Warehouse } from '@helpdesk/core';
import type { AuthConfig } from './config.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { describeWait, recentFailures, recordAttempt, throttle } from './rate-limit.ts';
import { createSession, pruneSessions } from './sessions.ts';
import { findUserByEmail, normalizeEmail, type User } from './users.ts';

export type LoginResult =
  | { ok: true; user: User; token: string; expiresAt: Date }
  | { ok: false; status: 400 | 401 | 429; message: string; retryAfterSeconds?: number };

const wrong = 'That email and password do not match an active account.';

/**
 * One sign-in attempt: throttle check, password check (the same work whether or not the account
 * exists), the attempt recorded, and a session on success. Every refusal is one readable line;
 * the message never says whether the email exists.
 */
export async function signIn(wh: Warehouse, input: { email: string; password: string; address: string; userAgent?: string }, config: AuthConfig, now = Date.now()): Promise<LoginResult> {
  const email = normalizeEmail(input.email).slice(0, 320);
  if (!email || !input.password) return { ok: false, status: 400, message: 'Enter your email and password.' };
  const gate = throttle(await recentFailures(wh, email, input.address, config, now), now, config);
  if (!gate.allowed) {
    await recordAttempt(wh, { email, address: input.address, succeeded: false, reason: `throttled (${gate.scope})` }, now);
    const who = gate.scope === 'account' ? 'this account' : 'your network address';
    return { ok: false, status: 429, retryAfterSeconds: gate.retryAfterSeconds, message: `Too many failed sign-ins for ${who}. Try again in ${describeWait(gate.retryAfterSeconds)}.` };
  }
  const user = await findUserByEmail(wh, email);
  const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash()), input.password.slice(0, 1024));
  const reason = !user
    ? 'unknown email'
    : !user.passwordHash
      ? 'no password (SSO only)'
      : !matches
        ? 'wrong password'
        : user.disabled
          ? 'disabled'
          : user.demo && !config.demoAccounts
            ? 'demo accounts off'
            : null;
  if (reason || !user) {
    await recordAttempt(wh, { email, address: input.address, succeeded: false, reason: reason ?? 'unknown email' }, now);
    return { ok: false, status: 401, message: wrong };
  }
  await recordAttempt(wh, { email, address: input.address, succeeded: true, reason: 'ok' }, now);
  await pruneSessions(wh, config, now);
  const session = await createSession(wh, user.id, config, { address: input.address, userAgent: input.userAgent }, now);
  const { passwordHash: _, ...publicUser } = user;
  return { ok: true, user: publicUser, ...session };
}
