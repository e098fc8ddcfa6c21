import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, simulateQueues, type SimContact, type SimResult } from '@helpdesk/core';
import { scorecard } from '../src/index.ts';
import { Scenario } from './scenario.ts';

/**
 * The routing simulation's service level and abandonment follow the registry's definitions: a
 * simulated day, written to a warehouse as the calls it produced, gives the same figures through
 * the scorecard as the simulation reports.
 */
const dayStart = Date.parse('2024-03-04T08:00:00Z');
const at = (seconds: number) => new Date(dayStart + seconds * 1000).toISOString();

/** Writes each simulated call as the phone interaction an adapter would record for it. */
async function record(s: Scenario, prefix: string, contacts: SimContact[], result: SimResult): Promise<void> {
  for (const o of result.outcomes!) {
    const c = contacts[o.contact];
    const id = `${prefix}${o.contact}`;
    if (o.outcome === 'answered') {
      await s.interaction({
        id, channel: 'phone', created_at: at(c.arrival), first_response_at: at(c.arrival + o.waitSeconds), queue_wait_seconds: o.waitSeconds,
        talk_seconds: c.handleSeconds, hold_seconds: 0, wrap_up_seconds: 0, status: 'closed', closed_at: at(c.arrival + o.waitSeconds + c.handleSeconds), agent_id: 'a',
      });
    } else {
      await s.interaction({ id, channel: 'phone', created_at: at(c.arrival), queue_wait_seconds: o.waitSeconds, abandon_stage: 'queue', status: 'abandoned' });
    }
  }
}

const agents = (n: number) => Array.from({ length: n }, () => ({ queue: 'q', skills: [], languages: [], concurrency: 1 }));
const call = (arrival: number, handleSeconds: number, patienceSeconds = Infinity): SimContact =>
  ({ arrival, queue: 'q', skills: [], language: null, handleSeconds, patienceSeconds, slaSeconds: null });

describe('routing simulation and the KPI registry', () => {
  let hand: Scenario;
  let day: Scenario;
  beforeAll(async () => {
    hand = await Scenario.open();
    day = await Scenario.open();
  });
  afterAll(() => {
    hand.close();
    day.close();
  });

  it('apply the same edges: a 20 s wait is within 20 s, a 4 s hang-up is short, a 5 s one is not', async () => {
    // One agent. c0 is answered at once and talks 20 s; c1 waits exactly 20 s (within: <= 20);
    // c2 hangs up after 4 s (short: < 5); c3 after 5 s (not short).
    const contacts = [call(0, 20), call(0, 60), call(0, 60, 4), call(0, 60, 5)];
    const result = simulateQueues([{ id: 'q', serviceLevelSeconds: 20 }], agents(1), contacts, { keepOutcomes: true });
    const [q] = result.queues;
    // Offered 4, short abandons 1: service level (c0, c1) / 3 = 2/3; abandonment (2 - 1) / 3 = 1/3.
    expect(q).toMatchObject({ offered: 4, answered: 2, abandoned: 2, shortAbandoned: 1 });
    expect(q.serviceLevel).toBeCloseTo(2 / 3, 12);
    expect(q.abandonmentRate).toBeCloseTo(1 / 3, 12);
    await record(hand, 'h', contacts, result);
    const row = (await scorecard(hand.wh, { from: '2024-03-04', to: '2024-03-04', kpis: ['service_level', 'abandonment_rate'], cache: false })).rows[0];
    expect(row.service_level).toBeCloseTo(2 / 3, 12);
    expect(row.abandonment_rate).toBeCloseTo(1 / 3, 12);
  });

  it('agree on a simulated busy morning of 300 calls', async () => {
    // Whole seconds throughout, so that the warehouse stores exactly the simulated waits.
    const random = seededRandom(7);
    const contacts: SimContact[] = [];
    let t = 0;
    for (let i = 0; i < 300; i++) {
      t += Math.round(-Math.log(1 - random()) * 36);
      contacts.push(call(t, Math.max(1, Math.round(-Math.log(1 - random()) * 170)), Math.round(-Math.log(1 - random()) * 45)));
    }
    const result = simulateQueues([{ id: 'q', serviceLevelSeconds: 20 }], agents(5), contacts, { keepOutcomes: true });
    const [q] = result.queues;
    // The world must exercise every term: answered late and early, abandons short and long.
    expect(q.unserved).toBe(0);
    expect(q.shortAbandoned).toBeGreaterThan(3);
    expect(q.abandoned - q.shortAbandoned).toBeGreaterThan(3);
    expect(q.serviceLevel!).toBeGreaterThan(0.2);
    expect(q.serviceLevel!).toBeLessThan(0.95);
    await record(day, 'd', contacts, result);
    const row = (await scorecard(day.wh, {
      from: '2024-03-04', to: '2024-03-04', kpis: ['offered', 'answered', 'abandoned', 'abandoned_short', 'service_level', 'abandonment_rate'], cache: false,
    })).rows[0];
    expect(row).toMatchObject({ offered: q.offered, answered: q.answered, abandoned: q.abandoned, abandoned_short: q.shortAbandoned });
    expect(row.service_level).toBeCloseTo(q.serviceLevel!, 12);
    expect(row.abandonment_rate).toBeCloseTo(q.abandonmentRate!, 12);
  });
});
