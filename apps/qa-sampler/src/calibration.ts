import { cohenKappa, krippendorffAlpha } from './agreement.ts';
import type { ScorecardDefinition } from './qa-scorecard.ts';
import type { Rating } from './scoring.ts';

export interface CalibrationReview {
  reviewerId: string;
  interactionId: string;
  score: number | null;
  ratings: readonly Rating[];
}

export interface CalibrationReport {
  reviewers: string[];
  interactions: string[];
  /** Per category: Krippendorff's alpha (ordinal) over all reviewers, Cohen's kappa when exactly two. */
  categories: { categoryId: string; name: string; alpha: number | null; kappa: number | null; pairableConversations: number }[];
  /** Krippendorff's alpha (interval) on the review scores themselves. */
  scoreAlpha: number | null;
  /** Each reviewer against the consensus (the median review score of the conversation). */
  deviations: { reviewerId: string; reviews: number; meanDeviation: number | null; meanAbsoluteDeviation: number | null }[];
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Agreement of a calibration session: several reviewers grading the same conversations.
 *
 * @example
 * calibrationReport(card, [{ reviewerId: 'r1', interactionId: 'i1', score: 80, ratings }, ...]);
 */
export function calibrationReport(card: ScorecardDefinition, reviews: readonly CalibrationReview[]): CalibrationReport {
  const reviewers = [...new Set(reviews.map((r) => r.reviewerId))].sort();
  const interactions = [...new Set(reviews.map((r) => r.interactionId))].sort();
  const find = (interactionId: string, reviewerId: string) => reviews.find((r) => r.interactionId === interactionId && r.reviewerId === reviewerId);

  const categories = card.categories.map((category) => {
    const units = interactions.map((i) =>
      reviewers.map((r) => find(i, r)?.ratings.find((x) => x.categoryId === category.id)?.rating ?? null),
    );
    const kappa = reviewers.length === 2 ? cohenKappa(units.map((u) => u[0]), units.map((u) => u[1])) : null;
    return {
      categoryId: category.id,
      name: category.name,
      alpha: krippendorffAlpha(units, 'ordinal'),
      kappa,
      pairableConversations: units.filter((u) => u.filter((v) => v !== null).length >= 2).length,
    };
  });

  const scoreUnits = interactions.map((i) => reviewers.map((r) => find(i, r)?.score ?? null));
  const consensus = new Map(
    interactions.map((i, k) => {
      const scores = scoreUnits[k].filter((s): s is number => s !== null);
      return [i, scores.length ? median(scores) : null];
    }),
  );
  const deviations = reviewers.map((reviewerId) => {
    const diffs = reviews
      .filter((r) => r.reviewerId === reviewerId && r.score !== null && consensus.get(r.interactionId) !== null)
      .map((r) => r.score! - consensus.get(r.interactionId)!);
    return {
      reviewerId,
      reviews: reviews.filter((r) => r.reviewerId === reviewerId).length,
      meanDeviation: diffs.length ? diffs.reduce((a, b) => a + b, 0) / diffs.length : null,
      meanAbsoluteDeviation: diffs.length ? diffs.reduce((a, b) => a + Math.abs(b), 0) / diffs.length : null,
    };
  });
  return { reviewers, interactions, categories, scoreAlpha: krippendorffAlpha(scoreUnits, 'interval'), deviations };
}
