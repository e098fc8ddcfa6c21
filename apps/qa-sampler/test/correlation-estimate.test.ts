import { describe, expect, test } from 'vitest';
import { correlationEstimate } from '../src/score-report.ts';

describe('correlation of review scores with an outcome, with its confidence', () => {
  test("Pearson's r and the Fisher z interval worked by hand", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const ys = [2, 1, 4, 3, 7, 5, 6, 9, 8, 10];
    // Means 5.5 and 5.5; Sxy = 76.5, Sxx = Syy = 82.5: r = 76.5 / 82.5 = 0.927273.
    // z = atanh(0.927273) = 1.63925; half width 1.959964 / sqrt(10 - 3) = 0.740797;
    // tanh(0.898453) = 0.715213, tanh(2.380047) = 0.982993.
    const e = correlationEstimate(xs, ys)!;
    expect(e.n).toBe(10);
    expect(e.r).toBeCloseTo(0.927273, 6);
    expect(e.low).toBeCloseTo(0.715213, 6);
    expect(e.high).toBeCloseTo(0.982993, 6);
  });

  test('pairs with a missing outcome are left out; too few pairs give no interval', () => {
    // Only (1, 1), (2, 3), (3, 2) pair up: r = 0.5 over 3 pairs, too few for an interval.
    expect(correlationEstimate([1, 2, 3, 4], [1, 3, 2, null])).toEqual({ r: 0.5, n: 3, low: null, high: null });
    expect(correlationEstimate([1, 2], [1, 2])).toBeNull();
  });
});
