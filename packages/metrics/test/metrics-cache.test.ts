import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsCacheRefreshing, refreshFacts, scorecard, serveLastFactsWhileRefreshing, UnresolvedWarehouseError, type ScorecardResult } from '../src/index.ts';
import { Scenario, agent, customer, status } from './scenario.ts';

/** The metrics cache must never change a number: cached and computed scorecards are equal. */
describe('metrics cache', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    await s.interaction({ id: 'e1', channel: 'email', created_at: '2024-03-04T09:00:00Z', customer_id: 'K', agent_id: 'a1', team_id: 't1' }, [
      customer('2024-03-04T09:00:00Z'), agent('2024-03-04T10:00:00Z'), status('2024-03-05T09:00:00Z', 'open', 'solved'), status('2024-03-06T09:00:00Z', 'solved', 'open'),
    ]);
    await s.interaction({ id: 'c1', channel: 'chat', created_at: '2024-03-05T09:00:00Z', customer_id: 'K', agent_id: 'a1', team_id: 't1', first_response_at: '2024-03-05T09:01:00Z', closed_at: '2024-03-05T09:20:00Z', status: 'closed' }, [
      customer('2024-03-05T09:00:00Z'), agent('2024-03-05T09:01:00Z'),
    ]);
    await s.interaction({ id: 'p1', channel: 'phone', created_at: '2024-03-05T10:00:00Z', first_response_at: '2024-03-05T10:00:12Z', queue_wait_seconds: 12, talk_seconds: 100, agent_id: 'a2', team_id: 't2' });
  });
  afterAll(() => s.close());

  it('gives the same scorecard from the cache as computed in full', async () => {
    const options = { from: '2024-03-04', to: '2024-03-10', by: ['day' as const, 'channel' as const], tz: 'Europe/Berlin' };
    // Both read the facts (a Berlin day is no UTC day); only the reason they give differs.
    const numbers = ({ sourceReason: _reason, ...card }: ScorecardResult) => card;
    const computed = await scorecard(s.wh, { ...options, cache: false });
    const cached = await scorecard(s.wh, options);
    expect(numbers(cached)).toEqual(numbers(computed));
    const businessComputed = await scorecard(s.wh, { ...options, businessHours: true, cache: false });
    expect(numbers(await scorecard(s.wh, { ...options, businessHours: true }))).toEqual(numbers(businessComputed));
    expect(await s.wh.all('SELECT count(*) AS n FROM metrics_cache_facts')).toEqual([{ n: 3 }]);
  });

  it('is rebuilt when the warehouse changes', async () => {
    const before = (await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-10', kpis: ['volume', 'repeat_contact_rate'] })).rows[0];
    // e1 and c1 belong to K: e1 is repeated (c1 a day later): 1 / 3 contacts.
    expect(before).toMatchObject({ volume: 3, repeat_contact_rate: 1 / 3 });
    await s.interaction({ id: 'm1', channel: 'email', created_at: '2024-03-06T09:00:00Z', customer_id: 'K' });
    const after = (await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-10', kpis: ['volume', 'repeat_contact_rate'] })).rows[0];
    // Now c1 is repeated too (m1 a day later): e1, c1 of 4.
    expect(after).toMatchObject({ volume: 4, repeat_contact_rate: 0.5 });
  });
});

describe('finished scorecards reused on unchanged data', () => {
  it('serves an equal copy that callers cannot corrupt, and recomputes after a change', async () => {
    const s = await Scenario.open();
    try {
      await s.interaction({ id: 'x', channel: 'chat', created_at: '2024-03-04T09:00:00Z' });
      const options = { from: '2024-03-04', to: '2024-03-04', kpis: ['volume'] };
      const first = await scorecard(s.wh, options);
      first.rows[0].volume = 99;
      // One chat on the day: volume 1, whatever the first caller did to its copy.
      expect((await scorecard(s.wh, options)).rows[0].volume).toBe(1);
      expect(await scorecard(s.wh, options)).toEqual(await scorecard(s.wh, { ...options, resultCache: false }));
      await s.interaction({ id: 'y', channel: 'email', created_at: '2024-03-04T10:00:00Z' });
      // A second interaction the same day: 1 + 1 = 2.
      expect((await scorecard(s.wh, options)).rows[0].volume).toBe(2);
    } finally {
      s.close();
    }
  });
});

describe('metrics cache under concurrent requests', () => {
  it('rebuilds once when several scorecards ask at the same time', async () => {
    const s = await Scenario.open();
    try {
      await s.interaction({ id: 'x', channel: 'chat', created_at: '2024-03-04T09:00:00Z' });
      const cards = await Promise.all([1, 2, 3].map(() => scorecard(s.wh, { from: '2024-03-04', to: '2024-03-04', kpis: ['volume'] })));
      expect(cards.map((c) => c.rows[0].volume)).toEqual([1, 1, 1]);
    } finally {
      s.close();
    }
  });
});

