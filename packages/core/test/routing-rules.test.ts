import { describe, expect, it } from 'vitest';
import { explainDecision, routeInteraction, type RoutableInteraction } from '../src/routing/route-interaction.ts';
import { parseRuleset, RulesetError } from '../src/routing/ruleset-load.ts';

const layeredYaml = `
version: 1
name: hand-built
queues:
  - { id: general, channel: chat }
  - { id: billing, channel: chat }
  - { id: german, channel: chat }
  - { id: vip-desk, channel: chat }
slaPolicies:
  standard: { firstResponseSeconds: 120 }
  gold: { firstResponseSeconds: 30 }
layers:
  - name: intents
    kind: intent
    precedence: 10
    rules:
      - id: refunds-to-billing
        when: { intent: [refund, invoice] }
        then: { queue: billing, skills: [billing] }
      - id: angry-words
        when: { keywords: [chargeback, lawyer] }
        then: { priority: urgent }
  - name: language
    kind: language
    precedence: 20
    rules:
      - id: german-speakers
        when: { language: de }
        then: { queue: german }
  - name: vip
    kind: vip
    precedence: 30
    rules:
      - id: gold-tier
        when: { tier: gold }
        then: { sla: gold, priority: high }
      - id: vip-flag
        precedence: 40
        when: { vip: true, channel: chat }
        then: { queue: vip-desk }
default: { queue: general, sla: standard }
`;

const base: RoutableInteraction = {
  id: 'x:1', channel: 'chat', intent: null, tags: [], language: 'en', country: 'DE', priority: 'normal',
  subject: null, tier: null, vip: false, openCases: 0,
};

describe('layered routing: precedence and explanation', () => {
  const ruleset = parseRuleset(layeredYaml, 'hand-built.yaml');

  it('an English refund goes to billing by the intent rule, with the default SLA', () => {
    const d = routeInteraction(ruleset, { ...base, intent: 'refund' });
    expect(d.queue).toBe('billing');
    expect(d.decidedBy).toEqual({ queue: 'refunds-to-billing', priority: null, sla: 'default', skills: 'refunds-to-billing' });
    expect(d.priority).toBe('normal'); // no rule set it: the interaction's own
    expect(d.sla).toBe('standard');
    expect(d.skills).toEqual(['billing']);
  });

  it('a German refund goes to the German queue: language precedence 20 beats intent precedence 10, skills still from the intent rule', () => {
    const d = routeInteraction(ruleset, { ...base, intent: 'refund', language: 'de' });
    expect(d.queue).toBe('german');
    expect(d.decidedBy.queue).toBe('german-speakers');
    expect(d.decidedBy.skills).toBe('refunds-to-billing');
    expect(d.matched.map((m) => [m.id, m.precedence, m.won])).toEqual([
      ['german-speakers', 20, ['queue']],
      ['refunds-to-billing', 10, ['skills']],
    ]);
  });

  it('a rule-level precedence (vip-flag 40) outranks its own layer (30) and every other queue rule', () => {
    const d = routeInteraction(ruleset, { ...base, intent: 'refund', language: 'de', vip: true, tier: 'gold' });
    expect(d.queue).toBe('vip-desk');
    expect(d.sla).toBe('gold');
    expect(d.priority).toBe('high');
    expect(d.matched.map((m) => m.id)).toEqual(['vip-flag', 'gold-tier', 'german-speakers', 'refunds-to-billing']);
    expect(explainDecision(d)).toBe(
      'queue vip-desk by vip-flag (layer vip, precedence 40); priority high by gold-tier (layer vip, precedence 30); ' +
        'sla gold by gold-tier (layer vip, precedence 30); skills [billing] by refunds-to-billing (layer intents, precedence 10); ' +
        'also matched: german-speakers (precedence 20, outranked)',
    );
  });

  it('the higher-precedence gold-tier rule decides priority over angry-words', () => {
    const d = routeInteraction(ruleset, { ...base, subject: 'I will file a CHARGEBACK', tier: 'gold' });
    expect(d.priority).toBe('high');
    expect(d.decidedBy.priority).toBe('gold-tier');
    const plain = routeInteraction(ruleset, { ...base, subject: 'I will file a CHARGEBACK' });
    expect(plain.priority).toBe('urgent'); // keyword match is case-insensitive
  });

  it('nothing matches: the default queue and SLA, explained as the default', () => {
    const d = routeInteraction(ruleset, base);
    expect(d.matched).toEqual([]);
    expect(explainDecision(d)).toBe('queue general by default; sla standard by default');
  });

  it('a missing language never matches a language rule (like NULL IN (...) in SQL)', () => {
    expect(routeInteraction(ruleset, { ...base, language: null }).queue).toBe('general');
  });

  it('equal precedence is broken by file order, earlier first', () => {
    const r = parseRuleset(
      `version: 1\nname: t\nqueues: [{id: a, channel: chat}, {id: b, channel: chat}]\nlayers:\n  - name: l\n    precedence: 1\n    rules:\n      - { id: first, when: { channel: chat }, then: { queue: a } }\n      - { id: second, when: { channel: chat }, then: { queue: b } }\n`,
    );
    expect(routeInteraction(r, base).decidedBy.queue).toBe('first');
  });
});

describe('ruleset validation names the line and the field', () => {
  function issues(text: string) {
    try {
      parseRuleset(text, 'bad.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(RulesetError);
      return (error as RulesetError).issues;
    }
    throw new Error('expected the ruleset to be refused');
  }

  it('an unknown channel value points at its line', () => {
    const found = issues(layeredYaml.replace('when: { vip: true, channel: chat }', 'when: { vip: true, channel: fax }'));
    expect(found).toHaveLength(1);
    // line numbers: layeredYaml starts with a newline, so "version" is line 2; vip-flag's when is line 41
    expect(found[0].path).toBe('layers[2].rules[1].when.channel[0]');
    expect(found[0].message).toMatch(/expected one of "chat"/);
    expect(found[0].line).toBe(layeredYaml.split('\n').findIndex((l) => l.includes('when: { vip: true')) + 1);
  });

  it('an unknown key and an unknown queue are both reported, each at its own line', () => {
    const text = layeredYaml.replace('then: { queue: german }', 'then: { queue: germn }').replace('      - id: angry-words', '      - id: angry-words\n        whn: {}');
    const found = issues(text);
    const lines = text.split('\n');
    const byPath = Object.fromEntries(found.map((i) => [i.path, i]));
    expect(byPath['layers[0].rules[1]'].message).toMatch(/whn/);
    expect(byPath['layers[0].rules[1]'].line).toBe(lines.findIndex((l) => l.includes('whn:')) + 1);
    expect(byPath['layers[1].rules[0].then.queue'].message).toMatch(/unknown queue "germn"/);
    expect(byPath['layers[1].rules[0].then.queue'].line).toBe(lines.findIndex((l) => l.includes('germn')) + 1);
  });

  it('a YAML syntax error gives its line', () => {
    const found = issues('version: 1\nname: x\nqueues: [\n  { id: a\n');
    expect(found[0].line).toBeGreaterThanOrEqual(3);
  });

  it('JSON rulesets are read too, with lines', () => {
    const json = JSON.stringify({ version: 1, name: 'j', queues: [{ id: 'a', channel: 'chat' }], layers: [{ name: 'l', precedence: 'high', rules: [] }] }, null, 2);
    const found = issues(json);
    expect(found[0].path).toBe('layers[0].precedence');
    expect(found[0].line).toBe(json.split('\n').findIndex((l) => l.includes('"precedence"')) + 1);
  });
});
