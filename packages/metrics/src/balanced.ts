import { qaMargin, qaTooSmallToRank } from './qa-rank-rule.ts';
import type { ScorecardRow } from './scorecard-row.ts';

/**
 * Balanced speed versus resolution: each row gets a speed index and a quality index, its mean
 * percentile rank among its peers (0 worst, 1 best), and a "fast but failing" flag for rows in
 * the top quartile of speed and the bottom quartile of quality among the same peers, so that
 * nobody wins by being fast and wrong. Missing values are skipped; an index needs at least one
 * input.
 *
 * Peers: when the rows are people (agent or team) per channel, each row is ranked among the rows
 * of its channel: an email agent's hours against other email agents, never against a chat
 * agent's seconds. Otherwise (rows per channel only, or people across channels) among all rows.
 *
 * The QA score counts in the quality index only where it has enough reviews to rank, by the QA
 * dashboard's rule (`qaTooSmallToRank` over `qa_reviews` and the margin from `qa_score_sd`);
 * `qa_in_quality_index` says 1 when it counted, 0 when the row has a QA score that did not, and
 * null when the row has no QA score.
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

/** Whether a row's QA score is enough to rank: 1, 0, or null without a QA score. */
function qaCounts(row: ScorecardRow): 0 | 1 | null {
  if (typeof row.qa_score !== 'number') return null;
  const n = typeof row.qa_reviews === 'number' ? row.qa_reviews : 0;
  const sd = typeof row.qa_score_sd === 'number' ? row.qa_score_sd : null;
  return qaTooSmallToRank(n, qaMargin(n, sd)) === null ? 1 : 0;
}

/** The peer group of each row: its channel when rows are people per channel, else one group. */
function peerKey(rows: ScorecardRow[]): (row: ScorecardRow) => string {
  const perChannel = rows.length > 0 && rows.every((r) => 'channel' in r) && rows.some((r) => 'agent' in r || 'team' in r);
  return perChannel ? (row) => String(row.channel ?? '') : () => '';
}

function balanceGroup(rows: ScorecardRow[]): ScorecardRow[] {
  const speed = index(rows, speedInputs);
  const qa = rows.map(qaCounts);
  // The QA score enters the ranks only where it counts; elsewhere it is as if there were none.
  const quality = index(rows.map((r, i) => (qa[i] === 1 ? r : { ...r, qa_score: null })), qualityInputs);
  // Quartiles of fewer than four rows say nothing, so the flag stays empty then.
  const rated = rows.filter((_, i) => speed[i] !== null && quality[i] !== null).length;
  const topSpeed = rated >= 4 ? quantile(speed.filter((v): v is number => v !== null), 0.75) : null;
  const bottomQuality = rated >= 4 ? quantile(quality.filter((v): v is number => v !== null), 0.25) : null;
  return rows.map((row, i) => ({
    ...row,
    speed_index: speed[i],
    quality_index: quality[i],
    qa_in_quality_index: qa[i],
    fast_but_failing:
      speed[i] === null || quality[i] === null || topSpeed === null || bottomQuality === null
        ? null
        : speed[i]! >= topSpeed && quality[i]! <= bottomQuality ? 1 : 0,
  }));
}

/**
 * Adds speed_index, quality_index, qa_in_quality_index and fast_but_failing to every row, rows
 * kept in their order.
 *
 * @example
 * balance([{ agent: 'a', first_response_time: 60, fcr: 0.4 }, ...])
 */
export function balance(rows: ScorecardRow[]): ScorecardRow[] {
  const key = peerKey(rows);
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => groups.set(key(row), [...(groups.get(key(row)) ?? []), i]));
  const out: ScorecardRow[] = new Array(rows.length);
  for (const members of groups.values()) {
    const balanced = balanceGroup(members.map((i) => rows[i]));
    members.forEach((i, k) => (out[i] = balanced[k]));
  }
  return out;
}
