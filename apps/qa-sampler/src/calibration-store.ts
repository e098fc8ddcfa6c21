import { calibrationReport, type CalibrationReport } from './calibration.ts';
import { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import { QaError } from './qa-scorecard.ts';
import { ScorecardStore } from './scorecard-store.ts';

/**
 * Calibration sessions (`qa_calibration_sessions` and their assignments): every reviewer grades
 * every conversation, blind; the report is `calibration.ts`'s. Their reviews never count toward IQS.
 *
 * @example
 * const calibration = new CalibrationStore(wh);
 * const id = await calibration.create({ name: 'March', scorecardId: 'support', interactionIds: ['c1', 'c2'], reviewerIds: ['r1', 'r2'] });
 * (await calibration.report(id)).submitted; // 0 until the reviewers grade
 */
export class CalibrationStore {
  private readonly ctx: QaContext;
  private readonly scorecards: ScorecardStore;

  constructor(source: QaSource, effects?: QaEffects) {
    this.ctx = qaContext(source, effects);
    this.scorecards = new ScorecardStore(this.ctx);
  }

  /** A session with the scorecard's current version, and a blind assignment per reviewer and conversation. */
  async create(session: { id?: string; name: string; scorecardId: string; interactionIds: string[]; reviewerIds: string[] }): Promise<string> {
    if (session.reviewerIds.length < 2) throw new QaError('a calibration session needs at least two reviewers');
    const card = (await this.scorecards.current()).find((c) => c.scorecardId === session.scorecardId);
    if (!card) throw new QaError(`no scorecard "${session.scorecardId}"`);
    const interactions = await this.ctx.db.selectFrom('interactions').select(['id', 'agent_id']).where('id', 'in', session.interactionIds).execute();
    const missing = session.interactionIds.filter((id) => !interactions.some((i) => i.id === id));
    if (missing.length) throw new QaError(`unknown interactions: ${missing.join(', ')}`);
    const id = session.id ?? this.ctx.newId('calibration');
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('qa_calibration_sessions')
        .values({ id, name: session.name, scorecard_id: card.scorecardId, scorecard_version: card.version, interaction_ids: session.interactionIds, reviewer_ids: session.reviewerIds, created_at: now, closed_at: null })
        .execute();
      const rows = interactions.flatMap((i) =>
        session.reviewerIds.map((reviewerId) => {
          if (reviewerId === i.agent_id) throw new QaError(`reviewer ${reviewerId} handled ${i.id}; no self-review, even in calibration`);
          return {
            id: this.ctx.newId('assignment'), sample_id: null, calibration_session_id: id, interaction_id: i.id, agent_id: i.agent_id, reviewer_id: reviewerId,
            scorecard_id: card.scorecardId, scorecard_version: card.version, blind: true, status: 'open' as const, draft: null, assigned_at: now, updated_at: now,
            spot_check_of: null,
          };
        }),
      );
      await trx.insertInto('qa_assignments').values(rows).execute();
    });
    return id;
  }

  /** Agreement per category and each reviewer's deviation from consensus, for one session. */
  async report(sessionId: string): Promise<{ session: { id: string; name: string; scorecardId: string; scorecardVersion: number }; submitted: number; expected: number } & CalibrationReport> {
    const { db } = this.ctx;
    const session = await db.selectFrom('qa_calibration_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
    if (!session) throw new QaError(`no calibration session "${sessionId}"`);
    const { definition } = await this.scorecards.version(session.scorecard_id, session.scorecard_version);
    const reviews = await db.selectFrom('qa_reviews').select(['id', 'reviewer_id', 'interaction_id', 'score']).where('calibration_session_id', '=', sessionId).execute();
    const ratings = reviews.length
      ? await db.selectFrom('qa_ratings').selectAll().where('review_id', 'in', reviews.map((r) => r.id)).execute()
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

  /** Calibration sessions, newest first. */
  async sessions() {
    return this.ctx.db.selectFrom('qa_calibration_sessions').select(['id', 'name', 'scorecard_id', 'created_at']).orderBy('created_at', 'desc').orderBy('id').execute();
  }
}
