import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecard } from '../src/index.ts';
import { Scenario, agent, bot, customer } from './scenario.ts';

/** Chat KPIs on a hand-built Monday 2024-03-04 and the days after it (UTC reporting). */
describe('chat KPIs', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    // c1: bot hand-off. The bot's reply at 10:00:05 is not a response; the clock starts at the
    // hand-off (10:02:00, later than the customer's first message) and stops at 10:02:45: 45 s.
    await s.interaction({ id: 'c1', channel: 'chat', created_at: '2024-03-04T10:00:00Z', bot_involved: true, bot_handoff_at: '2024-03-04T10:02:00Z', agent_id: 'x' }, [
      customer('2024-03-04T10:00:00Z'), bot('2024-03-04T10:00:05Z'), customer('2024-03-04T10:01:00Z'),
      { at: '2024-03-04T10:02:00Z', type: 'bot_handoff', role: 'system' }, agent('2024-03-04T10:02:45Z'),
    ]);
    // c2: an internal note at 10:00:30 is not a response; the public reply at 10:01:30 is: 90 s.
    await s.interaction({ id: 'c2', channel: 'chat', created_at: '2024-03-04T10:00:00Z', agent_id: 'x' }, [
      customer('2024-03-04T10:00:00Z'), agent('2024-03-04T10:00:30Z', false), agent('2024-03-04T10:01:30Z'),
    ]);
    // c3: 300 s.
    await s.interaction({ id: 'c3', channel: 'chat', created_at: '2024-03-04T11:00:00Z', agent_id: 'x' }, [
      customer('2024-03-04T11:00:00Z'), agent('2024-03-04T11:05:00Z'),
    ]);
    // Bot-only chats. b1's customer comes back the next day by email, under another address; identity
    // resolution has joined both contacts into customer cust-1.
    await s.interaction({ id: 'b1', channel: 'chat', created_at: '2024-03-05T09:00:00Z', contact_id: 'chat:visitor:1', bot_involved: true, bot_contained: true, status: 'solved', resolved_at: '2024-03-05T09:03:00Z' }, [
      customer('2024-03-05T09:00:00Z'), bot('2024-03-05T09:00:02Z'),
    ]);
    await s.interaction({ id: 'e9', channel: 'email', created_at: '2024-03-06T12:00:00Z', contact_id: 'mail:user:7' });
    await s.identity('chat:visitor:1', 'email', 'anna@home.example');
    await s.identity('mail:user:7', 'email', 'anna.k@work.example');
    // First, resolution keeps the two contacts apart (different e-mail addresses).
    await s.wh.run("UPDATE identities SET customer_id = 'cust-' || contact_id");
    await s.wh.run("UPDATE interactions SET customer_id = 'cust-' || contact_id WHERE id IN ('b1', 'e9')");
    // b2: contained but rated 1 (negative CSAT). b3: contained, rated 5, never came back.
    await s.interaction({ id: 'b2', channel: 'chat', created_at: '2024-03-05T10:00:00Z', bot_involved: true, bot_contained: true, csat_score: 1 });
    await s.interaction({ id: 'b3', channel: 'chat', created_at: '2024-03-05T11:00:00Z', bot_involved: true, bot_contained: true, csat_score: 5 });
    // Concurrency of agent a1 (first_response_at starts a chat, closed_at ends it):
    // k1 10:00-10:30, k2 10:10-10:20, k3 10:30-10:40 (starts as k1 ends: never simultaneous).
    for (const [id, from, to] of [['k1', '10:00', '10:30'], ['k2', '10:10', '10:20'], ['k3', '10:30', '10:40']]) {
      await s.interaction({ id, channel: 'chat', created_at: `2024-03-07T${from}:00Z`, agent_id: 'a1', first_response_at: `2024-03-07T${from}:00Z`, closed_at: `2024-03-07T${to}:00Z`, status: 'closed' });
    }
  });
  afterAll(() => s.close());

  it('measures first response from the later of first message and bot hand-off, never from bot replies', async () => {
    const card = await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-04', channels: ['chat'], kpis: ['first_response_time'] });
    const row = card.rows[0];
    // [45, 90, 300]: median 90; mean 435 / 3 = 145; p90 = 90 + 0.8 x (300 - 90) = 258 (linear interpolation).
    expect(row.first_response_time).toBe(90);
    expect(row.first_response_time_mean).toBe(145);
    expect(row.first_response_time_p90).toBeCloseTo(258, 9);
    const p90 = await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-04', channels: ['chat'], kpis: ['first_response_time'], stat: 'p90' });
    expect(p90.rows[0].first_response_time).toBeCloseTo(258, 9);
  });

  it('counts containment quality only for bot-only chats with no repeat contact and no negative CSAT', async () => {
    // The two contacts apart: b1 and b3 count, b2 (CSAT 1) not: 2 / 3.
    const before = await scorecard(s.wh, { from: '2024-03-05', to: '2024-03-05', channels: ['chat'], kpis: ['containment_rate', 'containment_quality'] });
    // Bot-engaged: b1, b2, b3 (c1 is on the 4th). Contained: all three: 3 / 3 = 1.
    expect(before.rows[0].containment_rate).toBe(1);
    expect(before.rows[0].containment_quality).toBeCloseTo(2 / 3, 12);
    // Identity resolution joins them: b1's customer came back by email within 7 days; only b3 counts: 1 / 3.
    await s.wh.run("UPDATE identities SET customer_id = 'cust-1'");
    await s.wh.run("UPDATE interactions SET customer_id = 'cust-1' WHERE id IN ('b1', 'e9')");
    const after = await scorecard(s.wh, { from: '2024-03-05', to: '2024-03-05', channels: ['chat'], kpis: ['containment_quality'] });
    expect(after.rows[0].containment_quality).toBeCloseTo(1 / 3, 12);
    // An identity no resolution has placed yet (a sync's load before its resolution stage): metrics
    // never guess a customer; they keep the last resolved state's facts, 1 / 3. A warehouse never
    // resolved is refused (metrics-cache.test.ts).
    await s.wh.run("UPDATE identities SET customer_id = NULL WHERE contact_id = 'mail:user:7'");
    const pending = await scorecard(s.wh, { from: '2024-03-05', to: '2024-03-05', channels: ['chat'], kpis: ['containment_quality'], resultCache: false });
    expect(pending.rows[0].containment_quality).toBeCloseTo(1 / 3, 12);
    await s.wh.run("UPDATE identities SET customer_id = 'cust-1'");
  });

  it('includes the handed-off chat in the containment denominator', async () => {
    const card = await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-05', channels: ['chat'], kpis: ['containment_rate'] });
    // Bot-engaged c1, b1, b2, b3; contained b1, b2, b3: 3 / 4.
    expect(card.rows[0].containment_rate).toBe(0.75);
  });

  it('averages concurrent chat load over the time an agent has chats open, with the peak', async () => {
    const card = await scorecard(s.wh, { from: '2024-03-07', to: '2024-03-07', by: ['agent'], kpis: ['concurrency'] });
    const a1 = card.rows.find((r) => r.agent === 'a1')!;
    // 10:00-10:10 one chat, 10:10-10:20 two, 10:20-10:30 one, 10:30-10:40 one (k1 ends as k3 starts):
    // (600 x 1 + 600 x 2 + 600 x 1 + 600 x 1) / 2400 = 1.25; peak 2.
    expect(a1.concurrency).toBe(1.25);
    expect(a1.concurrency_peak).toBe(2);
  });
});
