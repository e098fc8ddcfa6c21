import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastAccuracy, hoursPerWeek, mape, seasonalForecast } from '../src/index.ts';
import { Scenario } from './scenario.ts';

describe('demand forecast', () => {
  it('forecasts each hour of the week as the mean of the same hour in the last weeks', () => {
    const week = (f: (h: number) => number) => Array.from({ length: hoursPerWeek }, (_, h) => f(h));
    const a = week((h) => (h === 10 ? 4 : 0));
    const b = week((h) => (h === 10 ? 8 : h === 11 ? 2 : 0));
    const c = week((h) => (h === 10 ? 6 : 0));
    // The last two weeks, b and c: hour 10 (8 + 6) / 2 = 7; hour 11 (2 + 0) / 2 = 1.
    const two = seasonalForecast([...a, ...b, ...c], 2);
    expect(two[10]).toBe(7);
    expect(two[11]).toBe(1);
    expect(two[12]).toBe(0);
    // Seasonal naive (one week): the last week itself.
    expect(seasonalForecast([...a, ...b, ...c], 1)[10]).toBe(6);
    // More weeks asked than there are: all three, (4 + 8 + 6) / 3 = 6.
    expect(seasonalForecast([...a, ...b, ...c], 5)[10]).toBe(6);
    expect(() => seasonalForecast([1, 2, 3])).toThrow(/at least one week/);
  });

  it('measures the mean absolute percentage error over the hours with demand', () => {
    // |10-12|/10 = 0.2, |20-15|/20 = 0.25; the hour without demand has no percentage.
    expect(mape([10, 20, 0], [12, 15, 3])).toBeCloseTo(0.225, 12);
    expect(mape([0, 0], [1, 1])).toBeNull();
  });

  describe('on a warehouse', () => {
    let s: Scenario;
    beforeAll(async () => {
      s = await Scenario.open();
      // Mondays 09:00-09:50Z (every 10 minutes: the later ones stay in the 09:00 hour) of three weeks, then a Tuesday that only marks the end of the data:
      // 2 contacts on 2024-03-04, 4 on 03-11, and 6 on 03-18 (the week predicted, 03-13 .. 03-19).
      let n = 0;
      for (const [day, count] of [['2024-03-04', 2], ['2024-03-11', 4], ['2024-03-18', 6]] as const) {
        for (let i = 0; i < count; i++) await s.interaction({ id: `c${n++}`, channel: 'email', created_at: `${day}T09:${String(i * 10).padStart(2, '0')}:00Z` });
      }
      await s.interaction({ id: 'end', channel: 'chat', created_at: '2024-03-20T12:00:00Z' });
      // Outbound and help-center interactions are not demand.
      await s.interaction({ id: 'out', channel: 'email', direction: 'outbound', created_at: '2024-03-18T09:30:00Z' });
      await s.interaction({ id: 'hc', channel: 'help_center', created_at: '2024-03-18T09:40:00Z' });
    });
    afterAll(() => s.close());

    it('predicts the last whole week from the weeks before it', async () => {
      const result = await forecastAccuracy(s.wh, { weeks: 4 });
      // Data ends on 03-20: the week predicted is 03-13 00:00Z .. 03-20 00:00Z. Before it, whole
      // weeks back to the first contact (03-04 09:00Z): only one, 03-06 .. 03-13, which holds the
      // 4 contacts of 03-11 09:00Z (those of 03-04 are before it).
      expect(result.weekStart).toBe('2024-03-13T00:00:00.000Z');
      expect(result.weeksOfHistory).toBe(1);
      // Monday 03-18 09:00Z is hour 5 * 24 + 9 = 129 of the week; a week earlier (03-11 09:00Z) had 4.
      expect(result.actual[129]).toBe(6);
      expect(result.forecast[129]).toBe(4);
      // The only hours with demand in the week predicted: 6 at 09:00 Monday (off by 2/6), 0 else.
      expect(result.mape).toBeCloseTo(1 / 3, 12);
      expect(result.actual.reduce((a, b) => a + b, 0)).toBe(6);
    });
  });
});
