import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Warehouse } from '@helpdesk/core';
import { assignReviewers } from './assignments.ts';
import { blindView, type ConversationView } from './blind.ts';
import { calibrationReport, type CalibrationReport } from './calibration.ts';
import { outcomeSignalsQuery } from './candidate-query.ts';
import { ratingsAfterDispute, type DisputeDecision } from './disputes.ts';
import { qaDb, type QaDatabase } from './qa-tables.ts';
import type { SampleResult } from './sampling.ts';
import { correlationEstimate, pearson, scoreRows, type CorrelationEstimate, type ScoreGrouping, type ScoreRow } from './score-report.ts';
import { parseScorecard, pickScorecard, QaError, sameDefinition, scales, type ScorecardDefinition, type ScorecardVersion } from './qa-scorecard.ts';
import { reviewScore, type Rating } from './scoring.ts';
import { pickSpotChecks, reviewerAgreement, type ReviewerAgreement } from './spot-checks.ts';

/** Side effects passed in, so tests can fix the clock and the ids. */
export interface QaEffects {
  now?: () => string;
  newId?: (kind: string) => string;
}

export interface Draft {
  ratings: Rating[];
  comment?: string;
}

/**
 * The QA engine's storage: scorecards and their versions, samples, assignments, reviews,
 * disputes and calibration sessions, through Kysely in the warehouse. Thin: every rule lives in
 * a pure module (scoring, assignments, disputes, calibration, score-report).
 *
 * @example
 * const qa = new QaStore(await Warehouse.open('data/helpdesk.duckdb'));
 * await qa.saveScorecard({ id: 'support', name: 'Support', categories: [...] });
 */
export class QaStore {
  readonly db: Kysely<QaDatabase>;
  private readonly now: () => string;
  private readonly newId: (kind: string) => string;

  constructor(readonly wh: Warehouse, effects: QaEffects = {}) {
    this.db = qaDb(wh);
    this.now = effects.now ?? (() => new Date().toISOString());
    this.newId = effects.newId ?? ((kind) => `${kind}-${randomUUID()}`);
  }

