import { sql } from 'kysely';
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
  const epoch = sql<string>`TIMESTAMPTZ '1970-01-01'`;
  const row = await wh.db
    .with('mine', (db) => db.selectFrom('login_attempts').selectAll().where((eb) => eb.or([eb('email', '=', email), eb('address', '=', address)])))
    // The last unlock of the account, and the last success of this client on it: counts start after them.
    .with('unlocked', (db) =>
      db.selectFrom('mine').select((eb) => eb.fn.coalesce(eb.fn.max('attempted_at'), epoch).as('since_at')).where('email', '=', email).where('reason', '=', unlockReason),
    )
    .with('pair_ok', (db) =>
      db
        .selectFrom('mine')
        .select((eb) => eb.fn.coalesce(eb.fn.max('attempted_at'), epoch).as('since_at'))
        .where('email', '=', email)
        .where('address', '=', address)
        .where('succeeded', '=', true)
        .where('reason', '=', 'ok'),
    )
    .selectFrom('mine')
    .select((eb) => {
      const failedSince = eb.and([eb('succeeded', '=', false), eb('attempted_at', '>', since)]);
      const afterUnlock = eb('attempted_at', '>', eb.selectFrom('unlocked').select('since_at'));
      const afterPairOk = eb('attempted_at', '>', eb.selectFrom('pair_ok').select('since_at'));
      const pair = eb.and([eb('email', '=', email), eb('address', '=', address), failedSince, afterUnlock, afterPairOk]);
      const fromAddress = eb.and([eb('address', '=', address), failedSince]);
      const account = eb.and([eb('email', '=', email), failedSince, afterUnlock]);
      const signedInHere = eb.and([eb('email', '=', email), eb('address', '=', address), eb('succeeded', '=', true), eb('reason', '=', 'ok')]);
      return [
        eb.fn.countAll<number>().filterWhere(pair).as('pair'),
        eb.fn.max('attempted_at').filterWhere(pair).as('last_pair'),
        eb.fn.countAll<number>().filterWhere(fromAddress).as('address'),
        eb.fn.min('attempted_at').filterWhere(fromAddress).as('oldest_address'),
        eb.fn.countAll<number>().filterWhere(account).as('account'),
        eb.fn.max('attempted_at').filterWhere(account).as('last_account'),
        eb.fn.coalesce(eb.fn<boolean>('bool_or', [signedInHere]), eb.lit(false)).as('known'),
      ];
    })
    .executeTakeFirstOrThrow();
  return {
    pair: Number(row.pair), lastPair: row.last_pair, address: Number(row.address), oldestAddress: row.oldest_address, account: Number(row.account),
    lastAccount: row.last_account, knownClient: row.known,
  };
}

export async function recordAttempt(wh: Warehouse, attempt: { email: string; address: string; succeeded: boolean; reason: string }, now = Date.now()): Promise<void> {
  await wh.db
    .insertInto('login_attempts')
    .values({ attempted_at: new Date(now).toISOString(), email: attempt.email.slice(0, 320), address: attempt.address.slice(0, 64), succeeded: attempt.succeeded, reason: attempt.reason })
    .execute();
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
