import { describe, expect, test } from 'vitest';
import { drawSample, isoWeek, type Candidate } from '../src/sampling.ts';
import type { CandidateSignals } from '../src/targets.ts';

const quiet: CandidateSignals = {
  csatScore: null, reopenCount: 0, handleSeconds: 600, handleP90: 1200, handleFenceLow: 0, handleFenceHigh: 3000,
  failedBotHandoff: false, repeatContact: false, escalated: false, sentimentShift: null,
};

function candidate(i: number, agentId: string | null, overrides: Partial<Candidate> = {}, signals: Partial<CandidateSignals> = {}): Candidate {
  return {
    interactionId: `x:${String(i).padStart(3, '0')}`, agentId, teamId: agentId === 'a3' ? 't2' : 't1', channel: i % 3 === 0 ? 'email' : 'chat',
    createdAt: `2026-03-${String(2 + (i % 14)).padStart(2, '0')}T12:00:00.000Z`, ...overrides, signals: { ...quiet, ...signals },
  };
}

// a1 has 12 conversations, a2 has 6, a3 has 3 (fewer than a quota of 5), plus 2 bot-contained ones.
const pool: Candidate[] = [
  ...Array.from({ length: 12 }, (_, i) => candidate(i, 'a1')),
  ...Array.from({ length: 6 }, (_, i) => candidate(100 + i, 'a2')),
  ...Array.from({ length: 3 }, (_, i) => candidate(200 + i, 'a3')),
  candidate(300, null),
  candidate(301, null),
];

const count = (items: { agentId: string | null }[], agent: string) => items.filter((i) => i.agentId === agent).length;

describe('stratified sampling', () => {
  test('meets the per-agent quota exactly, and reports agents with too few conversations', () => {
    const result = drawSample(pool, { kind: 'stratified', by: 'agent', quota: 5 }, { seed: 1 });
    // a1: 5 of 12, a2: 5 of 6, a3: all 3 (short by 2); the 2 bot-contained ones are excluded with a reason
    expect([count(result.items, 'a1'), count(result.items, 'a2'), count(result.items, 'a3')]).toEqual([5, 5, 3]);
    expect(result.items).toHaveLength(13);
    expect(result.shortfalls).toEqual([{ stratum: 'a3', quota: 5, picked: 3 }]);
    expect(result.eligible).toBe(21);
    expect(result.excluded).toEqual([
      { interactionId: 'x:300', reason: 'no human agent (bot-contained or abandoned)' },
      { interactionId: 'x:301', reason: 'no human agent (bot-contained or abandoned)' },
    ]);
    expect(new Set(result.items.map((i) => i.interactionId)).size).toBe(13);
    expect(result.items.find((i) => i.agentId === 'a1')!.reason).toBe('stratified: 5 of 12 for agent a1 (quota 5)');
  });

  test('meets quotas per channel, per team and per agent per ISO week', () => {
    const byChannel = drawSample(pool, { kind: 'stratified', by: 'channel', quota: 4 }, { seed: 3 });
    expect(byChannel.items.filter((i) => i.channel === 'email')).toHaveLength(4);
    expect(byChannel.items.filter((i) => i.channel === 'chat')).toHaveLength(4);
    const byTeam = drawSample(pool, { kind: 'stratified', by: 'team', quota: 2 }, { seed: 3 });
    expect(byTeam.items.map((i) => i.agentId === 'a3')).toEqual([false, false, true, true]); // t1 then t2
    // a1's 12 conversations fall on March 2-13: week 10 (Mar 2-8) holds i = 0..6, week 11 (Mar 9-13) holds i = 7..11
    const byWeek = drawSample(pool.slice(0, 12), { kind: 'stratified', by: 'agent-week', quota: 2 }, { seed: 3 });
    expect(byWeek.items.map((i) => i.reason)).toEqual([
      'stratified: 2 of 7 for agent a1 in week 2026-W10 (quota 2)',
      'stratified: 2 of 7 for agent a1 in week 2026-W10 (quota 2)',
      'stratified: 2 of 5 for agent a1 in week 2026-W11 (quota 2)',
      'stratified: 2 of 5 for agent a1 in week 2026-W11 (quota 2)',
    ]);
  });

  test('a per-stratum size (for example from a target margin of error) overrides the quota', () => {
    const result = drawSample(pool, { kind: 'stratified', by: 'agent', quota: 1, quotas: { a1: 9 } }, { seed: 5 });
    expect([count(result.items, 'a1'), count(result.items, 'a2'), count(result.items, 'a3')]).toEqual([9, 1, 1]);
  });
});

