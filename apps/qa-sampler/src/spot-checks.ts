import { cohenKappa } from './agreement.ts';
import { QaError } from './qa-scorecard.ts';
import { seededShuffler } from './seeded-random.ts';
import type { Rating } from './scoring.ts';

/**
 * Spot checks ("grade the grader"): a lead re-grades a share of each reviewer's reviews, blind,
 * and each reviewer is reported against the lead. The lead's review is the reference; spot-check
 * reviews never count toward IQS.
 */

export interface SpotCheckPair {
  reviewerId: string;
  /** The reviewer's score and ratings. */
  score: number | null;
  ratings: readonly Rating[];
  /** The lead's score and ratings on the same conversation, same scorecard version. */
  leadScore: number | null;
  leadRatings: readonly Rating[];
}

export interface ReviewerAgreement {
  reviewerId: string;
  /** Spot-checked reviews. */
  checked: number;
  /** Category ratings compared (N/A counts as a value: both N/A agree, one N/A disagrees). */
  ratingsCompared: number;
  /** Share of category ratings equal to the lead's, 0-1. */
  exactAgreement: number | null;
  /** Cohen's kappa of the category ratings against the lead's (N/A as its own label). */
  kappa: number | null;
  /** Mean of (reviewer's score - lead's score): positive = more lenient than the lead. */
  meanScoreDifference: number | null;
  /** Mean of |reviewer's score - lead's score|. */
  meanAbsoluteDifference: number | null;
}

/**
 * Each reviewer's agreement with the lead over their spot-checked reviews, reviewers in id order.
 *
 * @example
 * reviewerAgreement([{ reviewerId: 'r1', score: 80, ratings: [{ categoryId: 'tone', rating: 4 }], leadScore: 60, leadRatings: [{ categoryId: 'tone', rating: 3 }] }]);
 * // [{ reviewerId: 'r1', checked: 1, ratingsCompared: 1, exactAgreement: 0, kappa: null, meanScoreDifference: 20, meanAbsoluteDifference: 20 }]
 */
export function reviewerAgreement(pairs: readonly SpotCheckPair[]): ReviewerAgreement[] {
  const byReviewer = new Map<string, SpotCheckPair[]>();
  for (const pair of pairs) byReviewer.set(pair.reviewerId, [...(byReviewer.get(pair.reviewerId) ?? []), pair]);
  return [...byReviewer.keys()].sort().map((reviewerId) => {
    const mine = byReviewer.get(reviewerId)!;
    const a: string[] = [];
    const b: string[] = [];
    for (const pair of mine) {
      const lead = new Map(pair.leadRatings.map((r) => [r.categoryId, r.rating]));
      for (const r of pair.ratings) {
        if (!lead.has(r.categoryId)) continue;
        a.push(label(r.rating));
        b.push(label(lead.get(r.categoryId)!));
      }
    }
    const diffs = mine.filter((p) => p.score !== null && p.leadScore !== null).map((p) => p.score! - p.leadScore!);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
    return {
      reviewerId,
      checked: mine.length,
      ratingsCompared: a.length,
      exactAgreement: a.length ? a.filter((x, i) => x === b[i]).length / a.length : null,
      kappa: a.length ? cohenKappa(a, b) : null,
      meanScoreDifference: mean(diffs),
      meanAbsoluteDifference: mean(diffs.map(Math.abs)),
    };
  });
}

const label = (rating: number | null) => (rating === null ? 'n/a' : String(rating));

/**
 * Which reviews a lead re-grades: per reviewer, ceil(share x their reviews) of them (at least one
 * when they have any), drawn with a seeded shuffle of the review ids so the choice is reproducible.
 * The lead's own reviews are never picked.
 *
 * @example
 * pickSpotChecks([{ id: 'v1', reviewerId: 'r1' }, { id: 'v2', reviewerId: 'r1' }], { share: 0.5, seed: 3, leadId: 'lead' }); // one of v1, v2
 */
export function pickSpotChecks(
  reviews: readonly { id: string; reviewerId: string }[],
  options: { share: number; seed: number; leadId: string },
): { id: string; reviewerId: string }[] {
  if (!(options.share > 0 && options.share <= 1)) throw new QaError(`the spot-check share must be above 0 and at most 1, got ${options.share}`);
  const byReviewer = new Map<string, string[]>();
  for (const r of reviews) {
    if (r.reviewerId === options.leadId) continue;
    byReviewer.set(r.reviewerId, [...(byReviewer.get(r.reviewerId) ?? []), r.id]);
  }
  const out: { id: string; reviewerId: string }[] = [];
  for (const reviewerId of [...byReviewer.keys()].sort()) {
    const ids = byReviewer.get(reviewerId)!.slice().sort();
    const take = Math.ceil(options.share * ids.length);
    for (const id of seededShuffler(options.seed).shuffle(ids).slice(0, take)) out.push({ id, reviewerId });
  }
  return out;
}
