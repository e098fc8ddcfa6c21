import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { backlogHistory, interactionList, sumStat, targetStatus, type ScreenFilters } from '../src/index.ts';

const filters: ScreenFilters = {
  from: '2026-03-02', to: '2026-03-04', tz: 'UTC', channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], businessHours: false,
};

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  // Three emails: e1 solved on day 2 (CSAT 5), e2 solved then reopened and still open (CSAT 2), e3 never touched.
  await wh.run(`
    INSERT INTO interactions (id, source, native_id, channel, direction, team_id, priority, status, created_at, updated_at, resolved_at, csat_score) VALUES
      ('t:1', 't', '1', 'email', 'inbound', 'a', 'normal', 'solved', '2026-03-02 10:00:00+00', '2026-03-03 10:00:00+00', '2026-03-03 10:00:00+00', 5),
      ('t:2', 't', '2', 'email', 'inbound', 'b', 'normal', 'open',   '2026-03-02 12:00:00+00', '2026-03-04 09:00:00+00', NULL, 2),
      ('t:3', 't', '3', 'email', 'inbound', 'b', 'normal', 'new',    '2026-03-03 08:00:00+00', '2026-03-03 08:00:00+00', NULL, NULL);
    INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, from_value, to_value) VALUES
      ('t:1:0', 't:1', 0, '2026-03-03 10:00:00+00', 'status_change', 'agent', 'open', 'solved'),
      ('t:2:0', 't:2', 0, '2026-03-02 18:00:00+00', 'status_change', 'agent', 'open', 'solved'),
      ('t:2:1', 't:2', 1, '2026-03-03 09:00:00+00', 'status_change', 'customer', 'solved', 'open');
  `);
});
afterAll(() => wh.close());

describe('screen queries', () => {
  it('the backlog at a past moment counts what was open then, by age', async () => {
    // At 2026-03-02 20:00: t:1 open (10 h old), t:2 solved at 18:00, t:3 not created yet -> 1 open, aged 0-1 d.
    const at2000 = await backlogHistory(wh, filters, '2026-03-02T20:00');
    expect(at2000.asOf.backlog).toBe(1);
    expect(at2000.asOf.buckets.backlog_0_1d).toBe(1);
    // At 2026-03-03 12:00: t:1 solved at 10:00, t:2 reopened at 09:00 (24 h old: bucket 1-3 d), t:3 open (4 h old).
    const noon = await backlogHistory(wh, filters, '2026-03-03T12:00');
    expect(noon.asOf.backlog).toBe(2);
    expect(noon.asOf.buckets.backlog_0_1d).toBe(1);
    expect(noon.asOf.buckets.backlog_1_3d).toBe(1);
    // Team b only: the same two (t:2 and t:3 are both team b).
    expect((await backlogHistory(wh, { ...filters, teams: ['b'] }, '2026-03-03T12:00')).asOf.backlog).toBe(2);
    expect((await backlogHistory(wh, { ...filters, teams: ['a'] }, '2026-03-03T12:00')).asOf.backlog).toBe(0);
  });

  it('the list behind CSAT is the rated interactions, marked 1 where they count as satisfied', async () => {
    const list = await interactionList(wh, { filters, kpi: 'csat', sort: 'created_at' });
    expect(list.total).toBe(2); // t:1 (5) and t:2 (2); t:3 has no rating
    expect(list.rows.map((r) => [r.id, r.kpi_value])).toEqual([['t:1', 1], ['t:2', 0]]);
  });

  it('the plain list pages and filters with bound parameters', async () => {
    const page2 = await interactionList(wh, { filters: { ...filters, teams: ['b'] }, sort: 'created_at', pageSize: 1, page: 2 });
    expect(page2.total).toBe(2);
    expect(page2.rows.map((r) => r.id)).toEqual(['t:3']);
    const hostile = await interactionList(wh, { filters: { ...filters, teams: ["b' OR '1'='1"] } });
    expect(hostile.total).toBe(0);
  });

  it('target colours follow the KPI direction', () => {
    expect(targetStatus('csat', 0.85)).toBe('green'); // target 0.8
    expect(targetStatus('csat', 0.75)).toBe('amber'); // amber down to 0.8 - 0.08 = 0.72
    expect(targetStatus('csat', 0.7)).toBe('red');
    expect(targetStatus('aht', 500)).toBe('amber'); // target 420 s, amber up to 420 * 1.2 = 504
    expect(targetStatus('volume', 10)).toBe('none');
  });

  it('run statistics add up over streams', () => {
    expect(sumStat({ tickets: { retries: 2 }, users: { retries: 1 }, broken: null }, 'retries')).toBe(3);
    expect(sumStat(null, 'retries')).toBe(0);
  });
});
