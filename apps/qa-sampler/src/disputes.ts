import { QaError } from './qa-scorecard.ts';
import type { Rating } from './scoring.ts';

export const disputeDecisions = ['accepted', 'partly_accepted', 'rejected'] as const;
export type DisputeDecision = (typeof disputeDecisions)[number];

/**
 * The ratings a review ends with after a dispute. The agent proposes ratings when disputing;
 * "accepted" takes all of them, "partly accepted" takes the ratings the resolver lists (each must
 * change something), "rejected" keeps the original. The score is then recomputed from these.
 *
 * @example
 * ratingsAfterDispute(original, proposed, 'accepted'); // the proposed ratings replace the original ones
 */
export function ratingsAfterDispute(
  original: readonly Rating[],
  proposed: readonly Rating[],
  decision: DisputeDecision,
  resolverRatings: readonly Rating[] = [],
): Rating[] {
  const replace = (changes: readonly Rating[]) => {
    const byId = new Map(changes.map((r) => [r.categoryId, r]));
    for (const id of byId.keys()) {
      if (!original.some((r) => r.categoryId === id)) throw new QaError(`the review has no category "${id}"`);
    }
    return original.map((r) => (byId.has(r.categoryId) ? { ...r, ...byId.get(r.categoryId)! } : { ...r }));
  };
  switch (decision) {
    case 'rejected':
      if (resolverRatings.length) throw new QaError('a rejected dispute keeps the original ratings; give no revised ratings');
      return original.map((r) => ({ ...r }));
    case 'accepted':
      if (proposed.length === 0) throw new QaError('the dispute proposes no ratings to accept');
      return replace(proposed);
    case 'partly_accepted': {
      if (resolverRatings.length === 0) throw new QaError('a partly accepted dispute needs the revised ratings');
      const unchanged = resolverRatings.filter((r) => original.find((o) => o.categoryId === r.categoryId)?.rating === r.rating);
      if (unchanged.length) throw new QaError(`revised rating for "${unchanged[0].categoryId}" is the same as the original`);
      return replace(resolverRatings);
    }
  }
}
