import type { Warehouse } from '@helpdesk/core';
import type { AuthConfig } from './config.ts';

/**
 * Sign-in throttling, per account and per client address, counted from `login_attempts` (so a
 * restart does not reset it). Only failures count; a success does not erase them, so an attacker
 * who knows one password cannot use it to keep guessing another account.
 */
export interface FailureCounts {
  account: number;
  address: number;
  /** When the oldest failure still inside the window was made (ISO), per scope; null when none. */
  oldestAccount: string | null;
  oldestAddress: string | null;
}

export type Throttle = { allowed: true } | { allowed: false; scope: 'account' | 'address'; retryAfterSeconds: number };

/** Pure: whether another attempt may be made now, and if not for how long to wait. */
export function throttle(counts: FailureCounts, now: number, config: Pick<AuthConfig, 'maxFailuresPerAccount' | 'maxFailuresPerAddress' | 'windowMs'>): Throttle {
  const wait = (oldest: string | null) => Math.max(1, Math.ceil(((oldest ? Date.parse(oldest) : now) + config.windowMs - now) / 1000));
  if (counts.account >= config.maxFailuresPerAccount) return { allowed: false, scope: 'account', retryAfterSeconds: wait(counts.oldestAccount) };
  if (counts.address >= config.maxFailuresPerAddress) return { allowed: false, scope: 'address', retryAfterSeconds: wait(counts.oldestAddress) };
  return { allowed: true };
}

export async function recentFailures(wh: Warehouse, email: string, address: string, config: Pick<AuthConfig, 'windowMs'>, now = Date.now()): Promise<FailureCounts> {
  const since = new Date(now - config.windowMs).toISOString();
  const [row] = await wh.all<{ account: number; address: number; oldest_account: string | null; oldest_address: string | null }>(
    `SELECT count(*) FILTER (WHERE email = $1)::INTEGER AS account, count(*) FILTER (WHERE address = $2)::INTEGER AS address,
            min(attempted_at) FILTER (WHERE email = $1) AS oldest_account, min(attempted_at) FILTER (WHERE address = $2) AS oldest_address
       FROM login_attempts WHERE NOT succeeded AND attempted_at > $3 AND (email = $1 OR address = $2)`,
    [email, address, since],
  );
  return { account: row.account, address: row.address, oldestAccount: row.oldest_account, oldestAddress: row.oldest_address };
}

export async function recordAttempt(wh: Warehouse, attempt: { email: string; address: string; succeeded: boolean; reason: string }, now = Date.now()): Promise<void> {
  await wh.run('INSERT INTO login_attempts (attempted_at, email, address, succeeded, reason) VALUES ($1, $2, $3, $4, $5)', [
    new Date(now).toISOString(), attempt.email.slice(0, 320), attempt.address.slice(0, 64), attempt.succeeded, attempt.reason,
  ]);
}

/** "15 minutes", "40 seconds": the wait, for the message on the sign-in page. */
export function describeWait(seconds: number): string {
  if (seconds >= 90) return `${Math.ceil(seconds / 60)} minutes`;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
