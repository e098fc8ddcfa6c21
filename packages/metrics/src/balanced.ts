import type { ScorecardRow } from './scorecard-row.ts';

/**
 * Balanced speed versus resolution: each row gets a speed index and a quality index, its mean
 * percentile rank among the rows of the same report (0 worst, 1 best), and a "fast but failing"
 * flag for rows in the top quartile of speed and the bottom quartile of quality, so that nobody
 * wins by being fast and wrong. Missing values are skipped; an index needs at least one input.
 */
const speedInputs: Array<[string, 'lower' | 'higher']> = [
  ['first_response_time', 'lower'],
  ['time_to_resolution', 'lower'],
];
const qualityInputs: Array<[string, 'lower' | 'higher']> = [
  ['fcr', 'higher'],
  ['reopen_rate', 'lower'],
  ['repeat_contact_rate', 'lower'],
  ['csat', 'higher'],
  ['qa_score', 'higher'],
];

/**
 * Percentile rank of each value among the non-null values (ties share the mid rank), oriented so
 * that 1 is best.
 *
 * @example
 * percentileRanks([10, 20, 30], 'lower') // [1, 0.5, 0]
 */
export function percentileRanks(values: Array<number | null>, better: 'lower' | 'higher'): Array<number | null> {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = present.length;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    if (n === 1) return 0.5;
    const worse = present.filter((x) => (better === 'lower' ? x > v : x < v)).length;
    const ties = present.filter((x) => x === v).length - 1;
    return (worse + ties / 2) / (n - 1);
  });
}

/**
 * Linear-interpolation quantile (type 7, as in R and numpy).
 *
 * @example
 * quantile([1, 2, 3, 4], 0.75) // 3.25
 */
export function quantile(values: number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function index(rows: ScorecardRow[], inputs: Array<[string, 'lower' | 'higher']>): Array<number | null> {
  const ranks = inputs.map(([id, better]) => percentileRanks(rows.map((r) => (typeof r[id] === 'number' ? (r[id] as number) : null)), better));
  return rows.map((_, i) => {
    const mine = ranks.map((r) => r[i]).filter((v): v is number => v !== null);
    return mine.length ? mine.reduce((a, b) => a + b, 0) / mine.length : null;
  });
}

/**
 * Adds speed_index, quality_index and fast_but_failing to every row.
 *
 * @example
 * balance([{ agent: 'a', first_response_time: 60, fcr: 0.4 }, ...])
 */
export function balance(rows: ScorecardRow[]): ScorecardRow[] {
  const speed = index(rows, speedInputs);
  const quality = index(rows, qualityInputs);
  // Quartiles of fewer than four rows say nothing, so the flag stays empty then.
  const rated = rows.filter((_, i) => speed[i] !== null && quality[i] !== null).length;
  const topSpeed = rated >= 4 ? quantile(speed.filter((v): v is number => v !== null), 0.75) : null;
  const bottomQuality = rated >= 4 ? quantile(quality.filter((v): v is number => v !== null), 0.25) : null;
  return rows.map((row, i) => ({
    ...row,
    speed_index: speed[i],
    quality_index: quality[i],
    fast_but_failing:
      speed[i] === null || quality[i] === null || topSpeed === null || bottomQuality === null
        ? null
        : speed[i]! >= topSpeed && quality[i]! <= bottomQuality ? 1 : 0,
  }));
}
