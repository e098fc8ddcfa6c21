import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecard } from '../src/index.ts';
import { Scenario } from './scenario.ts';

/** Phone KPIs on Mon 2024-03-04 (UTC). */
describe('phone KPIs', () => {
  let s: Scenario;
  const at = (sec: number) => new Date(Date.parse('2024-03-04T10:00:00Z') + sec * 1000).toISOString();
  beforeAll(async () => {
    s = await Scenario.open();
    const answered = (id: string, wait: number, talk: number, hold: number, wrap: number | null, extra = {}) =>
      s.interaction({ id, channel: 'phone', created_at: at(0), first_response_at: at(wait), queue_wait_seconds: wait, talk_seconds: talk, hold_seconds: hold, wrap_up_seconds: wrap, agent_id: 'a', status: 'solved', resolved_at: at(wait + talk + hold), ...extra });
    // p1: waited 10 s; handle 300 + 60 + 40 = 400. Requested a callback made 3 h later (inside the 4 h SLA).
    await answered('p1', 10, 300, 60, 40, { callback_requested: true });
    await s.wh.run(`INSERT INTO events VALUES ('p1:0', 'p1', 0, $1, 'callback_requested', 'customer', NULL, NULL, NULL, NULL, NULL, NULL),
      ('p1:1', 'p1', 1, $2, 'callback_completed', 'agent', NULL, NULL, NULL, NULL, NULL, NULL)`, [at(30), at(30 + 3 * 3600)]);
    // p2: waited 30 s; handle 200 + 0 + 20 = 220. Its callback is a separate outbound call 5 h later: outside the SLA.
    await answered('p2', 30, 200, 0, 20, { callback_requested: true });
    await s.wh.run(`INSERT INTO events VALUES ('p2:0', 'p2', 0, $1, 'callback_requested', 'customer', NULL, NULL, NULL, NULL, NULL, NULL)`, [at(60)]);
    await s.interaction({ id: 'p2cb', channel: 'phone', direction: 'outbound', created_at: at(5 * 3600), parent_interaction_id: 'p2' },
      [{ at: at(60 + 5 * 3600), type: 'callback_completed', role: 'agent' }]);
    // p3: gave up in the queue after 40 s and asked for a callback that never came.
    await s.interaction({ id: 'p3', channel: 'phone', created_at: at(0), queue_wait_seconds: 40, abandon_stage: 'queue', status: 'abandoned' }, [
      { at: at(0), type: 'queue_enter' }, { at: at(40), type: 'queue_leave' }, { at: at(40), type: 'callback_requested', role: 'customer' },
    ]);
    // p4: a short abandon after 3 s in the queue.
    await s.interaction({ id: 'p4', channel: 'phone', created_at: at(0), queue_wait_seconds: 3, abandon_stage: 'queue', status: 'abandoned' }, [
      { at: at(0), type: 'queue_enter' }, { at: at(3), type: 'queue_leave' },
    ]);
    // p5: hung up in the IVR after 20 s (a file source records that time as the wait, as the bank log does).
    await s.interaction({ id: 'p5', channel: 'phone', created_at: at(0), queue_wait_seconds: 20, abandon_stage: 'ivr', status: 'abandoned' }, [
      { at: at(0), type: 'ivr_enter' }, { at: at(20), type: 'ivr_leave' },
    ]);
    // p6: answered after 15 s, then hung up on hold: talk 100, hold 50, no wrap-up -> handle 150.
    // The adapter records both: a human answered it, and the caller abandoned on hold.
    await answered('p6', 15, 100, 50, null, { abandon_stage: 'hold', status: 'abandoned', resolved_at: null, answered: true, abandoned: true });
  });
  afterAll(() => s.close());

  const day = { from: '2024-03-04', to: '2024-03-04', channels: ['phone' as const] };

  it('counts offered, answered and abandoned calls; the rate is queue abandons over calls offered to the queue', async () => {
    const row = (await scorecard(s.wh, { ...day, kpis: ['offered', 'answered', 'abandoned', 'abandoned_short', 'abandoned_ivr', 'abandonment_rate', 'ivr_abandonment_rate'] })).rows[0];
    // Offered: inbound p1-p6 = 6 (the outbound callback is not offered). Answered: p1, p2, p6.
    // Abandoned: p3 (queue), p4 (queue, short), p5 (IVR), p6 (hold) = 4; IVR hang-ups: p5.
    // Offered to the queue: 6 - p5 (IVR) - p4 (short) = 4 (p1, p2, p3, p6). Abandoned in the queue
    // and not short: p3 (p6 was answered before it was lost on hold): 1 / 4 = 0.25.
    // IVR hang-up rate: p5 of the 6 offered.
    expect(row).toMatchObject({ offered: 6, answered: 3, abandoned: 4, abandoned_short: 1, abandoned_ivr: 1, abandonment_rate: 0.25 });
    expect(row.ivr_abandonment_rate).toBeCloseTo(1 / 6, 12);
  });

  it('makes the short-abandon threshold configurable', async () => {
    const row = (await scorecard(s.wh, { ...day, kpis: ['abandonment_rate', 'abandoned_short'], config: { shortAbandonSeconds: 0 } })).rows[0];
    // No short abandons: queue abandons p3, p4 over offered to the queue p1, p2, p3, p4, p6: 2 / 5.
    expect(row.abandoned_short).toBe(0);
    expect(row.abandonment_rate).toBeCloseTo(2 / 5, 12);
  });

  it('never counts an IVR hang-up as a short abandon, however quick', async () => {
    // p5 left the IVR after 20 s; with a 30 s threshold p3 (40 s) stays, p4 (3 s) is short, p5 is
    // still an IVR hang-up and not short: abandoned_short 1, rate p3 / (p1, p2, p3, p6) = 1 / 4.
    const row = (await scorecard(s.wh, { ...day, kpis: ['abandoned_short', 'abandonment_rate'], config: { shortAbandonSeconds: 30 } })).rows[0];
    expect(row.abandoned_short).toBe(1);
    expect(row.abandonment_rate).toBe(0.25);
  });

  it('reports speed of answer, service level, hold time and AHT', async () => {
    const row = (await scorecard(s.wh, { ...day, kpis: ['average_speed_of_answer', 'service_level', 'average_hold_time', 'aht'] })).rows[0];
    // ASA over answered [10, 30, 15]: median 15, mean 55 / 3.
    expect(row.average_speed_of_answer).toBe(15);
    expect(row.average_speed_of_answer_mean).toBeCloseTo(55 / 3, 12);
    // Service level 20 s: p1 (10 s) and p6 (15 s) of the calls offered to the queue (p1, p2, p3, p6:
    // p4 is a short abandon, p5 never left the IVR): 2 / 4.
    expect(row.service_level).toBe(0.5);
    // Hold over answered [60, 0, 50]: median 50, mean 110 / 3.
    expect(row.average_hold_time).toBe(50);
    expect(row.average_hold_time_mean).toBeCloseTo(110 / 3, 12);
    // AHT [400, 220, 150]: median 220, mean 770 / 3.
    expect(row.aht).toBe(220);
    expect(row.aht_mean).toBeCloseTo(770 / 3, 12);
  });

  it('counts a callback made outside its SLA as not completed', async () => {
    const row = (await scorecard(s.wh, { ...day, kpis: ['callback_completion_rate'] })).rows[0];
    // Requested: p1 (made after 3 h: in SLA), p2 (after 5 h: outside), p3 (never): 1 / 3.
    expect(row.callback_completion_rate).toBeCloseTo(1 / 3, 12);
    const lenient = (await scorecard(s.wh, { ...day, kpis: ['callback_completion_rate'], config: { callbackSlaSeconds: 6 * 3600 } })).rows[0];
    // A 6 h SLA takes p2 too: 2 / 3.
    expect(lenient.callback_completion_rate).toBeCloseTo(2 / 3, 12);
  });
});
