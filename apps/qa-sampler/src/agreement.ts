/**
 * Inter-rater agreement for calibration: Krippendorff's alpha (any number of raters, missing
 * ratings allowed; ordinal metric by default, since QA ratings are ordered scale points) and
 * Cohen's kappa for exactly two raters. Formulas follow Krippendorff (2011), "Computing
 * Krippendorff's Alpha-Reliability", via the coincidence matrix, and Cohen (1960).
 */

export type Metric = 'nominal' | 'ordinal' | 'interval';

/**
 * Krippendorff's alpha. `units` holds, per unit (conversation), the values the raters gave;
 * null/undefined is a missing rating. Units with fewer than two values are not pairable and are
 * left out. Returns null when nothing is pairable or every value is the same (alpha undefined).
 *
 * @example
 * krippendorffAlpha([[1, 1], [2, 3], [3, 3]], 'ordinal');
 */
export function krippendorffAlpha(units: readonly (readonly (number | null | undefined)[])[], metric: Metric = 'ordinal'): number | null {
  const values = [...new Set(units.flat().filter((v): v is number => v !== null && v !== undefined))].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const k = values.length;
  // Coincidence matrix: each ordered pair of values within a unit adds 1 / (m_u - 1).
  const o = Array.from({ length: k }, () => new Float64Array(k));
  for (const unit of units) {
    const present = unit.filter((v): v is number => v !== null && v !== undefined);
    const m = present.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i !== j) o[index.get(present[i])!][index.get(present[j])!] += 1 / (m - 1);
      }
    }
  }
  const nc = o.map((row) => row.reduce((a, b) => a + b, 0));
  const n = nc.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const delta = distance(metric, values, nc);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      observed += o[c][d] * delta(c, d);
      expected += nc[c] * nc[d] * delta(c, d);
    }
  }
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

/** Squared difference function δ²(c, d) between value indexes, per level of measurement. */
function distance(metric: Metric, values: number[], nc: number[]): (c: number, d: number) => number {
  if (metric === 'nominal') return (c, d) => (c === d ? 0 : 1);
  if (metric === 'interval') return (c, d) => (values[c] - values[d]) ** 2;
  // Ordinal: (sum of n_g for g from c to d, minus (n_c + n_d) / 2)², using only values that occur.
  const cumulative = [0];
  for (const count of nc) cumulative.push(cumulative[cumulative.length - 1] + count);
  return (c, d) => {
    const [lo, hi] = c <= d ? [c, d] : [d, c];
    return (cumulative[hi + 1] - cumulative[lo] - (nc[lo] + nc[hi]) / 2) ** 2;
  };
}

/**
 * Cohen's kappa for two raters over the same units (pairs with a missing side are left out):
 * (p_o - p_e) / (1 - p_e). Returns null with no pairs, or when chance agreement is 1.
 *
 * @example
 * cohenKappa(['yes', 'no', 'yes'], ['yes', 'no', 'no']);
 */
export function cohenKappa<T>(a: readonly (T | null | undefined)[], b: readonly (T | null | undefined)[]): number | null {
  if (a.length !== b.length) throw new RangeError(`both raters need the same units (${a.length} vs ${b.length})`);
  const pairs: [T, T][] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== null && a[i] !== undefined && b[i] !== null && b[i] !== undefined) pairs.push([a[i] as T, b[i] as T]);
  }
  const n = pairs.length;
  if (n === 0) return null;
  const countA = new Map<T, number>();
  const countB = new Map<T, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    countA.set(x, (countA.get(x) ?? 0) + 1);
    countB.set(y, (countB.get(y) ?? 0) + 1);
    if (x === y) agree++;
  }
  const po = agree / n;
  let pe = 0;
  for (const [label, count] of countA) pe += (count / n) * ((countB.get(label) ?? 0) / n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}
