import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromSettings, readSettings, saveSettings, scorecard, setPath, slaBreaches } from '../src/index.ts';
import { Scenario, agent, customer } from './scenario.ts';

describe('resolution KPIs across channels', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    const solved = { status: 'solved', resolved_at: '2024-03-04T18:00:00Z' };
    // Customer R: email Mon, phone call Thu (3 days later: a repeat), chat on Mon 18th (11 days after the call).
    await s.interaction({ id: 'r1', channel: 'email', created_at: '2024-03-04T09:00:00Z', customer_id: 'R', csat_score: 5, ...solved });
    await s.interaction({ id: 'r2', channel: 'phone', created_at: '2024-03-07T09:00:00Z', customer_id: 'R', csat_score: 4, first_response_at: '2024-03-07T09:00:10Z', status: 'solved', resolved_at: '2024-03-07T09:10:00Z' });
    await s.interaction({ id: 'r3', channel: 'chat', created_at: '2024-03-18T09:00:00Z', customer_id: 'R', ...solved, resolved_at: '2024-03-18T10:00:00Z' });
    // Customer Q: a chat rated 2 by a CSAT event, and a reopened email (reopen_count from the source, no status events).
    await s.interaction({ id: 'q1', channel: 'chat', created_at: '2024-03-04T10:00:00Z', customer_id: 'Q', ...solved }, [
      { at: '2024-03-04T18:05:00Z', type: 'csat', role: 'customer', num: 2 },
    ]);
    await s.interaction({ id: 'q2', channel: 'email', created_at: '2024-03-04T11:00:00Z', customer_id: 'Q2', reopen_count: 1, csat_score: 3, ...solved });
    await s.wh.run(`INSERT INTO nps_responses VALUES ('r1', 10, '2024-03-05T00:00:00Z', 'test'), ('r2', 9, '2024-03-08T00:00:00Z', 'test'),
      ('q1', 7, '2024-03-05T00:00:00Z', 'test'), ('q2', 3, '2024-03-05T00:00:00Z', 'test')`);
  });
  afterAll(() => s.close());

  const week = { from: '2024-03-04', to: '2024-03-10' };

  it('counts a contact by the same customer on another channel within 7 days as a repeat', async () => {
    const row = (await scorecard(s.wh, { ...week, kpis: ['volume', 'repeat_contact_rate', 'fcr'] })).rows[0];
    // In range: r1, r2, q1, q2 (r3 is later but still seen as r2's follow-up when the window allows).
    expect(row.volume).toBe(4);
    // Repeats: r1 (r2 3 days later) of 4 contacts = 0.25.
    expect(row.repeat_contact_rate).toBe(0.25);
    // FCR: resolved r1, r2, q1, q2; r1 repeated, q2 reopened -> r2, q1 = 2 / 4.
    expect(row.fcr).toBe(0.5);
  });

  it('makes the repeat window configurable and looks past the end of the range', async () => {
    const row = (await scorecard(s.wh, { ...week, kpis: ['repeat_contact_rate'], config: { repeatWindowSeconds: 14 * 86400 } })).rows[0];
    // With 14 days r2 -> r3 (11 days) is a repeat too: 2 / 4.
    expect(row.repeat_contact_rate).toBe(0.5);
  });

  it('reports CSAT as the share of 4-5 ratings and NPS from survey answers', async () => {
    const row = (await scorecard(s.wh, { ...week, kpis: ['csat', 'nps'] })).rows[0];
    // Ratings 5, 4, 2 (event), 3 -> 2 / 4.
    expect(row.csat).toBe(0.5);
    // NPS answers 10, 9, 7, 3: (2 promoters - 1 detractor) / 4 x 100 = 25.
    expect(row.nps).toBe(25);
  });
});

