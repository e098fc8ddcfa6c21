import type { Warehouse } from '@helpdesk/core';
import { BindParams } from '@helpdesk/core';
import { backlogSpansQuery, backlogSpansTable } from './backlog.ts';
import { concurrencySegmentsQuery, concurrencySegmentsTable } from './concurrency.ts';
import { customerKeyExpression } from './customer-key.ts';
import { baseStagesSql, factsCacheTable } from './facts-sql.ts';

/**
 * Incremental upkeep of the metrics cache (facts-cache.ts): after a sync, recompute the facts of
 * what the sync touched and of the interactions whose facts depend on them, and nothing else.
 *
 * What changed is known exactly, whoever wrote it (an adapter, identity resolution, case
 * threading, a reviewer): the cache keeps, per interaction, a hash of everything its own fact row
 * reads (the whole interaction row, its events' columns the SQL reads, its sentiment, NPS answers
 * and QA reviews) and,
 * per customer, a hash of the tier records. A refresh hashes the warehouse again and compares.
 * Integer hash sums only, so that the comparison never depends on the order DuckDB adds in.
 *
 * A fact row reads other interactions in two ways only (facts-sql.ts), which give the affected set:
 * - repeat contact (next_contact_at) is a window over every interaction of the same customer, so
 *   every interaction of a customer that gained, lost or changed an interaction is recomputed, for
 *   the customer before and after (a merge or split by identity resolution changes customer_id,
 *   so both sides are touched); so is every interaction of a customer whose tier records changed;
 * - a callback completes its parent (parent_interaction_id, callback_of), so the parents, before
 *   and after, of a changed interaction are recomputed.
 * Cases are not read by the facts: a case gaining a member changes its interactions' rows (their
 * case id), which recomputes them, and nothing else needs to be.
 *
 * Backlog spans depend on one email interaction and its events, so those of the changed ones are
 * rebuilt; chat load segments are one sweep per agent, so the agents of changed chats, before and
 * after, are swept again (all of them when an agent's team changed, since segments carry it).
 */
export const inputsTable = 'metrics_cache_inputs';
export const tierInputsTable = 'metrics_cache_tier_inputs';

/** Working tables of one refresh; temporary, on the refresh's own connection. */
const now = 'm_delta_inputs';
const tierNow = 'm_delta_tier';
const changed = 'm_delta_changed';
const keys = 'm_delta_keys';
const ids = 'm_delta_ids';
const agents = 'm_delta_agents';
const old = 'm_delta_old_facts';
const fresh = 'm_delta_new_facts';

/**
 * The event columns the cache's SQL reads (facts-sql.ts, backlog.ts, concurrency.ts). Hashing
 * only these is four times faster than the whole row, whose text (bodies) dominates; a test
 * changes every other column and checks that no cache table moves, so a query that starts
 * reading one fails it until it is listed here.
 */
export const eventColumnsRead = ['interaction_id', 'seq', 'occurred_at', 'type', 'author_role', 'is_public', 'to_value', 'value_num'] as const;

/** The inputs of every interaction as they are now (see inputsTable). */
const inputsNowSql = /* sql */ `
CREATE OR REPLACE TEMP TABLE ${now} AS
WITH ev AS (SELECT interaction_id AS id, sum(hash(${eventColumnsRead.join(', ')})) AS h FROM events GROUP BY 1),
se AS (SELECT interaction_id AS id, sum(hash(s)) AS h FROM interaction_sentiment s GROUP BY 1),
np AS (SELECT interaction_id AS id, sum(hash(n)) AS h FROM nps_responses n GROUP BY 1),
qa AS (SELECT interaction_id AS id, sum(hash(q)) AS h FROM qa_reviews q GROUP BY 1)
SELECT i.id, hash(i) AS h_row, coalesce(ev.h, 0) AS h_events,
  coalesce(se.h, 0) + coalesce(np.h, 0) + coalesce(qa.h, 0) AS h_other,
  ${customerKeyExpression} AS customer_key, i.parent_interaction_id, i.callback_of, i.channel, i.agent_id, i.created_at
FROM interactions i
LEFT JOIN ev ON ev.id = i.id LEFT JOIN se ON se.id = i.id LEFT JOIN np ON np.id = i.id LEFT JOIN qa ON qa.id = i.id;
CREATE OR REPLACE TEMP TABLE ${tierNow} AS
SELECT coalesce(a.customer_id, a.contact_id) AS key, sum(hash(a)) AS h
FROM customer_attributes a WHERE a.attribute = 'tier' GROUP BY 1;
`;

