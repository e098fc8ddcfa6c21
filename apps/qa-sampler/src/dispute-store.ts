import { ratingsAfterDispute, type DisputeDecision } from './disputes.ts';
import { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import { QaError } from './qa-scorecard.ts';
import { ReviewStore } from './review-store.ts';
import { ScorecardStore } from './scorecard-store.ts';
import { reviewScore, type Rating } from './scoring.ts';

/**
 * Disputes of reviews (`qa_disputes`): an agent files one, a lead resolves it and the review's
 * ratings and score follow the decision (`disputes.ts` holds the rule).
 *
 * @example
 * const disputes = new DisputeStore(wh);
 * const id = await disputes.file(reviewId, { agentId: 'a1', reason: 'I did greet', proposedRatings: [{ categoryId: 'greeting', rating: 1 }] });
 * await disputes.resolve(id, { decision: 'accepted', resolvedBy: 'lead@example.com' });
 */
export class DisputeStore {
  private readonly ctx: QaContext;
  private readonly scorecards: ScorecardStore;
  private readonly reviews: ReviewStore;

  constructor(source: QaSource, effects?: QaEffects) {
    this.ctx = qaContext(source, effects);
    this.scorecards = new ScorecardStore(this.ctx);
    this.reviews = new ReviewStore(this.ctx);
  }

  /** An agent disputes a review, proposing the ratings they think are right. */
  async file(reviewId: string, dispute: { agentId: string; reason: string; proposedRatings: Rating[] }): Promise<string> {
    const review = await this.reviews.get(reviewId);
    if (review.calibration_session_id) throw new QaError('calibration reviews cannot be disputed: they do not count toward IQS');
    if (review.spot_check_of) throw new QaError('a spot check cannot be disputed: it does not count toward IQS');
    if (review.agent_id !== dispute.agentId) throw new QaError(`only the reviewed agent can dispute review ${reviewId}`);
    if (!dispute.reason.trim()) throw new QaError('a dispute needs a reason');
    const open = await this.ctx.db.selectFrom('qa_disputes').select('id').where('review_id', '=', reviewId).where('status', '=', 'open').executeTakeFirst();
    if (open) throw new QaError(`review ${reviewId} already has an open dispute (${open.id})`);
    const { definition } = await this.scorecards.version(review.scorecard_id, review.scorecard_version);
    // Fails early with a clear message if a proposed rating is off the scale.
    reviewScore(definition, ratingsAfterDispute(await this.reviews.ratings(reviewId), dispute.proposedRatings, 'accepted'));
    const id = this.ctx.newId('dispute');
    await this.ctx.db
      .insertInto('qa_disputes')
      .values({
        id, review_id: reviewId, agent_id: dispute.agentId, reason: dispute.reason, status: 'open', resolved_by: null, resolution_comment: null,
        revised_ratings: JSON.stringify(dispute.proposedRatings), original_score: review.score, final_score: null, opened_at: this.ctx.now(), resolved_at: null,
      })
      .execute();
    return id;
  }

  /** Resolves a dispute; the review's ratings and score follow the decision. */
  async resolve(disputeId: string, resolution: { decision: DisputeDecision; resolvedBy: string; revisedRatings?: Rating[]; comment?: string }): Promise<{ score: number | null }> {
    const dispute = await this.ctx.db.selectFrom('qa_disputes').selectAll().where('id', '=', disputeId).executeTakeFirst();
    if (!dispute) throw new QaError(`no dispute ${disputeId}`);
    if (dispute.status !== 'open') throw new QaError(`dispute ${disputeId} is already ${dispute.status}`);
    const review = await this.reviews.get(dispute.review_id);
    const { definition } = await this.scorecards.version(review.scorecard_id, review.scorecard_version);
    const original = await this.reviews.ratings(review.id);
    const final = ratingsAfterDispute(original, JSON.parse(dispute.revised_ratings ?? '[]'), resolution.decision, resolution.revisedRatings);
    const result = reviewScore(definition, final);
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
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

  /** Disputes, open ones first, with the review they concern. */
  async list() {
    return this.ctx.db
      .selectFrom('qa_disputes as d')
      .innerJoin('qa_reviews as r', 'r.id', 'd.review_id')
      .select(['d.id', 'd.review_id', 'd.agent_id', 'd.reason', 'd.status', 'd.revised_ratings', 'd.original_score', 'd.final_score', 'd.opened_at', 'r.interaction_id', 'r.reviewer_id', 'r.score'])
      .orderBy((eb) => eb.case().when('d.status', '=', 'open').then(0).else(1).end())
      .orderBy('d.opened_at')
      .orderBy('d.id')
      .execute();
  }
}
