import { parseRuleset } from '@helpdesk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings, readiness, type Readiness } from '../src/index.ts';
import { Scenario } from './scenario.ts';

/**
 * Readiness on a hand-built warehouse. The newest interaction is Wednesday 2024-03-13 12:00 UTC,
 * so with one week measured the range is the whole week Monday 2024-03-04 to Sunday 2024-03-10.
 */
describe('the readiness screen', () => {
  let s: Scenario;
  let r: Readiness;
  const ruleset = parseRuleset(`version: 1
name: small
queues: [{ id: q-email, channel: email }, { id: q-chat, channel: chat }]
domain: { channel: [chat, email] }
layers:
  - name: l
    precedence: 1
    rules:
      - { id: email, when: { channel: email }, then: { queue: q-email } }
`);
  beforeAll(async () => {
    s = await Scenario.open();
    const email = (id: string, day: string, intent: string, queue: string, customer: string | null) =>
      s.interaction({ id, channel: 'email', created_at: `${day}T10:00:00Z`, intent, queue_id: queue, customer_id: customer, first_response_at: `${day}T10:30:00Z` });
    await email('e1', '2024-03-04', 'refund', 'q-email', 'A');
    await email('e2', '2024-03-05', 'refund', 'q-email', 'B');
    await email('e3', '2024-03-06', 'refund', 'q-email', null);
    await email('e4', '2024-03-07', 'warranty', 'q-rogue', null);
    await email('e5', '2024-03-13', 'refund', 'q-email', 'C'); // after the week: only sets "now"
    await s.wh.run("UPDATE interactions SET created_at = TIMESTAMPTZ '2024-03-13 12:00:00+00' WHERE id = 'e5'");
    // A's help-center visit read an article about refunds: refund has an article, warranty none.
    await s.interaction({ id: 'h1', channel: 'help_center', created_at: '2024-03-05T09:00:00Z', customer_id: 'A', article_id: 'a1', intent: 'refund' },
      [{ at: '2024-03-05T09:00:00Z', type: 'article_view', role: 'customer', to: 'a1' }]);
    // The source synced 12 h before the newest interaction; one record of it was quarantined that week.
    await s.wh.run("INSERT INTO ingest_runs VALUES ('run1', 'test', 'incremental', TIMESTAMPTZ '2024-03-12 23:00:00+00', TIMESTAMPTZ '2024-03-13 00:00:00+00', 'succeeded', NULL, NULL)");
    await s.wh.run("INSERT INTO quarantine VALUES ('q1', 'run1', 'test', 'tickets', '9', 'no requester', '{}', TIMESTAMPTZ '2024-03-05 00:00:00+00')");
    const settings = parseSettings({
      readiness: { metricsWeeks: 1, topIntents: 2, knowledgeCoverage: 0.8, syncMaxAgeHours: 24, quarantineMaxShare: 0.3, identityMinShare: 0.5 },
      targets: { first_response_time: { target: 3600 } },
    });
    r = await readiness(s.wh, settings, ruleset);
  });
  afterAll(() => s.close());

  const check = (channel: string, criterion: string) => r.channels.find((c) => c.channel === channel)!.checks.find((k) => k.criterion === criterion)!;

  it('measures the last whole week before the newest interaction', () => {
    expect([r.from, r.to]).toEqual(['2024-03-04', '2024-03-10']);
    expect(r.channels.map((c) => c.channel)).toEqual(['chat', 'email', 'phone', 'social']);
  });

  it('routing: a queue the channel used that the ruleset does not declare is red, with the evidence', () => {
    // Email used q-email (3) and q-rogue (1); only q-email is declared.
    expect(check('email', 'routing')).toMatchObject({ status: 'red', summary: '1 of 2 queues used are not in small' });
    expect(check('email', 'routing').evidence).toContain('not declared: q-rogue (1 contacts)');
    // Chat used no queue and declares q-chat, but no rule routes a chat: a gap.
    expect(check('chat', 'routing').status).toBe('red');
    expect(check('chat', 'routing').summary).toMatch(/kinds of chat contact no rule routes/);
    // Phone: no queue declared at all.
    expect(check('phone', 'routing').summary).toBe('small declares no phone queue');
  });

  it('knowledge: the share of the top intents with an article, against the threshold', () => {
    // Top 2 email intents: refund (3), warranty (1); refund has an article: 1/2 = 0.5 < 0.8 but >= 0.4: amber.
    expect(check('email', 'knowledge')).toMatchObject({ status: 'amber', summary: '1 of the top 2 intents have an article (50 %)' });
    expect(check('email', 'knowledge').evidence).toEqual(['refund: 3 contacts, has an article', 'warranty: 1 contacts, NO article']);
  });

  it('integrations: fresh sync, quarantine and resolved customers against their thresholds', () => {
    // Synced 12 h before (<= 24 h); 1 quarantined of 4 email interactions = 0.25 <= 0.3; customers 2 of 4 = 0.5 >= 0.5: green.
    const k = check('email', 'integrations');
    expect(k.status).toBe('green');
    expect(k.evidence).toEqual([
      'test: 4 interactions; last sync 2024-03-13 00:00:00+00 (12.0 h before the newest interaction); 1 quarantined',
      'customers resolved: 2 of 4 inbound contacts (50 %)',
    ]);
    // No chat at all in the week: no source feeds it.
    expect(check('chat', 'integrations')).toMatchObject({ status: 'red', summary: 'no source feeds this channel' });
  });

  it('staffing and metrics: Erlang C only for calls and chats; targets met week by week', () => {
    expect(check('email', 'staffing').status).toBe('none');
    expect(check('chat', 'staffing')).toMatchObject({ status: 'red', summary: 'no inbound chat contacts to forecast from' });
    // The only target set: first response within 1 h; 30 min on each of e1-e4: met in the one week.
    expect(check('email', 'metrics')).toMatchObject({ status: 'green', summary: '1 of 1 KPI-weeks met (1 KPIs with a target)' });
    // Social has no contact that week: nothing measured against its target is not a pass.
    expect(check('social', 'metrics')).toMatchObject({ status: 'red' });
  });
});