/** What the chat load segments read of the agents table (the team each segment carries). */
const agentsHashSql = `SELECT coalesce(sum(hash(id, team_id)), 0)::VARCHAR AS h FROM agents`;

/** The plan of an incremental refresh: what changed and which fact rows follow from it. */
const planSql = /* sql */ `
CREATE OR REPLACE TEMP TABLE ${changed} AS
SELECT coalesce(n.id, o.id) AS id,
  o.customer_key AS old_key, n.customer_key AS new_key,
  o.parent_interaction_id AS old_parent, n.parent_interaction_id AS new_parent,
  o.callback_of AS old_callback_of, n.callback_of AS new_callback_of,
  o.channel AS old_channel, n.channel AS new_channel, o.agent_id AS old_agent, n.agent_id AS new_agent
FROM ${now} n FULL OUTER JOIN ${inputsTable} o ON o.id = n.id
WHERE n.id IS NULL OR o.id IS NULL OR n.h_row <> o.h_row OR n.h_events <> o.h_events OR n.h_other <> o.h_other;
CREATE OR REPLACE TEMP TABLE ${keys} AS
SELECT old_key AS key FROM ${changed} WHERE old_key IS NOT NULL
UNION SELECT new_key FROM ${changed} WHERE new_key IS NOT NULL
UNION SELECT coalesce(n.key, o.key) FROM ${tierNow} n FULL OUTER JOIN ${tierInputsTable} o ON o.key = n.key
  WHERE n.h IS DISTINCT FROM o.h;
CREATE OR REPLACE TEMP TABLE ${ids} AS
SELECT id FROM ${changed}
UNION SELECT id FROM ${now} WHERE customer_key IN (SELECT key FROM ${keys})
UNION SELECT old_parent FROM ${changed} WHERE old_parent IS NOT NULL
UNION SELECT new_parent FROM ${changed} WHERE new_parent IS NOT NULL
UNION SELECT old_callback_of FROM ${changed} WHERE old_callback_of IS NOT NULL
UNION SELECT new_callback_of FROM ${changed} WHERE new_callback_of IS NOT NULL;
CREATE OR REPLACE TEMP TABLE ${agents} AS
SELECT old_agent AS agent_id FROM ${changed} WHERE old_channel = 'chat' AND old_agent IS NOT NULL
UNION SELECT new_agent FROM ${changed} WHERE new_channel = 'chat' AND new_agent IS NOT NULL;
`;

/**
 * The reporting days (UTC date of created_at, the instant facts are bucketed by) and channels of
 * the fact rows a refresh actually changed: rows gone, new or different, before and after (a
 * changed created_at or channel touches both). Most recomputed rows come out as they were (a
 * customer's other contacts whose next contact did not move); their days are not touched.
 */
const touchedSql = /* sql */ `
SELECT DISTINCT strftime(timezone('UTC', created_at), '%Y-%m-%d') AS day, channel FROM (
  (FROM ${old} EXCEPT ALL FROM ${fresh}) UNION ALL (FROM ${fresh} EXCEPT ALL FROM ${old})
)
ORDER BY day, channel
`;

