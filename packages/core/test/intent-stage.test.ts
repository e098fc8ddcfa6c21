import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IntentSettings, Warehouse, compileRules, firstMatch, intentTokens, labelIntents, summarize, trainIntentModel, evaluateIntents, type RuleInput } from '../src/index.ts';
import { tokensOf } from '../src/intent/classifier.ts';
import { seededRandom, tempDir } from './helpers.ts';

const row = (over: Partial<RuleInput>): RuleInput => ({ channel: 'email', source: 'zendesk', queue_id: null, tags: [], subject: null, text: '', ...over });

describe('intent rules', () => {
  test('the first matching rule wins, every condition it names must hold, tags ignore case', () => {
    const rules = compileRules(IntentSettings.parse({
      rules: [
        { id: 'vip-billing', intent: 'billing', tags: ['vip'], subject: 'invoice' },
        { id: 'refund-tag', intent: 'refund', tags: ['Refund', 'money_back'] },
        { id: 'phone-billing-line', intent: 'billing', channel: 'phone', queue: 'q-billing' },
        { id: 'password', intent: 'login_problem', body: '\\bpass(word)?\\b' },
      ],
    }).rules);
    // Both the tag and the subject: the first rule; the tag alone is not enough for it.
    expect(firstMatch(rules, row({ tags: ['vip', 'refund'], subject: 'Invoice 12' }))?.rule.id).toBe('vip-billing');
    expect(firstMatch(rules, row({ tags: ['vip', 'REFUND'], subject: 'Hello' }))?.rule.id).toBe('refund-tag');
    expect(firstMatch(rules, row({ channel: 'phone', queue_id: 'q-billing' }))?.rule.id).toBe('phone-billing-line');
    expect(firstMatch(rules, row({ channel: 'chat', queue_id: 'q-billing' }))).toBeNull();
    expect(firstMatch(rules, row({ text: 'I forgot my Password' }))?.rule.id).toBe('password');
    expect(firstMatch(rules, row({ text: 'passport photo' }))).toBeNull();
  });

  test('a rule without a condition, or with a broken pattern, is refused', () => {
    expect(() => IntentSettings.parse({ rules: [{ id: 'r', intent: 'x' }] })).toThrow(/no condition/);
    expect(() => IntentSettings.parse({ rules: [{ id: 'r', intent: 'x', subject: '(' }] })).toThrow(/not a regular expression/);
  });
});

describe('the words of a text', () => {
  test('are the classifier library\'s own preparation of it, word for word', async () => {
    // The library's prep-text.js runs every annotation of wink-nlp; ours runs only the two its
    // output depends on. Negation reaches to the end of its sentence, so the texts cross sentences.
    const own = createRequire(createRequire(import.meta.url).resolve('wink-naive-bayes-text-classifier'));
    const libraryPrep = own('wink-naive-bayes-text-classifier/src/prep-text.js') as (text: string) => string[];
    const texts = [
      "I don't want a refund. I want my parcel! It isn't here, and the tracking never updates.",
      'Not happy: cannot log in since Monday 12 January 2026 at 9:30am. Reset link to jane.doe@example.com fails; see https://example.com/help?x=1',
      "Order #48213 arrived damaged :( won't accept it. Please send a new one ASAP, don't charge me twice!!",
      'No. Never. Nothing works... Why would I pay $49.99 for this? Cancel the subscription now',
      'Bonjour, je ne peux pas me connecter. Danke! 🙏 Passwort zurücksetzen?',
      "He's not the one who called; she didn't get the invoice and wasn't told about the 2-day delay.",
      '',
      '   ',
    ];
    for (const text of texts) expect(intentTokens(text)).toEqual(text.trim() === '' ? [] : libraryPrep(text));
    // A batch of them, with repeats, gives each text its own words.
    const batch = [texts[0], texts[1], texts[0], '', texts[1]];
    expect(await tokensOf(batch)).toEqual(batch.map((text) => (text === '' ? [] : libraryPrep(text))));
    // The texts do exercise negation and stemming.
    expect(intentTokens(texts[0])).toContain('!want');
    expect(intentTokens(texts[0])).toContain('!updat');
  });
});

