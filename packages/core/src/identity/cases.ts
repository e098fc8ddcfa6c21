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
  /** Interactions threaded again by this run (all of them unless it was incremental). */
  rethreaded: number;
}

/**
 * Groups interactions into cases across channels, into `cases` and `interactions.case_id`.
 * Incremental once a run with the same options has kept its inputs (`case_inputs`): only the
 * cases a sync can have changed are threaded again (`affectedInteractions`), equal to a full run.
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
export async function threadCases(wh: Warehouse, options: CaseOptions = defaultCaseOptions, run: { full?: boolean } = {}): Promise<CaseSummary> {
  await dropStageTables(wh);
  try {
    const [state] = await wh.all<{ value: string }>('SELECT value FROM warehouse_meta WHERE key = $1', [caseStateKey]);
    const incremental = !run.full && state?.value === JSON.stringify(options);
    if (incremental) await affectedInteractions(wh);
    else await wh.run('CREATE TABLE _idr_case_scope AS SELECT id FROM interactions');
    await threadScope(wh, options);
    if (incremental) {
      // Every old case that touched the scope lies in it (see affectedInteractions).
      await wh.run(`DELETE FROM cases WHERE id IN (SELECT case_id FROM case_inputs WHERE id IN (SELECT id FROM _idr_case_scope))`);
      await wh.run('DELETE FROM case_inputs WHERE id IN (SELECT id FROM _idr_case_scope)');
    } else {
      await wh.run('DELETE FROM cases');
      await wh.run('DELETE FROM case_inputs');
    }
    await wh.run(`INSERT INTO cases (id, customer_id, intent, opened_at, closed_at, status, link_reason)
      SELECT id, customer_id, intent, opened_at, closed_at, status, link_reason FROM _idr_case_rows`);
    await wh.run(`CREATE TABLE _idr_case_assign AS SELECT o.n, o.id, r.id AS case_id, r.channels > 1 AS cross_channel
      FROM _idr_case_of o JOIN _idr_case_rows r USING (label)`);
    await wh.run(`UPDATE interactions SET case_id = x.case_id FROM _idr_case_assign x
      WHERE interactions.id = x.id AND interactions.case_id IS DISTINCT FROM x.case_id`);
    await wh.run(`INSERT INTO case_inputs
      SELECT i.id, ${inputsHash('i')}, i.customer_id, i.parent_interaction_id, a.case_id,
        EXISTS (SELECT 1 FROM _idr_case_links k WHERE k.l = a.n AND k.kind = 'explicit'),
        EXISTS (SELECT 1 FROM _idr_case_links k WHERE k.l = a.n AND k.kind = 'inferred'), a.cross_channel
      FROM _idr_case_assign a JOIN interactions i USING (id)`);
    await wh.run('INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ($1, $2)', [caseStateKey, JSON.stringify(options)]);
    // Totals over the warehouse, from the kept inputs rather than a rebuild.
    const [summary] = await wh.all<CaseSummary>(`SELECT
      (SELECT count(*) FROM cases)::INTEGER AS cases,
      count(*)::INTEGER AS interactions,
      count(*) FILTER (WHERE explicit)::INTEGER AS "explicitLinks",
      count(*) FILTER (WHERE inferred)::INTEGER AS "inferredLinks",
      count(*) FILTER (WHERE cross_channel AND case_id = 'case:' || id)::INTEGER AS "crossChannelCases",
      (SELECT count(*) FROM _idr_case_scope)::INTEGER AS rethreaded
      FROM case_inputs`);
    return summary;
  } finally {
    await dropStageTables(wh);
  }
}

/** The warehouse_meta key holding the options the kept case inputs were threaded with. */
const caseStateKey = 'case_state';

/** What a case depends on, per interaction, as one hash (NULLs hash too, so a field set or cleared changes it). */
const inputsHash = (t: string) =>
  `hash(${t}.customer_id, ${t}.intent, ${t}.channel, ${t}.status, ${t}.created_at, coalesce(${t}.resolved_at, ${t}.closed_at), ${t}.parent_interaction_id)`;

/**
 * `_idr_case_scope(id)`: the interactions a sync can have moved between cases. The changed ones
 * (new, updated in anything a case reads, given another customer by resolution, or deleted) and
 * then, until nothing is added, every interaction of a customer in the scope, the parent of one in
 * it and the children of one in it; the changed ones' former customers and parents are seeds too.
 * Cases are components of same-customer and parent links, so the scope holds whole cases, before
 * as after: an interaction outside it has kept its customer and parent, and so have its links.
 */
async function affectedInteractions(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE TABLE _idr_case_changed AS
    SELECT i.id, i.customer_id, i.parent_interaction_id, c.customer_id AS old_customer_id, c.parent_interaction_id AS old_parent
    FROM interactions i LEFT JOIN case_inputs c USING (id) WHERE c.id IS NULL OR c.h <> ${inputsHash('i')}
    UNION ALL
    SELECT c.id, NULL, NULL, c.customer_id, c.parent_interaction_id FROM case_inputs c ANTI JOIN interactions i USING (id)`);
  await wh.run(`CREATE TABLE _idr_case_scope AS
    SELECT id FROM _idr_case_changed
    UNION SELECT old_parent FROM _idr_case_changed WHERE old_parent IS NOT NULL
    UNION SELECT i.id FROM interactions i WHERE i.customer_id IN (
      SELECT customer_id FROM _idr_case_changed WHERE customer_id IS NOT NULL
      UNION SELECT old_customer_id FROM _idr_case_changed WHERE old_customer_id IS NOT NULL)`);
  for (;;) {
    const grow = `SELECT i.id FROM interactions i
      WHERE (i.customer_id IN (SELECT x.customer_id FROM interactions x WHERE x.id IN (SELECT id FROM _idr_case_scope))
        OR i.parent_interaction_id IN (SELECT id FROM _idr_case_scope)
        OR i.id IN (SELECT x.parent_interaction_id FROM interactions x WHERE x.id IN (SELECT id FROM _idr_case_scope)))
        AND i.id NOT IN (SELECT id FROM _idr_case_scope)`;
    await wh.run(`CREATE OR REPLACE TABLE _idr_case_grow AS ${grow}`);
    const [{ n }] = await wh.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM _idr_case_grow');
    if (n === 0) break;
    await wh.run('INSERT INTO _idr_case_scope SELECT id FROM _idr_case_grow');
  }
}

/** Threads the interactions of `_idr_case_scope` into `_idr_case_links`, `_idr_case_of` and `_idr_case_rows`. */
async function threadScope(wh: Warehouse, options: CaseOptions): Promise<void> {
  await wh.run(`CREATE TABLE _idr_case_ix AS
    SELECT (row_number() OVER (ORDER BY id) - 1)::INTEGER AS n, id, customer_id, intent, channel, status, created_at,
      coalesce(resolved_at, closed_at) AS done_at, closed_at, resolved_at, parent_interaction_id
    FROM interactions WHERE id IN (SELECT id FROM _idr_case_scope)`);
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
}
