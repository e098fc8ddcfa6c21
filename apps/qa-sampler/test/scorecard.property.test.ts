import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScorecard, QaError, scales, type ScorecardDefinition } from '../src/qa-scorecard.ts';
import { reviewScore } from '../src/scoring.ts';

/**
 * Property tests for QA scorecards (the JSON an admin pastes on the Scorecards screen) and the
 * scoring of reviews against them: any input is accepted or refused with one QaError line; an
 * accepted scorecard scores every complete review to a number in 0..100 (or null when all N/A).
 */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom("'; DROP TABLE qa_reviews; --", '\u0000', '\uD800', '<img src=x onerror=alert(1)>', '', 'tone', 'a-b', 'x'.repeat(20_000)),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, hostileString, hostileNumber, fc.boolean(), fc.constant(null), tie('a'), tie('o')),
  a: fc.array(tie('v'), { maxLength: 3 }),
  o: fc.dictionary(hostileString, tie('v'), { maxKeys: 3 }),
})).v;

const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);
/** Scorecard-shaped input: right keys, values anywhere from valid to hostile. */
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 20, arbitrary: good }, { weight: 1, arbitrary: hostileValue });
const categoryInput = fc.record(
  {
    id: maybe(slug), name: maybe(fc.string({ minLength: 1, maxLength: 10 })), scale: maybe(fc.constantFrom(...Object.keys(scales))),
    weight: maybe(fc.oneof(fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.constantFrom(1, 1e6, 1.7e308))), critical: maybe(fc.boolean()), allowNa: maybe(fc.boolean()),
    group: maybe(fc.constantFrom('soft', 'hard')),
  },
  { requiredKeys: ['id', 'name', 'scale'] },
);
const scorecardInput = fc.record(
  {
    id: maybe(slug), name: maybe(fc.string({ minLength: 1, maxLength: 10 })), categories: maybe(fc.array(categoryInput, { minLength: 0, maxLength: 4 })),
    appliesTo: maybe(fc.record({ channels: maybe(fc.array(fc.constantFrom('chat', 'email', 'phone', 'fax'))) }, { requiredKeys: [] })),
    passBaseline: maybe(fc.double({ min: -10, max: 110, noNaN: true })),
  },
  { requiredKeys: ['id', 'name', 'categories'] },
);

function parseOrRefuse(input: unknown): ScorecardDefinition | null {
  try {
    return parseScorecard(input);
  } catch (error) {
    if (!(error instanceof QaError)) throw error;
    expect(error.message).toMatch(/^invalid scorecard: \S/);
    expect(error.message).not.toContain('\n');
    return null;
  }
}

describe('QA scorecards: any definition is accepted or refused in one line; accepted ones always score', () => {
  it('any JSON value', () => {
    fc.assert(fc.property(hostileValue, (input) => void parseOrRefuse(input)), { numRuns: 300, seed: 21 });
  });

  it('scorecard-shaped input: accepted cards score every complete review within 0..100', () => {
    let accepted = 0;
    fc.assert(
      fc.property(scorecardInput, fc.array(fc.oneof(fc.nat(5), fc.constant(null)), { minLength: 5, maxLength: 5 }), (input, picks) => {
        const card = parseOrRefuse(JSON.parse(JSON.stringify(input)));
        if (!card) return;
        accepted++;
        // A complete review: each category rated on its scale (picks wrapped into range) or N/A where allowed.
        const ratings = card.categories.map((c, i) => {
          const { min, max } = scales[c.scale];
          const pick = picks[i % picks.length];
          return { categoryId: c.id, rating: pick === null && c.allowNa ? null : min + ((pick ?? 0) % (max - min + 1)) };
        });
        const { score, categoryScores } = reviewScore(card, ratings);
        if (score !== null) {
          expect(Number.isFinite(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(100 + 1e-9);
        } else {
          expect(Object.values(categoryScores).every((s) => s === null)).toBe(true);
        }
      }),
      { numRuns: 400, seed: 22 },
    );
    // The generator reaches valid cards often enough for the scoring property to mean something.
    expect(accepted).toBeGreaterThan(20);
  });

  it('ratings off the scale, unknown categories and duplicates are refused with a QaError, never a crash', () => {
    const card = parseScorecard({ id: 'support', name: 'Support', categories: [{ id: 'tone', name: 'Tone', scale: '5-point' }, { id: 'fix', name: 'Fix', scale: 'binary', allowNa: false }] });
    fc.assert(
      fc.property(fc.array(fc.record({ categoryId: fc.oneof(fc.constantFrom('tone', 'fix'), hostileString), rating: fc.oneof(hostileNumber, fc.constant(null)) }), { maxLength: 4 }), (ratings) => {
        try {
          const { score } = reviewScore(card, ratings);
          expect(score === null || (score >= 0 && score <= 100)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(QaError);
        }
      }),
      { numRuns: 300, seed: 23 },
    );
  });
});