describe('the classifier', () => {
  // Two intents, two examples each, words counted once per example (presence):
  //   refund: refund 2, money 1, card 1, bank 1, paid 1 (6 words);
  //   login: password 2, reset 1, sign 1, code 1, email 1 (6 words); 10 words known.
  // For the words [refund], add-one smoothing: P(refund | refund) = (2+1)/(6+10) = 3/16 and
  // P(refund | not refund) = (0+1)/(6+10) = 1/16; equal priors. Odds 3, probability 3/(1+3) = 0.75.
  // For [refund, money]: (3/16 * 2/16) / (1/16 * 1/16) = 6, probability 6/7.
  const examples = [
    { tokens: ['refund', 'money', 'card'], intent: 'refund' },
    { tokens: ['refund', 'bank', 'paid'], intent: 'refund' },
    { tokens: ['password', 'reset', 'sign'], intent: 'login' },
    { tokens: ['password', 'code', 'email'], intent: 'login' },
  ];
  test('its confidence is the label probability worked by hand', () => {
    const model = trainIntentModel(examples, 2)!;
    expect(model.intents).toEqual(['login', 'refund']);
    expect(model.predict(['refund'])).toEqual({ intent: 'refund', confidence: expect.closeTo(0.75, 12) });
    expect(model.predict(['refund', 'money'])).toEqual({ intent: 'refund', confidence: expect.closeTo(6 / 7, 12) });
    // No known word: no label.
    expect(model.predict(['parcel'])).toEqual({ intent: null, confidence: 0 });
    expect(model.predict([])).toEqual({ intent: null, confidence: 0 });
  });

  test('its best label and confidence are the library\'s computeOdds, to the last bit, on random models', () => {
    const own = createRequire(createRequire(import.meta.url).resolve('wink-naive-bayes-text-classifier'));
    const winkNaiveBayes = own('wink-naive-bayes-text-classifier') as () => {
      defineConfig(c: object): void; learn(t: string[], l: string): void; consolidate(): void; computeOdds(t: string[]): [string, number][];
    };
    const random = seededRandom(7);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    // Labels and words that are also Object.prototype's names or integer-like keys.
    const labels = ['refund', 'login', '12', 'toString', 'delivery', 'billing', 'constructor', 'damaged'];
    const vocabulary = [...Array.from({ length: 40 }, (_, i) => `w${i}`), '!w1', 'constructor', '__proto__', 'valueOf', '7', 'hasOwnProperty'];
    let compared = 0;
    let labelled = 0;
    for (let trial = 0; trial < 40; trial++) {
      const intents = labels.slice(0, 2 + Math.floor(random() * (labels.length - 1)));
      const words = vocabulary.slice(0, 10 + Math.floor(random() * (vocabulary.length - 9)));
      const examples = Array.from({ length: 5 + Math.floor(random() * 60) }, () => ({
        intent: pick(intents), tokens: Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(words)),
      }));
      const model = trainIntentModel(examples, 1);
      if (!model) continue;
      const library = winkNaiveBayes();
      library.defineConfig({ considerOnlyPresence: true, smoothingFactor: 1 });
      for (const e of examples) library.learn(e.tokens, e.intent);
      library.consolidate();
      for (let q = 0; q < 30; q++) {
        const tokens = Array.from({ length: 1 + Math.floor(random() * 5) }, () => (random() < 0.2 ? 'unseen' : pick(vocabulary)));
        const [best] = library.computeOdds(tokens);
        const expected = best[0] === 'unknown' ? { intent: null, confidence: 0 } : { intent: best[0], confidence: 1 / (1 + 2 ** -best[1]) };
        expect(model.predict(tokens)).toEqual(expected);
        compared += 1;
        if (expected.intent !== null) labelled += 1;
      }
    }
    expect(compared).toBeGreaterThan(900);
    expect(labelled).toBeGreaterThan(compared / 2);
    // Equal odds: the library keeps its label order, in which an integer-like label comes first
    // whenever it was learnt (its labels are an object's keys).
    const tie = [
      { intent: 'refund', tokens: ['a', 'b', 'c', 'd', 'e'] }, { intent: 'refund', tokens: ['f', 'g', 'h', 'i', 'j'] },
      { intent: '12', tokens: ['a', 'b', 'c', 'd', 'e'] }, { intent: '12', tokens: ['f', 'g', 'h', 'i', 'j'] },
      { intent: 'login', tokens: ['k', 'l', 'm', 'n', 'o'] }, { intent: 'login', tokens: ['p', 'q', 'r', 's', 't'] },
    ];
    expect(trainIntentModel(tie, 1)!.predict(['a'])).toEqual({ intent: '12', confidence: expect.any(Number) });
  });

  test('intents with too few examples are not learnt; fewer than two intents: no model', () => {
    expect(trainIntentModel(examples, 3)).toBeNull();
    expect(trainIntentModel(examples.map((e) => ({ ...e, tokens: e.tokens.slice(0, 2) })), 2)).toBeNull(); // 6 words < 10
    expect(trainIntentModel([...examples, { tokens: ['parcel'], intent: 'delivery' }], 2)!.intents).toEqual(['login', 'refund']);
  });

  test('scoring: below the threshold is unknown, the rest right or wrong', () => {
    const s = summarize(
      [{ intent: 'a', confidence: 0.95 }, { intent: 'b', confidence: 0.91 }, { intent: 'a', confidence: 0.5 }, { intent: null, confidence: 0 }],
      ['a', 'a', 'a', 'b'], 0.9,
    );
    // Labelled: the first two (1 right of 2); unknown: the last two of four.
    expect(s).toEqual({ examples: 4, accuracy: 0.5, unknownShare: 0.5 });
  });
});