describe('SLA achievement', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    // Default policies: urgent 1 h / 8 h, normal 8 h / 72 h, high 4 h / 24 h, low 24 h / 120 h (calendar time).
    // sa (urgent): reply after 30 min (met), solved after 11 h (breach).
    await s.interaction({ id: 'sa', channel: 'email', priority: 'urgent', created_at: '2024-03-04T09:00:00Z', status: 'solved', resolved_at: '2024-03-04T20:00:00Z' },
      [customer('2024-03-04T09:00:00Z'), agent('2024-03-04T09:30:00Z')]);
    // sb (normal): reply after 10 h (breach), solved after 24 h (met).
    await s.interaction({ id: 'sb', channel: 'email', priority: 'normal', created_at: '2024-03-04T09:00:00Z', status: 'solved', resolved_at: '2024-03-05T09:00:00Z' },
      [customer('2024-03-04T09:00:00Z'), agent('2024-03-04T19:00:00Z')]);
    // sc (low): created Fri 09:00, untouched; at the range end (Sat 00:00) 15 h have passed: nothing due yet.
    await s.interaction({ id: 'sc', channel: 'email', priority: 'low', created_at: '2024-03-08T09:00:00Z' }, [customer('2024-03-08T09:00:00Z')]);
    // sd (high): untouched since Mon 09:00; 111 h by the range end: both targets breached.
    await s.interaction({ id: 'sd', channel: 'email', priority: 'high', created_at: '2024-03-04T09:00:00Z' }, [customer('2024-03-04T09:00:00Z')]);
  });
  afterAll(() => s.close());

  it('shares met targets among met and breached ones, counting open items once overdue', async () => {
    const row = (await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-08', kpis: ['sla_achievement'] })).rows[0];
    // Met: sa reply, sb resolution = 2. Breached: sa resolution, sb reply, sd reply, sd resolution = 4. 2 / 6.
    expect(row.sla_achievement).toBeCloseTo(1 / 3, 12);
  });

  it('lists the breaches behind the figure, worst first', async () => {
    const breaches = await slaBreaches(s.wh, { from: '2024-03-04', to: '2024-03-08' });
    // Most breached targets first, then the longest resolution: sd (2), sb (1, solved after 24 h), sa (1, after 11 h).
    expect(breaches.map((b) => [b.id, b.policy, b.breachedTargets])).toEqual([['sd', 'high', 2], ['sb', 'normal', 1], ['sa', 'urgent', 1]]);
  });

  it('applies policies by tier from CRM attributes valid on the day', async () => {
    await s.wh.run("UPDATE interactions SET customer_id = 'vip-1' WHERE id = 'sb'");
    await s.wh.run(`INSERT INTO customer_attributes VALUES ('vip-1', 'crm:1', 'tier', 'vip', '2024-01-01T00:00:00Z', NULL, 'test')`);
    const config = { slaPolicies: [{ id: 'vip', tiers: ['vip'], firstReplySeconds: 12 * 3600 }, { id: 'rest', firstReplySeconds: 3600 }] };
    const row = (await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-08', kpis: ['sla_achievement'], config })).rows[0];
    // First reply only. sb (vip, 12 h): 10 h met. Others (1 h): sa 30 min met, sc 15 h breach, sd breach: 2 / 4.
    expect(row.sla_achievement).toBe(0.5);
  });
});

