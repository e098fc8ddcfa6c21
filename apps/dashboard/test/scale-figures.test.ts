import { describe, expect, it } from 'vitest';
import { percentile, scaleReport } from '../bench/scale-figures.ts';

describe('the scale bench report', () => {
  it('interpolates percentiles between the ranked values', () => {
    // Ranked 10, 20, 30, 40, 50: p95 sits at rank 0.95 * 4 = 3.8, so 40 + 0.8 * (50 - 40) = 48.
    expect(percentile([50, 10, 40, 20, 30], 0.95)).toBe(48);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('computes the figures, the hand-written ratios and an honest verdict per goal', () => {
    const report = scaleReport({
      interactions: 1_000_000,
      buildSeconds: 512.94,
      // Ranked 100, 200, 300, 900, 2000: rank 3.8 gives 900 + 0.8 * 1100 = 1780 ms, over the 1000 ms goal.
      firstLoadMs: { overview: 2000, today: 100, scorecardChat: 900, health: 200, definitions: 300 },
      // 20 requests of 10..200 ms: rank 0.95 * 19 = 18.05 between 190 and 200, so 190.5 ms, over 150.
      warmMs: Array.from({ length: 20 }, (_, i) => (i + 1) * 10),
      syncInteractions: 9_990,
      syncToFreshSeconds: 8.234,
      resolveIncrementalSeconds: 12.5,
      servePeakRssMb: 1234.4,
      compared: {
        overview: { firstLoadMs: 2000, warmMs: 40, handwrittenMs: 500 },
        scorecardChat: { firstLoadMs: 900, warmMs: 60, handwrittenMs: 300 },
      },
    });
    expect(report.figures).toEqual({
      interactions: 1_000_000, buildSeconds: 512.9, firstLoadP95Ms: 1780, warmP95Ms: 190.5, syncInteractions: 9_990,
      syncToFreshSeconds: 8.23, resolveIncrementalSeconds: 12.5, peakRssMb: 1234, goalsMet: 2, goalsTotal: 5,
    });
    // Overview 2000 / 500 = 4 and 40 / 500 = 0.08; chat scorecard 900 / 300 = 3 and 60 / 300 = 0.2: the worst of each.
    expect(report.ratios).toEqual({
      vsHandwritten: 4, vsHandwrittenWarm: 0.2, vsHandwrittenOverview: 4, vsHandwrittenWarmOverview: 0.08,
      vsHandwrittenScorecardChat: 3, vsHandwrittenWarmScorecardChat: 0.2,
    });
    expect(report.goals.filter((g) => !g.met).map((g) => g.goal)).toEqual(['firstLoadP95Ms', 'warmP95Ms', 'resolveIncrementalSeconds']);
  });
});