describe('a server answering while the facts refresh', () => {
  const day = { from: '2024-03-04', to: '2024-03-04', kpis: ['volume'] };
  const chat = (id: string) => ({ id, channel: 'chat' as const, created_at: '2024-03-04T09:00:00Z' });

  it('answers from the facts last recorded while the pipeline refreshes them, and from the new ones after', async () => {
    const s = await Scenario.open();
    try {
      await s.interaction(chat('x'));
      expect((await scorecard(s.wh, day)).rows[0].volume).toBe(1);
      serveLastFactsWhileRefreshing(s.wh);
      await s.interaction(chat('y'));
      // The pipeline's facts stage starts; a request meanwhile does not wait for it: it answers for
      // the version last recorded (1 chat), not for the one being built (2).
      const stage = refreshFacts(s.wh);
      expect(metricsCacheRefreshing(s.wh)).toBe(true);
      expect((await scorecard(s.wh, day)).rows[0].volume).toBe(1);
      expect(await stage).toMatchObject({ cached: true, facts: 2 });
      expect((await scorecard(s.wh, day)).rows[0].volume).toBe(2);
    } finally {
      s.close();
    }
  });

  it('refreshes beside a request that finds the facts behind, and the facts stage waits for that refresh', async () => {
    const s = await Scenario.open();
    try {
      await s.interaction(chat('x'));
      serveLastFactsWhileRefreshing(s.wh);
      expect((await scorecard(s.wh, day)).rows[0].volume).toBe(1);
      await s.interaction(chat('y'));
      // Behind and nobody refreshing: the request answers from the last facts and starts the refresh.
      expect((await scorecard(s.wh, day)).rows[0].volume).toBe(1);
      await s.interaction(chat('z'));
      // The facts stage waits for a refresh under way and checks again: it ends with all three.
      expect(await refreshFacts(s.wh)).toMatchObject({ cached: true, facts: 3 });
      expect((await scorecard(s.wh, day)).rows[0].volume).toBe(3);
    } finally {
      s.close();
    }
  });

  it('still waits for the first build, with no facts to answer from', async () => {
    const s = await Scenario.open();
    try {
      await s.interaction(chat('x'));
      serveLastFactsWhileRefreshing(s.wh);
      expect((await scorecard(s.wh, day)).rows[0].volume).toBe(1);
    } finally {
      s.close();
    }
  });
});

describe('a load not yet resolved', () => {
  const week = { from: '2024-03-04', to: '2024-03-10', kpis: ['volume', 'repeat_contact_rate'] };

  it('keeps serving the last resolved facts until the pipeline has placed the new identities', async () => {
    const s = await Scenario.open();
    try {
      await s.identity('cust:k', 'email', 'k@example.com', 'K');
      await s.interaction({ id: 'e1', channel: 'email', created_at: '2024-03-04T09:00:00Z', customer_id: 'K' });
      await s.interaction({ id: 'c1', channel: 'chat', created_at: '2024-03-05T09:00:00Z', customer_id: 'K' });
      // Resolved: e1 is repeated by c1 a day later: 1 of 2 contacts.
      expect((await scorecard(s.wh, week)).rows[0]).toMatchObject({ volume: 2, repeat_contact_rate: 0.5 });
      // A sync lands a contact and its identity; resolution has not run yet (customer_id NULL).
      await s.identity('cust:new', 'email', 'new@example.com', null);
      await s.interaction({ id: 'm1', channel: 'email', created_at: '2024-03-06T09:00:00Z' });
      // Still the resolved state's figures (2 contacts, 1 repeated), not an error and not a weaker key.
      expect((await scorecard(s.wh, { ...week, resultCache: false })).rows[0]).toMatchObject({ volume: 2, repeat_contact_rate: 0.5 });
      // Resolution places it (its own customer): the next read sees 3 contacts, e1 repeated: 1 / 3.
      await s.wh.run("UPDATE identities SET customer_id = 'N' WHERE contact_id = 'cust:new'");
      await s.wh.run("UPDATE interactions SET customer_id = 'N' WHERE id = 'm1'");
      expect((await scorecard(s.wh, week)).rows[0]).toMatchObject({ volume: 3, repeat_contact_rate: 1 / 3 });
    } finally {
      s.close();
    }
  });

  it('refuses a warehouse that was never resolved', async () => {
    const s = await Scenario.open();
    try {
      await s.identity('cust:k', 'email', 'k@example.com', null);
      await s.interaction({ id: 'e1', channel: 'email', created_at: '2024-03-04T09:00:00Z' });
      await expect(scorecard(s.wh, week)).rejects.toBeInstanceOf(UnresolvedWarehouseError);
    } finally {
      s.close();
    }
  });
});
