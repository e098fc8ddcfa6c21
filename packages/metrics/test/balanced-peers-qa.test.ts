import { describe, expect, it } from 'vitest';
import { balance, qaMargin, qaTooSmallToRank } from '../src/index.ts';

describe('the QA score in the quality index: only where it has enough reviews to rank', () => {
  it('counts a QA score with 5+ reviews and a margin of at most 10 points, and says which rows it left out', () => {
    // Margins by hand (t quantiles from a printed table):
    //   a: t(0.975, 9) = 2.2622 x 10 / sqrt(10) = 7.15 -> counts
    //   b: 4 reviews -> too few
    //   c: t(0.975, 5) = 2.5706 x 20 / sqrt(6) = 20.99 -> too wide
    //   d: t(0.975, 29) = 2.0452 x 12 / sqrt(30) = 4.48 -> counts
    expect(qaMargin(10, 10)).toBeCloseTo(7.154, 3);
    expect(qaMargin(6, 20)).toBeCloseTo(20.989, 2);
    expect(qaTooSmallToRank(4, qaMargin(4, 5))).toBe('only 4 reviews (need 5 to rank)');
    expect(qaTooSmallToRank(6, qaMargin(6, 20))).toBe('margin of error ±21.0 points is wider than ±10; too uncertain to rank');
    const rows = balance([
      { agent: 'a', channel: 'chat', fcr: 0.9, qa_score: 50, qa_reviews: 10, qa_score_sd: 10 },
      { agent: 'b', channel: 'chat', fcr: 0.5, qa_score: 95, qa_reviews: 4, qa_score_sd: 5 },
      { agent: 'c', channel: 'chat', fcr: 0.7, qa_score: 90, qa_reviews: 6, qa_score_sd: 20 },
      { agent: 'd', channel: 'chat', fcr: 0.6, qa_score: 70, qa_reviews: 30, qa_score_sd: 12 },
      { agent: 'e', channel: 'chat', fcr: 0.8, qa_score: null, qa_reviews: 0, qa_score_sd: null },
    ]);
    // FCR ranks (higher is better) among five: a 0.9 -> 4/4, e 0.8 -> 3/4, c 0.7 -> 2/4, d 0.6 -> 1/4, b 0.5 -> 0.
    // QA ranks among the counted only (a 50, d 70): d 1, a 0.
    // a = (1 + 0) / 2 = 0.5; b = 0 (FCR only); c = 0.5; d = (0.25 + 1) / 2 = 0.625; e = 0.75.
    // (Had every QA score counted, b would rank first on QA: (0 + 1) / 2 = 0.5.)
    expect(rows.map((r) => r.quality_index)).toEqual([0.5, 0, 0.5, 0.625, 0.75]);
    expect(rows.map((r) => r.qa_in_quality_index)).toEqual([1, 0, 0, 1, null]);
  });
});

describe('peers: speed and quality rank within the channel', () => {
  it("ranks an email agent's hours against email agents, never against a chat agent's seconds", () => {
    const rows = balance([
      { agent: 'x', channel: 'chat', first_response_time: 30 },
      { agent: 'y', channel: 'chat', first_response_time: 60 },
      { agent: 'u', channel: 'email', first_response_time: 3600 },
      { agent: 'v', channel: 'email', first_response_time: 7200 },
    ]);
    // Within chat: x beats y (1, 0); within email: u beats v (1, 0). Across all four, u would be 1/3.
    expect(rows.map((r) => [r.agent, r.speed_index])).toEqual([['x', 1], ['y', 0], ['u', 1], ['v', 0]]);
  });

  it('rows of channels alone (no people) still rank against each other', () => {
    const rows = balance([{ channel: 'chat', first_response_time: 30 }, { channel: 'email', first_response_time: 3600 }]);
    expect(rows.map((r) => r.speed_index)).toEqual([1, 0]);
  });
});
