/**
 * The mergeable quantile sketch of the rollup (rollup-sql.ts): a log-bucketed histogram, the
 * DDSketch of Masson, Rim and Lee (VLDB 2019) with its logarithmic mapping, as in Datadog's
 * `@datadog/sketches-js` (the tests check the two agree bucket for bucket). A value x > 0 falls in
 * bucket k = ceil(log_γ x) with γ = (1 + α) / (1 - α), the bucket (γ^(k-1), γ^k]; the bucket is
 * represented by γ^(k-1)·(1 + α), within α of every value in it (relative). Negative values mirror
 * it, 0 is a bucket of its own. Bucket counts add, so sketches merge by summing counts per bucket:
 * DuckDB does it in SQL with `histogram` and the rollup stores the result per cell. DuckDB's own
 * approx_quantile and reservoir_quantile states cannot be stored in a table, so they cannot serve.
 *
 * The quantile interpolates like DuckDB's `quantile_cont` (the facts path): with n values and
 * h = q·(n - 1), x(floor h) + (h - floor h)·(x(ceil h) - x(floor h)), where x(j) is the value of
 * rank j. Buckets keep the order of values, so the bucket holding rank j in the sketch holds the
 * true x(j): each term is within α of the exact one, and so is their interpolation whenever both
 * are of one sign (durations are >= 0). Error bound: |estimate - exact| <= α·|exact|.
 */

/** Relative accuracy α of the sketch: 1 %. */
export const sketchRelativeAccuracy = 0.01;
const gamma = (1 + sketchRelativeAccuracy) / (1 - sketchRelativeAccuracy);
/** 1 / ln γ, written into the SQL with every digit so DuckDB and this module use the same number. */
const multiplier = 1 / Math.log(gamma);

/** One bucket: sign (-1, 0, 1), index and count, as DuckDB's histogram returns it. */
export interface SketchBucket {
  key: { s: number; k: number };
  value: number | bigint;
}

/**
 * SQL for the bucket of `x` (a STRUCT(s, k)), for DuckDB's `histogram` aggregate.
 *
 * @example
 * `histogram(${bucketKeySql('frt_s')}) FILTER (WHERE frt_s IS NOT NULL)` // MAP(STRUCT(s, k), count)
 */
export function bucketKeySql(x: string): string {
  const index = (v: string) => `CAST(ceil(ln(${v}) * CAST(${multiplier} AS DOUBLE)) AS INTEGER)`;
  return `CASE WHEN ${x} > 0 THEN {'s': 1, 'k': ${index(x)}} WHEN ${x} < 0 THEN {'s': -1, 'k': ${index(`-(${x})`)}} ELSE {'s': 0, 'k': 0} END`;
}

/** The bucket of a value, as bucketKeySql computes it (for tests and hand checks). */
export function bucketOf(x: number): { s: number; k: number } {
  if (x === 0) return { s: 0, k: 0 };
  return { s: Math.sign(x), k: Math.ceil(Math.log(Math.abs(x)) * multiplier) };
}

/** The value a bucket stands for: γ^(k-1)·(1 + α), signed; 0 for the zero bucket. */
export function bucketValue(key: { s: number; k: number }): number {
  if (key.s === 0) return 0;
  return key.s * Math.pow(gamma, key.k - 1) * (1 + sketchRelativeAccuracy);
}

/**
 * The q-quantiles (0..1, interpolated as quantile_cont) of a merged sketch given as buckets,
 * possibly repeated (the same bucket from several cells): counts of equal buckets add. Null when
 * empty.
 *
 * @example
 * sketchQuantiles([{ key: { s: 1, k: 0 }, value: 2 }], [0.5]) // [0.99 * (1 + 0.01)...] (bucket value)
 */
export function sketchQuantiles(buckets: readonly SketchBucket[], qs: readonly number[]): number[] | null {
  const merged = new Map<string, { value: number; n: number }>();
  for (const b of buckets) {
    const id = `${b.key.s}:${b.key.k}`;
    const seen = merged.get(id);
    if (seen) seen.n += Number(b.value);
    else merged.set(id, { value: bucketValue(b.key), n: Number(b.value) });
  }
  const sorted = [...merged.values()].filter((b) => b.n > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, b) => sum + b.n, 0);
  if (total === 0) return null;
  // The value at 0-based rank j: the bucket whose cumulative count first exceeds j.
  const at = (j: number): number => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.n;
      if (j < seen) return b.value;
    }
    return sorted[sorted.length - 1].value;
  };
  return qs.map((q) => {
    const h = q * (total - 1);
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    const a = at(lo);
    return lo === hi ? a : a + (h - lo) * (at(hi) - a);
  });
}
