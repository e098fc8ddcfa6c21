import { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import { pickSpotChecks, reviewerAgreement, type ReviewerAgreement } from './spot-checks.ts';

/**
 * Spot checks, "grade the grader": a lead's blind re-grades of reviews (assignments and reviews
 * with `spot_check_of` set) and each reviewer's agreement with the lead (`spot-checks.ts`).
 *
 * @example
 * const spotChecks = new SpotCheckStore(wh);
 * await spotChecks.create({ leadId: 'lead@example.com', share: 0.1, seed: 1 });
 * await spotChecks.agreement();
 */
export class SpotCheckStore {
  private readonly ctx: QaContext;

  constructor(source: QaSource, effects?: QaEffects) {
    this.ctx = qaContext(source, effects);
  }

  /**
   * The lead gets a blind assignment to re-grade ceil(share x n) of each reviewer's counted
   * reviews not yet checked (the lead's own reviews and reviews of the lead's own conversations
   * aside), with the scorecard version the reviewer used.
   */
  async create(options: { leadId: string; share: number; seed: number; since?: string }) {
    const { db } = this.ctx;
    let query = db
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
    const now = this.ctx.now();
    const rows = reviews
      .filter((r) => picked.has(r.id))
      .map((r) => ({
        id: this.ctx.newId('assignment'), sample_id: null, calibration_session_id: null, interaction_id: r.interaction_id, agent_id: r.agent_id,
        reviewer_id: options.leadId, scorecard_id: r.scorecard_id, scorecard_version: r.scorecard_version, blind: true, status: 'open' as const,
        draft: null, assigned_at: now, updated_at: now, spot_check_of: r.id,
      }));
    if (rows.length) await db.insertInto('qa_assignments').values(rows).execute();
    return rows.map((r) => ({ id: r.id, interactionId: r.interaction_id, checks: r.spot_check_of }));
  }

  /** Each reviewer's agreement with the lead over the submitted spot checks. */
  async agreement(): Promise<ReviewerAgreement[]> {
    const { db } = this.ctx;
    const pairs = await db
      .selectFrom('qa_reviews as lead')
      .innerJoin('qa_reviews as r', 'r.id', 'lead.spot_check_of')
      .select(['r.id as review_id', 'r.reviewer_id', 'r.score', 'lead.id as lead_id', 'lead.score as lead_score'])
      .orderBy('r.id')
      .execute();
    if (pairs.length === 0) return [];
    const ids = pairs.flatMap((p) => [p.review_id, p.lead_id]);
    const ratings = await db.selectFrom('qa_ratings').select(['review_id', 'category_id', 'rating']).where('review_id', 'in', ids).orderBy('category_id').execute();
    const of = (reviewId: string) => ratings.filter((x) => x.review_id === reviewId).map((x) => ({ categoryId: x.category_id, rating: x.rating }));
    return reviewerAgreement(pairs.map((p) => ({ reviewerId: p.reviewer_id, score: p.score, ratings: of(p.review_id), leadScore: p.lead_score, leadRatings: of(p.lead_id) })));
  }
}
