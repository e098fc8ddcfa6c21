import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarSpec, scorecard, type MetricsConfigInput } from '../src/index.ts';
import { Scenario, agent, customer, status } from './scenario.ts';

const weekday: Array<[string, string]> = [['09:00', '17:00']];
const week = { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday };
// Berlin, 09:00-17:00 on weekdays, German public holidays: Good Friday 2024-03-29 and Easter
// Monday 2024-04-01 are closed. Thu 28 Mar is CET (09-17 = 08-16Z); from Sun 31 Mar CEST (07-15Z).
const berlin = CalendarSpec.parse({ id: 'berlin', timeZone: 'Europe/Berlin', weekly: week, holidays: { country: 'DE' } });
const berlinNoHolidays = CalendarSpec.parse({ id: 'berlin', timeZone: 'Europe/Berlin', weekly: week });

const hour = 3600;
/** VIP customers get half the standard targets; both measured in business hours. */
const policies = [
  { id: 'vip', tiers: ['vip'], firstReplySeconds: 2 * hour, resolutionSeconds: 8 * hour, businessHours: true },
  { id: 'standard', firstReplySeconds: 4 * hour, resolutionSeconds: 16 * hour, businessHours: true },
];
const config = (calendar = berlin): MetricsConfigInput => ({
  calendars: [calendar], calendarAssignments: { teams: { 'berlin-team': 'berlin' } }, slaPolicies: policies,
});

