import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentCoverage } from '../src/index.ts';
import { Scenario } from './scenario.ts';

describe('intent sources per channel (Data health)', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    const at = '2024-03-04T10:00:00Z';
    // Email: e1 from its source, e2 by rule, e3 by the classifier, e4 unknown (its guess kept, not its intent).
    await s.interaction({ id: 'e1', channel: 'email', created_at: at, intent: 'refund' });
    await s.interaction({ id: 'e2', channel: 'email', created_at: at, intent: 'billing' });
    await s.interaction({ id: 'e3', channel: 'email', created_at: at, intent: 'refund' });
    await s.interaction({ id: 'e4', channel: 'email', created_at: at, intent: null });
    // Phone: p1 unknown without a label row (never looked at), p2 outbound (not a contact).
    await s.interaction({ id: 'p1', channel: 'phone', created_at: at, intent: null });
    await s.interaction({ id: 'p2', channel: 'phone', created_at: at, intent: null, direction: 'outbound' });
    await s.wh.run(`INSERT INTO intent_labels VALUES
      ('e2', 'rule', 'billing', 'tag-billing', NULL, NULL, TIMESTAMPTZ '2024-03-05 00:00:00+00'),
      ('e3', 'model', 'refund', NULL, 'refund', 0.97, TIMESTAMPTZ '2024-03-05 00:00:00+00'),
      ('e4', 'unknown', NULL, NULL, 'refund', 0.6, TIMESTAMPTZ '2024-03-05 00:00:00+00')`);
  });
  afterAll(() => s.close());

  it('counts source, rule, classifier and unknown per channel, inbound only', async () => {
    expect(await intentCoverage(s.wh)).toEqual([
      { channel: 'email', contacts: 4, source: 1, rule: 1, model: 1, unknown: 1, unknown_share: 0.25 },
      { channel: 'phone', contacts: 1, source: 0, rule: 0, model: 0, unknown: 1, unknown_share: 1 },
    ]);
  });
});
