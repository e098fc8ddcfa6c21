import { describe, expect, test } from 'vitest';
import { categoryScore, iqs, passRate, reviewScore } from '../src/scoring.ts';
import { parseScorecard, pickScorecard, sameDefinition, scorecardApplies } from '../src/qa-scorecard.ts';

const card = parseScorecard({
  id: 'support',
  name: 'Support',
  categories: [
    { id: 'tone', name: 'Tone', scale: '5-point', group: 'communication' },
    { id: 'solution', name: 'Solution', scale: '4-point', weight: 2, group: 'resolution' },
    { id: 'grammar', name: 'Grammar', scale: 'binary', group: 'communication' },
    { id: 'empathy', name: 'Empathy', scale: '3-point', critical: true },
  ],
});

const rate = (tone: number | null, solution: number | null, grammar: number | null, empathy: number | null) => [
  { categoryId: 'tone', rating: tone },
  { categoryId: 'solution', rating: solution },
  { categoryId: 'grammar', rating: grammar },
  { categoryId: 'empathy', rating: empathy },
];

describe('Zendesk QA arithmetic', () => {
  test('the published worked example: reviews 100, 9.91, 63.96, 90.99 and 0 give IQS 52.97', () => {
    // Zendesk QA help center, "How the Internal Quality Score (IQS) is calculated":
    // (100 + 9.91 + 63.96 + 90.99 + 0) / 5 = 264.86 / 5 = 52.972
    expect(iqs([100, 9.91, 63.96, 90.99, 0])).toBeCloseTo(52.97, 2);
    // pass rate at the default 80 % baseline: 100 and 90.99 pass, 2 / 5 = 40 %
    expect(passRate([100, 9.91, 63.96, 90.99, 0])).toBe(40);
  });

  test('a category score is the rating placed on its scale from 0 to 100', () => {
    expect(categoryScore({ id: 'x', scale: '5-point' }, 4)).toBe(75); // (4-1)/(5-1) = 0.75
    expect(categoryScore({ id: 'x', scale: '4-point' }, 3)).toBeCloseTo(66.667, 3); // (3-1)/(4-1)
    expect(categoryScore({ id: 'x', scale: '3-point' }, 2)).toBe(50); // (2-1)/(3-1)
    expect(categoryScore({ id: 'x', scale: 'binary' }, 0)).toBe(0);
    expect(() => categoryScore({ id: 'x', scale: '3-point' }, 4)).toThrow(/not on its 3-point scale/);
  });

  test('weights count in the review score', () => {
    // tone 4 -> 75 (w1), solution 3 -> 66.667 (w2), grammar 1 -> 100 (w1), empathy 3 -> 100 (w1)
    // (75 + 2 x 66.667 + 100 + 100) / 5 = 408.333 / 5 = 81.667
    const result = reviewScore(card, rate(4, 3, 1, 3));
    expect(result.score).toBeCloseTo(81.667, 3);
    expect(result.criticalFailed).toBe(false);
    // groups: communication = (75 + 100) / 2 = 87.5; resolution = 66.667
    expect(result.groupScores.communication).toBe(87.5);
    expect(result.groupScores.resolution).toBeCloseTo(66.667, 3);
  });

  test('an N/A category is left out of the weighted mean', () => {
    // grammar N/A: (75 + 2 x 66.667 + 100) / 4 = 308.333 / 4 = 77.083
    expect(reviewScore(card, rate(4, 3, null, 3)).score).toBeCloseTo(77.083, 3);
    // everything N/A: no score at all, and it does not count toward IQS
    const none = reviewScore(card, rate(null, null, null, null));
    expect(none.score).toBeNull();
    expect(iqs([none.score, 50])).toBe(50);
  });

  test('a critical category under 50 % makes the review 0, and exactly 50 % does not', () => {
    // empathy 2 -> 50 %: (75 + 133.333 + 100 + 50) / 5 = 71.667
    expect(reviewScore(card, rate(4, 3, 1, 2)).score).toBeCloseTo(71.667, 3);
    const failed = reviewScore(card, rate(5, 4, 1, 1)); // empathy 1 -> 0 %
    expect(failed.score).toBe(0);
    expect(failed.criticalFailed).toBe(true);
  });

  test('a missing, unknown or doubled rating is a clear error', () => {
    expect(() => reviewScore(card, rate(4, 3, 1, 3).slice(1))).toThrow('category "tone" has no rating (rate it or mark it N/A)');
    expect(() => reviewScore(card, [...rate(4, 3, 1, 3), { categoryId: 'speed', rating: 1 }])).toThrow('has no category "speed"');
    expect(() => reviewScore(card, [...rate(4, 3, 1, 3), { categoryId: 'tone', rating: 1 }])).toThrow('rated twice');
  });
});

describe('scorecards', () => {
  test('a bad scorecard lists every problem in one message', () => {
    expect(() =>
      parseScorecard({ id: 'Bad Id', name: '', categories: [{ id: 'a', name: 'A', scale: '7-point' }] }),
    ).toThrow(/^invalid scorecard: id: use lower-case.*; name: .*; categories\.0\.scale: /);
    expect(() =>
      parseScorecard({ id: 'ok', name: 'Ok', categories: [{ id: 'a', name: 'A', scale: 'binary' }, { id: 'a', name: 'A2', scale: 'binary' }] }),
    ).toThrow('categories.1.id: duplicate category id "a"');
  });

  test('a scorecard applies by channel and team, and the first matching one is picked', () => {
    const phone = { definition: parseScorecard({ id: 'phone', name: 'Phone', appliesTo: { channels: ['phone'] }, categories: card.categories }) };
    const general = { definition: card };
    expect(scorecardApplies(phone.definition, { channel: 'chat', teamId: null })).toBe(false);
    expect(pickScorecard([phone, general], { channel: 'phone', teamId: 't1' })).toBe(phone);
    expect(pickScorecard([phone, general], { channel: 'email', teamId: 't1' })).toBe(general);
    const billingOnly = parseScorecard({ ...card, appliesTo: { teams: ['billing'] } });
    expect(scorecardApplies(billingOnly, { channel: 'chat', teamId: null })).toBe(false);
    expect(scorecardApplies(billingOnly, { channel: 'chat', teamId: 'billing' })).toBe(true);
  });

  test('definitions that differ only in key order are the same version', () => {
    const reordered = parseScorecard(JSON.parse(JSON.stringify({ passBaseline: 80, categories: card.categories, name: card.name, id: card.id })));
    expect(sameDefinition(card, reordered)).toBe(true);
    expect(sameDefinition(card, parseScorecard({ ...card, passBaseline: 75 }))).toBe(false);
  });
});
