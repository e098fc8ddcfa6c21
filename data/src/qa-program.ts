import { sql } from 'kysely';
import type { Warehouse } from '@helpdesk/core';
import { pearson, planSample, qaDb, qaStores, type QaStores, runConsistencyChecks, type CheckResult, type Rating, type ScorecardDefinition } from '@helpdesk/qa-sampler';
import { brand } from './catalog.ts';
import { Random, Stream } from './random.ts';

/**
 * The demo world's QA program: what a QA team running for three months leaves in the warehouse.
 * Two scorecards (support for chat, email and social; phone), the support card edited once (a
 * second version), a stratified sample per agent every week, graded by three reviewers whose
 * marks follow the agent's hidden quality plus their own bias and noise, a lead's spot checks of
 * each reviewer, disputes (accepted, rejected, pending) and two calibration sessions. Everything
 * goes through the QA engine (the QA stores, `planSample`), with a fixed clock and sequential ids, so
 * the same seed gives the same rows.
 */

/** A reviewer of the demo: `bias` shifts every mark (on a 0-1 quality scale), `noise` is its spread. */
export interface DemoReviewer {
  id: string;
  bias: number;
  noise: number;
}

/** The signed-in demo QA reviewer grades too, so their assignments page has work on it. */
export const demoReviewers: readonly DemoReviewer[] = [
  { id: 'qa_reviewer@demo.local', bias: 0, noise: 0.08 },
  { id: `mira.kovac@${brand.domain}`, bias: 0.07, noise: 0.07 },
  { id: `jonas.weber@${brand.domain}`, bias: -0.06, noise: 0.13 },
];
export const demoLead: DemoReviewer = { id: 'qa_lead@demo.local', bias: 0, noise: 0.04 };

const supportV1: ScorecardDefinition = {
  id: 'support',
  name: 'Support (chat, email, social)',
  appliesTo: { channels: ['chat', 'email', 'social'] },
  passBaseline: 80,
  categories: [
    { id: 'greeting', name: 'Greeting and closing', scale: 'binary', weight: 1, critical: false, allowNa: false, group: 'Communication' },
    { id: 'tone', name: 'Tone and empathy', scale: '5-point', weight: 1, critical: false, allowNa: false, group: 'Communication' },
    { id: 'understanding', name: 'Understood the issue', scale: '4-point', weight: 1, critical: false, allowNa: false, group: 'Resolution' },
    { id: 'solution', name: 'Correct and complete solution', scale: '4-point', weight: 2, critical: true, allowNa: false, group: 'Resolution' },
    { id: 'follow-through', name: 'Promises kept (timing, next steps)', scale: '3-point', weight: 1, critical: false, allowNa: true, group: 'Resolution' },
    { id: 'verification', name: 'Identity verified before account changes', scale: 'binary', weight: 1, critical: true, allowNa: true, group: 'Compliance' },
    { id: 'privacy', name: 'No personal data in a public reply', scale: 'binary', weight: 1, critical: true, allowNa: true, group: 'Compliance' },
  ],
};

/** The edit after six weeks: understanding counts more, and a clear next step is graded on its own. */
const supportV2: ScorecardDefinition = {
  ...supportV1,
  categories: [
    ...supportV1.categories.map((c) => (c.id === 'understanding' ? { ...c, weight: 1.5 } : c)),
    { id: 'next-step', name: 'Clear next step', scale: '3-point', weight: 1, critical: false, allowNa: false, group: 'Communication' },
  ],
};

const phoneCard: ScorecardDefinition = {
  id: 'phone',
  name: 'Phone',
  appliesTo: { channels: ['phone'] },
  passBaseline: 80,
  categories: [
    { id: 'greeting', name: 'Greeting and closing', scale: 'binary', weight: 1, critical: false, allowNa: false, group: 'Communication' },
    { id: 'verification', name: 'Identity verified before account changes', scale: 'binary', weight: 1, critical: true, allowNa: true, group: 'Compliance' },
    { id: 'empathy', name: 'Empathy and active listening', scale: '5-point', weight: 1, critical: false, allowNa: false, group: 'Communication' },
    { id: 'solution', name: 'Correct and complete solution', scale: '4-point', weight: 2, critical: true, allowNa: false, group: 'Resolution' },
    { id: 'hold', name: 'Hold etiquette (asked, explained, thanked)', scale: '3-point', weight: 1, critical: false, allowNa: true, group: 'Communication' },
    { id: 'follow-through', name: 'Promises kept (timing, next steps)', scale: '3-point', weight: 1, critical: false, allowNa: true, group: 'Resolution' },
  ],
};