describe('reproducibility', () => {
  test('the same seed gives the same sample, whatever order the candidates come in', () => {
    const strategy = { kind: 'stratified', by: 'agent', quota: 3 } as const;
    const first = drawSample(pool, strategy, { seed: 42 });
    const again = drawSample(pool.slice().reverse(), strategy, { seed: 42 });
    expect(again.items).toEqual(first.items);
    const other = drawSample(pool, strategy, { seed: 43 });
    expect(other.items.map((i) => i.interactionId)).not.toEqual(first.items.map((i) => i.interactionId));
  });

  test('a random sample of N takes N distinct eligible conversations', () => {
    const result = drawSample(pool, { kind: 'random', size: 10 }, { seed: 9 });
    expect(new Set(result.items.map((i) => i.interactionId)).size).toBe(10);
    expect(result.items.every((i) => i.agentId !== null)).toBe(true);
    expect(result.items[0].reason).toBe('random: drawn from 21 eligible');
    expect(drawSample(pool, { kind: 'random', size: 10 }, { seed: 9 }).items).toEqual(result.items);
  });
});

describe('targeted sampling and exclusions', () => {
  test('each targeted conversation records every signal it was picked for, strongest first', () => {
    const targeted = [
      candidate(1, 'a1', {}, { csatScore: 1, reopenCount: 2 }),
      candidate(2, 'a1', {}, { csatScore: 4 }),
      candidate(3, 'a2', {}, { handleSeconds: 4000 }),
      candidate(4, 'a2', {}, { repeatContact: true, escalated: true, failedBotHandoff: true, sentimentShift: -4 }),
      candidate(5, 'a2', {}, { handleSeconds: 20, sentimentShift: -1 }),
    ];
    const result = drawSample(targeted, { kind: 'targeted', targets: ['low-csat', 'reopened', 'long-handle-time', 'failed-bot-handoff', 'repeat-contact', 'escalated', 'negative-sentiment-shift', 'duration-outlier'], size: 10 }, { seed: 1 });
    // x:004 has four signals and comes first; x:001 and x:003 have two each, in seeded order
    expect(result.items[0].interactionId).toBe('x:004');
    expect(result.items.map((i) => [i.interactionId, i.reason]).sort()).toEqual([
      ['x:001', 'targeted: low CSAT (1/5); reopened 2 times'],
      // 4000 s = 67 min > p90 of 20 min, and > the Tukey fence of 50 min
      ['x:003', 'targeted: long handle time (67 min, channel p90 20 min); duration outlier (67 min, above 50 min)'],
      ['x:004', 'targeted: failed bot hand-off; repeat contact within 7 days; escalated; negative sentiment shift (-4)'],
    ]);
  });

  test('exclusions leave out reviewed, too short and on-leave conversations, each with its reason', () => {
    const result = drawSample(pool, { kind: 'random', size: 100 }, {
      seed: 2,
      exclusions: {
        alreadyReviewed: new Set(['x:000']),
        agentsOnLeave: [{ agentId: 'a2', from: '2026-03-01T00:00:00Z', to: '2026-03-05T00:00:00Z' }],
        minHandleSeconds: 60,
      },
    });
    const short = pool.map((c) => c.interactionId === 'x:201' ? { ...c, signals: { ...c.signals, handleSeconds: 30 } } : c);
    const withShort = drawSample(short, { kind: 'random', size: 100 }, { seed: 2, exclusions: { minHandleSeconds: 60 } });
    expect(withShort.excluded).toContainEqual({ interactionId: 'x:201', reason: 'too short (30 s < 60 s)' });
    expect(result.excluded).toContainEqual({ interactionId: 'x:000', reason: 'already reviewed' });
    // a2's conversations 100..105 fall on March 2 + (i % 14): 100 -> Mar 4, 101 -> Mar 5, 102 -> Mar 6 ... so only x:100 is in the leave
    expect(result.excluded.filter((e) => e.reason.startsWith('agent on leave'))).toEqual([
      { interactionId: 'x:100', reason: 'agent on leave (2026-03-01 to 2026-03-05)' },
    ]);
    expect(result.items).toHaveLength(23 - 2 - 1 - 1);
  });

  test('ISO weeks are computed in UTC and belong to the year of their Thursday', () => {
    expect(isoWeek('2026-01-01T10:00:00Z')).toBe('2026-W01'); // a Thursday
    expect(isoWeek('2027-01-01T10:00:00Z')).toBe('2026-W53'); // a Friday: 2026 has 53 weeks
    expect(isoWeek('2026-03-08T23:30:00Z')).toBe('2026-W10'); // Sunday night UTC, already Monday in Kolkata
  });
});
