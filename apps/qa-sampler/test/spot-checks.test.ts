import { describe, expect, test } from 'vitest';
import { pickSpotChecks, reviewerAgreement } from '../src/spot-checks.ts';

describe('agreement with the lead', () => {
  test('exact agreement, kappa and score difference worked by hand', () => {
    const rows = reviewerAgreement([
      { reviewerId: 'r1', score: 80, ratings: [{ categoryId: 'tone', rating: 4 }, { categoryId: 'solution', rating: 3 }], leadScore: 60, leadRatings: [{ categoryId: 'tone', rating: 4 }, { categoryId: 'solution', rating: 2 }] },
      { reviewerId: 'r1', score: 100, ratings: [{ categoryId: 'tone', rating: 5 }, { categoryId: 'solution', rating: null }], leadScore: 75, leadRatings: [{ categoryId: 'tone', rating: 4 }, { categoryId: 'solution', rating: null }] },
      { reviewerId: 'r2', score: 50, ratings: [{ categoryId: 'tone', rating: 3 }], leadScore: 50, leadRatings: [{ categoryId: 'tone', rating: 3 }] },
    ]);
    // r1 compared: reviewer [4, 3, 5, n/a], lead [4, 2, 4, n/a]: 2 of 4 equal = 0.5.
    // kappa: p_o = 0.5; p_e = P(4) (1/4)(2/4) + P(n/a) (1/4)(1/4) = 3/16; (0.5 - 0.1875) / 0.8125 = 0.384615
    // score differences 80 - 60 = 20 and 100 - 75 = 25: mean 22.5
    expect(rows[0]).toMatchObject({ reviewerId: 'r1', checked: 2, ratingsCompared: 4, exactAgreement: 0.5, meanScoreDifference: 22.5, meanAbsoluteDifference: 22.5 });
    expect(rows[0].kappa).toBeCloseTo(0.384615, 6);
    // r2: one rating, equal; chance agreement is 1 so kappa is undefined
    expect(rows[1]).toEqual({ reviewerId: 'r2', checked: 1, ratingsCompared: 1, exactAgreement: 1, kappa: null, meanScoreDifference: 0, meanAbsoluteDifference: 0 });
  });

  test('a more lenient reviewer shows a positive difference, a stricter one a negative', () => {
    const rows = reviewerAgreement([
      { reviewerId: 'strict', score: 40, ratings: [], leadScore: 70, leadRatings: [] },
      { reviewerId: 'strict', score: 60, ratings: [], leadScore: 50, leadRatings: [] },
    ]);
    // (40 - 70 + 60 - 50) / 2 = -10; (30 + 10) / 2 = 20
    expect(rows[0]).toMatchObject({ meanScoreDifference: -10, meanAbsoluteDifference: 20, exactAgreement: null });
  });
});

describe('picking the reviews a lead re-grades', () => {
  const reviews = [
    { id: 'v1', reviewerId: 'r1' }, { id: 'v2', reviewerId: 'r1' }, { id: 'v3', reviewerId: 'r1' },
    { id: 'v4', reviewerId: 'r2' }, { id: 'v5', reviewerId: 'lead' },
  ];

  test('ceil(share x n) per reviewer, never the lead, reproducible from the seed', () => {
    const picked = pickSpotChecks(reviews, { share: 0.5, seed: 9, leadId: 'lead' });
    // r1: ceil(1.5) = 2 of v1-v3; r2: ceil(0.5) = 1 (v4); the lead's v5 never
    expect(picked.filter((p) => p.reviewerId === 'r1')).toHaveLength(2);
    expect(picked.filter((p) => p.reviewerId === 'r2').map((p) => p.id)).toEqual(['v4']);
    expect(picked.some((p) => p.id === 'v5')).toBe(false);
    expect(pickSpotChecks([...reviews].reverse(), { share: 0.5, seed: 9, leadId: 'lead' })).toEqual(picked);
  });

  test('a share outside (0, 1] is refused', () => {
    expect(() => pickSpotChecks(reviews, { share: 0, seed: 1, leadId: 'lead' })).toThrow('above 0 and at most 1');
    expect(() => pickSpotChecks(reviews, { share: 1.5, seed: 1, leadId: 'lead' })).toThrow('above 0 and at most 1');
  });
});
