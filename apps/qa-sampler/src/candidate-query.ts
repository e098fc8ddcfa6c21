import type { Warehouse } from '@helpdesk/core';
import { outcomesQuery, scoreText } from '@helpdesk/metrics';
import { qaDb } from './qa-tables.ts';
import type { Candidate } from './sampling.ts';

/**
 * Loads the conversations of a time range as sampling candidates, with the signals targeted
 * sampling reads. Every outcome (first-contact resolution, repeat contact, handle time, CSAT,
 * reopens) comes from @helpdesk/metrics' one reader of outcomes (`outcomesQuery`), so a QA
 * screen's FCR is the scorecard's FCR. Only the sampling-specific signals are decided here:
 * - escalated: escalated by the source's own notion (the reader's `escalated`), a transfer event, or an `escalated` tag;
 * - failed bot hand-off: the bot handed over and the customer then waited over 5 minutes for a
 *   human, got none, or abandoned.
 */

/**
 * The outcome reader of the interactions created in [start, end) joined with the sampling
 * signals, as one query: `sql` binds `params`. Columns: the reader's (InteractionOutcome; its
 * `fcr`, `repeat_contact` and `csat_positive` are NULL outside the KPI's denominator), plus
 * first_contact_resolved (= fcr), escalated and failed_bot_handoff.
 */
export async function outcomeSignalsQuery(wh: Warehouse, range: { start: string; end: string }): Promise<{ sql: string; params: unknown[] }> {
  const o = await outcomesQuery(wh, range);
  const n = o.params.length;
  const sql = /* sql */ `
  WITH o AS (${o.sql}),
  transferred AS (
    SELECT DISTINCT e.interaction_id AS id FROM events e
    JOIN interactions i ON i.id = e.interaction_id
    WHERE e.type = 'transfer' AND i.created_at >= $${n + 1}::TIMESTAMPTZ AND i.created_at < $${n + 2}::TIMESTAMPTZ
  )
  SELECT
    o.* EXCLUDE (escalated),
    o.fcr AS first_contact_resolved,
    (o.escalated OR t.id IS NOT NULL OR list_contains(i.tags, 'escalated')) AS escalated,
    (i.bot_handoff_at IS NOT NULL AND (o.abandoned OR i.first_response_at IS NULL
      OR i.first_response_at > i.bot_handoff_at + INTERVAL 5 MINUTE)) AS failed_bot_handoff
  FROM o JOIN interactions i ON i.id = o.id
  LEFT JOIN transferred t ON t.id = o.id`;
  return { sql, params: [...o.params, range.start, range.end] };
}

interface CandidateRow {
  id: string;
  agent_id: string | null;
  team_id: string | null;
  channel: string;
  created_at: string;
  csat_score: number | null;
  reopens: number;
  handle_seconds: number | null;
  repeat_contact: boolean;
  escalated: boolean;
  failed_bot_handoff: boolean;
  p90: number | null;
  fence_low: number | null;
  fence_high: number | null;
}

/**
 * The candidates created in [start, end) (ISO-8601 UTC instants). Random and stratified sampling
 * read no outcome signals, so `withSignals: false` reads handle time alone from the outcome reader
 * and skips the transfer and hand-off signals; sentiment needs the message text and is computed
 * only when asked.
 *
 * @example
 * await loadCandidates(wh, { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' });
 */
export async function loadCandidates(
  wh: Warehouse,
  range: { start: string; end: string; withSignals?: boolean; withSentiment?: boolean },
): Promise<Candidate[]> {
  const withSignals = range.withSignals ?? true;
  const q = withSignals
    ? await outcomeSignalsQuery(wh, range)
    : await outcomesQuery(wh, range).then((o) => ({
        sql: `SELECT * EXCLUDE (escalated), false AS escalated, false AS failed_bot_handoff FROM (${o.sql})`,
        params: o.params,
      }));
  const rows = await wh.all<CandidateRow>(
    `WITH o AS (${q.sql}),
     f AS (
       SELECT channel, quantile_cont(handle_seconds, 0.9) AS p90,
              quantile_cont(handle_seconds, 0.25) AS q1, quantile_cont(handle_seconds, 0.75) AS q3
       FROM o WHERE handle_seconds IS NOT NULL AND ${withSignals} GROUP BY channel
     )
     SELECT o.id, o.agent_id, o.team_id, o.channel, o.created_at, o.csat_score, o.reopens,
            o.handle_seconds, ${withSignals ? 'coalesce(o.repeat_contact, false)' : 'false'} AS repeat_contact, o.escalated, o.failed_bot_handoff,
            f.p90, f.q1 - 1.5 * (f.q3 - f.q1) AS fence_low, f.q3 + 1.5 * (f.q3 - f.q1) AS fence_high
     FROM o LEFT JOIN f ON f.channel = o.channel
     ORDER BY o.id`,
    q.params as never,
  );
  const shifts = range.withSentiment ? await sentimentShifts(wh, range) : new Map<string, number>();
  return rows.map((r) => ({
    interactionId: r.id,
    agentId: r.agent_id,
    teamId: r.team_id,
    channel: r.channel,
    createdAt: r.created_at,
    signals: {
      csatScore: r.csat_score,
      reopenCount: r.reopens,
      handleSeconds: r.handle_seconds,
      handleP90: r.p90,
      handleFenceLow: r.fence_low,
      handleFenceHigh: r.fence_high,
      failedBotHandoff: r.failed_bot_handoff,
      repeatContact: r.repeat_contact,
      escalated: r.escalated,
      sentimentShift: shifts.get(r.id) ?? null,
    },
  }));
}

/** AFINN score of each conversation's last customer message minus its first (two or more messages). */
async function sentimentShifts(wh: Warehouse, range: { start: string; end: string }): Promise<Map<string, number>> {
  const rows = await wh.all<{ id: string; first_body: string; last_body: string }>(
    `SELECT e.interaction_id AS id, arg_min(e.body, e.seq) AS first_body, arg_max(e.body, e.seq) AS last_body
     FROM events e JOIN interactions i ON i.id = e.interaction_id
     WHERE e.type = 'message' AND e.author_role = 'customer' AND e.body IS NOT NULL
       AND i.created_at >= $1::TIMESTAMPTZ AND i.created_at < $2::TIMESTAMPTZ
     GROUP BY 1 HAVING count(*) >= 2`,
    [range.start, range.end],
  );
  // Scored as the metrics registry scores social sentiment (one library, one scale).
  return new Map(rows.map((r) => [r.id, scoreText(r.last_body) - scoreText(r.first_body)]));
}

/** Interactions that already have a review or an open assignment (calibration aside). */
export async function reviewedInteractions(wh: Warehouse): Promise<Set<string>> {
  const db = qaDb(wh);
  const rows = await db
    .selectFrom('qa_reviews')
    .select('interaction_id as id')
    .where('calibration_session_id', 'is', null)
    .union(db.selectFrom('qa_assignments').select('interaction_id as id').where('calibration_session_id', 'is', null))
    .execute();
  return new Set(rows.map((r) => r.id));
}
