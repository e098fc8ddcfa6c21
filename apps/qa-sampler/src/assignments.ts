import { QaError } from './qa-scorecard.ts';
import { seededShuffler } from './seeded-random.ts';

/**
 * Hands sampled conversations to reviewers with balanced workload and no self-review: each
 * conversation goes to the eligible reviewer with the fewest conversations so far (counting
 * `currentLoad`, their open work), ties broken in a seeded random order so that nobody is always
 * first. Conversations are handled most-constrained first (those whose agent is a reviewer).
 *
 * @example
 * assignReviewers([{ interactionId: 'i1', agentId: 'a1' }], ['a1', 'r1'], { seed: 1 }); // i1 -> r1
 */
export function assignReviewers(
  items: readonly { interactionId: string; agentId: string | null }[],
  reviewers: readonly string[],
  options: { seed: number; currentLoad?: Record<string, number> },
): { interactionId: string; reviewerId: string }[] {
  const pool = [...new Set(reviewers)];
  if (pool.length === 0) throw new QaError('no reviewers given');
  const load = new Map(pool.map((r) => [r, options.currentLoad?.[r] ?? 0]));
  const tieOrder = new Map(seededShuffler(options.seed).shuffle(pool.slice().sort()).map((r, i) => [r, i]));
  const ordered = items
    .map((item, i) => ({ item, i, constrained: item.agentId !== null && load.has(item.agentId) }))
    .sort((a, b) => Number(b.constrained) - Number(a.constrained) || a.i - b.i);
  const out = new Array<{ interactionId: string; reviewerId: string }>(items.length);
  for (const { item, i } of ordered) {
    const eligible = pool.filter((r) => r !== item.agentId);
    if (eligible.length === 0) {
      throw new QaError(`conversation ${item.interactionId} cannot be assigned: its agent ${item.agentId} is the only reviewer (no self-review)`);
    }
    eligible.sort((a, b) => load.get(a)! - load.get(b)! || tieOrder.get(a)! - tieOrder.get(b)!);
    const reviewerId = eligible[0];
    load.set(reviewerId, load.get(reviewerId)! + 1);
    out[i] = { interactionId: item.interactionId, reviewerId };
  }
  return out;
}
