import type { Warehouse } from '@helpdesk/core';
import { scoreText } from '@helpdesk/metrics';
import type { Candidate } from './sampling.ts';

/**
 * Loads the conversations of a time range as sampling candidates, with the signals targeted
 * sampling reads. The outcome definitions live in `outcomeSignalsSql` alone, so that they can be
 * switched to @helpdesk/metrics' KPIs (first-contact resolution, repeat contact, sentiment) once
 * those exist, without touching sampling or scores.
 */

/**
 * Per interaction created in [$1, $2): handle time, repeat contact, escalation and failed bot
 * hand-off. Simple definitions for now:
 * - handle time: talk + hold + wrap-up for calls, created to resolved (or closed) otherwise;
 * - repeat contact: the same contact or resolved customer reaches out again within 7 days;
 * - escalated: a transfer event, or an `escalated` tag;
 * - failed bot hand-off: the bot handed over and the customer then waited over 5 minutes for a
 *   human, got none, or abandoned;
 * - first-contact resolution: solved or closed, never reopened, and no repeat contact.
 */
export const outcomeSignalsSql = /* sql */ `
  WITH recent AS (
    SELECT id, contact_id, customer_id, created_at FROM interactions
    WHERE created_at >= $1::TIMESTAMPTZ AND created_at < $2::TIMESTAMPTZ + INTERVAL 7 DAY
  ),
  next_by_contact AS (
    SELECT id, lead(created_at) OVER (PARTITION BY contact_id ORDER BY created_at, id) AS next_at
    FROM recent WHERE contact_id IS NOT NULL
  ),
  next_by_customer AS (
    SELECT id, lead(created_at) OVER (PARTITION BY customer_id ORDER BY created_at, id) AS next_at
    FROM recent WHERE customer_id IS NOT NULL
  ),
  transferred AS (
    SELECT DISTINCT e.interaction_id AS id FROM events e
    JOIN interactions i ON i.id = e.interaction_id
    WHERE e.type = 'transfer' AND i.created_at >= $1::TIMESTAMPTZ AND i.created_at < $2::TIMESTAMPTZ
  )
  SELECT
    i.id,
    CASE WHEN i.channel = 'phone'
      THEN CASE WHEN i.talk_seconds IS NULL THEN NULL ELSE i.talk_seconds + coalesce(i.hold_seconds, 0) + coalesce(i.wrap_up_seconds, 0) END
      ELSE epoch(coalesce(i.resolved_at, i.closed_at) - i.created_at) END AS handle_seconds,
    (coalesce(c.next_at <= i.created_at + INTERVAL 7 DAY, false) OR coalesce(u.next_at <= i.created_at + INTERVAL 7 DAY, false)) AS repeat_contact,
    (t.id IS NOT NULL OR list_contains(i.tags, 'escalated')) AS escalated,
    (i.bot_handoff_at IS NOT NULL AND (i.status = 'abandoned' OR i.first_response_at IS NULL
      OR i.first_response_at > i.bot_handoff_at + INTERVAL 5 MINUTE)) AS failed_bot_handoff,
    (i.status IN ('solved', 'closed') AND i.reopen_count = 0
      AND NOT (coalesce(c.next_at <= i.created_at + INTERVAL 7 DAY, false) OR coalesce(u.next_at <= i.created_at + INTERVAL 7 DAY, false))) AS first_contact_resolved
  FROM interactions i
  LEFT JOIN next_by_contact c ON c.id = i.id
  LEFT JOIN next_by_customer u ON u.id = i.id
  LEFT JOIN transferred t ON t.id = i.id
  WHERE i.created_at >= $1::TIMESTAMPTZ AND i.created_at < $2::TIMESTAMPTZ
`;

interface CandidateRow {
  id: string;
  agent_id: string | null;
  team_id: string | null;
  channel: string;
  created_at: string;
  csat_score: number | null;
  reopen_count: number;
  handle_seconds: number | null;
  repeat_contact: boolean;
  escalated: boolean;
  failed_bot_handoff: boolean;
  p90: number | null;
  fence_low: number | null;
  fence_high: number | null;
}

/** Handle time alone, for strategies that read no outcome signals (same definition as above). */
const handleOnlySql = /* sql */ `
  SELECT i.id,
    CASE WHEN i.channel = 'phone'
      THEN CASE WHEN i.talk_seconds IS NULL THEN NULL ELSE i.talk_seconds + coalesce(i.hold_seconds, 0) + coalesce(i.wrap_up_seconds, 0) END
      ELSE epoch(coalesce(i.resolved_at, i.closed_at) - i.created_at) END AS handle_seconds,
    false AS repeat_contact, false AS escalated, false AS failed_bot_handoff, false AS first_contact_resolved
  FROM interactions i
  WHERE i.created_at >= $1::TIMESTAMPTZ AND i.created_at < $2::TIMESTAMPTZ
`;

/**
 * The candidates created in [start, end) (ISO-8601 UTC instants). Random and stratified sampling
 * read no outcome signals, so `withSignals: false` skips their windowed SQL (about half the time
 * on a million conversations); sentiment needs the message text and is computed only when asked.
 *
 * @example
 * await loadCandidates(wh, { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' });
 */
export async function loadCandidates(
  wh: Warehouse,
  range: { start: string; end: string; withSignals?: boolean; withSentiment?: boolean },
): Promise<Candidate[]> {
  const withSignals = range.withSignals ?? true;
  const rows = await wh.all<CandidateRow>(
    `WITH o AS (${withSignals ? outcomeSignalsSql : handleOnlySql}),
     f AS (
       SELECT i.channel, quantile_cont(o.handle_seconds, 0.9) AS p90,
              quantile_cont(o.handle_seconds, 0.25) AS q1, quantile_cont(o.handle_seconds, 0.75) AS q3
       FROM o JOIN interactions i ON i.id = o.id WHERE o.handle_seconds IS NOT NULL AND ${withSignals} GROUP BY i.channel
     )
     SELECT i.id, i.agent_id, i.team_id, i.channel, i.created_at, i.csat_score, i.reopen_count,
            o.handle_seconds, o.repeat_contact, o.escalated, o.failed_bot_handoff,
            f.p90, f.q1 - 1.5 * (f.q3 - f.q1) AS fence_low, f.q3 + 1.5 * (f.q3 - f.q1) AS fence_high
     FROM o JOIN interactions i ON i.id = o.id LEFT JOIN f ON f.channel = i.channel
     ORDER BY i.id`,
    [range.start, range.end],
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
      reopenCount: r.reopen_count,
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
  const rows = await wh.all<{ id: string }>(
    `SELECT interaction_id AS id FROM qa_reviews WHERE calibration_session_id IS NULL
     UNION SELECT interaction_id FROM qa_assignments WHERE calibration_session_id IS NULL`,
  );
  return new Set(rows.map((r) => r.id));
}
