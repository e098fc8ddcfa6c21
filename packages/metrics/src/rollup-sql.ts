import { BindParams, type Warehouse } from '@helpdesk/core';
import { factsCacheTable, factsSql } from './facts-sql.ts';
import { kpis, type KpiDefinition } from './kpi-registry.ts';
import type { MetricsConfig } from './metrics-config.ts';
import { bucketKeySql, sketchQuantiles, type SketchBucket } from './quantile-sketch.ts';

/**
 * The daily rollup: the facts (facts-sql.ts m_facts, over the facts cache) summed per UTC day x
 * channel x team x queue x agent x priority x tier x intent, so that a scorecard whose filters and
 * grouping are among those dimensions sums a few rows per cell instead of computing every
 * interaction's facts. Per cell it holds:
 * - counts: the count of a count KPI, the numerator and denominator of a ratio, the additive
 *   parts of an aggregate that declares them (registry `rollup`); sums of those are exact;
 * - durations: the count, the sum (mean = sum / count), the sorted values when the cell holds at
 *   most `exactListLimit` of them, and always the log-bucketed sketch (quantile-sketch.ts). A
 *   scorecard row whose cells all kept their values gets DuckDB's quantile_cont over them, the
 *   facts path's exact answer; otherwise the merged sketch answers, within 1 % (relative).
 * - due parts: how many rows fall due on each date (sla_achievement's targets still waiting, by
 *   the first midnight at which they count as breached), answered for a range as those due by the
 *   midnight that ends it.
 * KPIs that cannot be summed are not in it: a request for them reads the facts.
 *
 * What the thresholds, costs and SLA policies of the config decide is in the rollup, in calendar
 * time (calendars are left out): the state records the config it was built with, so a scorecard
 * with other settings reads the facts, and sla_achievement under a business-hours policy reads
 * the facts (rollupKpiGap).
 */
export const rollupTable = 'metrics_cache_rollup';
// Prefixed like the cache's own keys: whoever drops the metrics_cache_ tables and keys drops both.
const stateKey = 'metrics_cache_rollup_state';
/** A cell keeps its sorted values up to this many (per duration KPI). */
export const exactListLimit = 64;
/** Bumped whenever the rollup's columns change meaning. */
const layoutVersion = 2;

/** The dimension columns of a rollup cell, besides its UTC day. */
export const rollupDimensionColumns = { channel: 'channel', team: 'team_id', queue: 'queue_id', agent: 'agent_id', priority: 'priority', tier: 'tier', intent: 'intent' } as const;
export type RollupDimension = keyof typeof rollupDimensionColumns;
const keyColumns = Object.values(rollupDimensionColumns);

/** Why a KPI cannot be read from the rollup, or null when it can (under some config: see rollupKpiGap). */
export function rollupGap(def: KpiDefinition): string | null {
  const c = def.compute;
  if (c.kind === 'aggregate' && !c.rollup) return `${def.id} is not a sum of per-day parts`;
  return null;
}

/** KPIs whose rollup parts count SLA targets: the rollup holds them in calendar time only. */
const slaKpis = new Set(['sla_achievement']);

/** Why a KPI cannot be read from the rollup under this config, or null when it can. */
export function rollupKpiGap(def: KpiDefinition, config: MetricsConfig): string | null {
  const gap = rollupGap(def);
  if (gap) return gap;
  const business = slaKpis.has(def.id) ? config.slaPolicies.find((policy) => policy.businessHours) : undefined;
  return business ? `${def.id} under the business-hours SLA policy "${business.id}" is not in the rollup (it holds calendar time)` : null;
}

const col = (...parts: string[]) => `"${parts.join('__')}"`;

/** The SELECT expressions building one KPI's cell columns from m_facts. */
function buildColumns(def: KpiDefinition, limit: number): string[] {
  const c = def.compute;
  switch (c.kind) {
    case 'count':
      return [`count(*) FILTER (WHERE ${c.where}) AS ${col('c', def.id)}`];
    case 'ratio':
      return [`count(*) FILTER (WHERE ${c.numerator}) AS ${col('num', def.id)}`, `count(*) FILTER (WHERE ${c.denominator}) AS ${col('den', def.id)}`];
    case 'aggregate':
      return Object.entries(c.rollup?.parts ?? {}).map(([name, part]) =>
        part.kind === 'due' ? `histogram(${part.sql}) FILTER (WHERE ${part.sql} IS NOT NULL) AS ${col('a', def.id, name)}` : `${part.sql} AS ${col('a', def.id, name)}`);
    case 'duration': {
      const filter = `FILTER (WHERE ${c.where} AND ${c.seconds} IS NOT NULL)`;
      return [
        `count(${c.seconds}) ${filter} AS ${col('t', def.id, 'n')}`,
        `sum(${c.seconds}) ${filter} AS ${col('t', def.id, 'sum')}`,
        `CASE WHEN count(${c.seconds}) ${filter} <= ${limit} THEN list(${c.seconds} ORDER BY ${c.seconds}) ${filter} END AS ${col('t', def.id, 'vals')}`,
        `histogram(${bucketKeySql(c.seconds)}) ${filter} AS ${col('t', def.id, 'sketch')}`,
      ];
    }
    default:
      return [];
  }
}

