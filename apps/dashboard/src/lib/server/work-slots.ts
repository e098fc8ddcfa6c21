import { error } from '@sveltejs/kit';

/**
 * Heavy work (exports, routing simulations) one person may run at once; more get a 429 with a
 * line to read, rather than a queue that stalls everyone. One pool per person across kinds.
 */
export const HEAVY_WORK_PER_USER = 2;
const running = new Map<string, number>();

/**
 * Takes one of the person's slots or refuses with a 429; returns the release (idempotent).
 *
 * @example
 * const release = takeWorkSlot(locals.user?.id);
 * try { await simulate(); } finally { release(); }
 */
export function takeWorkSlot(user: string | undefined): () => void {
  if (!user) return () => undefined;
  const now = running.get(user) ?? 0;
  if (now >= HEAVY_WORK_PER_USER) error(429, { message: `At most ${HEAVY_WORK_PER_USER} exports or simulations at once per person: wait for one to finish.` });
  running.set(user, now + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (running.get(user) ?? 1) - 1;
    if (left > 0) running.set(user, left);
    else running.delete(user);
  };
}
