import { outcomeRate } from '@helpdesk/metrics';
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
  const { baseline = 80, minReviews = 5, maxMargin = 10 } = options;
  const groups = new Map<string, ScoredReview[]>();
  for (const r of reviews) groups.set(r.key, [...(groups.get(r.key) ?? []), r]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => {
      const scores = list.map((r) => r.score);
      const ci = meanInterval(scores);
      const percent = (rate: number | null) => (rate === null ? null : rate * 100);
      let warning: string | null = null;
      if (list.length < minReviews) warning = `only ${list.length} review${list.length === 1 ? '' : 's'} (need ${minReviews} to rank)`;
      else if ((ci.margin ?? Infinity) > maxMargin) warning = `margin of error ±${ci.margin!.toFixed(1)} points is wider than ±${maxMargin}; too uncertain to rank`;
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
