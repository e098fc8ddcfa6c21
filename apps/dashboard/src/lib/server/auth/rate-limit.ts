import type { Warehouse } from '@helpdesk/core';
import type { AuthConfig } from './config.ts';

/**
 * Sign-in throttling, counted from `login_attempts` (so a restart does not reset it), in three
 * scopes so that guessing cannot lock the owner out:
 * - one account from one client (address): after `maxFailuresPerAccount` failures that client
 *   waits, 30 s doubling with each further failure up to the window; its own success resets it;
 * - one client address, any account: past `maxFailuresPerAddress` the address waits for the window;
 * - one account from all clients: past `maxFailuresPerAccountAllClients`, clients that never signed
 *   in to that account wait; a known client (one that has signed in to it before) still passes,
 *   so the owner's right password from their usual machine works while someone else guesses.
 * An admin's unlock (a `login_attempts` row with reason `unlocked`) clears an account's counts.
 */
export interface FailureCounts {
  /** Failures of this account from this client since its last success or unlock (in the window). */
  pair: number;
  /** When the latest of those was made (ISO), or null. */
  lastPair: string | null;
  /** Failures from this client address for any account in the window. */
  address: number;
  oldestAddress: string | null;
  /** Failures of this account from every client since the last unlock (in the window). */
  account: number;
  lastAccount: string | null;
  /** This client has signed in to this account successfully before. */
  knownClient: boolean;
}

export type Throttle = { allowed: true } | { allowed: false; scope: 'account' | 'address'; retryAfterSeconds: number };

const baseWaitMs = 30_000;

/** The backoff after `failures` past the limit: 30 s, 60 s, 120 s, ... never more than the window. */
export function backoffMs(failures: number, limit: number, windowMs: number): number {
  if (failures < limit) return 0;
  return Math.min(windowMs, baseWaitMs * 2 ** Math.min(20, failures - limit));
}

/** Pure: whether another attempt may be made now, and if not for how long to wait. */
export function throttle(
  counts: FailureCounts,
  now: number,
  config: Pick<AuthConfig, 'maxFailuresPerAccount' | 'maxFailuresPerAddress' | 'maxFailuresPerAccountAllClients' | 'windowMs'>,
): Throttle {
  const until = (last: string | null, waitMs: number) => (last ? Date.parse(last) : now) + waitMs;
  const seconds = (at: number) => Math.max(1, Math.ceil((at - now) / 1000));
  if (counts.address >= config.maxFailuresPerAddress) {
    const free = until(counts.oldestAddress, config.windowMs);
    if (free > now) return { allowed: false, scope: 'address', retryAfterSeconds: seconds(free) };
  }
  const pairFree = until(counts.lastPair, backoffMs(counts.pair, config.maxFailuresPerAccount, config.windowMs));
  if (counts.pair >= config.maxFailuresPerAccount && pairFree > now) return { allowed: false, scope: 'account', retryAfterSeconds: seconds(pairFree) };
  if (!counts.knownClient && counts.account >= config.maxFailuresPerAccountAllClients) {
    const free = until(counts.lastAccount, backoffMs(counts.account, config.maxFailuresPerAccountAllClients, config.windowMs));
    if (free > now) return { allowed: false, scope: 'account', retryAfterSeconds: seconds(free) };
  }
  return { allowed: true };
}

export const unlockReason = 'unlocked';

export async function recentFailures(wh: Warehouse, email: string, address: string, config: Pick<AuthConfig, 'windowMs'>, now = Date.now()): Promise<FailureCounts> {
  const since = new Date(now - config.windowMs).toISOString();
  const [row] = await wh.all<{
    pair: number; last_pair: string | null; address: number; oldest_address: string | null; account: number; last_account: string | null; known: boolean;
  }>(
    `WITH mine AS (SELECT * FROM login_attempts WHERE email = $1 OR address = $2),
     unlocked AS (SELECT coalesce(max(attempted_at), TIMESTAMPTZ '1970-01-01') AS since_at FROM mine WHERE email = $1 AND reason = '${unlockReason}'),
     pair_ok AS (SELECT coalesce(max(attempted_at), TIMESTAMPTZ '1970-01-01') AS since_at FROM mine WHERE email = $1 AND address = $2 AND succeeded AND reason = 'ok')
     SELECT
       count(*) FILTER (WHERE email = $1 AND address = $2 AND NOT succeeded AND attempted_at > $3 AND attempted_at > (SELECT since_at FROM unlocked) AND attempted_at > (SELECT since_at FROM pair_ok))::INTEGER AS pair,
       max(attempted_at) FILTER (WHERE email = $1 AND address = $2 AND NOT succeeded AND attempted_at > $3 AND attempted_at > (SELECT since_at FROM unlocked) AND attempted_at > (SELECT since_at FROM pair_ok)) AS last_pair,
       count(*) FILTER (WHERE address = $2 AND NOT succeeded AND attempted_at > $3)::INTEGER AS address,
       min(attempted_at) FILTER (WHERE address = $2 AND NOT succeeded AND attempted_at > $3) AS oldest_address,
       count(*) FILTER (WHERE email = $1 AND NOT succeeded AND attempted_at > $3 AND attempted_at > (SELECT since_at FROM unlocked))::INTEGER AS account,
       max(attempted_at) FILTER (WHERE email = $1 AND NOT succeeded AND attempted_at > $3 AND attempted_at > (SELECT since_at FROM unlocked)) AS last_account,
       coalesce(bool_or(email = $1 AND address = $2 AND succeeded AND reason = 'ok'), false) AS known
     FROM mine`,
    [email, address, since],
  );
  return {
    pair: row.pair, lastPair: row.last_pair, address: row.address, oldestAddress: row.oldest_address, account: row.account, lastAccount: row.last_account, knownClient: row.known,
  };
}

export async function recordAttempt(wh: Warehouse, attempt: { email: string; address: string; succeeded: boolean; reason: string }, now = Date.now()): Promise<void> {
  await wh.run('INSERT INTO login_attempts (attempted_at, email, address, succeeded, reason) VALUES ($1, $2, $3, $4, $5)', [
    new Date(now).toISOString(), attempt.email.slice(0, 320), attempt.address.slice(0, 64), attempt.succeeded, attempt.reason,
  ]);
}

/** An admin's unlock: the account's failures before now no longer count, from any client. */
export async function unlockAccount(wh: Warehouse, email: string, now = Date.now()): Promise<void> {
  await recordAttempt(wh, { email, address: '-', succeeded: false, reason: unlockReason }, now);
}

/** "15 minutes", "40 seconds": the wait, for the message on the sign-in page. */
export function describeWait(seconds: number): string {
  if (seconds >= 90) return `${Math.ceil(seconds / 60)} minutes`;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
