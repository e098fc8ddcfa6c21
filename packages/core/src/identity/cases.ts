import type { Warehouse } from '../database.ts';
import { connectedComponents } from './connected-components.ts';
import { dropStageTables } from './sql.ts';

export interface CaseOptions {
  /** A new contact joins the customer's previous one when it comes within this many hours of it. */
  windowHours: number;
  /** ... and the previous one was not resolved longer ago than this (a fresh issue otherwise). */
  closedGraceHours: number;
}

export const defaultCaseOptions: CaseOptions = { windowHours: 72, closedGraceHours: 48 };

export interface CaseSummary {
  cases: number;
  interactions: number;
  explicitLinks: number;
  inferredLinks: number;
  crossChannelCases: number;
}

/**
 * Groups interactions into cases across channels, into `cases` and `interactions.case_id`:
 * - explicit links: `parent_interaction_id` (a callback of a chat, a ticket made from a call, a follow-up);
 * - inferred links: an interaction of the same customer, with a compatible intent (equal, or one
 *   side unknown), created within `windowHours` of the previous such interaction, whose resolution
 *   (if any) is at most `closedGraceHours` old.
 * Cases are the connected components of both kinds of link; a case id is `case:` + its first interaction id.
 *
 * @example
 * await threadCases(wh, { windowHours: 72, closedGraceHours: 48 });
 * // SELECT channel, created_at FROM interactions WHERE case_id = 'case:intercom:1' ORDER BY created_at
 */
export async function threadCases(wh: Warehouse, options: CaseOptions = defaultCaseOptions): Promise<CaseSummary> {
  await wh.run('DROP TABLE IF EXISTS _idr_case_ix; DROP TABLE IF EXISTS _idr_case_links');
  try {
    await wh.run(`CREATE TABLE _idr_case_ix AS
      SELECT (row_number() OVER (ORDER BY id) - 1)::INTEGER AS n, id, customer_id, intent, channel, status, created_at,
        coalesce(resolved_at, closed_at) AS done_at, closed_at, resolved_at, parent_interaction_id
      FROM interactions`);
    await wh.run(`CREATE TABLE _idr_case_links AS
      SELECT c.n AS l, p.n AS r, 'explicit' AS kind FROM _idr_case_ix c JOIN _idr_case_ix p ON p.id = c.parent_interaction_id
      UNION ALL
      SELECT n AS l, prev_n AS r, 'inferred' FROM (
        SELECT n, customer_id, intent, created_at,
          -- With a known intent, the previous contact about the same intent or about nothing known.
          lag(n) OVER (PARTITION BY customer_id ORDER BY created_at, id) AS prev_n,
          lag(intent) OVER (PARTITION BY customer_id ORDER BY created_at, id) AS prev_intent,
          lag(created_at) OVER (PARTITION BY customer_id ORDER BY created_at, id) AS prev_created,
          lag(done_at) OVER (PARTITION BY customer_id ORDER BY created_at, id) AS prev_done
        FROM _idr_case_ix WHERE customer_id IS NOT NULL
      ) x
      WHERE prev_n IS NOT NULL
        AND created_at - prev_created <= to_hours($1::BIGINT)
        AND (intent IS NULL OR prev_intent IS NULL OR intent = prev_intent)
        AND (prev_done IS NULL OR created_at - prev_done <= to_hours($2::BIGINT))`, [options.windowHours, options.closedGraceHours]);
    await connectedComponents(wh, '_idr_case_links', '_idr_case_components');
    await wh.run(`CREATE OR REPLACE TABLE _idr_case_of AS
      SELECT i.n, i.id, coalesce(c.label, i.n) AS label FROM _idr_case_ix i LEFT JOIN _idr_case_components c ON c.node = i.n`);
    await wh.run(`CREATE OR REPLACE TABLE _idr_case_rows AS
      WITH reasons AS (
        SELECT o.label, bool_or(k.kind = 'explicit') AS explicit, bool_or(k.kind = 'inferred') AS inferred
        FROM _idr_case_links k JOIN _idr_case_of o ON o.n = k.l GROUP BY o.label
      )
      SELECT 'case:' || arg_min(i.id, strftime(i.created_at, '%Y-%m-%dT%H:%M:%S.%f') || i.id) AS id, min(i.customer_id) AS customer_id,
        arg_min(i.intent, i.created_at) FILTER (WHERE i.intent IS NOT NULL) AS intent,
        min(i.created_at) AS opened_at,
        CASE WHEN bool_and(i.status IN ('solved', 'closed', 'abandoned')) THEN max(coalesce(i.done_at, i.created_at)) END AS closed_at,
        CASE WHEN bool_and(i.status IN ('solved', 'closed', 'abandoned')) THEN 'closed' ELSE 'open' END AS status,
        CASE WHEN r.explicit AND r.inferred THEN 'explicit source link and same customer within ' || $1 || 'h, compatible intent'
             WHEN r.explicit THEN 'explicit source link (parent interaction)'
             WHEN r.inferred THEN 'same customer within ' || $1 || 'h, compatible intent, previous contact not closed long ago'
             ELSE 'single interaction' END AS link_reason,
        o.label, count(DISTINCT i.channel)::INTEGER AS channels
      FROM _idr_case_of o JOIN _idr_case_ix i USING (n) LEFT JOIN reasons r USING (label)
      GROUP BY o.label, r.explicit, r.inferred`, [String(options.windowHours)]);
    await wh.run('DELETE FROM cases');
    await wh.run(`INSERT INTO cases (id, customer_id, intent, opened_at, closed_at, status, link_reason)
      SELECT id, customer_id, intent, opened_at, closed_at, status, link_reason FROM _idr_case_rows`);
    await wh.run(`UPDATE interactions SET case_id = x.case_id FROM (
        SELECT o.id, r.id AS case_id FROM _idr_case_of o JOIN _idr_case_rows r USING (label)) x
      WHERE interactions.id = x.id AND interactions.case_id IS DISTINCT FROM x.case_id`);
    const [summary] = await wh.all<CaseSummary>(`SELECT
      (SELECT count(*) FROM _idr_case_rows)::INTEGER AS cases,
      (SELECT count(*) FROM _idr_case_ix)::INTEGER AS interactions,
      (SELECT count(*) FROM _idr_case_links WHERE kind = 'explicit')::INTEGER AS "explicitLinks",
      (SELECT count(*) FROM _idr_case_links WHERE kind = 'inferred')::INTEGER AS "inferredLinks",
      (SELECT count(*) FROM _idr_case_rows WHERE channels > 1)::INTEGER AS "crossChannelCases"`);
    return summary;
  } finally {
    await dropStageTables(wh);
  }
}
