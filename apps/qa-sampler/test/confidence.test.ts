import { describe, expect, test } from 'vitest';
import { meanInterval, sampleSizeForMargin } from '../src/confidence.ts';
import { studentTQuantile } from '@helpdesk/metrics';

describe('Student t quantiles', () => {
  test('match a printed t table', () => {
    // Two-sided 95 % critical values from any t table (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.045, 3);
    expect(studentTQuantile(0.975, 120)).toBeCloseTo(1.980, 3);
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776, 3);
  });
});

describe('IQS confidence interval (t-interval)', () => {
  test('a hand-worked case: scores 80, 90, 100, 70, 60', () => {
    // mean = 400 / 5 = 80; squared deviations 0 + 100 + 400 + 100 + 400 = 1000; s² = 1000 / 4 = 250
    // standard error = √(250 / 5) = √50 = 7.0711; t(0.975, 4) = 2.7764; margin = 19.632
    const ci = meanInterval([80, 90, 100, 70, 60]);
    expect(ci.mean).toBe(80);
    expect(ci.sd).toBeCloseTo(15.8114, 4);
    expect(ci.margin).toBeCloseTo(19.632, 2);
    expect(ci.low).toBeCloseTo(60.368, 2);
    expect(ci.high).toBeCloseTo(99.632, 2);
  });

  test('the interval is clipped to 0-100 and needs two reviews', () => {
    // The Zendesk example scores: mean 52.972, s = 45.93, margin = 2.7764 x 45.93 / √5 = 57.03: clipped both ways
    const wide = meanInterval([100, 9.91, 63.96, 90.99, 0]);
    expect(wide.margin).toBeCloseTo(57.03, 1);
    expect([wide.low, wide.high]).toEqual([0, 100]);
    expect(meanInterval([70])).toMatchObject({ n: 1, mean: 70, low: null, high: null });
    expect(meanInterval([])).toMatchObject({ n: 0, mean: null });
  });
});

describe('sample size from a target margin of error', () => {
  test('is the smallest n whose t-interval is narrow enough', () => {
    // sd 20, margin 10: n = 17 gives 2.1199 x 20 / √17 = 10.28 (too wide); n = 18 gives 2.1098 x 20 / √18 = 9.95
    expect(sampleSizeForMargin({ margin: 10, sd: 20 })).toBe(18);
    // with only 30 conversations to draw from: 18 / (1 + 17 / 30) = 11.49 -> 12
    expect(sampleSizeForMargin({ margin: 10, sd: 20, population: 30 })).toBe(12);
    // a cautious default sd of 25 and margin 5: z gives (1.96 x 25 / 5)² = 96.04, the t-interval a little more
    const n = sampleSizeForMargin({ margin: 5 });
    expect(n).toBeGreaterThanOrEqual(97);
    expect(studentTQuantile(0.975, n - 1) * (25 / Math.sqrt(n))).toBeLessThanOrEqual(5);
    expect(studentTQuantile(0.975, n - 2) * (25 / Math.sqrt(n - 1))).toBeGreaterThan(5);
    expect(() => sampleSizeForMargin({ margin: 0 })).toThrow(/must be positive/);
  });
});