/** The KPIs the rollup holds. */
export const rollupKpis = kpis.filter((d) => d.compute.kind !== 'stage' && d.compute.kind !== 'derived' && rollupGap(d) === null);

/** The part of the config the rollup depends on (thresholds, windows, costs, SLA policies), as a stable key. */
export function rollupConfigKey(config: MetricsConfig): string {
  const { calendars: _calendars, calendarAssignments: _assignments, ...rest } = config;
  return JSON.stringify({ layoutVersion, ...rest });
}

export interface RollupState {
  /** The facts cache version (facts-cache.ts) the rollup was built from. */
  version: string;
  config: string;
}

export async function readRollupState(warehouse: Warehouse): Promise<RollupState | null> {
  if (warehouse.readOnly) return null;
  const [row] = await warehouse.all<{ value: string }>('SELECT value FROM warehouse_meta WHERE key = $1', [stateKey]);
  return row ? (JSON.parse(row.value) as RollupState) : null;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Recomputes the rollup rows of the given UTC days (delete + insert) from the facts cache, or the
 * whole table with 'all', and records the facts version and config it was built with. The facts
 * cache must hold `version` (ensureMetricsCache).
 *
 * @example
 * await refreshRollup(wh, ['2024-03-04', '2024-03-05'], config, state.version);
 */
export async function refreshRollup(
  warehouse: Warehouse, touchedDays: string[] | 'all', config: MetricsConfig, version: string,
  options: { exactLimit?: number; since?: string; sliceFacts?: number } = {},
): Promise<{ days: number | 'all'; cells: number }> {
  const limit = options.exactLimit ?? exactListLimit;
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`rollup refresh: exactLimit must be a whole number >= 0, got ${limit}`);
  if (touchedDays !== 'all') {
    for (const day of touchedDays) if (!dayPattern.test(day)) throw new Error(`rollup refresh: "${day}" is not a day YYYY-MM-DD`);
  }
  const state: RollupState = { version, config: rollupConfigKey(config) };
  let days = touchedDays === 'all' ? null : [...new Set(touchedDays)].sort();
  let cells = 0;
  await warehouse.atomically(async (connection) => {
    // A partial refresh needs a table built with the same config; otherwise it is built whole.
    const previous = await connection.all<{ value: string }>('SELECT value FROM warehouse_meta WHERE key = $1', [stateKey]);
    const exists = (await connection.all(`SELECT 1 FROM information_schema.tables WHERE table_name = '${rollupTable}'`)).length > 0;
    // With `since` (the facts version the touched days are counted from), a rollup built from
    // other facts has more stale days than those: it is rebuilt whole too.
    const built = previous.length ? (JSON.parse(previous[0].value) as RollupState) : null;
    if (days && (!exists || !built || built.config !== state.config || (options.since !== undefined && built.version !== options.since))) days = null;
    if (days?.length === 0) {
      // Nothing touched: the rows stand, only the version moves on.
    } else if (days) {
      const p = new BindParams();
      const select = rollupSelectSql(p, days);
      await connection.run(`DELETE FROM ${rollupTable} WHERE day IN (${days.map((d) => `CAST('${d}' AS DATE)`).join(', ')})`);
      await connection.run(`INSERT INTO ${rollupTable} ${select}`, p.values);
    } else {
      // Whole, a run of days at a time: one statement over every fact holds all the cells' value
      // lists and sketches at once, which DuckDB cannot spill (a million interactions outgrew a
      // 400 MB limit). A run of days computes as a refresh of touched days does.
      const runs = await dayRuns(connection, options.sliceFacts ?? rollupSliceFacts);
      if (runs.length <= 1) {
        const p = new BindParams();
        await connection.run(`CREATE OR REPLACE TABLE ${rollupTable} AS ${rollupSelectSql(p, null, config)}`, p.values);
      } else {
        for (const [n, run] of runs.entries()) {
          const p = new BindParams();
          const select = rollupSelectSql(p, run);
          await connection.run(n === 0 ? `CREATE OR REPLACE TABLE ${rollupTable} AS ${select}` : `INSERT INTO ${rollupTable} ${select}`, p.values);
        }
      }
    }
    await connection.run('INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ($1, $2)', [stateKey, JSON.stringify(state)]);
    const [row] = await connection.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${rollupTable}`);
    cells = row.n;
  });
  return { days: days ? days.length : 'all', cells };

  function rollupSelectSql(p: BindParams, only: string[] | null, cfg = config): string {
    // The whole facts cache, or the instants of the touched days only.
    const start = only ? `${only[0]}T00:00:00.000Z` : '0001-01-01T00:00:00.000Z';
    const end = only ? new Date(Date.parse(`${only[only.length - 1]}T00:00:00Z`) + 86_400_000).toISOString() : '9999-12-31T00:00:00.000Z';
    const with_ = factsSql(p, {
      // The SLA parts are kept in calendar time (a business-hours policy's sla_achievement reads
      // the facts), so that no business clock is computed (and the statement keeps every parameter it binds).
      config: { ...cfg, slaPolicies: cfg.slaPolicies.map((policy) => ({ ...policy, businessHours: false })), calendars: [] }, start, end, businessHours: false, clock: [],
      calendarOf: { teams: {}, queues: {}, fallback: '' }, withTier: true, cached: true,
    });
    // The UTC day: the instant's wall clock at offset 0 (no time-zone lookup per row).
    const day = 'CAST(make_timestamp(epoch_us(created_at)) AS DATE)';
    const where = only ? `WHERE ${day} IN (${only.map((d) => `CAST(${p.add(d)} AS DATE)`).join(', ')})` : '';
    return `${with_}\nSELECT ${day} AS day, ${keyColumns.join(', ')},\n  ${rollupKpis.flatMap((def) => buildColumns(def, limit)).join(',\n  ')}\nFROM m_facts ${where}\nGROUP BY ALL`;
  }
}

/** Fact rows per statement when the rollup is built whole (see refreshRollup). */
const rollupSliceFacts = 250_000;

/** The UTC days of the facts (YYYY-MM-DD), in order, grouped into consecutive runs of at most `facts` fact rows (or one day). */
async function dayRuns(connection: Warehouse, facts: number): Promise<string[][]> {
  const rows = await connection.all<{ day: string; n: number }>(`SELECT strftime(CAST(make_timestamp(epoch_us(created_at)) AS DATE), '%Y-%m-%d') AS day,
    count(*)::INTEGER AS n FROM ${factsCacheTable} GROUP BY 1 ORDER BY 1`);
  const runs: string[][] = [];
  let size = 0;
  for (const row of rows) {
    if (!runs.length || size + row.n > facts) {
      runs.push([]);
      size = 0;
    }
    runs[runs.length - 1].push(row.day);
    size += row.n;
  }
  return runs;
}

/**
 * The SELECT expressions answering one KPI from rollup cells, named as the facts path names them
 * (aggregateSql). `horizon`: the UTC midnight ending the range (YYYY-MM-DD), which due parts count up to.
 */
function answerColumns(def: KpiDefinition, horizon: string): string[] {
  const c = def.compute;
  const total = (name: string) => `CAST(sum(${name}) AS BIGINT)`;
  switch (c.kind) {
    case 'count':
      return [`${total(col('c', def.id))} AS "${def.id}"`];
    case 'ratio':
      return [`(${total(col('num', def.id))})::DOUBLE / nullif(${total(col('den', def.id))}, 0) AS "${def.id}"`];
    case 'aggregate': {
      const parts = c.rollup!.parts;
      const value = c.rollup!.value.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (!parts[name]) throw new Error(`${def.id}: rollup value names an unknown part "${name}"`);
        const cell = col('a', def.id, name);
        switch (parts[name].kind) {
          case 'count':
            return total(cell);
          case 'due':
            return total(`coalesce(list_sum(list_transform(list_filter(map_entries(${cell}), lambda e: e.key <= DATE '${horizon}'), lambda e: e.value)), 0)`);
          default:
            return `sum(${cell})`;
        }
      });
      return [`${value} AS "${def.id}"`];
    }
    case 'duration': {
      const n = col('t', def.id, 'n');
      // Exact when every cell of the row with values kept them; else the merged sketch.
      const exact = `count(*) FILTER (WHERE ${n} > 0 AND ${col('t', def.id, 'vals')} IS NULL) = 0`;
      return [
        `CASE WHEN ${exact} THEN list_aggregate(flatten(list(${col('t', def.id, 'vals')}) FILTER (WHERE ${n} > 0)), 'quantile_cont', [0.5, 0.9]) END AS "${def.id}__q"`,
        `${exact} AS "${def.id}__exact"`,
        `sum(${col('t', def.id, 'sum')}) / nullif(${total(n)}, 0) AS "${def.id}__mean"`,
      ];
    }
    default:
      return [];
  }
}

export interface RollupQuery {
  /** First and last UTC day, inclusive. */
  from: string;
  to: string;
  /** Group expressions over the rollup, by output name (rollupGroupSql). */
  groups: Record<string, string>;
  channels: string[] | null;
  /** Further dimension filters (values in any of the list), as screens take them. */
  filters?: Partial<Record<RollupDimension, readonly string[]>>;
  defs: KpiDefinition[];
}

/** SQL for a time grain or dimension over the rollup's columns; labels as the facts path writes them. */
export function rollupGroupSql(group: string): string {
  switch (group) {
    case 'day':
      return "strftime(day, '%Y-%m-%d')";
    case 'week':
      return "strftime(date_trunc('week', day), '%Y-%m-%d')";
    case 'month':
      return "strftime(day, '%Y-%m')";
    default:
      if (group in rollupDimensionColumns) return rollupDimensionColumns[group as RollupDimension];
      throw new Error(`the rollup cannot group by "${group}"`);
  }
}

/**
 * Answers the KPIs from the rollup: one raw row per group, with the columns the facts path's
 * aggregateSql gives (`id`, `id__q`, `id__mean`), plus `sketched`: the duration KPIs whose
 * quantiles came from the sketch on this row. The sketches are read by a second query, only for
 * the KPIs some row needs them for: merging bucket lists costs more than the rest together.
 */
export async function queryRollup(warehouse: Warehouse, q: RollupQuery): Promise<Array<{ raw: Record<string, unknown>; sketched: string[] }>> {
  const groupNames = Object.keys(q.groups);
  const statement = (columns: string[]) => {
    const p = new BindParams();
    const select = [...Object.entries(q.groups).map(([name, expr]) => `${expr} AS "${name}"`), ...columns];
    const where = [`day >= CAST(${p.add(q.from)} AS DATE)`, `day <= CAST(${p.add(q.to)} AS DATE)`];
    if (q.channels) where.push(`channel IN (${q.channels.map((c) => p.add(c)).join(', ')})`);
    for (const [dimension, values] of Object.entries(q.filters ?? {})) {
      if (values?.length) where.push(`${rollupDimensionColumns[dimension as RollupDimension]} IN (${values.map((v) => p.add(v)).join(', ')})`);
    }
    return { sql: `SELECT ${select.join(',\n  ')}\nFROM ${rollupTable} WHERE ${where.join(' AND ')}\n${groupNames.length ? 'GROUP BY ALL' : ''}`, params: p.values };
  };
  if (!dayPattern.test(q.from) || !dayPattern.test(q.to)) throw new Error(`rollup query: ${q.from}..${q.to} are not days YYYY-MM-DD`);
  const horizon = new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const first = statement(q.defs.flatMap((def) => answerColumns(def, horizon)));
  const rows = await warehouse.all<Record<string, unknown>>(first.sql, first.params);
  const durations = q.defs.filter((def) => def.compute.kind === 'duration');
  const needSketch = durations.filter((def) => rows.some((raw) => raw[`${def.id}__exact`] === false));
  const keyOf = (raw: Record<string, unknown>) => JSON.stringify(groupNames.map((name) => raw[name] ?? null));
  const sketches = new Map<string, Record<string, unknown>>();
  if (needSketch.length) {
    const second = statement(needSketch.map((def) => {
      const n = col('t', def.id, 'n');
      return `flatten(list(map_entries(${col('t', def.id, 'sketch')})) FILTER (WHERE ${n} > 0)) AS "${def.id}__sketch"`;
    }));
    for (const raw of await warehouse.all<Record<string, unknown>>(second.sql, second.params)) sketches.set(keyOf(raw), raw);
  }
  return rows.map((raw) => {
    const sketched: string[] = [];
    for (const def of durations) {
      const exact = raw[`${def.id}__exact`];
      delete raw[`${def.id}__exact`];
      if (exact !== false) continue;
      const buckets = sketches.get(keyOf(raw))?.[`${def.id}__sketch`] as SketchBucket[] | null | undefined;
      raw[`${def.id}__q`] = buckets ? sketchQuantiles(buckets, [0.5, 0.9]) : null;
      sketched.push(def.id);
    }
    return { raw, sketched };
  });
}