describe('breakdowns by priority, tier and outcome', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    const email = (id: string, created: string, priority: 'urgent' | 'high' | 'normal', reply: string, solved: string) =>
      s.interaction({ id, channel: 'email', created_at: created, priority, team_id: 'berlin-team', status: 'solved', resolved_at: solved }, [
        customer(created), agent(reply), status(solved, 'open', 'solved'),
      ]);
    // All four are created on Thursday before Easter, an hour or two before closing time.
    // v1 (VIP, urgent): Thu 16:00 CET -> reply Tue 10:00 CEST: 1 h Thu + 1 h Tue = 7200 s <= 2 h: met.
    //   solved Tue 14:00 CEST: 1 h + 5 h = 21600 s <= 8 h: met.
    await email('v1', '2024-03-28T15:00:00Z', 'urgent', '2024-04-02T08:00:00Z', '2024-04-02T12:00:00Z');
    // v2 (VIP, high): Thu 15:00 CET -> reply Tue 10:30: 2 h + 1.5 h = 12600 s > 2 h: breached.
    //   solved Tue 15:00: 2 h + 6 h = 28800 s <= 8 h (the edge is "at or before"): met.
    await email('v2', '2024-03-28T14:00:00Z', 'high', '2024-04-02T08:30:00Z', '2024-04-02T13:00:00Z');
    // s1 (no tier, normal): reply Tue 10:00: 7200 s <= 4 h: met; solved Wed 11:00: 1 + 8 + 2 h = 39600 s <= 16 h: met.
    await email('s1', '2024-03-28T15:00:00Z', 'normal', '2024-04-02T08:00:00Z', '2024-04-03T09:00:00Z');
    // s2 (gold, normal): reply Wed 09:30: 1 + 8 + 0.5 h = 34200 s > 4 h: breached;
    //   solved Wed 16:00: 1 + 8 + 7 h = 57600 s <= 16 h: met.
    await email('s2', '2024-03-28T15:00:00Z', 'normal', '2024-04-03T07:30:00Z', '2024-04-03T14:00:00Z');
    // Tiers from the CRM, valid since January: v1 and v2 are VIP, s2 gold, s1 has none.
    for (const [contact, tier] of [['contact:v1', 'vip'], ['contact:v2', 'vip'], ['contact:s2', 'gold']]) {
      await s.wh.run(`INSERT INTO customer_attributes VALUES (NULL, $1, 'tier', $2, '2024-01-01T00:00:00Z', NULL, 'test')`, [contact, tier]);
    }

    // Outcomes, on Wed 27 Mar: one of each, and two ways to abandon.
    const day = '2024-03-27T10:00:00Z';
    await s.interaction({ id: 'o-resolved', channel: 'email', created_at: day, status: 'solved', resolved_at: '2024-03-27T11:00:00Z', country: 'DE' }, [
      customer(day), agent('2024-03-27T10:30:00Z'), status('2024-03-27T11:00:00Z', 'open', 'solved'),
    ]);
    await s.interaction({ id: 'o-escalated', channel: 'email', created_at: day, status: 'solved', resolved_at: '2024-03-27T12:00:00Z', escalated: true, country: 'DE' }, [
      customer(day), agent('2024-03-27T10:30:00Z'), status('2024-03-27T12:00:00Z', 'open', 'solved'),
    ]);
    await s.interaction({ id: 'o-bot', channel: 'chat', created_at: day, status: 'closed', bot_involved: true, bot_contained: true, country: 'FR' }, [customer(day)]);
    await s.interaction({ id: 'o-open', channel: 'email', created_at: day, country: 'FR' }, [customer(day)]);
    await s.interaction({ id: 'o-call-abandoned', channel: 'phone', created_at: day, status: 'abandoned', abandon_stage: 'queue', queue_wait_seconds: 40 });
    await s.interaction({ id: 'o-chat-abandoned', channel: 'chat', created_at: day, abandoned: true, abandon_stage: 'chat_queue', status: 'closed' }, [customer(day)]);
    // An answered call with no repeat contact: resolved, as the fcr KPI reads calls.
    await s.interaction({ id: 'o-call', channel: 'phone', created_at: day, status: 'closed', first_response_at: '2024-03-27T10:00:20Z', queue_wait_seconds: 20, talk_seconds: 200 });
  });
  afterAll(() => s.close());

  const easter = { from: '2024-03-28', to: '2024-03-28', kpis: ['sla_achievement', 'first_response_time'] };

  it('gives VIP SLA attainment in business hours across the Easter holidays, beside the standard policy', async () => {
    const rows = (await scorecard(s.wh, { ...easter, by: ['tier'], config: config() })).rows;
    const at = (tier: string | null) => rows.find((r) => r.tier === tier)?.sla_achievement;
    // VIP: v1 met 2, v2 met 1 and breached 1 -> 3 / 4.
    expect(at('vip')).toBe(0.75);
    // gold (standard policy): s2 met 1 of 2. No tier (standard): s1 met 2 of 2.
    expect(at('gold')).toBe(0.5);
    expect(at(null)).toBe(1);
  });

  it('counts the holidays: without them the same VIP tickets miss every target', async () => {
    const rows = (await scorecard(s.wh, { ...easter, by: ['tier'], config: config(berlinNoHolidays) })).rows;
    // Good Friday and Easter Monday become 8 h working days each:
    // v1 reply 1 + 8 + 8 + 1 = 18 h > 2 h, resolution 22 h > 8 h; v2 reply 19.5 h, resolution 24 h: 0 / 4.
    expect(rows.find((r) => r.tier === 'vip')?.sla_achievement).toBe(0);
  });

  it('cuts by priority and tier at once, with first response time in business seconds', async () => {
    const card = await scorecard(s.wh, { ...easter, by: ['priority', 'tier'], config: config(), businessHours: true });
    const rows = card.rows.map((r) => ({ priority: r.priority, tier: r.tier, sla: r.sla_achievement, frt: r.first_response_time }));
    expect(rows).toEqual([
      { priority: 'high', tier: 'vip', sla: 0.5, frt: 12600 },
      // Rows sort by their values, an empty tier first.
      { priority: 'normal', tier: null, sla: 1, frt: 7200 },
      { priority: 'normal', tier: 'gold', sla: 0.5, frt: 34200 },
      { priority: 'urgent', tier: 'vip', sla: 1, frt: 7200 },
    ]);
  });

  it('cuts volume by outcome: abandoned, bot-contained, escalated, resolved, unresolved', async () => {
    const rows = (await scorecard(s.wh, { from: '2024-03-27', to: '2024-03-27', kpis: ['volume'], by: ['outcome'] })).rows;
    expect(Object.fromEntries(rows.map((r) => [r.outcome, r.volume]))).toEqual({
      abandoned: 2, // the call left in the queue, and the chat the adapter marked abandoned
      bot_contained: 1,
      escalated: 1, // escalated wins over its later resolution
      resolved: 2, // the solved email, and the answered call with no repeat contact
      unresolved: 1, // the email still open
    });
  });

  it('cuts by country', async () => {
    const rows = (await scorecard(s.wh, { from: '2024-03-27', to: '2024-03-27', kpis: ['volume'], by: ['country'] })).rows;
    expect(Object.fromEntries(rows.map((r) => [String(r.country), r.volume]))).toEqual({ DE: 2, FR: 2, null: 3 });
  });
});