/** How much easier (positive) or harder a category is than the conversation's overall quality. */
const categoryEase: Record<string, number> = {
  greeting: 0.18, tone: 0.04, empathy: 0.02, understanding: 0.03, solution: -0.02, 'follow-through': 0, verification: 0.1, privacy: 0.22, hold: 0.05, 'next-step': 0,
};

/** Intents that change an account or an order: identity verification applies to them. */
const accountChanges = new Set(['login_problem', 'order_change', 'cancellation', 'billing', 'payment_failed', 'refund']);

const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const isoDay = (ms: number) => iso(ms).slice(0, 10);

/** FNV-1a of a string: a stable index for a conversation's or a reviewer's random stream. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface ConversationFacts {
  id: string;
  channel: string;
  agentId: string | null;
  intent: string | null;
  holdSeconds: number | null;
  /** What the consistency checks found in the conversation's words (check id -> passed), where they apply. */
  checks?: Readonly<Record<string, boolean>>;
}

/**
 * Categories a reviewer grades from what is written (as the consistency checks read it) rather
 * than from the overall impression: the check ids that decide each, all of which must pass.
 * The critical compliance categories (verification, privacy) stay graded from the impression:
 * the demo's good replies announce account changes without a verification step, and a critical
 * failure on those would sink the agents whose replies are best.
 */
const readFromText: Record<string, string[]> = {
  greeting: ['greeting', 'closing'],
  'follow-through': ['promise-kept'],
};

/**
 * The marks one reviewer gives one conversation on a scorecard. The conversation's own quality
 * (the agent's hidden quality plus a per-conversation and per-category draw) is shared by every
 * reviewer; the reviewer adds their bias and noise. Which categories are N/A follows the
 * conversation's facts, so every reviewer agrees on them.
 */
export function demoRatings(seed: number, card: ScorecardDefinition, c: ConversationFacts, quality: number, reviewer: DemoReviewer): Rating[] {
  const shared = Random.for(seed, Stream.qa, fnv(c.id));
  // Reviewers grade a little above the agent's hit rate: a fair answer still earns most points.
  const latent = quality + 0.08 + 0.1 * shared.normal();
  const own = Random.for(seed ^ fnv(reviewer.id), Stream.qaReviewer, fnv(c.id));
  const verificationApplies = c.intent ? accountChanges.has(c.intent) : shared.chance(0.4);
  const promiseMade = shared.chance(0.55);
  return card.categories.map((category) => {
    const truth = latent + (categoryEase[category.id] ?? 0) + 0.08 * shared.normal();
    const notApplicable =
      (category.id === 'verification' && !verificationApplies) ||
      (category.id === 'privacy' && c.channel !== 'social') ||
      (category.id === 'hold' && !(c.holdSeconds && c.holdSeconds > 0)) ||
      (category.id === 'follow-through' && !promiseMade);
    // Where the words decide (a greeting, a promise, a check before a change, personal data in
    // public), the reviewer reads them, and misreads now and then (more often the noisier they are).
    const textual = (readFromText[category.id] ?? []).filter((id) => c.checks?.[id] !== undefined);
    if (textual.length) {
      const passed = textual.every((id) => c.checks![id]) !== own.chance(0.03 + reviewer.noise / 2);
      const top = { binary: 1, '3-point': 3, '4-point': 4, '5-point': 5 }[category.scale];
      return { categoryId: category.id, rating: passed ? top : category.scale === 'binary' ? 0 : 1 };
    }
    if (notApplicable && category.allowNa) return { categoryId: category.id, rating: null };
    const seen = Math.min(1, Math.max(0, truth + reviewer.bias + reviewer.noise * own.normal()));
    if (category.scale === 'binary') return { categoryId: category.id, rating: seen >= 0.5 ? 1 : 0 };
    const steps = { '3-point': 2, '4-point': 3, '5-point': 4 }[category.scale];
    return { categoryId: category.id, rating: 1 + Math.round(seen * steps) };
  });
}

const lowComments = ['Missed the second question in the message.', 'Promised a timeline we cannot keep.', 'Generic answer; did not check the order.', 'Curt tone with an upset customer.'];
const highComments = ['Clear, specific and kind.', 'Good next step and expectation set.', 'Checked the order before answering: well done.'];