/** How a refresh brought the cache up to date. */
export interface FactsRefreshReport {
  /** `incremental`: only the affected rows were rewritten; `full`: every table was rebuilt; `none`: nothing had changed. */
  mode: 'incremental' | 'full' | 'none';
  /** Why a full rebuild was chosen (first build, registry or cache layout changed, too much changed). */
  reason?: string;
  /** Interactions whose own inputs changed (new, changed or gone); undefined after a full rebuild. */
  changed?: number;
  /** Fact rows deleted and recomputed; undefined after a full rebuild. */
  affected?: number;
  /** Fact rows in the cache afterwards. */
  facts: number;
  /** UTC dates (YYYY-MM-DD of created_at) of every fact row that changed (new, gone or different), or 'all' after a full rebuild. */
  touchedDays: string[] | 'all';
  /** The same, as day x channel keys. */
  touchedDayChannels: Array<{ day: string; channel: string }> | 'all';
}

export interface FactsRefreshOptions {
  /** Stamp of what the cache's SQL computes (registry and cache layout): any change rebuilds in full. */
  basis: string;
  /** Above this share of the fact rows affected, a full rebuild is cheaper (default 0.3). */
  maxIncrementalShare?: number;
  /** Force a full rebuild (tests and the bench compare against it). */
  full?: boolean;
}

const basisKey = 'metrics_cache_basis';
const agentsKey = 'metrics_cache_agents';

/**
 * Brings every metrics_cache_* table up to date with the warehouse inside `tx` (one connection,
 * one transaction: see Warehouse.atomically), incrementally when it can.
 *
 * @example
 * const report = await wh.atomically((tx) => refreshCacheTables(tx, { basis }));
 * // { mode: 'incremental', changed: 100, affected: 412, facts: 20100, touchedDays: ['2026-10-31'], ... }
 */
