import { outcomeSignalsQuery } from './candidate-query.ts';
import { qaContext, type QaContext, type QaEffects, type QaSource } from './qa-store-context.ts';
import { correlationEstimate, pearson, scoreRows, type CorrelationEstimate, type ScoreGrouping, type ScoreRow } from './score-report.ts';

/**
 * QA reports over the reviews: IQS per agent, team or channel beside the outcomes of the reviewed
 * conversations (`score-report.ts` holds the arithmetic).
 *
 * @example
 * const { rows, warning } = await new ReportStore(wh).scores({ by: 'agent' });
 */
export class ReportStore {
  private readonly ctx: QaContext;

  constructor(source: QaSource, effects?: QaEffects) {
    this.ctx = qaContext(source, effects);
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
    // A report over the warehouse: the reviews joined to the outcome SQL the metrics share, so it
    // stays one SQL text rather than a query-builder call.
    const keyColumn = { agent: 'r.agent_id', team: 'i.team_id', channel: 'i.channel' }[options.by];
    // The outcomes of the reviewed conversations, read over the span of their creation times.
    const counted = 'r.calibration_session_id IS NULL AND r.spot_check_of IS NULL AND r.score IS NOT NULL';
    const [span] = await this.ctx.wh.all<{ first: number | null; last: number | null }>(
      `SELECT epoch_ms(min(i.created_at)) AS first, epoch_ms(max(i.created_at)) AS last
       FROM qa_reviews r JOIN interactions i ON i.id = r.interaction_id WHERE ${counted}`,
    );
    type Row = { key: string | null; score: number; csat: number | null; csat_positive: boolean | null; repeat_contact: boolean | null; fcr: boolean | null };
    let rows: Row[] = [];
    if (span?.first !== null && span?.first !== undefined) {
      const q = await outcomeSignalsQuery(this.ctx.wh, { start: new Date(Number(span.first)).toISOString(), end: new Date(Number(span.last) + 1).toISOString() });
      // keyColumn comes from the fixed map above, never from input.
      rows = await this.ctx.wh.all<Row>(
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
}