export interface QaProgramSummary {
  scorecards: number;
  samples: number;
  reviews: number;
  openAssignments: number;
  spotChecks: number;
  disputes: number;
  calibrationSessions: number;
  /** Pearson correlation of IQS per agent (agents with 5 or more reviews) with their hidden quality. */
  iqsQualityCorrelation: number | null;
}

/**
 * The consistency checks of every conversation created in [start, end), run over windows of at
 * most `perWindow` conversations (consecutive in creation time): the result of one statement (a
 * row per conversation and check, with its evidence) outgrew the build's DuckDB memory limit at a
 * million interactions, and DuckDB cannot spill a result it hands back (README figures). A conversation's
 * checks read only its own messages, and the promise check's clock (`asOf`) stays the range's, so
 * the windows give the same results (ordered by id and check within each window).
 */
export async function consistencyChecksInWindows(
  wh: Warehouse, range: { start: string; end: string; asOf: string }, perWindow = 50_000,
): Promise<CheckResult[]> {
  // Window starts: the creation time of every perWindow-th conversation after the first.
  const starts = await wh.all<{ start_at: string }>(`SELECT start_at FROM (
      SELECT created_at::VARCHAR AS start_at, row_number() OVER (ORDER BY created_at) AS n FROM interactions
      WHERE created_at >= $1::TIMESTAMPTZ AND created_at < $2::TIMESTAMPTZ)
    WHERE n > 1 AND n % $3 = 1 ORDER BY n`, [range.start, range.end, perWindow]);
  const bounds = [range.start, ...starts.map((r) => r.start_at), range.end];
  const out: CheckResult[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    if (bounds[i] === bounds[i + 1]) continue;
    for (const r of await runConsistencyChecks(wh, { start: bounds[i], end: bounds[i + 1], asOf: range.asOf })) out.push(r);
  }
  return out;
}

/**
 * Runs the demo's QA program over the warehouse's conversations. `agents` carries each human
 * agent's hidden quality (0-1) under their warehouse id; it is also written to `demo_truth_agents`
 * so that the correlation can be checked in SQL.
 */