export async function refreshCacheTables(tx: Warehouse, options: FactsRefreshOptions): Promise<FactsRefreshReport> {
  await tx.run(inputsNowSql);
  try {
    const meta = await tx.all<{ key: string; value: string }>('SELECT key, value FROM warehouse_meta WHERE key IN ($1, $2)', [basisKey, agentsKey]);
    const stored = Object.fromEntries(meta.map((m) => [m.key, m.value]));
    const tables = new Set(
      (await tx.all<{ name: string }>("SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary AND table_name LIKE 'metrics_cache_%'")).map((t) => t.name),
    );
    const [{ h: agentsHash }] = await tx.all<{ h: string }>(agentsHashSql);
    const complete = [factsCacheTable, backlogSpansTable, concurrencySegmentsTable, inputsTable, tierInputsTable].every((t) => tables.has(t));
    const fullReason = options.full
      ? 'asked'
      : !complete
        ? 'first build'
        : stored[basisKey] !== options.basis
          ? 'registry or cache layout changed'
          : null;
    if (fullReason) return await rebuildAll(tx, options.basis, agentsHash, fullReason);

    await tx.run(planSql);
    const [counts] = await tx.all<{ changed: number; affected: number; facts: number }>(
      `SELECT (SELECT count(*) FROM ${changed})::INTEGER AS changed, (SELECT count(*) FROM ${ids})::INTEGER AS affected,
        (SELECT count(*) FROM ${factsCacheTable})::INTEGER AS facts`,
    );
    const share = options.maxIncrementalShare ?? 0.3;
    if (counts.affected > share * counts.facts) {
      return await rebuildAll(tx, options.basis, agentsHash, `${counts.affected} of ${counts.facts} fact rows affected (over ${Math.round(share * 100)} %)`);
    }
    const agentsChanged = stored[agentsKey] !== agentsHash;
    if (counts.changed === 0 && !agentsChanged && counts.affected === 0) {
      // Nothing a fact reads changed (the fingerprint moved for, e.g., identities alone).
      return { mode: 'none', changed: 0, affected: 0, facts: counts.facts, touchedDays: [], touchedDayChannels: [] };
    }
    await tx.run(`CREATE OR REPLACE TEMP TABLE ${old} AS FROM ${factsCacheTable} WHERE id IN (SELECT id FROM ${ids})`);
    const p = new BindParams();
    const stages = baseStagesSql(p, { ids }, true);
    await tx.run(`CREATE OR REPLACE TEMP TABLE ${fresh} AS WITH ${stages.map((s) => s.trim()).join(',\n')} SELECT * FROM m_base`, p.values as never);
    const touched = await tx.all<{ day: string; channel: string }>(touchedSql);
    await tx.run(`DELETE FROM ${factsCacheTable} WHERE id IN (SELECT id FROM ${ids})`);
    await tx.run(`INSERT INTO ${factsCacheTable} BY NAME FROM ${fresh}`);

    await tx.run(`DELETE FROM ${backlogSpansTable} WHERE interaction_id IN (SELECT id FROM ${changed})`);
    await tx.run(`INSERT INTO ${backlogSpansTable} BY NAME ${backlogSpansQuery(changed)}`);

    if (agentsChanged) {
      await tx.run(`CREATE OR REPLACE TABLE ${concurrencySegmentsTable} AS ${concurrencySegmentsQuery()}`);
    } else {
      await tx.run(`DELETE FROM ${concurrencySegmentsTable} WHERE agent_id IN (SELECT agent_id FROM ${agents})`);
      await tx.run(`INSERT INTO ${concurrencySegmentsTable} BY NAME ${concurrencySegmentsQuery(agents)}`);
    }

    await tx.run(`DELETE FROM ${inputsTable} WHERE id IN (SELECT id FROM ${changed})`);
    await tx.run(`INSERT INTO ${inputsTable} SELECT * FROM ${now} WHERE id IN (SELECT id FROM ${changed})`);
    await tx.run(`CREATE OR REPLACE TABLE ${tierInputsTable} AS SELECT * FROM ${tierNow}`);
    await writeMeta(tx, { [agentsKey]: agentsHash });
    const [{ n }] = await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${factsCacheTable}`);
    return {
      mode: 'incremental',
      changed: counts.changed,
      affected: counts.affected,
      facts: n,
      touchedDays: [...new Set(touched.map((t) => t.day))],
      touchedDayChannels: touched,
    };
  } finally {
    await tx.run([now, tierNow, changed, keys, ids, agents, old, fresh].map((t) => `DROP TABLE IF EXISTS temp.${t};`).join('\n'));
  }
}

/** Recomputes every metrics_cache_* table from the canonical tables (the inputs of `now` included). */
async function rebuildAll(tx: Warehouse, basis: string, agentsHash: string, reason: string): Promise<FactsRefreshReport> {
  const p = new BindParams();
  const stages = baseStagesSql(p, null, true);
  await tx.run(`CREATE OR REPLACE TABLE ${factsCacheTable} AS WITH ${stages.map((s) => s.trim()).join(',\n')} SELECT * FROM m_base`, p.values as never);
  await tx.run(`CREATE OR REPLACE TABLE ${backlogSpansTable} AS ${backlogSpansQuery()}`);
  await tx.run(`CREATE OR REPLACE TABLE ${concurrencySegmentsTable} AS ${concurrencySegmentsQuery()}`);
  await tx.run(`CREATE OR REPLACE TABLE ${inputsTable} AS SELECT * FROM ${now}`);
  await tx.run(`CREATE OR REPLACE TABLE ${tierInputsTable} AS SELECT * FROM ${tierNow}`);
  await writeMeta(tx, { [basisKey]: basis, [agentsKey]: agentsHash });
  const [{ n }] = await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${factsCacheTable}`);
  return { mode: 'full', reason, facts: n, touchedDays: 'all', touchedDayChannels: 'all' };
}

async function writeMeta(tx: Warehouse, values: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await tx.run('INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ($1, $2)', [key, value]);
  }
}
