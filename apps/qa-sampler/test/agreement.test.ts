import { describe, expect, test } from 'vitest';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { cohenKappa, krippendorffAlpha, type Metric } from '../src/agreement.ts';

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four observers,
// twelve units, values 1-5, missing data (units as rows, observers A-D as columns).
const exampleC = [
  [1, 1, null, 1],
  [2, 2, 3, 2],
  [3, 3, 3, 3],
  [3, 3, 3, 3],
  [2, 2, 2, 2],
  [1, 2, 3, 4],
  [4, 4, 4, 4],
  [1, 1, 2, 1],
  [2, 2, 2, 2],
  [null, 5, 5, 5],
  [null, null, 1, 1],
  [null, null, 3, null],
];

/**
 * A plain reference: alpha = 1 - D_o / D_e from the pairwise definition, with every pair of
 * values listed explicitly (no coincidence matrix), and the ordinal distance counted from the
 * raw pairable values.
 */
function referenceAlpha(units: (number | null)[][], metric: Metric): number {
  const pairable = units.map((u) => u.filter((v): v is number => v !== null)).filter((u) => u.length >= 2);
  const all = pairable.flat();
  const n = all.length;
  const count = (v: number) => all.filter((x) => x === v).length;
  const d2 = (a: number, b: number): number => {
    if (metric === 'nominal') return a === b ? 0 : 1;
    if (metric === 'interval') return (a - b) ** 2;
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const between = all.filter((x) => x >= lo && x <= hi).length;
    return (between - (count(lo) + count(hi)) / 2) ** 2;
  };
  let within = 0;
  for (const unit of pairable) {
    let sum = 0;
    for (let i = 0; i < unit.length; i++) for (let j = 0; j < unit.length; j++) if (i !== j) sum += d2(unit[i], unit[j]);
    within += sum / (unit.length - 1);
  }
  let across = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) across += d2(all[i], all[j]);
  return 1 - (within / n) / (across / (n * (n - 1)));
}

describe("Krippendorff's alpha", () => {
  test("equals Krippendorff's published example C: nominal 0.743, ordinal 0.815, interval 0.849", () => {
    expect(krippendorffAlpha(exampleC, 'nominal')).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(exampleC, 'ordinal')).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(exampleC, 'interval')).toBeCloseTo(0.849, 3);
  });

  test("equals Krippendorff's published example A (two observers, binary): 0.095", () => {
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    // o01 = 4 mismatched units, n0 = 14, n1 = 6, n = 20: 1 - 19 x 4 / (14 x 6) = 1 - 76/84 = 0.0952
    expect(krippendorffAlpha(a.map((v, i) => [v, b[i]]), 'nominal')).toBeCloseTo(0.0952, 4);
  });

  test('agrees with a plain pairwise implementation on random ratings with gaps', () => {
    const rng = xoroshiro128plus(20260401);
    for (let trial = 0; trial < 40; trial++) {
      const raters = uniformInt(rng, 2, 5);
      const units = Array.from({ length: uniformInt(rng, 3, 25) }, () =>
        Array.from({ length: raters }, () => (uniformInt(rng, 0, 4) === 0 ? null : uniformInt(rng, 1, 5))),
      );
      for (const metric of ['nominal', 'ordinal', 'interval'] as const) {
        const reference = referenceAlpha(units, metric);
        const alpha = krippendorffAlpha(units, metric);
        if (!Number.isFinite(reference)) expect(alpha).toBeNull();
        else expect(alpha).toBeCloseTo(reference, 9);
      }
    }
  });

  test('perfect agreement is 1 and nothing pairable is null', () => {
    expect(krippendorffAlpha([[1, 1], [3, 3], [5, 5]])).toBe(1);
    expect(krippendorffAlpha([[1, null], [null, 2]])).toBeNull();
    expect(krippendorffAlpha([[2, 2], [2, 2]])).toBeNull(); // no variation: alpha undefined
  });
});

describe("Cohen's kappa", () => {
  test('equals the worked example on Wikipedia ("Cohen\'s kappa", simple example): 0.4', () => {
    // 50 grant proposals: both yes 20, both no 15, A yes / B no 5, A no / B yes 10.
    // p_o = 35/50 = 0.7; p_yes = 0.5 x 0.6 = 0.3, p_no = 0.5 x 0.4 = 0.2, p_e = 0.5; (0.7 - 0.5) / 0.5 = 0.4
    const a = [...Array(20).fill('yes'), ...Array(15).fill('no'), ...Array(5).fill('yes'), ...Array(10).fill('no')];
    const b = [...Array(20).fill('yes'), ...Array(15).fill('no'), ...Array(5).fill('no'), ...Array(10).fill('yes')];
    expect(cohenKappa(a, b)).toBeCloseTo(0.4, 12);
  });

  test('pairs with a missing rating are left out, and unequal lengths are refused', () => {
    // remaining pairs (1,1), (2,2), (2,1): p_o = 2/3; p_e = (1/3)(2/3) + (2/3)(1/3) = 4/9; (2/3 - 4/9) / (5/9) = 0.4
    expect(cohenKappa([1, 2, null, 2], [1, 2, 3, 1])).toBeCloseTo(0.4, 12);
    expect(() => cohenKappa([1], [1, 2])).toThrow(/same units/);
  });
});
