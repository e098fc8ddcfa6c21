import { QaError, scales, type Category, type ScorecardDefinition } from './qa-scorecard.ts';

/**
 * The Zendesk QA (formerly Klaus) arithmetic, so that our numbers compare with theirs:
 * - category score = (rating - scale min) / (scale max - scale min) x 100
 * - review score = weighted mean of the rated categories' scores, N/A left out
 * - any critical category under 50 % makes the review score 0
 * - IQS = plain mean of review scores; pass rate = reviews at or above the baseline / reviews
 */

/** One rating on a review: a number on the category's scale, or null for N/A. */
export interface Rating {
  categoryId: string;
  rating: number | null;
  comment?: string;
}

export interface ReviewScore {
  /** 0-100, or null when every category was N/A (such a review does not count toward IQS). */
  score: number | null;
  criticalFailed: boolean;
  categoryScores: Record<string, number | null>;
  /** Weighted mean per category group (ungrouped categories are left out). */
  groupScores: Record<string, number | null>;
}

/**
 * The 0-100 score of one rating on a category's scale.
 *
 * @example
 * categoryScore({ scale: '4-point' } as Category, 3); // (3 - 1) / (4 - 1) x 100 = 66.67
 */
export function categoryScore(category: Pick<Category, 'scale' | 'id'>, rating: number): number {
  const { min, max } = scales[category.scale];
  if (!Number.isInteger(rating) || rating < min || rating > max) {
    throw new QaError(`category "${category.id}": rating ${rating} is not on its ${category.scale} scale (${min}-${max})`);
  }
  return ((rating - min) / (max - min)) * 100;
}

/**
 * Scores one review against the scorecard version it was graded with. Every category needs a
 * rating or an explicit N/A, so a forgotten category is an error rather than a silent N/A.
 *
 * @example
 * reviewScore(card, [{ categoryId: 'tone', rating: 5 }, { categoryId: 'solution', rating: null }]);
 */
export function reviewScore(card: ScorecardDefinition, ratings: readonly Rating[]): ReviewScore {
  const byId = new Map<string, Rating>();
  for (const rating of ratings) {
    if (byId.has(rating.categoryId)) throw new QaError(`category "${rating.categoryId}" is rated twice`);
    byId.set(rating.categoryId, rating);
  }
  const known = new Set(card.categories.map((c) => c.id));
  for (const id of byId.keys()) if (!known.has(id)) throw new QaError(`scorecard "${card.id}" has no category "${id}"`);

  const categoryScores: Record<string, number | null> = {};
  let criticalFailed = false;
  for (const category of card.categories) {
    const given = byId.get(category.id);
    if (!given) throw new QaError(`category "${category.id}" has no rating (rate it or mark it N/A)`);
    if (given.rating === null) {
      if (!category.allowNa) throw new QaError(`category "${category.id}" cannot be N/A`);
      categoryScores[category.id] = null;
      continue;
    }
    const score = categoryScore(category, given.rating);
    categoryScores[category.id] = score;
    if (category.critical && score < 50) criticalFailed = true;
  }
  const mean = weightedMean(card.categories, categoryScores);
  const groupScores: Record<string, number | null> = {};
  for (const group of new Set(card.categories.flatMap((c) => (c.group ? [c.group] : [])))) {
    groupScores[group] = weightedMean(card.categories.filter((c) => c.group === group), categoryScores);
  }
  return { score: mean === null ? null : criticalFailed ? 0 : mean, criticalFailed, categoryScores, groupScores };
}

function weightedMean(categories: readonly Category[], scores: Record<string, number | null>): number | null {
  let sum = 0;
  let weights = 0;
  for (const category of categories) {
    const score = scores[category.id];
    if (score === null || score === undefined) continue;
    sum += score * category.weight;
    weights += category.weight;
  }
  return weights === 0 ? null : sum / weights;
}

/**
 * Internal Quality Score: the mean of review scores (reviews with no score are left out).
 *
 * @example
 * iqs([100, 9.91, 63.96, 90.99, 0]); // 52.972
 */
export function iqs(scores: readonly (number | null)[]): number | null {
  const counted = scores.filter((s): s is number => s !== null);
  return counted.length === 0 ? null : counted.reduce((a, b) => a + b, 0) / counted.length;
}

/**
 * Share of reviews scoring at or above the baseline (default 80), in percent.
 *
 * @example
 * passRate([100, 79.9, 80]); // 66.67
 */
export function passRate(scores: readonly (number | null)[], baseline = 80): number | null {
  const counted = scores.filter((s): s is number => s !== null);
  return counted.length === 0 ? null : (counted.filter((s) => s >= baseline).length / counted.length) * 100;
}
