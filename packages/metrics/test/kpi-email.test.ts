import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecard } from '../src/index.ts';
import { Scenario, agent, customer, status } from './scenario.ts';

/** Email KPIs over Mon 2024-03-04 .. Sun 2024-03-10, plus an old ticket still open. */
describe('email KPIs', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    // e0: created 2024-02-10, never solved: over 14 days old all week.
    await s.interaction({ id: 'e0', channel: 'email', created_at: '2024-02-10T00:00:00Z' }, [customer('2024-02-10T00:00:00Z'), status('2024-02-10T00:00:01Z', 'new', 'open')]);
    // e1: reply after 2 h; solved Tue 09:00Z (first resolution 24 h); reopened Wed 09:00Z; solved again
    // Thu 09:00Z (full resolution 3 days); closed Sun (closing does not move the last solve).
    // The adapter records that outcome on the interaction: resolved now, first resolved Tue, one reopen.
    await s.interaction({ id: 'e1', channel: 'email', created_at: '2024-03-04T09:00:00Z', status: 'closed', resolved: true,
      first_resolved_at: '2024-03-05T09:00:00Z', resolved_at: '2024-03-07T09:00:00Z', closed_at: '2024-03-10T09:00:00Z', reopen_count: 1 }, [
      customer('2024-03-04T09:00:00Z'), status('2024-03-04T09:00:01Z', 'new', 'open'), agent('2024-03-04T11:00:00Z'),
      status('2024-03-05T09:00:00Z', 'open', 'solved'), status('2024-03-06T09:00:00Z', 'solved', 'open'),
      status('2024-03-07T09:00:00Z', 'open', 'solved'), status('2024-03-10T09:00:00Z', 'solved', 'closed'),
    ]);
    // e2: reply after 30 min, solved after 6 h.
    await s.interaction({ id: 'e2', channel: 'email', created_at: '2024-03-04T12:00:00Z', status: 'solved', resolved: true, resolved_at: '2024-03-04T18:00:00Z' }, [
      customer('2024-03-04T12:00:00Z'), agent('2024-03-04T12:30:00Z'), status('2024-03-04T18:00:00Z', 'open', 'solved'),
    ]);
    // e3: never answered, still open.
    await s.interaction({ id: 'e3', channel: 'email', created_at: '2024-03-04T13:00:00Z' }, [customer('2024-03-04T13:00:00Z')]);
  });
  afterAll(() => s.close());

  const week = { from: '2024-03-04', to: '2024-03-10', channels: ['email' as const] };

  it('reports time to first reply, first and full resolution with median, mean and p90', async () => {
    const row = (await scorecard(s.wh, { ...week, kpis: ['first_response_time', 'first_resolution_time', 'time_to_resolution'] })).rows[0];
    // First reply: e1 7200, e2 1800 -> median = mean = 4500; p90 = 1800 + 0.9 x 5400 = 6660.
    expect(row.first_response_time).toBe(4500);
    expect(row.first_response_time_mean).toBe(4500);
    expect(row.first_response_time_p90).toBeCloseTo(6660, 9);
    // First resolution: e1 86400, e2 21600 -> median 54000.
    expect(row.first_resolution_time).toBe(54000);
    // Full resolution: e1 3 days = 259200 (the last solve, not the close), e2 21600 -> median 140400.
    expect(row.time_to_resolution).toBe(140400);
  });

  it('counts a reopened ticket once toward the reopen rate', async () => {
    const row = (await scorecard(s.wh, { ...week, kpis: ['reopen_rate'] })).rows[0];
    // Ever solved: e1, e2; reopened: e1 -> 1 / 2.
    expect(row.reopen_rate).toBe(0.5);
  });

  it('rebuilds the backlog of "last Tuesday 09:00" in Berlin from status events', async () => {
    // 2024-03-05T09:00 Berlin (CET) = 08:00Z: e1 open (23 h old, solved only at 09:00Z), e3 open (19 h),
    // e2 solved the evening before, e0 open (24 days): 0-1 d: 2, over 14 d: 1.
    const row = (await scorecard(s.wh, { ...week, kpis: ['backlog'], tz: 'Europe/Berlin', asOf: '2024-03-05T09:00' })).rows[0];
    expect(row).toMatchObject({ backlog: 3, backlog_0_1d: 2, backlog_1_3d: 0, backlog_3_7d: 0, backlog_7_14d: 0, backlog_over_14d: 1 });
    // Wednesday 12:00Z: e1 is open again after its reopen (2 d 3 h old) and e3 (1 d 23 h): 1-3 d: 2.
    const wed = (await scorecard(s.wh, { ...week, kpis: ['backlog'], asOf: '2024-03-06T12:00:00Z' })).rows[0];
    expect(wed).toMatchObject({ backlog: 3, backlog_1_3d: 2, backlog_over_14d: 1 });
  });

  it('takes the backlog at the end of each reporting day', async () => {
    const rows = (await scorecard(s.wh, { ...week, kpis: ['backlog'], by: ['day'] })).rows;
    const at = (day: string) => rows.find((r) => r.day === day)?.backlog;
    // End of Mon 4th: e0, e1, e3 open (e2 solved 18:00) = 3. End of Tue 5th: e1 solved = 2 (e0, e3).
    // End of Wed 6th: e1 reopened = 3. From Thu 7th: e0, e3 = 2.
    expect([at('2024-03-04'), at('2024-03-05'), at('2024-03-06'), at('2024-03-07'), at('2024-03-10')]).toEqual([3, 2, 3, 2, 2]);
  });
});
