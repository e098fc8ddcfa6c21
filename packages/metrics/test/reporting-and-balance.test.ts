import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balance, bucketEnds, kpis, percentileRanks, quantile, registryVersion, scorecard } from '../src/index.ts';
import { Scenario } from './scenario.ts';

describe('reporting time zones', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    // 2024-03-30T23:30Z is 00:30 on the 31st in Berlin (CET); 2024-03-31T22:30Z is 00:30 on 1 April (CEST).
    await s.interaction({ id: 'x1', channel: 'chat', created_at: '2024-03-30T23:30:00Z' });
    await s.interaction({ id: 'x2', channel: 'chat', created_at: '2024-03-31T22:30:00Z' });
  });
  afterAll(() => s.close());

  it('buckets days in the reporting zone, across a daylight-saving change, never in UTC by accident', async () => {
    const berlin = await scorecard(s.wh, { from: '2024-03-30', to: '2024-04-01', by: ['day'], kpis: ['volume'], tz: 'Europe/Berlin' });
    expect(berlin.rows.map((r) => [r.day, r.volume])).toEqual([['2024-03-31', 1], ['2024-04-01', 1]]);
    expect(berlin.filters.tz).toBe('Europe/Berlin');
    const utc = await scorecard(s.wh, { from: '2024-03-30', to: '2024-04-01', by: ['day'], kpis: ['volume'], tz: 'UTC' });
    expect(utc.rows.map((r) => [r.day, r.volume])).toEqual([['2024-03-30', 1], ['2024-03-31', 1]]);
  });

  it('reads --from/--to as local days of the reporting zone', async () => {
    // Berlin's 31 March runs from 2024-03-30T23:00Z to 2024-03-31T22:00Z (23 hours): only x1.
    const card = await scorecard(s.wh, { from: '2024-03-31', to: '2024-03-31', kpis: ['volume'], tz: 'Europe/Berlin' });
    expect(card.rows[0].volume).toBe(1);
  });

  it('ends a Berlin day at local midnight for the backlog points', () => {
    expect(bucketEnds('day', '2024-03-30T23:00:00.000Z', '2024-04-01T22:00:00.000Z', 'Europe/Berlin')).toEqual([
      { label: '2024-03-31', at: '2024-03-31T22:00:00.000Z' },
      { label: '2024-04-01', at: '2024-04-01T22:00:00.000Z' },
    ]);
  });

  it('stamps the registry version and rejects unknown KPIs and zones with clear messages', async () => {
    const card = await scorecard(s.wh, { from: '2024-03-31', to: '2024-03-31', kpis: ['volume'] });
    expect(card.registryVersion).toBe(registryVersion);
    await expect(scorecard(s.wh, { kpis: ['speed'] })).rejects.toThrow(/unknown KPI "speed"/);
    await expect(scorecard(s.wh, { tz: 'Mars/Olympus' })).rejects.toThrow(/unknown time zone/);
    await expect(scorecard(s.wh, { by: ['day', 'week'] })).rejects.toThrow(/at most one time grain/);
  });
});

describe('the registry', () => {
  const required = [
    'volume', 'first_response_time', 'time_to_resolution', 'reopen_rate', 'backlog', 'concurrency', 'containment_rate', 'containment_quality',
    'csat', 'abandonment_rate', 'average_speed_of_answer', 'service_level', 'average_hold_time', 'aht', 'callback_completion_rate',
    'public_response_time', 'public_to_private_rate', 'sentiment_shift', 'self_service_containment', 'fcr', 'repeat_contact_rate',
    'sla_achievement', 'cost_per_resolution',
  ];

  it('defines every KPI of the contract once, with a snake_case id, a formula, a unit and a direction', () => {
    const ids = kpis.map((k) => k.id);
    for (const id of required) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const k of kpis) {
      expect(k.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(k.formula.length).toBeGreaterThan(20);
      expect(['seconds', 'ratio', 'count', 'score', 'currency']).toContain(k.unit);
      expect(k.channels.length).toBeGreaterThan(0);
    }
  });
});

describe('balanced speed versus resolution', () => {
  it('ranks values with ties sharing the middle rank', () => {
    // Lower is better: 10 beats both others (2 / 2 = 1), 20 beats one (0.5), 30 none (0).
    expect(percentileRanks([10, 20, 30], 'lower')).toEqual([1, 0.5, 0]);
    // Two tied at 5 each beat 1 and share half a tie: (1 + 0.5) / 2 = 0.75.
    expect(percentileRanks([5, 5, 1, null], 'higher')).toEqual([0.75, 0.75, 0, null]);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
  });

  it('flags the fastest agent with the worst quality as fast but failing', () => {
    const rows = balance([
      { agent: 'fast-wrong', first_response_time: 10, time_to_resolution: 100, fcr: 0.2, csat: 0.3 },
      { agent: 'slow-right', first_response_time: 40, time_to_resolution: 400, fcr: 0.9, csat: 0.95 },
      { agent: 'mid-1', first_response_time: 20, time_to_resolution: 200, fcr: 0.6, csat: 0.7 },
      { agent: 'mid-2', first_response_time: 30, time_to_resolution: 300, fcr: 0.7, csat: 0.8 },
    ]);
    // Speed ranks (lower better), n - 1 = 3: fast-wrong 3/3, mid-1 2/3, mid-2 1/3, slow-right 0.
    // Quality ranks (higher better): slow-right 1, mid-2 2/3, mid-1 1/3, fast-wrong 0.
    // Top speed quartile: q75 of [1, 0, 2/3, 1/3] = 0.75; bottom quality q25 = 0.25: only fast-wrong.
    expect(rows.map((r) => [r.agent, r.speed_index, r.quality_index, r.fast_but_failing])).toEqual([
      ['fast-wrong', 1, 0, 1],
      ['slow-right', 0, 1, 0],
      ['mid-1', 2 / 3, 1 / 3, 0],
      ['mid-2', 1 / 3, 2 / 3, 0],
    ]);
  });
});
