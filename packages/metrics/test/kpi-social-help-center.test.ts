import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeGaps, refreshSentiment, scorecard } from '../src/index.ts';
import { Scenario, agent, customer } from './scenario.ts';

describe('social KPIs', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    // s1: public post, public reply after 600 s, then the customer moves to DM (a private message).
    // AFINN: "terrible" -3 + "angry" -3 = -6; "thanks" 2 + "great" 3 + "help" 2 + "love" 3 = 10.
    await s.interaction({ id: 's1', channel: 'social', created_at: '2024-03-04T10:00:00Z' }, [
      customer('2024-03-04T10:00:00Z', 'This is terrible, I am so angry'), agent('2024-03-04T10:10:00Z'),
      customer('2024-03-04T10:15:00Z', 'my order number is 123', false), agent('2024-03-04T10:20:00Z', false),
      customer('2024-03-04T10:30:00Z', 'Thanks, great help, love it', false),
    ]);
    // s2: one public post only ("ok" scores 0), answered after 1800 s: no shift (needs two messages).
    await s.interaction({ id: 's2', channel: 'social', created_at: '2024-03-04T11:00:00Z' }, [customer('2024-03-04T11:00:00Z', 'ok'), agent('2024-03-04T11:30:00Z')]);
    // s3: "good" (+3) then "bad" (-3), answered publicly after 3600 s.
    await s.interaction({ id: 's3', channel: 'social', created_at: '2024-03-04T12:00:00Z' }, [
      customer('2024-03-04T12:00:00Z', 'good'), agent('2024-03-04T13:00:00Z'), customer('2024-03-04T13:05:00Z', 'bad'),
    ]);
    expect(await refreshSentiment(s.wh)).toBe(3);
    // A second refresh has nothing left to score.
    expect(await refreshSentiment(s.wh)).toBe(0);
  });
  afterAll(() => s.close());

  it('reports public response time, public-to-private conversion and sentiment shift', async () => {
    const row = (await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-04', channels: ['social'], kpis: ['public_response_time', 'public_to_private_rate', 'sentiment_shift'] })).rows[0];
    // Public response [600, 1800, 3600]: median 1800.
    expect(row.public_response_time).toBe(1800);
    // Moved to private: s1 of 3 public threads.
    expect(row.public_to_private_rate).toBeCloseTo(1 / 3, 12);
    // Shift: s1 10 - (-6) = 16, s3 -3 - 3 = -6; mean (16 - 6) / 2 = 5.
    expect(row.sentiment_shift).toBe(5);
  });
});

describe('help-center KPIs', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    const session = (id: string, customerId: string | null, article: string, intent: string) =>
      s.interaction({ id, channel: 'help_center', created_at: '2024-03-04T10:00:00Z', customer_id: customerId, contact_id: customerId ? `hc:${customerId}` : null, article_id: article, intent },
        [{ at: '2024-03-04T10:00:00Z', type: 'article_view', role: 'customer', to: article }]);
    await session('h1', 'A', 'a1', 'refund'); // never contacts support: self-served
    await session('h2', 'B', 'a1', 'refund'); // emails 10 h later about a refund: not self-served
    await session('h3', 'C', 'a2', 'sizing'); // chats 48 h later: outside 24 h, self-served
    await session('h4', null, 'a2', 'sizing'); // anonymous: not an identified customer, left out
    await s.interaction({ id: 'mB', channel: 'email', created_at: '2024-03-04T20:00:00Z', customer_id: 'B', intent: 'refund' });
    await s.interaction({ id: 'cC', channel: 'chat', created_at: '2024-03-06T10:00:00Z', customer_id: 'C', intent: 'sizing' });
    await s.interaction({ id: 'w1', channel: 'email', created_at: '2024-03-04T09:00:00Z', intent: 'warranty' });
    await s.interaction({ id: 'w2', channel: 'phone', created_at: '2024-03-05T09:00:00Z', intent: 'warranty' });
  });
  afterAll(() => s.close());

  it('counts identified sessions not followed by a contact within 24 h, overall and per article', async () => {
    const all = (await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-04', channels: ['help_center'], kpis: ['self_service_containment'] })).rows[0];
    // h1, h2, h3 identified; h1 and h3 self-served: 2 / 3.
    expect(all.self_service_containment).toBeCloseTo(2 / 3, 12);
    const perArticle = (await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-04', channels: ['help_center'], by: ['article'], kpis: ['self_service_containment'] })).rows;
    // a1: h1 yes, h2 no = 0.5; a2: h3 yes (h4 anonymous) = 1.
    expect(perArticle.map((r) => [r.article, r.self_service_containment])).toEqual([['a1', 0.5], ['a2', 1]]);
  });

  it('lists intents without an article and articles whose readers still contact support', async () => {
    const gaps = await knowledgeGaps(s.wh, { from: '2024-03-04', to: '2024-03-06' });
    // Contact intents: refund (mB), sizing (cC), warranty (w1, w2); only warranty has no article.
    expect(gaps.intentsWithoutArticle).toEqual([{ intent: 'warranty', contacts: 2 }]);
    // a1/refund: 2 sessions, B came back on refund within 24 h: 1 / 2. a2/sizing: C came back after 48 h: not listed.
    expect(gaps.articlesStillContacted).toEqual([{ article_id: 'a1', intent: 'refund', sessions: 2, followed_by_contact: 1, rate: 0.5 }]);
  });
});