  /** Saves a scorecard; an edit makes a new version, an unchanged definition keeps the current one. */
  async saveScorecard(input: unknown): Promise<ScorecardVersion & { created: boolean }> {
    const definition = parseScorecard(input);
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('qa_scorecards').selectAll().where('id', '=', definition.id).executeTakeFirst();
      let version = 1;
      if (existing) {
        const current = await this.scorecardVersion(definition.id, existing.current_version, trx);
        if (sameDefinition(current.definition, definition)) return { ...current, created: false };
        version = existing.current_version + 1;
        await trx.updateTable('qa_scorecards').set({ name: definition.name, current_version: version, updated_at: now }).where('id', '=', definition.id).execute();
      } else {
        const { n } = await trx.selectFrom('qa_scorecards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        await trx.insertInto('qa_scorecards').values({ id: definition.id, name: definition.name, current_version: 1, position: Number(n), created_at: now, updated_at: now }).execute();
      }
      await trx.insertInto('qa_scorecard_versions').values({ scorecard_id: definition.id, version, definition: JSON.stringify(definition), created_at: now }).execute();
      await trx
        .insertInto('qa_categories')
        .values(
          definition.categories.map((c, position) => ({
            scorecard_id: definition.id, version, category_id: c.id, name: c.name, group_name: c.group ?? null, scale: c.scale,
            scale_min: scales[c.scale].min, scale_max: scales[c.scale].max, weight: c.weight, critical: c.critical, allow_na: c.allowNa, position,
          })),
        )
        .execute();
      return { scorecardId: definition.id, version, definition, created: true };
    });
  }

  /** The current version of every scorecard, in the order they were created (the order conditions are tried). */
  async scorecards(): Promise<ScorecardVersion[]> {
    const rows = await this.db
      .selectFrom('qa_scorecards as s')
      .innerJoin('qa_scorecard_versions as v', (j) => j.onRef('v.scorecard_id', '=', 's.id').onRef('v.version', '=', 's.current_version'))
      .select(['s.id', 'v.version', 'v.definition'])
      .orderBy('s.position')
      .execute();
    return rows.map((r) => ({ scorecardId: r.id, version: r.version, definition: parseScorecard(JSON.parse(r.definition)) }));
  }

  async scorecardVersion(id: string, version: number, db: Kysely<QaDatabase> = this.db): Promise<ScorecardVersion> {
    const row = await db.selectFrom('qa_scorecard_versions').select('definition').where('scorecard_id', '=', id).where('version', '=', version).executeTakeFirst();
    if (!row) throw new QaError(`scorecard "${id}" has no version ${version}`);
    return { scorecardId: id, version, definition: parseScorecard(JSON.parse(row.definition)) };
  }

  /** Stores a drawn sample with each item's reason; returns its id. */
  async saveSample(sample: { strategy: string; seed: number; params: unknown; range: { start: string; end: string } | null; result: SampleResult }): Promise<string> {
    const id = this.newId('sample');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('qa_samples')
        .values({
          id, strategy: sample.strategy, seed: sample.seed, params: JSON.stringify(sample.params), range_from: sample.range?.start ?? null,
          range_to: sample.range?.end ?? null, eligible: sample.result.eligible, excluded: JSON.stringify(sample.result.excluded), created_at: this.now(),
        })
        .execute();
      if (sample.result.items.length) {
        await trx
          .insertInto('qa_sample_items')
          .values(sample.result.items.map((item, position) => ({ sample_id: id, position, interaction_id: item.interactionId, agent_id: item.agentId, channel: item.channel, reason: item.reason })))
          .execute();
      }
    });
    return id;
  }

  /**
   * The scorecard (current version) each conversation would be graded with; throws when one has
   * none, so a caller can check before storing anything.
   */
  async scorecardsFor(interactionIds: readonly string[]): Promise<Map<string, ScorecardVersion>> {
    if (interactionIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('interactions').select(['id', 'channel', 'team_id']).where('id', 'in', [...interactionIds]).execute();
    const cards = await this.scorecards();
    const out = new Map<string, ScorecardVersion>();
    for (const id of interactionIds) {
      const row = rows.find((r) => r.id === id);
      if (!row) throw new QaError(`no interaction ${id}`);
      const card = pickScorecard(cards, { channel: row.channel, teamId: row.team_id });
      if (!card) throw new QaError(`no scorecard applies to ${id} (channel ${row.channel}); add one without conditions`);
      out.set(id, card);
    }
    return out;
  }

  /**
   * Assigns a stored sample's conversations to reviewers (balanced, no self-review), each with the
   * scorecard whose condition matches it, in the version current now.
   */
  async assignSample(sampleId: string, options: { reviewers: string[]; seed: number; blind?: boolean }) {
    const items = await this.db
      .selectFrom('qa_sample_items')
      .select(['interaction_id', 'agent_id'])
      .where('sample_id', '=', sampleId)
      .orderBy('position')
      .execute();
    if (items.length === 0) throw new QaError(`sample ${sampleId} has no conversations (or does not exist)`);
    const cards = await this.scorecardsFor(items.map((i) => i.interaction_id));
    const open = await this.db
      .selectFrom('qa_assignments')
      .select(['reviewer_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '!=', 'submitted')
      .groupBy('reviewer_id')
      .execute();
    const pairs = assignReviewers(
      items.map((i) => ({ interactionId: i.interaction_id, agentId: i.agent_id })),
      options.reviewers,
      { seed: options.seed, currentLoad: Object.fromEntries(open.map((o) => [o.reviewer_id, Number(o.n)])) },
    );
    const now = this.now();
    const rows = pairs.map((pair, k) => {
      const card = cards.get(pair.interactionId)!;
      return {
        id: this.newId('assignment'), sample_id: sampleId, calibration_session_id: null, interaction_id: pair.interactionId, agent_id: items[k].agent_id,
        reviewer_id: pair.reviewerId, scorecard_id: card.scorecardId, scorecard_version: card.version, blind: options.blind ?? false,
        status: 'open' as const, draft: null, assigned_at: now, updated_at: now, spot_check_of: null,
      };
    });
    await this.db.insertInto('qa_assignments').values(rows).execute();
    return rows.map(({ id, interaction_id, reviewer_id, scorecard_id, scorecard_version }) => ({ id, interactionId: interaction_id, reviewerId: reviewer_id, scorecardId: scorecard_id, scorecardVersion: scorecard_version }));
  }

  /** A reviewer's assignments, open ones first. */
  async assignments(reviewerId: string) {
    return this.db
      .selectFrom('qa_assignments')
      .select(['id', 'interaction_id', 'status', 'blind', 'calibration_session_id', 'scorecard_id', 'scorecard_version', 'assigned_at'])
      .where('reviewer_id', '=', reviewerId)
      .orderBy('status')
      .orderBy('assigned_at')
      .orderBy('id')
      .execute();
  }

  /** Autosave: keeps a draft of the ratings so far (not scored, not counted). */
  async saveDraft(assignmentId: string, draft: Draft): Promise<void> {
    const assignment = await this.assignment(assignmentId);
    if (assignment.status === 'submitted') throw new QaError(`assignment ${assignmentId} is already submitted`);
    await this.db.updateTable('qa_assignments').set({ draft: JSON.stringify(draft), status: 'draft', updated_at: this.now() }).where('id', '=', assignmentId).execute();
  }

  /** Submits a review: scores it with the assignment's scorecard version and stores ratings and score. */
  async submitReview(assignmentId: string, draft: Draft): Promise<{ reviewId: string; score: number | null; criticalFailed: boolean }> {
    const assignment = await this.assignment(assignmentId);
    if (assignment.status === 'submitted') throw new QaError(`assignment ${assignmentId} is already submitted`);
    const { definition } = await this.scorecardVersion(assignment.scorecard_id, assignment.scorecard_version);
    const result = reviewScore(definition, draft.ratings);
    const reviewId = this.newId('review');
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('qa_reviews')
        .values({
          id: reviewId, assignment_id: assignmentId, calibration_session_id: assignment.calibration_session_id, interaction_id: assignment.interaction_id,
          agent_id: assignment.agent_id, reviewer_id: assignment.reviewer_id, scorecard_id: assignment.scorecard_id, scorecard_version: assignment.scorecard_version,
          score: result.score, critical_failed: result.criticalFailed, comment: draft.comment ?? null, submitted_at: now, updated_at: now,
          spot_check_of: assignment.spot_check_of,
        })
        .execute();
      await trx
        .insertInto('qa_ratings')
        .values(draft.ratings.map((r) => ({ review_id: reviewId, category_id: r.categoryId, rating: r.rating, score: result.categoryScores[r.categoryId], comment: r.comment ?? null })))
        .execute();
      await trx.updateTable('qa_assignments').set({ status: 'submitted', draft: null, updated_at: now }).where('id', '=', assignmentId).execute();
    });
    return { reviewId, score: result.score, criticalFailed: result.criticalFailed };
  }

  /**
   * Submits many reviews at once, each at its own time: reviews graded elsewhere (another QA tool,
   * a seeded demo program). Scored exactly as `submitReview` scores one; written in one transaction.
   */
  async importReviews(reviews: readonly { assignmentId: string; ratings: Rating[]; comment?: string; submittedAt: string }[]): Promise<string[]> {
    if (reviews.length === 0) return [];
    const byId = new Map<string, QaDatabase['qa_assignments']>();
    const ids = reviews.map((r) => r.assignmentId);
    for (let i = 0; i < ids.length; i += 1000) {
      for (const row of await this.db.selectFrom('qa_assignments').selectAll().where('id', 'in', ids.slice(i, i + 1000)).execute()) byId.set(row.id, row);
    }
    const cards = new Map<string, ScorecardDefinition>();
    const reviewRows: QaDatabase['qa_reviews'][] = [];
    const ratingRows: QaDatabase['qa_ratings'][] = [];
    for (const review of reviews) {
      const a = byId.get(review.assignmentId);
      if (!a) throw new QaError(`no assignment ${review.assignmentId}`);
      if (a.status === 'submitted') throw new QaError(`assignment ${a.id} is already submitted`);
      const key = `${a.scorecard_id}@${a.scorecard_version}`;
      if (!cards.has(key)) cards.set(key, (await this.scorecardVersion(a.scorecard_id, a.scorecard_version)).definition);
      const result = reviewScore(cards.get(key)!, review.ratings);
      const id = this.newId('review');
      reviewRows.push({
        id, assignment_id: a.id, calibration_session_id: a.calibration_session_id, interaction_id: a.interaction_id, agent_id: a.agent_id,
        reviewer_id: a.reviewer_id, scorecard_id: a.scorecard_id, scorecard_version: a.scorecard_version, score: result.score,
        critical_failed: result.criticalFailed, comment: review.comment ?? null, submitted_at: review.submittedAt, updated_at: review.submittedAt,
        spot_check_of: a.spot_check_of,
      });
      for (const r of review.ratings) ratingRows.push({ review_id: id, category_id: r.categoryId, rating: r.rating, score: result.categoryScores[r.categoryId], comment: r.comment ?? null });
    }
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < reviewRows.length; i += 500) await trx.insertInto('qa_reviews').values(reviewRows.slice(i, i + 500)).execute();
      // One JSON parameter per 5,000 ratings: a VALUES list of that many bound parameters took seconds.
      for (let i = 0; i < ratingRows.length; i += 5000) {
        await sql`INSERT INTO qa_ratings (review_id, category_id, rating, score, comment)
          SELECT r.review_id, r.category_id, r.rating, r.score, r.comment
          FROM (SELECT unnest(from_json(${JSON.stringify(ratingRows.slice(i, i + 5000))}::JSON,
            '[{"review_id":"VARCHAR","category_id":"VARCHAR","rating":"INTEGER","score":"DOUBLE","comment":"VARCHAR"}]'), recursive := true)) r`.execute(trx);
      }
      for (let i = 0; i < reviewRows.length; i += 1000) {
        // Each assignment is submitted at its review's time.
        await trx
          .updateTable('qa_assignments as a')
          .from('qa_reviews as r')
          .set((eb) => ({ status: 'submitted', draft: null, updated_at: eb.ref('r.submitted_at') }))
          .whereRef('r.assignment_id', '=', 'a.id')
          .where('r.id', 'in', reviewRows.slice(i, i + 1000).map((r) => r.id))
          .execute();
      }
    });
    return reviewRows.map((r) => r.id);
  }

  /** An agent disputes a review, proposing the ratings they think are right. */
  async fileDispute(reviewId: string, dispute: { agentId: string; reason: string; proposedRatings: Rating[] }): Promise<string> {
    const review = await this.review(reviewId);
    if (review.calibration_session_id) throw new QaError('calibration reviews cannot be disputed: they do not count toward IQS');
    if (review.spot_check_of) throw new QaError('a spot check cannot be disputed: it does not count toward IQS');
    if (review.agent_id !== dispute.agentId) throw new QaError(`only the reviewed agent can dispute review ${reviewId}`);
    if (!dispute.reason.trim()) throw new QaError('a dispute needs a reason');
    const open = await this.db.selectFrom('qa_disputes').select('id').where('review_id', '=', reviewId).where('status', '=', 'open').executeTakeFirst();
    if (open) throw new QaError(`review ${reviewId} already has an open dispute (${open.id})`);
    const { definition } = await this.scorecardVersion(review.scorecard_id, review.scorecard_version);
    // Fails early with a clear message if a proposed rating is off the scale.
    reviewScore(definition, ratingsAfterDispute(await this.ratings(reviewId), dispute.proposedRatings, 'accepted'));
    const id = this.newId('dispute');
    await this.db
      .insertInto('qa_disputes')
      .values({
        id, review_id: reviewId, agent_id: dispute.agentId, reason: dispute.reason, status: 'open', resolved_by: null, resolution_comment: null,
        revised_ratings: JSON.stringify(dispute.proposedRatings), original_score: review.score, final_score: null, opened_at: this.now(), resolved_at: null,
      })
      .execute();
    return id;
  }

  /** Resolves a dispute; the review's ratings and score follow the decision. */
  async resolveDispute(disputeId: string, resolution: { decision: DisputeDecision; resolvedBy: string; revisedRatings?: Rating[]; comment?: string }): Promise<{ score: number | null }> {
    const dispute = await this.db.selectFrom('qa_disputes').selectAll().where('id', '=', disputeId).executeTakeFirst();
    if (!dispute) throw new QaError(`no dispute ${disputeId}`);
    if (dispute.status !== 'open') throw new QaError(`dispute ${disputeId} is already ${dispute.status}`);
    const review = await this.review(dispute.review_id);
    const { definition } = await this.scorecardVersion(review.scorecard_id, review.scorecard_version);
    const original = await this.ratings(review.id);
    const final = ratingsAfterDispute(original, JSON.parse(dispute.revised_ratings ?? '[]'), resolution.decision, resolution.revisedRatings);
    const result = reviewScore(definition, final);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      for (const r of final) {
        await trx.updateTable('qa_ratings').set({ rating: r.rating, score: result.categoryScores[r.categoryId] }).where('review_id', '=', review.id).where('category_id', '=', r.categoryId).execute();
      }
      await trx.updateTable('qa_reviews').set({ score: result.score, critical_failed: result.criticalFailed, updated_at: now }).where('id', '=', review.id).execute();
      await trx
        .updateTable('qa_disputes')
        .set({ status: resolution.decision, resolved_by: resolution.resolvedBy, resolution_comment: resolution.comment ?? null, final_score: result.score, resolved_at: now })
        .where('id', '=', disputeId)
        .execute();
    });
    return { score: result.score };
  }

  /**
   * A calibration session: every reviewer grades every conversation, blind, with the scorecard's
   * current version. Its reviews never count toward IQS.
   */
  async createCalibrationSession(session: { id?: string; name: string; scorecardId: string; interactionIds: string[]; reviewerIds: string[] }): Promise<string> {
    if (session.reviewerIds.length < 2) throw new QaError('a calibration session needs at least two reviewers');
    const card = (await this.scorecards()).find((c) => c.scorecardId === session.scorecardId);
    if (!card) throw new QaError(`no scorecard "${session.scorecardId}"`);
    const interactions = await this.db.selectFrom('interactions').select(['id', 'agent_id']).where('id', 'in', session.interactionIds).execute();
    const missing = session.interactionIds.filter((id) => !interactions.some((i) => i.id === id));
    if (missing.length) throw new QaError(`unknown interactions: ${missing.join(', ')}`);
    const id = session.id ?? this.newId('calibration');
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('qa_calibration_sessions')
        .values({ id, name: session.name, scorecard_id: card.scorecardId, scorecard_version: card.version, interaction_ids: session.interactionIds, reviewer_ids: session.reviewerIds, created_at: now, closed_at: null })
        .execute();
      const rows = interactions.flatMap((i) =>
        session.reviewerIds.map((reviewerId) => {
          if (reviewerId === i.agent_id) throw new QaError(`reviewer ${reviewerId} handled ${i.id}; no self-review, even in calibration`);
          return {
            id: this.newId('assignment'), sample_id: null, calibration_session_id: id, interaction_id: i.id, agent_id: i.agent_id, reviewer_id: reviewerId,
            scorecard_id: card.scorecardId, scorecard_version: card.version, blind: true, status: 'open' as const, draft: null, assigned_at: now, updated_at: now,
            spot_check_of: null,
          };
        }),
      );
      await trx.insertInto('qa_assignments').values(rows).execute();
    });
    return id;
  }

  /**
   * Spot checks: the lead gets a blind assignment to re-grade ceil(share x n) of each reviewer's
   * counted reviews not yet checked (the lead's own reviews and reviews of the lead's own
   * conversations aside), with the scorecard version the reviewer used.
   */
  async createSpotChecks(options: { leadId: string; share: number; seed: number; since?: string }) {
    let query = this.db
      .selectFrom('qa_reviews as r')
      .select(['r.id', 'r.reviewer_id', 'r.interaction_id', 'r.agent_id', 'r.scorecard_id', 'r.scorecard_version'])
      .where('r.calibration_session_id', 'is', null)
      .where('r.spot_check_of', 'is', null)
      .where('r.reviewer_id', '!=', options.leadId)
      .where((eb) => eb.or([eb('r.agent_id', 'is', null), eb('r.agent_id', '!=', options.leadId)]))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('qa_assignments as a').select('a.id').whereRef('a.spot_check_of', '=', 'r.id'))));
    if (options.since) query = query.where('r.submitted_at', '>=', options.since);
    const reviews = await query.orderBy('r.id').execute();
    const picked = new Set(pickSpotChecks(reviews.map((r) => ({ id: r.id, reviewerId: r.reviewer_id })), options).map((p) => p.id));
    const now = this.now();
    const rows = reviews
      .filter((r) => picked.has(r.id))
      .map((r) => ({
        id: this.newId('assignment'), sample_id: null, calibration_session_id: null, interaction_id: r.interaction_id, agent_id: r.agent_id,
        reviewer_id: options.leadId, scorecard_id: r.scorecard_id, scorecard_version: r.scorecard_version, blind: true, status: 'open' as const,
        draft: null, assigned_at: now, updated_at: now, spot_check_of: r.id,
      }));
    if (rows.length) await this.db.insertInto('qa_assignments').values(rows).execute();
    return rows.map((r) => ({ id: r.id, interactionId: r.interaction_id, checks: r.spot_check_of }));
  }

  /** Each reviewer's agreement with the lead over the submitted spot checks. */
  async spotCheckAgreement(): Promise<ReviewerAgreement[]> {
    const pairs = await this.db
      .selectFrom('qa_reviews as lead')
      .innerJoin('qa_reviews as r', 'r.id', 'lead.spot_check_of')
      .select(['r.id as review_id', 'r.reviewer_id', 'r.score', 'lead.id as lead_id', 'lead.score as lead_score'])
      .orderBy('r.id')
      .execute();
    if (pairs.length === 0) return [];
    const ids = pairs.flatMap((p) => [p.review_id, p.lead_id]);
    const ratings = await this.db.selectFrom('qa_ratings').select(['review_id', 'category_id', 'rating']).where('review_id', 'in', ids).orderBy('category_id').execute();
    const of = (reviewId: string) => ratings.filter((x) => x.review_id === reviewId).map((x) => ({ categoryId: x.category_id, rating: x.rating }));
    return reviewerAgreement(pairs.map((p) => ({ reviewerId: p.reviewer_id, score: p.score, ratings: of(p.review_id), leadScore: p.lead_score, leadRatings: of(p.lead_id) })));
  }

  /** Agreement per category and each reviewer's deviation from consensus, for one session. */
  async calibration(sessionId: string): Promise<{ session: { id: string; name: string; scorecardId: string; scorecardVersion: number }; submitted: number; expected: number } & CalibrationReport> {
    const session = await this.db.selectFrom('qa_calibration_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
    if (!session) throw new QaError(`no calibration session "${sessionId}"`);
    const { definition } = await this.scorecardVersion(session.scorecard_id, session.scorecard_version);
    const reviews = await this.db.selectFrom('qa_reviews').select(['id', 'reviewer_id', 'interaction_id', 'score']).where('calibration_session_id', '=', sessionId).execute();
    const ratings = reviews.length
      ? await this.db.selectFrom('qa_ratings').selectAll().where('review_id', 'in', reviews.map((r) => r.id)).execute()
      : [];
    const report = calibrationReport(
      definition,
      reviews.map((r) => ({
        reviewerId: r.reviewer_id,
        interactionId: r.interaction_id,
        score: r.score,
        ratings: ratings.filter((x) => x.review_id === r.id).map((x) => ({ categoryId: x.category_id, rating: x.rating })),
      })),
    );
    return {
      session: { id: session.id, name: session.name, scorecardId: session.scorecard_id, scorecardVersion: session.scorecard_version },
      submitted: reviews.length,
      expected: session.interaction_ids.length * session.reviewer_ids.length,
      ...report,
    };
  }

  /**
   * IQS per agent, team or channel with 95 % t-intervals and the outcomes of the reviewed
   * conversations; calibration reviews and unscored (all N/A) reviews are left out.
   */
  async scores(options: { by: ScoreGrouping; baseline?: number; minReviews?: number; maxMargin?: number }): Promise<{
    by: ScoreGrouping; rows: ScoreRow[]; warning: string | null;
    correlation: {
      scoreVsCsat: number | null; scoreVsFcr: number | null;
      /** Each outcome's correlation with the review score, with its 95 % interval and pair count. */
      estimates: { csat: CorrelationEstimate | null; fcr: CorrelationEstimate | null; repeatContact: CorrelationEstimate | null };
    };
  }> {
    const keyColumn = { agent: 'r.agent_id', team: 'i.team_id', channel: 'i.channel' }[options.by];
    // The outcomes of the reviewed conversations, read over the span of their creation times.
    const counted = 'r.calibration_session_id IS NULL AND r.spot_check_of IS NULL AND r.score IS NOT NULL';
    const [span] = await this.wh.all<{ first: number | null; last: number | null }>(
      `SELECT epoch_ms(min(i.created_at)) AS first, epoch_ms(max(i.created_at)) AS last
       FROM qa_reviews r JOIN interactions i ON i.id = r.interaction_id WHERE ${counted}`,
    );
    type Row = { key: string | null; score: number; csat: number | null; csat_positive: boolean | null; repeat_contact: boolean | null; fcr: boolean | null };
    let rows: Row[] = [];
    if (span?.first !== null && span?.first !== undefined) {
      const q = await outcomeSignalsQuery(this.wh, { start: new Date(Number(span.first)).toISOString(), end: new Date(Number(span.last) + 1).toISOString() });
      // keyColumn comes from the fixed map above, never from input.
      rows = await this.wh.all<Row>(
        `WITH o AS (${q.sql})
         SELECT ${keyColumn} AS key, r.score, o.csat_score AS csat, o.csat_positive, o.repeat_contact, o.first_contact_resolved AS fcr
         FROM qa_reviews r JOIN interactions i ON i.id = r.interaction_id JOIN o ON o.id = r.interaction_id
         WHERE ${counted}
         ORDER BY r.id`,
        q.params as never,
      );
    }
    const reviews = rows.map((r) => ({
      key: r.key ?? '(none)', score: r.score, csat: r.csat, csatPositive: r.csat_positive, repeatContact: r.repeat_contact, firstContactResolved: r.fcr,
    }));
    const result = scoreRows(reviews, options);
    const unrankable = result.filter((r) => !r.rankable).length;
    return {
      by: options.by,
      rows: result,
      correlation: {
        scoreVsCsat: pearson(reviews.map((r) => r.score), reviews.map((r) => r.csat)),
        scoreVsFcr: pearson(reviews.map((r) => r.score), reviews.map((r) => (r.firstContactResolved === null ? null : r.firstContactResolved ? 1 : 0))),
        estimates: {
          csat: correlationEstimate(reviews.map((r) => r.score), reviews.map((r) => r.csat)),
          fcr: correlationEstimate(reviews.map((r) => r.score), reviews.map((r) => (r.firstContactResolved === null ? null : r.firstContactResolved ? 1 : 0))),
          repeatContact: correlationEstimate(reviews.map((r) => r.score), reviews.map((r) => (r.repeatContact === null ? null : r.repeatContact ? 1 : 0))),
        },
      },
      warning: unrankable ? `${unrankable} of ${result.length} ${options.by}s have too small a sample to rank` : null,
    };
  }

  /**
   * What the grading screen shows: the whole cross-channel timeline of the conversation's case
   * (chat, call, email), the scorecard, the draft; agent identity and other reviews hidden when blind.
   */
  async gradingView(assignmentId: string): Promise<{ assignment: { id: string; status: string; blind: boolean; reviewerId: string }; scorecard: ScorecardDefinition; draft: Draft | null; conversation: ConversationView }> {
    const a = await this.assignment(assignmentId);
    const { definition } = await this.scorecardVersion(a.scorecard_id, a.scorecard_version);
    const conversation = await this.conversation(a.interaction_id);
    const shown = a.blind ? blindView(conversation.view, conversation.agents) : conversation.view;
    return { assignment: { id: a.id, status: a.status, blind: a.blind, reviewerId: a.reviewer_id }, scorecard: definition, draft: a.draft ? JSON.parse(a.draft) : null, conversation: shown };
  }

  private async conversation(interactionId: string): Promise<{ view: ConversationView; agents: { id: string; name: string }[] }> {
    const [root] = await this.wh.all<{ id: string; channel: string; agent_id: string | null; agent_name: string | null; case_id: string | null; parent_interaction_id: string | null }>(
      `SELECT i.id, i.channel, i.agent_id, a.name AS agent_name, i.case_id, i.parent_interaction_id
       FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id WHERE i.id = $1`,
      [interactionId],
    );
    if (!root) throw new QaError(`no interaction ${interactionId}`);
    // The case when threading has run; otherwise the explicit parent/child links from the source.
    const timeline = await this.wh.all<{ interaction_id: string; channel: string; occurred_at: string; type: string; author_role: string | null; author_id: string | null; author_name: string | null; body: string | null }>(
      `WITH members AS (
         SELECT id FROM interactions WHERE ($2::VARCHAR IS NOT NULL AND case_id = $2) OR id = $1 OR id = $3 OR parent_interaction_id = $1
       )
       SELECT e.interaction_id, i.channel, e.occurred_at, e.type, e.author_role, e.author_id, a.name AS author_name, e.body
       FROM events e JOIN members m ON m.id = e.interaction_id JOIN interactions i ON i.id = e.interaction_id
       LEFT JOIN agents a ON a.id = e.author_id
       ORDER BY e.occurred_at, e.interaction_id, e.seq`,
      [interactionId, root.case_id, root.parent_interaction_id],
    );
    const reviews = await this.db.selectFrom('qa_reviews').select(['reviewer_id', 'score']).where('interaction_id', '=', interactionId).where('calibration_session_id', 'is', null).where('spot_check_of', 'is', null).execute();
    const agentIds = [...new Set([root.agent_id, ...timeline.filter((e) => e.author_role === 'agent').map((e) => e.author_id)].filter((x): x is string => !!x))];
    const agents = agentIds.length ? await this.db.selectFrom('agents').select(['id', 'name']).where('id', 'in', agentIds).execute() : [];
    return {
      agents,
      view: {
        interactionId,
        channel: root.channel,
        agentId: root.agent_id,
        agentName: root.agent_name,
        timeline: timeline.map((e) => ({
          interactionId: e.interaction_id, channel: e.channel, occurredAt: e.occurred_at, type: e.type, authorRole: e.author_role,
          authorId: e.author_id, authorName: e.author_name, body: e.body,
        })),
        otherReviews: reviews.map((r) => ({ reviewerId: r.reviewer_id, score: r.score })),
      },
    };
  }

  /** Disputes, open ones first, with the review they concern. */
  async disputes() {
    return this.db
      .selectFrom('qa_disputes as d')
      .innerJoin('qa_reviews as r', 'r.id', 'd.review_id')
      .select(['d.id', 'd.review_id', 'd.agent_id', 'd.reason', 'd.status', 'd.revised_ratings', 'd.original_score', 'd.final_score', 'd.opened_at', 'r.interaction_id', 'r.reviewer_id', 'r.score'])
      .orderBy((eb) => eb.case().when('d.status', '=', 'open').then(0).else(1).end())
      .orderBy('d.opened_at')
      .orderBy('d.id')
      .execute();
  }

  /** Calibration sessions, newest first. */
  async calibrationSessions() {
    return this.db.selectFrom('qa_calibration_sessions').select(['id', 'name', 'scorecard_id', 'created_at']).orderBy('created_at', 'desc').orderBy('id').execute();
  }

  private async assignment(id: string) {
    const row = await this.db.selectFrom('qa_assignments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new QaError(`no assignment ${id}`);
    return row;
  }

  private async review(id: string) {
    const row = await this.db.selectFrom('qa_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new QaError(`no review ${id}`);
    return row;
  }

  private async ratings(reviewId: string): Promise<Rating[]> {
    const rows = await this.db.selectFrom('qa_ratings').select(['category_id', 'rating', 'comment']).where('review_id', '=', reviewId).orderBy('category_id').execute();
    return rows.map((r) => ({ categoryId: r.category_id, rating: r.rating, ...(r.comment ? { comment: r.comment } : {}) }));
  }
}
