import { outcomeRate, qaRankRule, qaTooSmallToRank } from '@helpdesk/metrics';
import { meanInterval } from './confidence.ts';
import { passRate } from './scoring.ts';

export const scoreGroupings = ['agent', 'team', 'channel'] as const;
export type ScoreGrouping = (typeof scoreGroupings)[number];

/**
 * One counted review with the outcomes of the conversation it graded, from the metrics outcome
 * reader: each KPI membership is null when the conversation is not in that KPI's denominator
 * (FCR counts resolved contacts, repeat contact contacts of known customers, CSAT rated ones).
 */
export interface ScoredReview {
  key: string;
  score: number;
  /** The CSAT rating 1-5 (for the correlation with the review score). */
  csat: number | null;
  csatPositive: boolean | null;
  repeatContact: boolean | null;
  firstContactResolved: boolean | null;
}

export interface ScoreRow {
  key: string;
  reviews: number;
  iqs: number;
  low: number | null;
  high: number | null;
  margin: number | null;
  passRate: number;
  /** False when the sample is too small to rank this group against others (see `rankable`). */
  rankable: boolean;
  warning: string | null;
  /** The registry's CSAT, repeat contact rate and FCR over the reviewed conversations, in percent. */
  outcomes: { csat: number | null; csatResponses: number; repeatContactRate: number | null; fcrRate: number | null };
}

/**
 * IQS per group with a 95 % t-interval, pass rate, and the outcomes of the same conversations
 * (CSAT, repeat contact, first-contact resolution, as the KPI registry defines them: the
 * scorecard over the same conversations gives the same figures), so that quality can be read
 * against results.
 * A group is not rankable with fewer than `minReviews` reviews or a margin wider than `maxMargin`
 * points: its interval overlaps too much to put it above or below another.
 *
 * @example
 * scoreRows(reviews, { baseline: 80 }); // [{ key: 'a1', reviews: 5, iqs: 80, low: 60.4, high: 99.6, ... }]
 */
export function scoreRows(
  reviews: readonly ScoredReview[],
  options: { baseline?: number; minReviews?: number; maxMargin?: number } = {},
): ScoreRow[] {
  const { baseline = 80, minReviews = qaRankRule.minReviews, maxMargin = qaRankRule.maxMargin } = options;
  const groups = new Map<string, ScoredReview[]>();
  for (const r of reviews) groups.set(r.key, [...(groups.get(r.key) ?? []), r]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => {
      const scores = list.map((r) => r.score);
      const ci = meanInterval(scores);
      const percent = (rate: number | null) => (rate === null ? null : rate * 100);
      const warning = qaTooSmallToRank(list.length, ci.margin, { minReviews, maxMargin });
      return {
        key,
        reviews: list.length,
        iqs: ci.mean!,
        low: ci.low,
        high: ci.high,
        margin: ci.margin,
        passRate: passRate(scores, baseline)!,
        rankable: warning === null,
        warning,
        outcomes: {
          csat: percent(outcomeRate(list.map((r) => r.csatPositive))),
          csatResponses: list.filter((r) => r.csatPositive !== null).length,
          repeatContactRate: percent(outcomeRate(list.map((r) => r.repeatContact))),
          fcrRate: percent(outcomeRate(list.map((r) => r.firstContactResolved))),
        },
      };
    });
}

/**
 * Pearson correlation of paired values (pairs with a null left out); null under three pairs or
 * with no variation. Shows leadership whether higher QA scores go with better outcomes.
 *
 * @example
 * pearson([1, 2, 3], [2, 4, 7]); // 0.99
 */
export function pearson(xs: readonly (number | null)[], ys: readonly (number | null)[]): number | null {
  const pairs = xs.flatMap((x, i) => (x !== null && ys[i] !== null && ys[i] !== undefined ? [[x, ys[i] as number] as const] : []));
  if (pairs.length < 3) return null;
  const mx = pairs.reduce((a, [x]) => a + x, 0) / pairs.length;
  const my = pairs.reduce((a, [, y]) => a + y, 0) / pairs.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

export interface CorrelationEstimate {
  r: number;
  /** Pairs behind it. */
  n: number;
  /** 95 % interval (Fisher z); null under four pairs. */
  low: number | null;
  high: number | null;
}

/** Two-sided 97.5 % point of the standard normal. */
const z975 = 1.959963984540054;

/**
 * Pearson's r with its 95 % confidence interval by Fisher's z transform:
 * tanh(atanh(r) ± 1.96 / sqrt(n - 3)). Null where `pearson` is null.
 *
 * @example
 * correlationEstimate(xs, ys); // r 0.5 over 28 pairs -> { r: 0.5, n: 28, low: 0.156, high: 0.736 }
 */
export function correlationEstimate(xs: readonly (number | null)[], ys: readonly (number | null)[]): CorrelationEstimate | null {
  const r = pearson(xs, ys);
  if (r === null) return null;
  const n = xs.filter((x, i) => x !== null && ys[i] !== null && ys[i] !== undefined).length;
  if (n < 4) return { r, n, low: null, high: null };
  // |r| = 1 would make atanh infinite; the interval is then the point itself.
  const z = Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, r)));
  const half = z975 / Math.sqrt(n - 3);
  return { r, n, low: Math.tanh(z - half), high: Math.tanh(z + half) };
}
