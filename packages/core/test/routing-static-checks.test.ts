import { describe, expect, it } from 'vitest';
import { parseRuleset } from '../src/routing/ruleset-load.ts';
import { checkRuleset, conditionImplies } from '../src/routing/static-checks.ts';

// A small world: chat and email, three intents, two languages (the declared domain).
const planted = `
version: 1
name: planted
queues:
  - { id: general, channel: chat }
  - { id: billing, channel: chat }
  - { id: billing-2, channel: chat }
  - { id: email-desk, channel: email }
  - { id: german, channel: chat }
domain:
  channel: [chat, email]
  intent: [refund, delivery, login]
  language: [en, de]
layers:
  - name: intents
    precedence: 10
    rules:
      - { id: refund-billing, when: { intent: refund, channel: chat }, then: { queue: billing } }
      # planted conflict: same match, same precedence, another queue
      - { id: refund-billing-2, when: { channel: [chat], intent: [refund] }, then: { queue: billing-2 } }
      - { id: chat-general, when: { channel: chat }, then: { queue: general } }
      - { id: email-all, when: { channel: email, language: en }, then: { queue: email-desk } }
  - name: language
    precedence: 20
    rules:
      - { id: german-all, when: { language: de, channel: chat }, then: { queue: german } }
      # planted shadowed rule: German chat refunds are always taken by german-all first
      - { id: german-refunds, precedence: 5, when: { language: de, channel: chat, intent: refund }, then: { queue: billing } }
`;
// The planted gap: German email (every intent) has no rule: email-all only takes English.

describe('static checks', () => {
  const result = checkRuleset(parseRuleset(planted, 'planted.yaml'));

  it('finds the planted conflict and only it', () => {
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]).toMatchObject({ rules: ['refund-billing', 'refund-billing-2'], precedence: 10, fields: ['queue'] });
    expect(result.conflicts[0].message).toMatch(/billing vs billing-2/);
  });

  it('finds the planted shadowed rule, and names the rule that always wins', () => {
    expect(result.shadowed.map((s) => s.rule)).toEqual(['german-refunds']);
    expect(result.shadowed[0].by).toEqual({ queue: 'german-all' });
  });

  it('finds the planted gap: German email of any intent', () => {
    // kinds: 2 channels x 3 intents x 2 languages = 12
    expect(result.kindsChecked).toBe(12);
    expect(result.gaps.map((g) => g.match)).toEqual([{ channel: 'email', intent: '*', language: 'de' }]);
  });

  it('a default queue closes every gap', () => {
    const withDefault = checkRuleset(parseRuleset(planted + 'default: { queue: general }\n'));
    expect(withDefault.gaps).toEqual([]);
  });

  it('a rule with a condition outside the enumerated kinds (tier) does not count as catching them', () => {
    const r = parseRuleset(`version: 1\nname: t\nqueues: [{id: a, channel: chat}]\ndomain: { channel: [chat] }\nlayers:\n  - name: l\n    precedence: 1\n    rules:\n      - { id: gold, when: { tier: gold }, then: { queue: a } }\n`);
    expect(checkRuleset(r).gaps.map((g) => g.match)).toEqual([{ channel: 'chat' }]);
  });

  it('a narrower rule ranked below a broader one is shadowed only if the broader one sets every field it sets', () => {
    const r = parseRuleset(`version: 1
name: t
queues: [{id: a, channel: chat}, {id: b, channel: chat}]
slaPolicies: { gold: { firstResponseSeconds: 10 } }
layers:
  - name: l
    precedence: 1
    rules:
      - { id: broad, when: { channel: chat }, then: { queue: a } }
      - { id: narrow-with-sla, when: { channel: chat, intent: refund }, then: { queue: b, sla: gold } }
      - { id: narrow, when: { channel: chat, keywords: [refund now] }, then: { queue: b } }
`);
    expect(checkRuleset(r).shadowed.map((s) => s.rule)).toEqual(['narrow']);
  });
});

describe('condition implication', () => {
  it('proves subset lists, substring keywords and nested open-case ranges', () => {
    expect(conditionImplies({ channel: ['chat'], intent: ['refund'] }, { channel: ['chat', 'email'] })).toBe(true);
    expect(conditionImplies({ channel: ['chat', 'phone'] }, { channel: ['chat'] })).toBe(false);
    expect(conditionImplies({ keywords: ['refund now'] }, { keywords: ['REFUND'] })).toBe(true);
    expect(conditionImplies({ keywords: ['refund'] }, { keywords: ['refund now'] })).toBe(false);
    expect(conditionImplies({ openCases: { min: 2, max: 3 } }, { openCases: { min: 1 } })).toBe(true);
    expect(conditionImplies({ openCases: { min: 0 } }, { openCases: { min: 1 } })).toBe(false);
    expect(conditionImplies({}, { vip: true })).toBe(false);
  });
});
