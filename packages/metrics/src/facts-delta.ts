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
 * per customer, a hash of the tier records. A refresh hashes the warehouse again and compares, in
 * two levels so that a small sync costs little: the hashes summed per bucket of interaction ids
 * (one pass, grouped by a small integer), then row by row within the buckets that differ only.
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
export const bucketInputsTable = 'metrics_cache_input_buckets';
export const tierInputsTable = 'metrics_cache_tier_inputs';

/** Buckets of interaction ids: enough that a sync of thousands differs in a small share of them. */
export const defaultInputBuckets = 65536;

/** Working tables of one refresh; temporary, on the refresh's own connection. */
const now = 'm_delta_inputs';
const bucketsNow = 'm_delta_buckets_now';
const bucketsChanged = 'm_delta_buckets';
const tierNow = 'm_delta_tier';
const changed = 'm_delta_changed';
const keys = 'm_delta_keys';
const ids = 'm_delta_ids';
const agents = 'm_delta_agents';
const old = 'm_delta_old_facts';
const fresh = 'm_delta_new_facts';
const sliceIds = 'm_delta_slice_ids';

/**
 * Interactions per statement when the facts are rebuilt whole: one statement over every
 * interaction aggregates all their events at once (a list of agent reply times per interaction,
 * which DuckDB cannot spill), and at a million interactions that outgrew a 400 MB limit.
 */
const defaultRebuildSliceRows = 250_000;

/**
 * The event columns the cache's SQL reads (facts-sql.ts, backlog.ts, concurrency.ts). Hashing
 * only these is four times faster than the whole row, whose text (bodies) dominates; a test
 * changes every other column and checks that no cache table moves, so a query that starts
 * reading one fails it until it is listed here.
 */
export const eventColumnsRead = ['interaction_id', 'seq', 'occurred_at', 'type', 'author_role', 'is_public', 'to_value', 'value_num'] as const;

/** The hash of each input row an interaction's facts read, keyed by the interaction id. */
const inputRows = (where: (id: string) => string) => /* sql */ `
  SELECT i.id, hash(i) AS h FROM interactions i WHERE ${where('i.id')}
  UNION ALL SELECT interaction_id, hash(${eventColumnsRead.join(', ')}) FROM events WHERE ${where('interaction_id')}
  UNION ALL SELECT interaction_id, hash(s) FROM interaction_sentiment s WHERE ${where('interaction_id')}
  UNION ALL SELECT interaction_id, hash(n) FROM nps_responses n WHERE ${where('interaction_id')}
  UNION ALL SELECT interaction_id, hash(q) FROM qa_reviews q WHERE ${where('interaction_id')}`;

/** The bucket of an interaction id, as SQL (`count` buckets). */
const bucketSql = (count: number) => (id: string) => `CAST(hash(${id}) % ${Math.trunc(count)} AS INTEGER)`;

/** The first level: every input row's hash summed per bucket of interaction ids; and the tier records per customer. */
const bucketsNowSql = (bucketOf: (id: string) => string) => /* sql */ `
CREATE OR REPLACE TEMP TABLE ${bucketsNow} AS
SELECT ${bucketOf('id')} AS bucket, sum(h) AS h FROM (${inputRows(() => 'true')}) GROUP BY 1;
CREATE OR REPLACE TEMP TABLE ${tierNow} AS
SELECT coalesce(a.customer_id, a.contact_id) AS key, sum(hash(a)) AS h
FROM customer_attributes a WHERE a.attribute = 'tier' GROUP BY 1;
`;

/**
 * The second level: the inputs of each interaction (see inputsTable) in the buckets that differ,
 * or in every bucket (`all`), with what the plan needs of the interaction as it is now.
 */
function inputsNowSql(all: boolean, bucketOf: (id: string) => string): string {
  const where = (id: string) => (all ? 'true' : `${bucketOf(id)} IN (SELECT bucket FROM ${bucketsChanged})`);
  return /* sql */ `
CREATE OR REPLACE TEMP TABLE ${now} AS
WITH h AS (SELECT id, sum(h) AS h FROM (${inputRows(where)}) GROUP BY 1)
SELECT i.id, ${bucketOf('i.id')} AS bucket, h.h,
  ${customerKeyExpression} AS customer_key, i.parent_interaction_id, i.callback_of, i.channel, i.agent_id
FROM interactions i JOIN h ON h.id = i.id
WHERE ${where('i.id')}`;
}

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
FROM ${now} n FULL OUTER JOIN (SELECT * FROM ${inputsTable} WHERE bucket IN (SELECT bucket FROM ${bucketsChanged})) o ON o.id = n.id
WHERE n.id IS NULL OR o.id IS NULL OR n.h <> o.h;
CREATE OR REPLACE TEMP TABLE ${keys} AS
SELECT old_key AS key FROM ${changed} WHERE old_key IS NOT NULL
UNION SELECT new_key FROM ${changed} WHERE new_key IS NOT NULL
UNION SELECT coalesce(n.key, o.key) FROM ${tierNow} n FULL OUTER JOIN ${tierInputsTable} o ON o.key = n.key
  WHERE n.h IS DISTINCT FROM o.h;
