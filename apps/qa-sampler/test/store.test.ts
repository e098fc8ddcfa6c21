import { beforeAll, describe, expect, test } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { reviewedInteractions } from '../src/candidate-query.ts';
import { drawSample, type Candidate } from '../src/sampling.ts';
import { qaStores, type QaStores } from '../src/qa-stores.ts';
import { agent, freshWarehouse, insert, interaction, message } from './fixtures.ts';

let wh: Warehouse;
let qa: QaStores;
let counter = 0;

const general = {
  id: 'general',
  name: 'General',
  categories: [
    { id: 'tone', name: 'Tone', scale: '5-point' },
    { id: 'solution', name: 'Solution', scale: '4-point', weight: 2 },
    { id: 'empathy', name: 'Empathy', scale: '3-point', critical: true },
  ],
};
const ratings = (tone: number | null, solution: number | null, empathy: number | null) => [
  { categoryId: 'tone', rating: tone },
  { categoryId: 'solution', rating: solution },
  { categoryId: 'empathy', rating: empathy },
];

beforeAll(async () => {
  wh = await freshWarehouse();
  qa = qaStores(wh, { now: () => '2026-04-01T08:00:00.000Z', newId: (kind) => `${kind}-${++counter}` });
  const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  await insert(wh, {
    agents: [agent('a1', 'Anna Berg', 't1'), agent('a2', 'Ben Okafor', 't1')],
    interactions: [
      interaction('k1', { agent_id: 'a1', created_at: at(2), case_id: 'case-1' }),
      interaction('k2', { agent_id: 'a1', created_at: at(3), channel: 'email' }),
      interaction('k3', { agent_id: 'a1', created_at: at(4) }),
      interaction('k4', { agent_id: 'a2', created_at: at(5) }),
      interaction('k5', { agent_id: 'a2', created_at: at(6) }),
      interaction('k6', { agent_id: 'a2', created_at: at(7) }),
      // k1's case continues on the phone the next day
      interaction('k1-call', { agent_id: 'a2', channel: 'phone', created_at: at(3), case_id: 'case-1', talk_seconds: 200 }),
    ],
    events: [
      message('k1', 0, 'customer', 'My parcel never arrived', 'c-k1', '2026-03-02T10:00:00Z'),
      message('k1', 1, 'agent', "Hi, I'm Anna Berg, let me check that for you. Anna", 'a1', '2026-03-02T10:02:00Z'),
      message('k1-call', 0, 'agent', 'Ben here, calling back about the parcel', 'a2', '2026-03-03T10:00:00Z'),
    ],
  });
});

describe('scorecard versions', () => {
  test('editing a scorecard makes a new version and an unchanged save does not', async () => {
    expect(await qa.scorecards.save({ id: 'phone', name: 'Phone', appliesTo: { channels: ['phone'] }, categories: general.categories })).toMatchObject({ version: 1, created: true });
    expect(await qa.scorecards.save(general)).toMatchObject({ version: 1, created: true });
    expect(await qa.scorecards.save(general)).toMatchObject({ version: 1, created: false });
    const edited = { ...general, categories: general.categories.map((c) => (c.id === 'tone' ? { ...c, weight: 3 } : c)) };
    expect(await qa.scorecards.save(edited)).toMatchObject({ version: 2, created: true });
    expect((await qa.scorecards.current()).map((c) => [c.scorecardId, c.version])).toEqual([['phone', 1], ['general', 2]]);
    // the old version stays readable for reviews graded with it
    expect((await qa.scorecards.version('general', 1)).definition.categories[0].weight).toBe(1);
    const categories = await wh.all('SELECT version, category_id, weight FROM qa_categories WHERE scorecard_id = $1 AND category_id = $2 ORDER BY version', ['general', 'tone']);
    expect(categories).toEqual([{ version: 1, category_id: 'tone', weight: 1 }, { version: 2, category_id: 'tone', weight: 3 }]);
    // back to equal weights for the arithmetic below (version 3)
    expect(await qa.scorecards.save(general)).toMatchObject({ version: 3, created: true });
  });
});