export async function seedQaProgram(
  wh: Warehouse,
  options: { seed: number; endMs: number; days: number; agents: readonly { id: string; quality: number; speed: number }[] },
): Promise<QaProgramSummary> {
  const { seed, endMs } = options;
  await wh.run('CREATE TABLE IF NOT EXISTS demo_truth_agents (agent_id VARCHAR NOT NULL, quality DOUBLE NOT NULL, speed DOUBLE NOT NULL)');
  for (let i = 0; i < options.agents.length; i += 500) {
    const chunk = options.agents.slice(i, i + 500);
    await wh.run(
      `INSERT INTO demo_truth_agents VALUES ${chunk.map((_, k) => `($${3 * k + 1}, $${3 * k + 2}, $${3 * k + 3})`).join(', ')}`,
      chunk.flatMap((a) => [a.id, a.quality, a.speed]),
    );
  }
  const quality = new Map(options.agents.map((a) => [a.id, a.quality]));
  let clock = endMs;
  let counter = 0;
  const qa = qaStores(wh, { now: () => iso(clock), newId: (kind) => `${kind}-${String(++counter).padStart(6, '0')}` });
  // The consistency checks over every conversation of the period, once: reviewers see the same words.
  const textChecks = new Map<string, Record<string, boolean>>();
  for (const r of await consistencyChecksInWindows(wh, { start: iso(endMs - (Math.max(1, Math.floor(options.days / 7)) + 1) * 7 * day), end: iso(endMs), asOf: iso(endMs) })) {
    textChecks.set(r.interactionId, { ...textChecks.get(r.interactionId), [r.checkId]: r.passed });
  }
  const facts = async (ids: readonly string[]) => {
    const out = new Map<string, ConversationFacts>();
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const rows = await wh.all<{ id: string; channel: string; agent_id: string | null; intent: string | null; hold_seconds: number | null }>(
        `SELECT id, channel, agent_id, intent, hold_seconds FROM interactions WHERE id IN (${chunk.map((_, k) => `$${k + 1}`).join(', ')})`,
        [...chunk],
      );
      for (const r of rows) out.set(r.id, { id: r.id, channel: r.channel, agentId: r.agent_id, intent: r.intent, holdSeconds: r.hold_seconds, checks: textChecks.get(r.id) });
    }
    return out;
  };
  const cards = new Map<string, ScorecardDefinition>();
  const cardOf = async (id: string, version: number) => {
    const key = `${id}@${version}`;
    if (!cards.has(key)) cards.set(key, (await qa.scorecards.version(id, version)).definition);
    return cards.get(key)!;
  };

  const weeks = Math.max(1, Math.floor(options.days / 7));
  const start = endMs - weeks * 7 * day;
  const editWeek = Math.floor(weeks / 2);
  const calibrationWeeks = [Math.max(0, Math.floor(weeks / 4)), Math.max(0, weeks - 3)];
  clock = start;
  await qa.scorecards.save(supportV1);
  await qa.scorecards.save(phoneCard);
  const summary: QaProgramSummary = { scorecards: 2, samples: 0, reviews: 0, openAssignments: 0, spotChecks: 0, disputes: 0, calibrationSessions: 0, iqsQualityCorrelation: null };

  for (let w = 0; w < weeks; w++) {
    const weekStart = start + w * 7 * day;
    if (w === editWeek) {
      clock = weekStart + 9 * 3600_000;
      await qa.scorecards.save(supportV2);
    }
    // Monday morning after the week: draw last week's sample, two conversations per agent.
    clock = weekStart + 7 * day + 7 * 3600_000;
    const last = w === weeks - 1;
    if (last) clock = endMs - 3600_000;
    const plan = await planSample(wh, {
      strategy: { kind: 'stratified', by: 'agent', quota: 2 }, seed: seed + w, minHandleSeconds: 30,
      range: { from: isoDay(weekStart), to: isoDay(weekStart + 6 * day) },
    });
    // Only human agents are graded (the bot has no hidden quality to follow).
    const items = plan.result.items.filter((item) => item.agentId !== null && quality.has(item.agentId));
    if (items.length === 0) continue;
    const sampleId = await qa.samples.save({ strategy: 'stratified', seed: seed + w, params: { by: 'agent', quota: 2, minHandleSeconds: 30 }, range: plan.bounds, result: { ...plan.result, items } });
    summary.samples++;
    const assigned = await qa.assignments.assignSample(sampleId, { reviewers: demoReviewers.map((r) => r.id), seed: seed + w });
    const known = await facts(assigned.map((a) => a.interactionId));
    const rng = Random.for(seed, Stream.qa, w);
    const graded = [];
    for (const a of assigned) {
      // The newest sample is the work in progress: about half of it is still to grade.
      if (last && rng.chance(0.5)) continue;
      const reviewer = demoReviewers.find((r) => r.id === a.reviewerId)!;
      const c = known.get(a.interactionId)!;
      const card = await cardOf(a.scorecardId, a.scorecardVersion);
      const ratings = demoRatings(seed, card, c, quality.get(c.agentId!)!, reviewer);
      const submittedAt = Math.min(endMs - 60_000, clock + rng.between(0.1, 4.5) * day);
      graded.push({ assignmentId: a.id, ratings, submittedAt: iso(Math.round(submittedAt / 1000) * 1000), comment: comment(rng, card, ratings) });
    }
    summary.reviews += (await qa.reviews.importReviews(graded)).length;
    summary.openAssignments += assigned.length - graded.length;

    if (calibrationWeeks.includes(w)) {
      const phone = calibrationWeeks.indexOf(w) === 1;
      clock = weekStart + 7 * day + 10 * 3600_000;
      if (await calibrate(qa, wh, { seed, weekStart, phone, quality, facts })) summary.calibrationSessions++;
    }
  }

  // The lead re-grades a tenth of each reviewer's reviews, blind; a few are still to do.
  clock = endMs - 2 * day;
  const checks = await qa.spotChecks.create({ leadId: demoLead.id, share: 0.1, seed });
  const known = await facts(checks.map((c) => c.interactionId));
  const rng = Random.for(seed, Stream.qa, 10_000);
  const leadReviews = [];
  for (const check of checks) {
    if (rng.chance(0.15)) continue;
    const [a] = await qaDb(wh).selectFrom('qa_assignments').select(['scorecard_id', 'scorecard_version']).where('id', '=', check.id).execute();
    const c = known.get(check.interactionId)!;
    const ratings = demoRatings(seed, await cardOf(a.scorecard_id, a.scorecard_version), c, quality.get(c.agentId!)!, demoLead);
    leadReviews.push({ assignmentId: check.id, ratings, submittedAt: iso(Math.round((clock + rng.between(0.1, 1.8) * day) / 1000) * 1000) });
  }
  await qa.reviews.importReviews(leadReviews);
  summary.spotChecks = checks.length;

  summary.disputes = await dispute(qa, wh, { seed, endMs, setClock: (ms) => (clock = ms) });
  // IQS per agent = mean counted review score. Read straight from the reviews: the QA dashboard's
  // report also reads outcomes, which would build the metrics cache in the middle of a build.
  const iqs = await qaDb(wh)
    .selectFrom('qa_reviews')
    .select((eb) => ['agent_id', eb.fn.avg<number>('score').as('iqs')])
    .where('calibration_session_id', 'is', null)
    .where('spot_check_of', 'is', null)
    .where('score', 'is not', null)
    .groupBy('agent_id')
    .having((eb) => eb.fn.countAll(), '>=', 5)
    .orderBy('agent_id')
    .execute();
  const ranked = iqs.filter((r) => r.agent_id !== null && quality.has(r.agent_id));
  summary.iqsQualityCorrelation = pearson(ranked.map((r) => r.iqs), ranked.map((r) => quality.get(r.agent_id!)!));
  return summary;
}

