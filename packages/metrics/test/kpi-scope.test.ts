import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpis, scorecard } from '../src/index.ts';
import { agent, customer, Scenario, status } from './scenario.ts';

/** Direction and channel scope of the KPIs, on Mon 2024-03-04 (UTC). */
describe('KPI scope', () => {
  let s: Scenario;
  const at = (sec: number) => new Date(Date.parse('2024-03-04T10:00:00Z') + sec * 1000).toISOString();
  const day = { from: '2024-03-04', to: '2024-03-04', cache: false } as const;
  beforeAll(async () => {
    s = await Scenario.open();
    // e1: inbound email, first reply after 600 s, solved, reopened, solved again; rated 5.
    await s.interaction({ id: 'e1', channel: 'email', created_at: at(0), status: 'solved', csat_score: 5, resolved: true, first_resolved_at: at(700), resolved_at: at(1000), reopen_count: 1 }, [
      customer(at(0)), agent(at(600)), status(at(700), 'open', 'solved'), status(at(900), 'solved', 'open'), status(at(1000), 'open', 'solved'),
    ]);
    // e2: an outbound email the customer never answered: no first response time (not 0 s).
    await s.interaction({ id: 'e2', channel: 'email', direction: 'outbound', created_at: at(0), status: 'solved', resolved: true, resolved_at: at(60) }, [
      agent(at(0)), status(at(60), 'open', 'solved'),
    ]);
    // e3: an outbound email the customer answered at 100 s, replied to at 400 s: 300 s.
    await s.interaction({ id: 'e3', channel: 'email', direction: 'outbound', created_at: at(0), status: 'open' }, [
      agent(at(0)), customer(at(100)), agent(at(400)),
    ]);
    // c1: chat solved once, never reopened; rated 2.
    await s.interaction({ id: 'c1', channel: 'chat', created_at: at(0), status: 'closed', csat_score: 2, resolved: true, resolved_at: at(300) }, [
      customer(at(0)), agent(at(30)), status(at(300), 'open', 'closed'),
    ]);
    // p1: an inbound call with a status history solved -> open -> solved; a phone system records no
    // resolution of its own (resolved NULL), so the call is outside reopen rate.
    await s.interaction({ id: 'p1', channel: 'phone', created_at: at(0), first_response_at: at(10), queue_wait_seconds: 10, talk_seconds: 100, hold_seconds: 20, wrap_up_seconds: 30, status: 'solved', agent_id: 'a', reopen_count: 1 }, [
      status(at(200), 'open', 'solved'), status(at(300), 'solved', 'open'), status(at(400), 'open', 'solved'),
    ]);
    // p2: an outbound callback of 600 s talk: outside AHT and hold time (inbound, like `answered`).
    await s.interaction({ id: 'p2', channel: 'phone', direction: 'outbound', created_at: at(0), first_response_at: at(0), talk_seconds: 600, hold_seconds: 100, wrap_up_seconds: 0, status: 'closed', agent_id: 'a' });
    // p3: an incident the customer phoned in, from a ticketing tool that records its resolution:
    // resolved at 500 s, reopened, resolved again at 800 s. Never answered as a call.
    await s.interaction({ id: 'p3', channel: 'phone', created_at: at(0), status: 'closed', resolved: true, first_resolved_at: at(500), resolved_at: at(800), answered: false, reopen_count: 1 }, [
      status(at(500), 'open', 'solved'), status(at(600), 'solved', 'open'), status(at(800), 'open', 'solved'),
    ]);
    // h1: a help-center session.
    await s.interaction({ id: 'h1', channel: 'help_center', created_at: at(0), status: 'closed', article_id: 'kb1' });
  });
  afterAll(() => s.close());

  it('gives an outbound email no first response time until the customer writes back', async () => {
    const row = (await scorecard(s.wh, { ...day, channels: ['email'], kpis: ['first_response_time'] })).rows[0];
    // e1 600 s, e3 300 s (from the customer's reply), e2 none: mean 450.
    expect(row.first_response_time_mean).toBe(450);
  });

  it('counts AHT and hold time over inbound answered calls only', async () => {
    const row = (await scorecard(s.wh, { ...day, channels: ['phone'], kpis: ['answered', 'aht', 'average_hold_time'] })).rows[0];
    // p1 only: 100 + 20 + 30 = 150; hold 20.
    expect(row).toMatchObject({ answered: 1, aht_mean: 150, average_hold_time_mean: 20 });
  });

  it('reopen rate counts whatever has a recorded resolution, on any channel, and no phone-system call', async () => {
    const whole = (await scorecard(s.wh, { ...day, kpis: ['reopen_rate'] })).rows[0];
    // Ever resolved as the source records it: e1 (reopened), e2, c1, p3 (reopened); p1 is a call
    // with no resolution of its own (its reopen count is not a reopen of anything): 2 / 4.
    expect(whole.reopen_rate).toBe(0.5);
    const phone = (await scorecard(s.wh, { ...day, channels: ['phone'], kpis: ['reopen_rate'] })).rows[0];
    // Phone: p3 only, reopened: 1 / 1.
    expect(phone.reopen_rate).toBe(1);
  });

  it('every KPI over the whole range equals the KPI over the union of its channels', async () => {
    const ids = kpis.filter((k) => k.compute.kind !== 'stage' && k.compute.kind !== 'derived').map((k) => k.id);
    const whole = (await scorecard(s.wh, { ...day, kpis: ids })).rows[0];
    let compared = 0;
    for (const def of kpis.filter((k) => ids.includes(k.id))) {
      const union = (await scorecard(s.wh, { ...day, kpis: [def.id], channels: [...def.channels] })).rows[0];
      expect([def.id, union[def.id]]).toEqual([def.id, whole[def.id]]);
      if (whole[def.id] !== null) compared++;
    }
    // The world gives most KPIs a value, so the comparison is not between nulls.
    expect(compared).toBeGreaterThan(15);
  });
});