describe('SLA achievement from the daily rollup', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    // se (normal, 8 h / 72 h): untouched since Mon 16:00, so its first reply falls due exactly at
    // Tue 00:00 and its resolution on Thu 16:00.
    await s.interaction({ id: 'se', channel: 'email', priority: 'normal', created_at: '2024-03-11T16:00:00Z' }, [customer('2024-03-11T16:00:00Z')]);
    // sf (urgent, 1 h / 8 h): replied after 30 min (met), still open: its resolution is due Tue 04:00.
    await s.interaction({ id: 'sf', channel: 'email', priority: 'urgent', created_at: '2024-03-11T20:00:00Z' },
      [customer('2024-03-11T20:00:00Z'), agent('2024-03-11T20:30:00Z')]);
  });
  afterAll(() => s.close());

  it.each([
    // Ending Tue 00:00: se has waited exactly its 8 h (within: <=), sf 4 h of 8: only sf's reply counts, met.
    ['2024-03-11', 1],
    // Ending Wed 00:00: se's reply and sf's resolution are overdue: 1 met of 3.
    ['2024-03-12', 1 / 3],
    // Ending Thu 00:00: se's resolution has waited 56 h of 72: still 1 of 3.
    ['2024-03-13', 1 / 3],
    // Ending Fri 00:00: 80 h, overdue too: 1 of 4.
    ['2024-03-14', 1 / 4],
  ])('counts a waiting target from the midnight after its deadline, as the facts do (to %s)', async (to, expected) => {
    const request = { from: '2024-03-11', to, kpis: ['sla_achievement', 'volume'], resultCache: false };
    const card = await scorecard(s.wh, request);
    expect([card.source, card.kpiSources]).toEqual(['rollup', { sla_achievement: 'rollup', volume: 'rollup' }]);
    expect(card.rows[0].sla_achievement).toBe(expected);
    expect(card.rows).toEqual((await scorecard(s.wh, { ...request, cache: false })).rows);
  });

  it('reads sla_achievement from the facts and the rest from the rollup under a business-hours policy', async () => {
    const current = (await readSettings(s.wh)).settings;
    await saveSettings(s.wh, setPath(current, 'slaPolicies.normal.businessHours', 'true'), { by: 'ana@example.com', source: 'cli' });
    const request = { from: '2024-03-11', to: '2024-03-14', kpis: ['volume', 'sla_achievement', 'first_response_time'], config: await configFromSettings(s.wh), resultCache: false };
    const card = await scorecard(s.wh, request);
    expect(card.source).toBe('mixed');
    expect(card.kpiSources).toEqual({ volume: 'rollup', sla_achievement: 'facts', first_response_time: 'rollup' });
    expect(card.sourceReason).toMatch(/^sla_achievement from the facts \(sla_achievement under the business-hours SLA policy "normal"/);
    // Monday to Friday 09:00-17:00: se's first reply, waiting since Mon 16:00, fell due Tue 16:00;
    // its resolution (72 business hours) is not due by Fri 00:00; sf's resolution is: 1 met of 3
    // (in calendar time the rollup would say 1 of 4).
    expect(card.rows[0].sla_achievement).toBe(1 / 3);
    expect(card.rows[0].volume).toBe(2);
    expect(card.rows).toEqual((await scorecard(s.wh, { ...request, cache: false })).rows);
  });
});

describe('cost per resolution', () => {
  it('adds agent time at the channel rate and bot conversations, divided by resolutions', async () => {
    const s = await Scenario.open();
    try {
      // Handed-off chat, resolved: 12 min x 38/h = 7.6, plus the bot 0.6 = 8.2.
      await s.interaction({ id: 'c', channel: 'chat', created_at: '2024-03-04T10:00:00Z', agent_id: 'a', bot_involved: true, bot_handoff_at: '2024-03-04T10:01:00Z', status: 'solved', resolved_at: '2024-03-04T10:20:00Z' });
      // Bot-only chat, resolved by the bot (the source says so): 0.6.
      await s.interaction({ id: 'b', channel: 'chat', created_at: '2024-03-04T10:00:00Z', bot_involved: true, bot_contained: true, resolved: true, resolved_at: '2024-03-04T10:03:00Z' });
      // Call: (600 + 0 + 120) s = 0.2 h x 42 = 8.4; answered and no repeat contact, so resolved.
      await s.interaction({ id: 'p', channel: 'phone', created_at: '2024-03-04T10:00:00Z', agent_id: 'a', first_response_at: '2024-03-04T10:00:05Z', talk_seconds: 600, hold_seconds: 0, wrap_up_seconds: 120, status: 'solved', resolved_at: '2024-03-04T10:12:00Z' });
      // Open email worked on: 9 min x 34/h = 5.1, not a resolution.
      await s.interaction({ id: 'e', channel: 'email', created_at: '2024-03-04T10:00:00Z', agent_id: 'a' });
      const row = (await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-04', kpis: ['cost_per_resolution'] })).rows[0];
      // (8.2 + 0.6 + 8.4 + 5.1) / 3 resolutions = 22.3 / 3.
      expect(row.cost_per_resolution).toBeCloseTo(22.3 / 3, 9);
    } finally {
      s.close();
    }
  });
});