describe('assigning and grading', () => {
  let assignments: { id: string; interactionId: string; reviewerId: string }[];

  test('assignments are balanced, never to the agent who handled the conversation', async () => {
    const candidates: Candidate[] = (await wh.all<{ id: string; agent_id: string; channel: string; created_at: string }>(
      "SELECT id, agent_id, channel, created_at FROM interactions WHERE id LIKE 'k_' ORDER BY id",
    )).map((r) => ({ interactionId: r.id, agentId: r.agent_id, teamId: 't1', channel: r.channel, createdAt: r.created_at, signals: {} as never }));
    const result = drawSample(candidates, { kind: 'stratified', by: 'agent', quota: 3 }, { seed: 11 });
    const sampleId = await qa.samples.save({ strategy: 'stratified', seed: 11, params: { perAgent: 3 }, range: null, result });
    assignments = await qa.assignments.assignSample(sampleId, { reviewers: ['a1', 'r1', 'r2'], seed: 4, blind: true });
    expect(assignments).toHaveLength(6);
    const agentOf = Object.fromEntries(candidates.map((c) => [c.interactionId, c.agentId]));
    expect(assignments.every((a) => a.reviewerId !== agentOf[a.interactionId])).toBe(true);
    const load = (r: string) => assignments.filter((a) => a.reviewerId === r).length;
    expect([load('a1'), load('r1'), load('r2')]).toEqual([2, 2, 2]);
    expect(assignments.every((a) => (a as { scorecardVersion?: number }).scorecardVersion === 3)).toBe(true);
    // assigned conversations are excluded from the next sample as "already reviewed"
    expect([...(await reviewedInteractions(wh))].sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
  });

  test('a blind grading page shows the whole case timeline and no agent name anywhere', async () => {
    const k1 = assignments.find((a) => a.interactionId === 'k1')!;
    await qa.assignments.saveDraft(k1.id, { ratings: [{ categoryId: 'tone', rating: 4 }] });
    const view = await qa.assignments.gradingView(k1.id);
    expect(view.draft).toEqual({ ratings: [{ categoryId: 'tone', rating: 4 }] });
    expect(view.conversation.timeline.map((e) => [e.interactionId, e.channel, e.authorName, e.body])).toEqual([
      ['k1', 'chat', null, 'My parcel never arrived'],
      ['k1', 'chat', 'Agent', "Hi, I'm [agent], let me check that for you. [agent]"],
      ['k1-call', 'phone', 'Agent', '[agent] here, calling back about the parcel'],
    ]);
    const page = JSON.stringify(view);
    for (const leak of ['Anna', 'Berg', 'Ben', 'Okafor', '"a1"', '"a2"']) expect(page).not.toContain(leak);
  });

  test("an agent's IQS is the mean of the review scores computed by hand", async () => {
    const ofAgent = (agentId: string) => assignments.filter((a) => ['k1', 'k2', 'k3'].includes(a.interactionId) === (agentId === 'a1')).sort((x, y) => x.interactionId.localeCompare(y.interactionId));
    const [k1, k2, k3] = ofAgent('a1');
    // (5,4,3): 100; (4,3,3): (75 + 2 x 66.667 + 100) / 4 = 77.083; (3,1,1): empathy 0 % is critical -> 0
    expect((await qa.reviews.submit(k1.id, { ratings: ratings(5, 4, 3) })).score).toBe(100);
    expect((await qa.reviews.submit(k2.id, { ratings: ratings(4, 3, 3) })).score).toBeCloseTo(77.083, 3);
    const failed = await qa.reviews.submit(k3.id, { ratings: ratings(3, 1, 1), comment: 'promised a refund we do not give' });
    expect(failed).toMatchObject({ score: 0, criticalFailed: true });
    await expect(qa.reviews.submit(k3.id, { ratings: ratings(3, 1, 1) })).rejects.toThrow('already submitted');
    const [k4, k5, k6] = ofAgent('a2');
    for (const a of [k4, k5, k6]) await qa.reviews.submit(a.id, { ratings: ratings(5, 4, 3) });
    const { rows, warning } = await qa.reports.scores({ by: 'agent' });
    // a1: (100 + 77.083 + 0) / 3 = 59.028; a2: 100
    expect(rows.map((r) => [r.key, r.reviews, Number(r.iqs.toFixed(3))])).toEqual([['a1', 3, 59.028], ['a2', 3, 100]]);
    expect(rows[0].warning).toBe('only 3 reviews (need 5 to rank)');
    expect(warning).toBe('2 of 2 agents have too small a sample to rank');
    const byChannel = await qa.reports.scores({ by: 'channel' });
    // chat: k1, k3, k4, k5, k6 = (100 + 0 + 300) / 5 = 80; email: k2 = 77.083
    expect(byChannel.rows.map((r) => [r.key, Number(r.iqs.toFixed(3))])).toEqual([['chat', 80], ['email', 77.083]]);
  });

  test('a dispute that is partly accepted, rejected or accepted moves the score as decided', async () => {
    const [review] = await wh.all<{ id: string }>("SELECT id FROM qa_reviews WHERE interaction_id = 'k3'");
    await expect(qa.disputes.file(review.id, { agentId: 'a2', reason: 'not mine', proposedRatings: [] })).rejects.toThrow('only the reviewed agent');
    const first = await qa.disputes.file(review.id, { agentId: 'a1', reason: 'I was empathetic', proposedRatings: [{ categoryId: 'empathy', rating: 3 }, { categoryId: 'tone', rating: 5 }] });
    // partly: only empathy 1 -> 2 (50 %, no longer critical): tone 3 = 50, solution 1 = 0, empathy 2 = 50; (50 + 0 + 50) / 4 = 25
    expect(await qa.disputes.resolve(first, { decision: 'partly_accepted', resolvedBy: 'lead', revisedRatings: [{ categoryId: 'empathy', rating: 2 }] })).toEqual({ score: 25 });
    // a1 now: (100 + 77.083 + 25) / 3 = 67.361
    expect(Number((await qa.reports.scores({ by: 'agent' })).rows[0].iqs.toFixed(3))).toBe(67.361);
    const second = await qa.disputes.file(review.id, { agentId: 'a1', reason: 'solution was right', proposedRatings: [{ categoryId: 'solution', rating: 4 }] });
    expect(await qa.disputes.resolve(second, { decision: 'rejected', resolvedBy: 'lead' })).toEqual({ score: 25 });
    const third = await qa.disputes.file(review.id, { agentId: 'a1', reason: 'solution was right', proposedRatings: [{ categoryId: 'solution', rating: 4 }] });
    // accepted: solution 4 = 100: (50 + 200 + 50) / 4 = 75
    expect(await qa.disputes.resolve(third, { decision: 'accepted', resolvedBy: 'lead' })).toEqual({ score: 75 });
    expect(await wh.all("SELECT status, original_score, final_score FROM qa_disputes WHERE review_id = $1 ORDER BY id", [review.id])).toEqual([
      { status: 'partly_accepted', original_score: 0, final_score: 25 },
      { status: 'rejected', original_score: 25, final_score: 25 },
      { status: 'accepted', original_score: 25, final_score: 75 },
    ]);
    await expect(qa.disputes.resolve(third, { decision: 'rejected', resolvedBy: 'lead' })).rejects.toThrow('already accepted');
  });
});

describe('calibration', () => {
  test('agreement per category and deviation from consensus, without touching IQS', async () => {
    const before = await qa.reports.scores({ by: 'agent' });
    const session = await qa.calibration.create({ id: 'cal-1', name: 'March', scorecardId: 'general', interactionIds: ['k4', 'k5', 'k6'], reviewerIds: ['r1', 'r2'] });
    const given: Record<string, Record<string, [number, number, number]>> = {
      r1: { k4: [5, 4, 3], k5: [4, 3, 3], k6: [2, 2, 2] },
      r2: { k4: [5, 4, 3], k5: [4, 2, 3], k6: [2, 2, 2] },
    };
    for (const reviewer of ['r1', 'r2']) {
      for (const a of await qa.assignments.forReviewer(reviewer)) {
        if (a.calibration_session_id !== session) continue;
        expect(a.blind).toBe(true);
        await qa.reviews.submit(a.id, { ratings: ratings(...given[reviewer][a.interaction_id]) });
      }
    }
    const report = await qa.calibration.report('cal-1');
    expect(report).toMatchObject({ submitted: 6, expected: 6, reviewers: ['r1', 'r2'] });
    const solution = report.categories.find((c) => c.categoryId === 'solution')!;
    // kappa: r1 [4,3,2], r2 [4,2,2]; p_o = 2/3; p_e = (1/3)(1/3) + (1/3)(0) + (1/3)(2/3) = 1/3; (2/3 - 1/3) / (2/3) = 0.5
    expect(solution.kappa).toBeCloseTo(0.5, 12);
    // ordinal alpha: units [4,4] [3,2] [2,2]; n_2 = 3, n_3 = 1, n_4 = 2, n = 6; o_23 = o_32 = 1
    // δ²(2,3) = (3 + 1 - 2)² = 4, δ²(2,4) = (6 - 2.5)² = 12.25, δ²(3,4) = (3 - 1.5)² = 2.25
    // 1 - (n - 1) x 2 x 4 / (2 x (3x1x4 + 3x2x12.25 + 1x2x2.25)) = 1 - 40 / 180 = 0.7778
    expect(solution.alpha).toBeCloseTo(0.7778, 4);
    expect(report.categories.find((c) => c.categoryId === 'tone')).toMatchObject({ alpha: 1, kappa: 1 });
    // k5: r1 77.083, r2 (75 + 2 x 33.333 + 100) / 4 = 60.417; consensus 68.75; deviations ±8.333 over 3 reviews = ±2.778
    expect(report.deviations.map((d) => [d.reviewerId, Number(d.meanDeviation!.toFixed(3)), Number(d.meanAbsoluteDeviation!.toFixed(3))])).toEqual([
      ['r1', 2.778, 2.778],
      ['r2', -2.778, 2.778],
    ]);
    expect((await qa.reports.scores({ by: 'agent' })).rows).toEqual(before.rows);
  });
});

describe('spot checks', () => {
  test("a lead's re-grade reports the reviewer's agreement and never moves IQS", async () => {
    const before = await qa.reports.scores({ by: 'agent' });
    // r1 and r2 hold the six sample reviews between them; share 1 checks every one not yet checked.
    const created = await qa.spotChecks.create({ leadId: 'lead', share: 1, seed: 5 });
    const counted = await wh.all<{ id: string; reviewer_id: string; interaction_id: string }>(
      'SELECT id, reviewer_id, interaction_id FROM qa_reviews WHERE calibration_session_id IS NULL AND spot_check_of IS NULL ORDER BY id',
    );
    expect(created.map((c) => c.checks).sort()).toEqual(counted.filter((r) => r.reviewer_id !== 'lead').map((r) => r.id).sort());
    // the lead rates k4 (5,4,3 by its reviewer) as (5,3,3), everything else the same as the reviewer
    for (const a of await qa.assignments.forReviewer('lead')) {
      const original = await wh.all<{ category_id: string; rating: number | null }>('SELECT q.category_id, q.rating FROM qa_ratings q JOIN qa_assignments a ON a.spot_check_of = q.review_id WHERE a.id = $1', [a.id]);
      const given = original.map((o) => ({ categoryId: o.category_id, rating: a.interaction_id === 'k4' && o.category_id === 'solution' ? 3 : o.rating }));
      await qa.reviews.submit(a.id, { ratings: given });
    }
    const agreement = await qa.spotChecks.agreement();
    const k4Reviewer = counted.find((r) => r.interaction_id === 'k4')!.reviewer_id;
    const row = agreement.find((r) => r.reviewerId === k4Reviewer)!;
    const checked = counted.filter((r) => r.reviewer_id === k4Reviewer).length;
    // one of 3 x checked ratings differs; k4: reviewer 100, lead (100 + 2 x 66.667 + 100) / 4 = 83.333
    expect(row.checked).toBe(checked);
    expect(row.exactAgreement).toBeCloseTo(1 - 1 / (3 * checked), 12);
    expect(row.meanScoreDifference).toBeCloseTo(16.6667 / checked, 3);
    expect((await qa.reports.scores({ by: 'agent' })).rows).toEqual(before.rows);
    // nothing left to check: a second run creates nothing
    expect(await qa.spotChecks.create({ leadId: 'lead', share: 1, seed: 5 })).toEqual([]);
  });
});