CREATE OR REPLACE TEMP TABLE ${ids} AS
SELECT id FROM ${changed}
UNION SELECT id FROM interactions i WHERE ${customerKeyExpression} IN (SELECT key FROM ${keys})
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
WITH diff AS (
  -- Whole rows compared as structs (NULL-safe): ten times faster than EXCEPT ALL over 60 columns.
  SELECT o.created_at AS old_at, o.channel AS old_channel, f.created_at AS new_at, f.channel AS new_channel
  FROM ${old} o FULL OUTER JOIN ${fresh} f ON f.id = o.id
  WHERE o IS DISTINCT FROM f
)
SELECT DISTINCT strftime(timezone('UTC', created_at), '%Y-%m-%d') AS day, channel FROM (
  SELECT old_at AS created_at, old_channel AS channel FROM diff WHERE old_at IS NOT NULL
  UNION ALL SELECT new_at, new_channel FROM diff WHERE new_at IS NOT NULL
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
  /** Buckets of the first-level comparison (default 65,536; part of the basis). Tests use few, so that buckets hold many interactions. */
  inputBuckets?: number;
  /** Above this share of the fact rows affected, a full rebuild is cheaper (default 0.3). */
  maxIncrementalShare?: number;
  /** Force a full rebuild (tests and the bench compare against it). */
  full?: boolean;
  /** Interactions per statement of a full rebuild (default 250,000; tests make it small). */
  rebuildSliceRows?: number;
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
  const count = options.inputBuckets ?? defaultInputBuckets;
  const bucketOf = bucketSql(count);
  const basis = `${options.basis}/${count}`;
  await tx.run(bucketsNowSql(bucketOf));
  try {
    const meta = await tx.all<{ key: string; value: string }>('SELECT key, value FROM warehouse_meta WHERE key IN ($1, $2)', [basisKey, agentsKey]);
    const stored = Object.fromEntries(meta.map((m) => [m.key, m.value]));
    const tables = new Set(
      (await tx.all<{ name: string }>("SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary AND table_name LIKE 'metrics_cache_%'")).map((t) => t.name),
    );
    const [{ h: agentsHash }] = await tx.all<{ h: string }>(agentsHashSql);
    const complete = [factsCacheTable, backlogSpansTable, concurrencySegmentsTable, inputsTable, bucketInputsTable, tierInputsTable].every((t) => tables.has(t));
    const fullReason = options.full
      ? 'asked'
      : !complete
        ? 'first build'
        : stored[basisKey] !== basis
          ? 'registry or cache layout changed'
          : null;
    const slice = options.rebuildSliceRows ?? defaultRebuildSliceRows;
    if (fullReason) return await rebuildAll(tx, basis, bucketOf, agentsHash, slice, fullReason);

    await tx.run(`CREATE OR REPLACE TEMP TABLE ${bucketsChanged} AS
      SELECT coalesce(n.bucket, o.bucket) AS bucket FROM ${bucketsNow} n FULL OUTER JOIN ${bucketInputsTable} o ON o.bucket = n.bucket
      WHERE n.h IS DISTINCT FROM o.h`);
    const share = options.maxIncrementalShare ?? 0.3;
    // Every differing bucket holds at least one changed interaction (but for stray rows of none):
    // when they alone pass the share, the plan would only confirm the fallback, so skip it.
    const [early] = await tx.all<{ buckets: number; facts: number }>(
      `SELECT (SELECT count(*) FROM ${bucketsChanged})::INTEGER AS buckets, (SELECT count(*) FROM ${factsCacheTable})::INTEGER AS facts`,
    );
    if (early.buckets > share * early.facts) {
      return await rebuildAll(tx, basis, bucketOf, agentsHash, slice, `${early.buckets} buckets of changed interactions for ${early.facts} fact rows (over ${Math.round(share * 100)} %)`);
    }
    await tx.run(inputsNowSql(false, bucketOf));
    await tx.run(planSql);
    const [counts] = await tx.all<{ changed: number; affected: number; facts: number }>(
      `SELECT (SELECT count(*) FROM ${changed})::INTEGER AS changed, (SELECT count(*) FROM ${ids})::INTEGER AS affected,
        (SELECT count(*) FROM ${factsCacheTable})::INTEGER AS facts`,
    );
    if (counts.affected > share * counts.facts) {
      // The differing buckets' inputs are computed already: the rebuild only replaces those.
      const reason = `${counts.affected} of ${counts.facts} fact rows affected (over ${Math.round(share * 100)} %)`;
      return await rebuildAll(tx, basis, bucketOf, agentsHash, slice, reason, true);
    }
    const agentsChanged = stored[agentsKey] !== agentsHash;
    if (counts.changed === 0 && !agentsChanged && counts.affected === 0) {
      // Nothing a fact reads changed (the fingerprint moved for, e.g., identities alone); a bucket
      // may still differ by rows of no interaction (an event whose interaction is gone).
      await storeInputs(tx, false, bucketOf);
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

    await storeInputs(tx, false, bucketOf);
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
    await tx.run([now, bucketsNow, bucketsChanged, tierNow, changed, keys, ids, agents, old, fresh, sliceIds].map((t) => `DROP TABLE IF EXISTS temp.${t};`).join('\n'));
  }
}

/**
 * Records the inputs the cache now reflects: both levels, whole (`all`), or the differing buckets'
 * rows replaced (the per-bucket sums are always rewritten whole: 65,536 rows).
 */
async function storeInputs(tx: Warehouse, all: boolean, bucketOf: (id: string) => string): Promise<void> {
  if (all) {
    await tx.run(inputsNowSql(true, bucketOf));
    await tx.run(`CREATE OR REPLACE TABLE ${inputsTable} AS FROM ${now}`);
  } else {
    await tx.run(`DELETE FROM ${inputsTable} WHERE bucket IN (SELECT bucket FROM ${bucketsChanged})`);
    await tx.run(`INSERT INTO ${inputsTable} FROM ${now}`);
  }
  await tx.run(`CREATE OR REPLACE TABLE ${bucketInputsTable} AS FROM ${bucketsNow}`);
  await tx.run(`CREATE OR REPLACE TABLE ${tierInputsTable} AS FROM ${tierNow}`);
}

/** Recomputes every metrics_cache_* table from the canonical tables, and the inputs they reflect. */
async function rebuildAll(
  tx: Warehouse, basis: string, bucketOf: (id: string) => string, agentsHash: string, sliceRows: number, reason: string, changedInputsReady = false,
): Promise<FactsRefreshReport> {
  await rebuildFacts(tx, sliceRows);
  await tx.run(`CREATE OR REPLACE TABLE ${backlogSpansTable} AS ${backlogSpansQuery()}`);
  await tx.run(`CREATE OR REPLACE TABLE ${concurrencySegmentsTable} AS ${concurrencySegmentsQuery()}`);
  await storeInputs(tx, !changedInputsReady, bucketOf);
  await writeMeta(tx, { [basisKey]: basis, [agentsKey]: agentsHash });
  const [{ n }] = await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${factsCacheTable}`);
  return { mode: 'full', reason, facts: n, touchedDays: 'all', touchedDayChannels: 'all' };
}

/**
 * Every fact row, in one statement, or past `sliceRows` interactions a slice of them at a time by
 * row id, each computed as the incremental refresh computes a set of ids (equal rows).
 */
async function rebuildFacts(tx: Warehouse, sliceRows: number): Promise<void> {
  const [{ end }] = await tx.all<{ end: number | null }>('SELECT (max(rowid) + 1)::BIGINT AS "end" FROM interactions');
  const rows = Number(end ?? 0);
  if (rows <= sliceRows) {
    const p = new BindParams();
    const stages = baseStagesSql(p, null, true);
    await tx.run(`CREATE OR REPLACE TABLE ${factsCacheTable} AS WITH ${stages.map((s) => s.trim()).join(',\n')} SELECT * FROM m_base`, p.values as never);
    return;
  }
  for (let from = 0; from < rows; from += sliceRows) {
    await tx.run(`CREATE OR REPLACE TEMP TABLE ${sliceIds} AS SELECT id FROM interactions WHERE rowid >= $1::BIGINT AND rowid < $2::BIGINT`, [from, from + sliceRows]);
    const p = new BindParams();
    const stages = `WITH ${baseStagesSql(p, { ids: sliceIds }, true).map((s) => s.trim()).join(',\n')} SELECT * FROM m_base`;
    if (from === 0) await tx.run(`CREATE OR REPLACE TABLE ${factsCacheTable} AS ${stages}`, p.values as never);
    else await tx.run(`INSERT INTO ${factsCacheTable} BY NAME ${stages}`, p.values as never);
  }
  await tx.run(`DROP TABLE IF EXISTS temp.${sliceIds}`);
}

async function writeMeta(tx: Warehouse, values: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await tx.run('INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ($1, $2)', [key, value]);
  }
}
