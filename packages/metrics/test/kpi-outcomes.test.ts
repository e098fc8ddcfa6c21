import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionOutcomes, scorecard } from '../src/index.ts';
import { agent, customer, Scenario, status } from './scenario.ts';

/**
 * The facts read the outcome the adapter recorded on each interaction (resolved, first_resolved_at,
 * reopen_count, answered, abandoned, queue_wait_seconds, callback_of), never an outcome inferred
 * from the status or from the last event of some kind. Mon 2024-04-01, UTC.
 */
describe('KPIs read the recorded outcome', () => {
  let s: Scenario;
  const at = (sec: number) => new Date(Date.parse('2024-04-01T10:00:00Z') + sec * 1000).toISOString();
  const day = { from: '2024-04-01', to: '2024-04-01', cache: false } as const;
  beforeAll(async () => {
    s = await Scenario.open();
    // c1: resolved after 600 s and reopened twice, as the source counts it (reopen parts, no status events).
    await s.interaction({ id: 'c1', channel: 'chat', created_at: at(0), status: 'closed', resolved: true, first_resolved_at: at(600), resolved_at: at(600), reopen_count: 2 }, [
      customer(at(0)), agent(at(30)),
    ]);
    // c2: first resolved after 900 s, reopened, and still open now: not resolved.
    await s.interaction({ id: 'c2', channel: 'chat', created_at: at(0), status: 'open', resolved: false, first_resolved_at: at(900), reopen_count: 1 }, [
      customer(at(0)), agent(at(60)),
    ]);
    // c3: resolved after 1800 s; an event written later names a bot's state as a status. It changes nothing.
    await s.interaction({ id: 'c3', channel: 'chat', created_at: at(0), status: 'closed', resolved: true, first_resolved_at: at(1800), resolved_at: at(1800) }, [
      customer(at(0)), agent(at(90)), status(at(1800), 'open', 'closed'), status(at(1900), 'closed', 'ai_agent:escalated'),
    ]);
    // c4: the visitor left the chat queue: abandoned, never answered, not resolved.
    await s.interaction({ id: 'c4', channel: 'chat', created_at: at(0), status: 'closed', closed_at: at(120), resolved: false, answered: false, abandoned: true, abandon_stage: 'chat_queue', queue_wait_seconds: 120 }, [
      customer(at(0)),
    ]);

    // p1: answered, nobody calls back: resolved by the repeat-contact rule at the end of the call (300 s).
    await s.interaction({ id: 'p1', channel: 'phone', created_at: at(0), first_response_at: at(10), closed_at: at(300), status: 'closed', queue_wait_seconds: 10, talk_seconds: 290, agent_id: 'a', answered: true, resolved: null });
    // p2: answered, but the same customer writes again two days later: not resolved.
    await s.interaction({ id: 'p2', channel: 'phone', created_at: at(0), contact_id: 'cust:b', first_response_at: at(20), closed_at: at(200), status: 'closed', queue_wait_seconds: 20, talk_seconds: 180, agent_id: 'a', answered: true, resolved: null });
    await s.interaction({ id: 'e1', channel: 'email', created_at: at(2 * 86_400), contact_id: 'cust:b' });
    // p3: hung up after 40 s in the queue (status closed, as some phone systems say): not answered,
    // so neither handled nor resolved. An outbound call 50 min later calls it back (callback_of).
    await s.interaction({ id: 'p3', channel: 'phone', created_at: at(0), closed_at: at(40), status: 'closed', queue_wait_seconds: 40, abandon_stage: 'queue', answered: false, abandoned: true, resolved: null });
    await s.interaction({ id: 'p3cb', channel: 'phone', direction: 'outbound', created_at: at(40 + 3000), first_response_at: at(40 + 3005), closed_at: at(40 + 3300), status: 'closed', talk_seconds: 295, agent_id: 'a', answered: true, callback_of: 'p3', resolved: null });
    // p4: hung up after 3 s in the queue; an agent's note ten minutes later does not stretch the wait.
    await s.interaction({ id: 'p4', channel: 'phone', created_at: at(0), closed_at: at(3), status: 'abandoned', queue_wait_seconds: 3, abandon_stage: 'queue', answered: false, abandoned: true, resolved: null }, [
      { at: at(0), type: 'queue_enter' }, { at: at(3), type: 'queue_leave' }, { at: at(600), type: 'message', role: 'agent', public: false, body: 'caller hung up' },
    ]);
  });
  afterAll(() => s.close());

  it('chat: reopens as the source counts them, a reopened conversation still open is not resolved', async () => {
    const row = (await scorecard(s.wh, { ...day, channels: ['chat'], kpis: ['reopen_rate', 'fcr', 'time_to_resolution', 'first_resolution_time'] })).rows[0];
    // Ever resolved: c1, c2, c3 (c4 never); reopened c1, c2: 2 / 3.
    expect(row.reopen_rate).toBeCloseTo(2 / 3, 12);
    // Resolved now: c1, c3 (c2 reopened and open, c4 abandoned); first-contact resolved: c3 only: 1 / 2.
    expect(row.fcr).toBe(0.5);
    // Full resolution over c1 600 s and c3 1800 s: mean 1200. First resolution over 600, 900, 1800: median 900, mean 1100.
    expect(row.time_to_resolution_mean).toBe(1200);
    expect(row.first_resolution_time).toBe(900);
    expect(row.first_resolution_time_mean).toBe(1100);
  });

  it('phone: answered is not resolved; a call is resolved when no repeat contact follows', async () => {
    const row = (await scorecard(s.wh, { ...day, channels: ['phone'], kpis: ['offered', 'answered', 'fcr', 'time_to_resolution', 'first_resolution_time'] })).rows[0];
    // Offered p1-p4 (p3cb is outbound); answered p1, p2. Handled: p1, p2; first-contact resolved: p1: 1 / 2.
    expect(row).toMatchObject({ offered: 4, answered: 2, fcr: 0.5 });
    // Only p1 is resolved, at its end: 300 s, first and full resolution alike.
    expect(row.time_to_resolution_mean).toBe(300);
    expect(row.first_resolution_time_mean).toBe(300);
  });

  it('phone: the recorded wait decides a short abandon, and a call back by callback_of completes the callback', async () => {
    const row = (await scorecard(s.wh, { ...day, channels: ['phone'], kpis: ['abandoned', 'abandoned_short', 'abandonment_rate', 'callback_completion_rate'] })).rows[0];
    // Abandoned p3 (40 s) and p4 (3 s < 5 s: short). Rate (2 - 1) / (4 - 1) = 1 / 3.
    expect(row).toMatchObject({ abandoned: 2, abandoned_short: 1 });
    expect(row.abandonment_rate).toBeCloseTo(1 / 3, 12);
    // p3 was called back 3000 s after it ended, within the 4 h SLA: 1 / 1.
    expect(row.callback_completion_rate).toBe(1);
  });

  it('the outcome reader gives the same outcomes per interaction', async () => {
    const rows = await interactionOutcomes(s.wh, { start: '2024-04-01T00:00:00Z', end: '2024-04-02T00:00:00Z' });
    const by = new Map(rows.map((r) => [r.id, r]));
    expect(by.get('c2')).toMatchObject({ resolved: false, reopens: 1, reopened: true, fcr: null });
    expect(by.get('c4')).toMatchObject({ abandoned: true, abandon_stage: 'chat_queue', answered: false, resolved: false });
    expect(by.get('p1')).toMatchObject({ answered: true, resolved: true, fcr: true });
    expect(by.get('p2')).toMatchObject({ answered: true, resolved: false, fcr: false, repeat_contact: true });
    expect(by.get('p3')).toMatchObject({ answered: false, resolved: false, fcr: null, callback_requested: true });
    expect(by.get('p4')).toMatchObject({ short_abandon: true });
  });
});
