import { studentTQuantile } from './student-t.ts';

/**
 * When a QA score is "enough" to rank: the one rule shared by the QA dashboard (which marks a
 * group "too small to rank") and the balanced report's quality index (which counts the QA score
 * only then). Enough means at least `minReviews` reviews and a 95 % t-interval margin of error of
 * at most `maxMargin` IQS points: below that, intervals overlap too much to put one group above
 * another.
 */
export const qaRankRule = { minReviews: 5, maxMargin: 10 } as const;

/**
 * Half-width of the 95 % Student t-interval of a mean of `n` scores with sample standard
 * deviation `sd`: t(0.975, n - 1) x sd / sqrt(n); null under two scores.
 *
 * @example
 * qaMargin(5, 15.8114); // 2.7764 x 15.8114 / 2.2361 = 19.63
 */
export function qaMargin(n: number, sd: number | null, level = 0.95): number | null {
  if (n < 2 || sd === null || !Number.isFinite(sd)) return null;
  return studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
}

/**
 * Why a QA score is too small to rank, or null when it is enough.
 *
 * @example
 * qaTooSmallToRank(3, null); // 'only 3 reviews (need 5 to rank)'
 * qaTooSmallToRank(12, 4.2); // null
 */
export function qaTooSmallToRank(
  reviews: number,
  margin: number | null,
  rule: { minReviews?: number; maxMargin?: number } = {},
): string | null {
  const { minReviews = qaRankRule.minReviews, maxMargin = qaRankRule.maxMargin } = rule;
  if (reviews < minReviews) return `only ${reviews} review${reviews === 1 ? '' : 's'} (need ${minReviews} to rank)`;
  if ((margin ?? Infinity) > maxMargin) return `margin of error ±${margin === null ? '∞' : margin.toFixed(1)} points is wider than ±${maxMargin}; too uncertain to rank`;
  return null;
}
