import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionList, knowledgeOverview, parseSettings, type ScreenFilters } from '../src/index.ts';
import { Scenario } from './scenario.ts';

const filters = (over: Partial<ScreenFilters> = {}): ScreenFilters => ({
  from: '2024-03-04', to: '2024-03-06', tz: 'UTC', businessHours: false,
  channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], ...over,
});

describe('the knowledge screen', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    const session = (id: string, customerId: string | null, article: string, intent: string, search: string | null, title: string) =>
      s.interaction({ id, channel: 'help_center', created_at: '2024-03-04T10:00:00Z', customer_id: customerId, contact_id: customerId ? `hc:${customerId}` : null, article_id: article, intent },
        [{ at: '2024-03-04T10:00:00Z', type: 'article_view', role: 'customer', to: article, from: search, body: title }]);
    await session('h1', 'A', 'a1', 'refund', 'Refund ', 'Refund times'); // never contacts support: contained
    await session('h2', 'B', 'a1', 'refund', 'refund', 'Refund times'); // emails 10 h later: followed
    await session('h3', 'C', 'a2', 'sizing', null, 'Size guide'); // chats 48 h later: outside 24 h, contained
    await session('h4', null, 'a2', 'sizing', 'size', 'Size guide'); // anonymous: not a self-service session
    await session('h5', 'D', 'a2', 'sizing', 'size', 'Size guide'); // calls 2 h later: followed
    await s.interaction({ id: 'mB', channel: 'email', created_at: '2024-03-04T20:00:00Z', customer_id: 'B', intent: 'refund' });
    await s.interaction({ id: 'cC', channel: 'chat', created_at: '2024-03-06T10:00:00Z', customer_id: 'C', intent: 'sizing' });
    await s.interaction({ id: 'pD', channel: 'phone', created_at: '2024-03-04T12:00:00Z', customer_id: 'D', intent: 'sizing' });
    await s.interaction({ id: 'w1', channel: 'email', created_at: '2024-03-04T09:00:00Z', intent: 'warranty' });
    await s.interaction({ id: 'w2', channel: 'phone', created_at: '2024-03-05T09:00:00Z', intent: 'warranty' });
    await s.interaction({ id: 'w3', channel: 'social', created_at: '2024-03-05T10:00:00Z', intent: 'warranty' });
  });
  afterAll(() => s.close());

  it('sets each intent\'s contacts against its articles and containment, coloured by the target in settings', async () => {
    const targets = parseSettings({ targets: { self_service_containment: { target: 0.6, amber: 0.2 } } }).targets;
    const k = await knowledgeOverview(s.wh, filters({ channels: ['email'] }), { targets });
    // Target 0.6, amber down to 0.6 - 0.12 = 0.48.
    expect(k.target).toMatchObject({ target: 0.6, amber: 0.2 });
    // warranty: w1, w2, w3 = 3 contacts, no session. sizing: cC, pD = 2 contacts; sessions h3, h5 (h4 anonymous);
    // h5 followed (pD 2 h later), h3 not (48 h): 1/2 = 0.5, amber. refund: mB = 1 contact; h1, h2, h2 followed: 0.5.
    // The channel filter does not narrow the screen (it sets the help center against the others).
    expect(k.topics).toEqual([
      { intent: 'warranty', contacts: 3, sessions: 0, followed: 0, articles: 0, self_service_containment: null, colour: 'none', coverage: 'no_article' },
      { intent: 'sizing', contacts: 2, sessions: 2, followed: 1, articles: 1, self_service_containment: 0.5, colour: 'amber', coverage: 'weak' },
      { intent: 'refund', contacts: 1, sessions: 2, followed: 1, articles: 1, self_service_containment: 0.5, colour: 'amber', coverage: 'weak' },
    ]);
    // Articles, most followed first (a tie: more sessions, then id). Titles from the article views.
    expect(k.articles).toEqual([
      { article_id: 'a1', title: 'Refund times', intent: 'refund', sessions: 2, followed: 1, self_service_containment: 0.5, colour: 'amber' },
      { article_id: 'a2', title: 'Size guide', intent: 'sizing', sessions: 2, followed: 1, self_service_containment: 0.5, colour: 'amber' },
    ]);
    // Searches of self-service sessions, trimmed and lower-cased: "refund" (h1, h2; h2 followed), "size" (h5 followed; h4 anonymous).
    expect(k.searches).toEqual([
      { term: 'refund', sessions: 2, followed: 1, article_id: 'a1' },
      { term: 'size', sessions: 1, followed: 1, article_id: 'a2' },
    ]);
    // Contacts: mB, cC, pD, w1, w2, w3 = 6; sessions 4, followed 2.
    expect(k.totals).toEqual({ contacts: 6, sessions: 4, followed: 2, self_service_containment: 0.5 });
  });

  it('a higher containment meets the target; an intent filter narrows topics and articles', async () => {
    const targets = parseSettings({ targets: { self_service_containment: { target: 0.4 } } }).targets;
    const k = await knowledgeOverview(s.wh, filters({ intents: ['refund'] }), { targets });
    expect(k.topics.map((t) => [t.intent, t.colour, t.coverage])).toEqual([['refund', 'green', 'covered']]);
    expect(k.articles.map((a) => a.article_id)).toEqual(['a1']);
  });

  it('drills down from an article to its sessions through the article filter', async () => {
    const list = await interactionList(s.wh, { filters: filters({ channels: ['help_center'], articles: ['a2'] }), kpi: 'self_service_containment' });
    // a2's self-service sessions: h3 (contained, 1) and h5 (followed, 0); h4 is anonymous.
    expect(list.rows.map((r) => [r.id, r.kpi_value]).sort()).toEqual([['h3', 1], ['h5', 0]]);
    const all = await interactionList(s.wh, { filters: filters({ articles: ['a2'] }) });
    expect(all.rows.map((r) => r.id).sort()).toEqual(['h3', 'h4', 'h5']);
  });
});