describe('the intent stage on a warehouse', () => {
  const dir = tempDir('helpdesk-intent-');
  let wh: Warehouse;
  const contacts: Array<{ id: string; channel: string; intent: string | null; tags: string[]; text: string | null }> = [
    // From their source: the classifier's teachers (refund and login, 2 each).
    { id: 'z:1', channel: 'email', intent: 'refund', tags: [], text: 'refund money card' },
    { id: 'z:2', channel: 'email', intent: 'refund', tags: [], text: 'refund bank paid' },
    { id: 'z:3', channel: 'email', intent: 'login', tags: [], text: 'password reset sign' },
    { id: 'z:4', channel: 'email', intent: 'login', tags: [], text: 'password code email' },
    // No intent: a tag rule covers z:5; z:6's text gives refund at 6/7; z:7 at 0.75 (below 0.8); z:8 has no text.
    { id: 'z:5', channel: 'email', intent: null, tags: ['Damaged'], text: 'refund money' },
    { id: 'z:6', channel: 'chat', intent: null, tags: [], text: 'refund money' },
    { id: 'z:7', channel: 'chat', intent: null, tags: [], text: 'refund' },
    { id: 'z:8', channel: 'phone', intent: null, tags: [], text: null },
  ];
  const settings = IntentSettings.parse({ rules: [{ id: 'tag-damaged', intent: 'damaged_item', tags: ['damaged'] }], threshold: 0.8, minExamples: 2 });

  beforeAll(async () => {
    wh = await Warehouse.open(join(dir, 'intents.duckdb'));
    for (const c of contacts) {
      await wh.run(`INSERT INTO interactions (id, source, native_id, channel, intent, tags, status, created_at, updated_at)
        VALUES ($1, 'zendesk', $1, $2, $3, $4::VARCHAR[], 'open', TIMESTAMPTZ '2026-03-02 10:00:00+00', TIMESTAMPTZ '2026-03-02 10:00:00+00')`,
      [c.id, c.channel, c.intent, JSON.stringify(c.tags)]);
      if (c.text) {
        await wh.run(`INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, is_public, body)
          VALUES ($1 || ':0', $1, 0, TIMESTAMPTZ '2026-03-02 10:00:00+00', 'message', 'customer', true, $2)`, [c.id, c.text]);
        // What an agent wrote is not read: it would otherwise make z:7 a login problem.
        await wh.run(`INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, is_public, body)
          VALUES ($1 || ':1', $1, 1, TIMESTAMPTZ '2026-03-02 10:05:00+00', 'message', 'agent', true, 'password password reset code')`, [c.id]);
      }
    }
  });
  afterAll(() => wh.close());

  const intents = async () => Object.fromEntries((await wh.all<{ id: string; intent: string | null }>('SELECT id, intent FROM interactions ORDER BY id')).map((r) => [r.id, r.intent]));

  test('labels by rule, then classifier above the threshold; the rest stays unknown with its guess kept', async () => {
    const summary = await wh.atomically((tx) => labelIntents(tx, settings, { now: () => new Date('2026-03-03T00:00:00Z') }));
    // Teachers: 4 from their source + z:5 by rule (damaged_item has 1 example < 2: not learnt).
    expect(summary).toMatchObject({ candidates: 4, rule: 1, model: 1, unknown: 2, trainedOn: 4 });
    expect(await intents()).toEqual({
      'z:1': 'refund', 'z:2': 'refund', 'z:3': 'login', 'z:4': 'login', 'z:5': 'damaged_item', 'z:6': 'refund', 'z:7': null, 'z:8': null,
    });
    const labels = await wh.all<{ interaction_id: string; method: string; intent: string | null; rule_id: string | null; guess: string | null; confidence: number | null }>(
      'SELECT interaction_id, method, intent, rule_id, guess, confidence FROM intent_labels ORDER BY 1');
    expect(labels).toEqual([
      { interaction_id: 'z:5', method: 'rule', intent: 'damaged_item', rule_id: 'tag-damaged', guess: null, confidence: null },
      { interaction_id: 'z:6', method: 'model', intent: 'refund', rule_id: null, guess: 'refund', confidence: expect.closeTo(6 / 7, 12) },
      { interaction_id: 'z:7', method: 'unknown', intent: null, rule_id: null, guess: 'refund', confidence: expect.closeTo(0.75, 12) },
      { interaction_id: 'z:8', method: 'unknown', intent: null, rule_id: null, guess: null, confidence: null },
    ]);
  });

  test('a second run looks only at the unknown; a source that later gives an intent wins over a label', async () => {
    await wh.run("UPDATE interactions SET intent = 'billing' WHERE id = 'z:6'");
    const summary = await labelIntents(wh, settings);
    expect(summary).toMatchObject({ candidates: 2, rule: 0, unknown: 2 });
    expect((await wh.all<{ id: string }>('SELECT interaction_id AS id FROM intent_labels ORDER BY 1')).map((r) => r.id)).toEqual(['z:5', 'z:7', 'z:8']);
    expect((await intents())['z:6']).toBe('billing');
  });

  test('a full run relabels with changed rules; a lower threshold labels the 0.75 guess', async () => {
    const changed = IntentSettings.parse({ rules: [], threshold: 0.7, minExamples: 2 });
    const summary = await labelIntents(wh, changed, { full: true });
    // z:5 (no rule now) is read as text 'refund money'; z:7 at 0.75 >= 0.7. Teachers: z:1-4 and z:6 (billing, 1 example: not learnt).
    expect(summary).toMatchObject({ candidates: 3, rule: 0, model: 2, unknown: 1 });
    expect(await intents()).toMatchObject({ 'z:5': 'refund', 'z:7': 'refund', 'z:8': null });
  });

  test('evaluation against known intents: rules, cross-validated classifier, per channel', async () => {
    // Truth: every contact with an intent now (z:1-7); z:8 has none and is not scored.
    const e = await evaluateIntents(wh, { rules: [{ id: 'r', intent: 'refund', tags: ['damaged'] }], threshold: 0.7, minExamples: 1, folds: 2 });
    expect(e.contacts).toBe(7);
    // One rule label (z:5, truly 'refund' after the last run): coverage 1/7, right.
    expect(e.ruleCoverage).toBeCloseTo(1 / 7, 12);
    expect(e.ruleAccuracy).toBe(1);
    // One intent learnt from one example: no model, so the classifier leaves everything unknown.
    expect(e.accuracy).toBeNull();
    expect(e.unknownShare).toBe(1);
    expect(e.endToEndAccuracy).toBe(1);
    expect(e.endToEndUnknownShare).toBeCloseTo(6 / 7, 12);
    expect(e.byChannel.map((c) => [c.channel, c.contacts])).toEqual([['chat', 2], ['email', 5]]);
  });
});