function comment(rng: Random, card: ScorecardDefinition, ratings: Rating[]): string | undefined {
  const solution = ratings.find((r) => r.categoryId === 'solution');
  const max = card.categories.find((c) => c.id === 'solution')?.scale === '4-point' ? 4 : 5;
  if (solution?.rating !== null && solution?.rating !== undefined && solution.rating <= 2 && rng.chance(0.7)) return rng.pick(lowComments);
  if (solution?.rating === max && rng.chance(0.2)) return rng.pick(highComments);
  return undefined;
}

/**
 * A calibration session: the three reviewers and the lead grade the same six conversations of a
 * week, blind. The first (support) shows the disagreement that calibration is for; the second
 * (phone, later) is tighter, as reviewers who calibrate converge.
 */
async function calibrate(
  qa: QaStores,
  wh: Warehouse,
  options: { seed: number; weekStart: number; phone: boolean; quality: Map<string, number>; facts: (ids: readonly string[]) => Promise<Map<string, ConversationFacts>> },
): Promise<boolean> {
  const channels = options.phone ? (['phone'] as const) : (['chat', 'email', 'social'] as const);
  const pool = await qaDb(wh)
    .selectFrom('interactions as i')
    .select('i.id')
    .where('i.created_at', '>=', iso(options.weekStart))
    .where('i.created_at', '<', iso(options.weekStart + 7 * day))
    .where('i.channel', 'in', channels)
    .where('i.agent_id', 'is not', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('qa_assignments as a').select('a.id').whereRef('a.interaction_id', '=', 'i.id'))))
    .orderBy('i.id')
    .execute();
  const rng = Random.for(options.seed, Stream.qa, 20_000 + (options.phone ? 1 : 0));
  const ids = pool.map((p) => p.id);
  const drawn: string[] = [];
  while (drawn.length < 30 && ids.length) drawn.push(ids.splice(rng.int(0, ids.length - 1), 1)[0]);
  const known = await options.facts(drawn);
  const picked = drawn.filter((id) => options.quality.has(known.get(id)?.agentId ?? '')).slice(0, 6);
  if (picked.length < 2) return false;
  const reviewers = [...demoReviewers, demoLead];
  const sessionId = await qa.calibration.create({
    name: options.phone ? 'Phone calibration: verification and holds' : 'Support calibration: solution and tone',
    scorecardId: options.phone ? 'phone' : 'support', interactionIds: picked, reviewerIds: reviewers.map((r) => r.id),
  });
  const session = await qaDb(wh)
    .selectFrom('qa_calibration_sessions')
    .select(['scorecard_id', 'scorecard_version', sql<number>`epoch_ms(created_at)::DOUBLE`.as('created_ms')])
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow();
  const card = (await qa.scorecards.version(session.scorecard_id, session.scorecard_version)).definition;
  const assignments = await qaDb(wh).selectFrom('qa_assignments').select(['id', 'interaction_id', 'reviewer_id']).where('calibration_session_id', '=', sessionId).orderBy('id').execute();
  // Before calibrating, reviewers spread more; afterwards (the second session) less.
  const spread = options.phone ? 1 : 1.6;
  const created = session.created_ms;
  await qa.reviews.importReviews(
    assignments.map((a) => {
      const base = reviewers.find((r) => r.id === a.reviewer_id)!;
      const c = known.get(a.interaction_id)!;
      return {
        assignmentId: a.id,
        ratings: demoRatings(options.seed + 1, card, c, options.quality.get(c.agentId!)!, { ...base, noise: base.noise * spread, bias: base.bias * spread }),
        submittedAt: iso(created + Math.round(rng.between(1, 30)) * 3600_000),
      };
    }),
  );
  return true;
}

