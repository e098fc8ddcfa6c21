import { DDSketch } from '@datadog/sketches-js';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { bucketKeySql, bucketOf, sketchQuantiles, sketchRelativeAccuracy, type SketchBucket } from '../src/quantile-sketch.ts';

/** Buckets of a list of values, counted here (one bucket per distinct key). */
function bucketsOf(values: number[]): SketchBucket[] {
  const counts = new Map<string, SketchBucket>();
  for (const v of values) {
    const key = bucketOf(v);
    const id = `${key.s}:${key.k}`;
    const seen = counts.get(id);
    if (seen) seen.value = Number(seen.value) + 1;
    else counts.set(id, { key, value: 1 });
  }
  return [...counts.values()];
}

describe('the rollup quantile sketch', () => {
  it('gives the hand-worked median and p90 of a small list, within 1 %', () => {
    // alpha = 0.01, gamma = 1.01 / 0.99, ln gamma = ln 1.01 - ln 0.99 = 0.00995033 + 0.01005034 = 0.02000067.
    // 100: ln 100 / ln gamma = 4.6051702 / 0.02000067 = 230.25 -> bucket 231, stands for
    //      gamma^230 * 1.01 = exp(4.6001533) * 1.01 = 99.499571 * 1.01 = 100.494568.
    // 200: 5.2983174 / 0.02000067 = 264.91 -> bucket 265, gamma^264 * 1.01 = 196.404442 * 1.01 = 198.368486.
    // Sorted 0, 50, 100, 100, 200 (n = 5): median rank 0.5 * 4 = 2 -> 100 (sketch 100.494568);
    // p90 rank 0.9 * 4 = 3.6 -> 100 + 0.6 * (200 - 100) = 160 exact, sketch
    // 100.494568 + 0.6 * (198.368486 - 100.494568) = 159.218919; 0 stays 0 (its own bucket).
    const [q0, median, p90] = sketchQuantiles(bucketsOf([100, 100, 200, 0, 50]), [0, 0.5, 0.9])!;
    expect(q0).toBe(0);
    expect(median).toBeCloseTo(100.494568, 5);
    expect(p90).toBeCloseTo(159.218919, 5);
    expect(Math.abs(median - 100) / 100).toBeLessThanOrEqual(sketchRelativeAccuracy);
    expect(Math.abs(p90 - 160) / 160).toBeLessThanOrEqual(sketchRelativeAccuracy);
  });

  it('merges by adding counts: two halves give the sketch of the whole', () => {
    const a = bucketsOf([3, 7, 7, 120, 4000]);
    const b = bucketsOf([7, 90, 90, 15000]);
    expect(sketchQuantiles([...a, ...b], [0.5, 0.9])).toEqual(sketchQuantiles(bucketsOf([3, 7, 7, 120, 4000, 7, 90, 90, 15000]), [0.5, 0.9]));
    expect(sketchQuantiles([], [0.5])).toBeNull();
  });

  it("agrees with Datadog's DDSketch at whole ranks, and stays within 1 % of the exact quantile", () => {
    // A seeded log-normal-ish spread of durations from 1 s to days, with ties and zeros.
    let seed = 17;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const values = Array.from({ length: 2001 }, (_, n) => (n % 50 === 0 ? 0 : Math.round(Math.exp(random() * 12) * 10) / 10));
    const reference = new DDSketch({ relativeAccuracy: sketchRelativeAccuracy });
    for (const v of values) reference.accept(v);
    const sorted = [...values].sort((x, y) => x - y);
    // Whole ranks: q * 2000 is an integer, so no interpolation on either side.
    for (const q of [0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      const [ours] = sketchQuantiles(bucketsOf(values), [q])!;
      expect(ours).toBeCloseTo(reference.getValueAtQuantile(q), 6);
      const exact = sorted[Math.round(q * 2000)];
      expect(Math.abs(ours - exact)).toBeLessThanOrEqual(sketchRelativeAccuracy * exact + 1e-9);
    }
  });

  it('puts a value in the same bucket in DuckDB as here', async () => {
    const wh = await Warehouse.open(':memory:');
    try {
      const values = [0, 0.25, 1, 59.9, 60, 3600, 86_399.5, 1e7, -42];
      const rows = await wh.all<{ v: number; key: { s: number; k: number } }>(
        `SELECT v, ${bucketKeySql('v')} AS key FROM unnest([${values.map((v) => `CAST(${v} AS DOUBLE)`).join(', ')}]) AS t(v) ORDER BY v`,
      );
      for (const row of rows) expect(row.key).toEqual(bucketOf(row.v));
    } finally {
      wh.close();
    }
  });
});
