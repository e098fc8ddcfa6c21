import { sql } from 'kysely';
import { AssignmentStore, type Draft } from './assignment-store.ts';
import { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import type { QaDatabase } from './qa-tables.ts';
import { QaError, type ScorecardDefinition } from './qa-scorecard.ts';
import { ScorecardStore } from './scorecard-store.ts';
import { reviewScore, type Rating } from './scoring.ts';

/**
 * Submitted reviews and their ratings (`qa_reviews`, `qa_ratings`), scored with the assignment's
 * scorecard version.
 *
 * @example
 * const { score } = await new ReviewStore(wh).submit(assignmentId, { ratings: [{ categoryId: 'tone', rating: 5 }] });
 */
export class ReviewStore {
  private readonly ctx: QaContext;
  private readonly scorecards: ScorecardStore;
  private readonly assignments: AssignmentStore;

  constructor(source: QaSource, effects?: QaEffects) {
    this.ctx = qaContext(source, effects);
    this.scorecards = new ScorecardStore(this.ctx);
    this.assignments = new AssignmentStore(this.ctx);
  }

  /** Submits a review: scores it with the assignment's scorecard version and stores ratings and score. */
  async submit(assignmentId: string, draft: Draft): Promise<{ reviewId: string; score: number | null; criticalFailed: boolean }> {
    const assignment = await this.assignments.get(assignmentId);
    if (assignment.status === 'submitted') throw new QaError(`assignment ${assignmentId} is already submitted`);
    const { definition } = await this.scorecards.version(assignment.scorecard_id, assignment.scorecard_version);
    const result = reviewScore(definition, draft.ratings);
    const reviewId = this.ctx.newId('review');
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
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
   * a seeded demo program). Scored exactly as `submit` scores one; written in one transaction.
   */
  async importReviews(reviews: readonly { assignmentId: string; ratings: Rating[]; comment?: string; submittedAt: string }[]): Promise<string[]> {
    if (reviews.length === 0) return [];
    const { db } = this.ctx;
    const byId = new Map<string, QaDatabase['qa_assignments']>();
    const ids = reviews.map((r) => r.assignmentId);
    for (let i = 0; i < ids.length; i += 1000) {
      for (const row of await db.selectFrom('qa_assignments').selectAll().where('id', 'in', ids.slice(i, i + 1000)).execute()) byId.set(row.id, row);
    }
    const cards = new Map<string, ScorecardDefinition>();
    const reviewRows: QaDatabase['qa_reviews'][] = [];
    const ratingRows: QaDatabase['qa_ratings'][] = [];
    for (const review of reviews) {
      const a = byId.get(review.assignmentId);
      if (!a) throw new QaError(`no assignment ${review.assignmentId}`);
      if (a.status === 'submitted') throw new QaError(`assignment ${a.id} is already submitted`);
      const key = `${a.scorecard_id}@${a.scorecard_version}`;
      if (!cards.has(key)) cards.set(key, (await this.scorecards.version(a.scorecard_id, a.scorecard_version)).definition);
      const result = reviewScore(cards.get(key)!, review.ratings);
      const id = this.ctx.newId('review');
      reviewRows.push({
        id, assignment_id: a.id, calibration_session_id: a.calibration_session_id, interaction_id: a.interaction_id, agent_id: a.agent_id,
        reviewer_id: a.reviewer_id, scorecard_id: a.scorecard_id, scorecard_version: a.scorecard_version, score: result.score,
        critical_failed: result.criticalFailed, comment: review.comment ?? null, submitted_at: review.submittedAt, updated_at: review.submittedAt,
        spot_check_of: a.spot_check_of,
      });
      for (const r of review.ratings) ratingRows.push({ review_id: id, category_id: r.categoryId, rating: r.rating, score: result.categoryScores[r.categoryId], comment: r.comment ?? null });
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < reviewRows.length; i += 500) await trx.insertInto('qa_reviews').values(reviewRows.slice(i, i + 500)).execute();
      // One JSON parameter per 5,000 ratings: a VALUES list of that many bound parameters took seconds.
      // DuckDB's from_json/unnest has no query-builder form, hence this one SQL fragment.
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

  /** One review's row; a clear error when there is none. */
  async get(id: string) {
    const row = await this.ctx.db.selectFrom('qa_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new QaError(`no review ${id}`);
    return row;
  }

  /** A review's ratings, by category. */
  async ratings(reviewId: string): Promise<Rating[]> {
    const rows = await this.ctx.db.selectFrom('qa_ratings').select(['category_id', 'rating', 'comment']).where('review_id', '=', reviewId).orderBy('category_id').execute();
    return rows.map((r) => ({ categoryId: r.category_id, rating: r.rating, ...(r.comment ? { comment: r.comment } : {}) }));
  }

  /**
   * An agent's own counted reviews (calibration and spot checks aside), newest first, each with
   * whether it has an open dispute: what an agent may dispute.
   */
  async ofAgent(agentId: string) {
    return this.ctx.db
      .selectFrom('qa_reviews as r')
      .select((eb) => [
        'r.id', 'r.interaction_id', 'r.score', 'r.submitted_at', 'r.scorecard_id',
        eb.exists(eb.selectFrom('qa_disputes as d').select('d.id').whereRef('d.review_id', '=', 'r.id').where('d.status', '=', 'open')).as('open_dispute'),
      ])
      .where('r.agent_id', '=', agentId)
      .where('r.calibration_session_id', 'is', null)
      .where('r.spot_check_of', 'is', null)
      .orderBy('r.submitted_at', 'desc')
      .orderBy('r.id')
      .execute();
  }
}