/**
 * Agents dispute some low scores: the demo agent account's agent (the first human agent by id)
 * always has one resolved and one pending; others dispute about one low review (under 70) in fifteen, and a lead
 * accepts, rejects or has not decided yet (the recent ones).
 */
/** A counted review an agent may dispute; the demo only grades conversations of human agents, so `agent_id` is set. */
type DisputableReview = { id: string; agent_id: string; submitted_ms: number; scorecard_id: string; scorecard_version: number };

async function dispute(qa: QaStores, wh: Warehouse, options: { seed: number; endMs: number; setClock: (ms: number) => void }): Promise<number> {
  const db = qaDb(wh);
  // Reviews as the dispute needs them, with the submission time in epoch milliseconds for the clock.
  const reviews = () =>
    db
      .selectFrom('qa_reviews')
      .select(['id', 'agent_id', sql<number>`epoch_ms(submitted_at)::DOUBLE`.as('submitted_ms'), 'scorecard_id', 'scorecard_version'])
      .where('calibration_session_id', 'is', null)
      .where('spot_check_of', 'is', null)
      .where('score', 'is not', null);
  const low = (await reviews().where('score', '<', 70).orderBy('id').execute()) as DisputableReview[];
  const first = await db
    .selectFrom('agents')
    .select('id')
    .where((eb) => eb.not(eb.fn.coalesce('is_bot', eb.lit(false))))
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  // The demo agent's two lowest scored reviews, older first, whatever their score.
  const mine = first
    ? ((await reviews().where('agent_id', '=', first.id).orderBy('score').orderBy('id').limit(2).execute()) as DisputableReview[]).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    : [];
  const rng = Random.for(options.seed, Stream.qa, 30_000);
  const chosen = new Set([...mine.map((r) => r.id), ...low.filter((r) => r.agent_id !== first?.id && rng.chance(1 / 15)).map((r) => r.id)]);
  const all = [...low.filter((r) => r.agent_id !== first?.id), ...mine].sort((a, b) => a.id.localeCompare(b.id));
  const reasons = ['The customer asked for exactly this; the policy allows it.', 'I verified the customer on the phone before this message.', 'The solution was right: see the follow-up.', 'I did greet the customer; the greeting is in the first message.'];
  let filed = 0;
  for (const review of all.filter((r) => chosen.has(r.id))) {
    const submitted = review.submitted_ms;
    options.setClock(Math.min(options.endMs - 3600_000, submitted + rng.between(0.2, 2) * day));
    const ratings = await qaDb(wh).selectFrom('qa_ratings').select(['category_id', 'rating']).where('review_id', '=', review.id).orderBy('category_id').execute();
    const card = (await qa.scorecards.version(review.scorecard_id, review.scorecard_version)).definition;
    // The agent asks for the lowest rated category one step up.
    const lowest = ratings.filter((r) => r.rating !== null).sort((a, b) => a.rating! - b.rating! || a.category_id.localeCompare(b.category_id))[0];
    if (!lowest) continue;
    const scale = card.categories.find((c) => c.id === lowest.category_id)!.scale;
    const max = { binary: 1, '3-point': 3, '4-point': 4, '5-point': 5 }[scale];
    const proposed = [{ categoryId: lowest.category_id, rating: Math.min(max, lowest.rating! + 1) }];
    const id = await qa.disputes.file(review.id, { agentId: review.agent_id, reason: rng.pick(reasons), proposedRatings: proposed });
    filed++;
    const recent = submitted > options.endMs - 6 * day;
    const isMineLatest = mine.length > 0 && review.id === mine[mine.length - 1].id;
    if (recent || isMineLatest) continue;
    options.setClock(Math.min(options.endMs - 1800_000, submitted + rng.between(2.2, 5) * day));
    const accept = review.id === mine[mine.length - 2]?.id || rng.chance(0.45);
    await qa.disputes.resolve(id, {
      decision: accept ? 'accepted' : 'rejected', resolvedBy: demoLead.id,
      comment: accept ? 'Agreed after listening again; rating corrected.' : 'The rating stands: the scorecard asks for this explicitly.',
    });
  }
  return filed;
}
