import { studentTQuantile } from '@helpdesk/metrics';

/**
 * Confidence intervals for IQS. We use the Student t-interval of the mean review score,
 * mean ± t(0.975, n-1) · s / √n, clipped to the 0-100 range scores live in. It is what
 * statisticians expect for a mean of a few dozen bounded scores, needs no random resampling
 * (so the dashboard shows the same interval on every load), and is honest for small n,
 * where a normal interval would be too narrow. With one review there is no interval.
 */
export interface MeanInterval {
  n: number;
  mean: number | null;
  sd: number | null;
  low: number | null;
  high: number | null;
  /** Half the width of the unclipped interval: the margin of error. */
  margin: number | null;
}

/**
 * The t-interval of the mean of `values` at `level` (default 0.95), clipped to [min, max].
 *
 * @example
 * meanInterval([80, 90, 100, 70, 60]); // { mean: 80, low: 60.37, high: 99.63, margin: 19.63, ... }
 */
export function meanInterval(values: readonly number[], options: { level?: number; min?: number; max?: number } = {}): MeanInterval {
  const { level = 0.95, min = 0, max = 100 } = options;
  const n = values.length;
  if (n === 0) return { n, mean: null, sd: null, low: null, high: null, margin: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, sd: null, low: null, high: null, margin: null };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const margin = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, low: Math.max(min, mean - margin), high: Math.min(max, mean + margin), margin };
}

/**
 * The smallest number of reviews whose 95 % t-interval has a margin of error at most `margin`
 * points, for scores with standard deviation `sd`; with `population` (the conversations there
 * are to sample) the finite population correction n / (1 + (n - 1) / N) applies.
 * When an agent has fewer than two reviews to estimate `sd` from, 25 points is a cautious prior
 * (the largest possible sd of a 0-100 score is 50, and review scores cluster far more than that).
 *
 * @example
 * sampleSizeForMargin({ margin: 10, sd: 20 }); // 18
 */
export function sampleSizeForMargin(options: { margin: number; sd?: number; level?: number; population?: number }): number {
  const { margin, sd = 25, level = 0.95, population } = options;
  if (!(margin > 0)) throw new RangeError(`the target margin of error must be positive, got ${margin}`);
  if (sd === 0) return Math.min(2, population ?? 2);
  const p = 1 - (1 - level) / 2;
  let n = 2;
  // The margin falls monotonically with n, so walk up; z gives a lower bound to start from.
  n = Math.max(2, Math.floor((1.96 * sd / margin) ** 2) - 1);
  const marginAt = (k: number) => studentTQuantile(p, k - 1) * (sd / Math.sqrt(k));
  while (marginAt(n) > margin) n++;
  while (n > 2 && marginAt(n - 1) <= margin) n--;
  if (population !== undefined) n = Math.min(population, Math.ceil(n / (1 + (n - 1) / population)));
  return n;
}
