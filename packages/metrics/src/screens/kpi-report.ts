import type { Warehouse } from '@helpdesk/core';
import { balance } from '../balanced.ts';
import { factsSql } from '../facts-sql.ts';
import { metricsConfig, type MetricsConfigInput } from '../metrics-config.ts';
import { resolveKpis, type Dimension, type Grain, type KpiDefinition } from '../kpi-registry.ts';
import { ensureMetricsCache, UnresolvedWarehouseError } from '../facts-cache.ts';
import { describeSource, rollupFreshness, rollupRoute, rollupSplit } from '../rollup-router.ts';
import { queryRollup, rollupGroupSql } from '../rollup-sql.ts';
import { assertZone, bucketSql, localRangeBounds } from '../reporting-time.ts';
import { aggregateSql, calendarsFor, type ScorecardRow } from '../kpi-scorecard.ts';
import { BindParams } from '@helpdesk/core';
import { factColumns, screenFilterConditions, type ScreenFilters } from './filters.ts';

/** What a screen's KPI table can be cut by. */
export type ReportGroup = 'channel' | 'team' | 'agent' | 'queue' | 'day' | 'week' | BreakdownGroup;
/** The breakdowns a scorecard table offers beside team and agent. */
export const breakdownGroups = ['priority', 'tier', 'intent', 'outcome', 'language', 'country', 'queue'] as const;
export type BreakdownGroup = (typeof breakdownGroups)[number];

const groupSql: Record<ReportGroup, (tzParam: string) => string> = {
  channel: () => 'channel',
  team: () => 'team_id',
  agent: () => 'agent_id',
  queue: () => 'queue_id',
  priority: () => 'priority',
  tier: () => 'tier',
  intent: () => 'intent',
  outcome: () => 'outcome',
  language: () => 'language',
  country: () => 'country',
  day: (tz) => bucketSql('day', 'created_at', tz),
  week: (tz) => bucketSql('week', 'created_at', tz),
};

export interface KpiReportOptions {
  filters: ScreenFilters;
  /** KPI ids of the registry; stage KPIs (backlog, concurrency) are skipped here. */
  kpis: string[];
  by?: ReportGroup[];
  config?: MetricsConfigInput;
  /**
   * A rolling window of instants (ISO-8601) instead of the filters' whole local days, e.g. the
   * last two hours an alert rule looks at. The filters' `from`/`to` are then ignored.
   */
  window?: { start: string; end: string };
}

/**
 * The facts stage of the registry, restricted by every screen filter. Shared by the KPI report
 * and the drill-down list, so that a number and the list behind it read the same rows.
 */
export async function filteredFacts(
  warehouse: Warehouse,
  filters: ScreenFilters,
  p: BindParams,
  config?: MetricsConfigInput,
  window?: { start: string; end: string },
  groupedByTier = false,
) {
  const cfg = metricsConfig(config);
  const tz = assertZone(filters.tz);
  const { start, end } = window ? instantWindow(window) : localRangeBounds(filters.from, filters.to, tz);
  const calendars = await calendarsFor(warehouse, cfg);
  const withTier = groupedByTier || filters.tiers.length > 0 || cfg.slaPolicies.some((policy) => policy.tiers?.length);
  const with_ = factsSql(p, {
    config: cfg, start, end, businessHours: filters.businessHours, clock: await calendars.clock(start, end), calendarOf: calendars.assignments, withTier,
  });
  const conditions = screenFilterConditions(p, filters, factColumns);
  return { with_, where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', tz };
}

/**
 * KPIs of the registry over the filtered facts, grouped as asked, in one statement. Durations get
 * `_median`, `_mean` and `_p90`; derived KPIs (speed and quality index, fast but failing) are
 * computed over the rows of this report, as the registry defines.
 *
 * @example
 * await kpiReport(wh, { filters, kpis: ['volume', 'csat'], by: ['agent'] })
 * // [{ agent: 'zendesk:agent:3', volume: 120, csat: 0.81 }, ...]
 */
export async function kpiReport(warehouse: Warehouse, options: KpiReportOptions): Promise<ScorecardRow[]> {
  const [rows] = await kpiReportSets(warehouse, { ...options, sets: [options.by ?? []] });
  return rows;
}

/**
 * Several groupings of the same KPIs in one statement (GROUPING SETS), so the facts stage, the
 * expensive part, is computed once: e.g. the total, per day, per team and per agent of a scorecard.
 * Returns one row list per set, in the order asked.
 *
 * @example
 * const [total, perDay] = await kpiReportSets(wh, { filters, kpis: ['volume'], sets: [[], ['day']] });
 */
export async function kpiReportSets(
  warehouse: Warehouse,
  options: Omit<KpiReportOptions, 'by'> & { sets: ReportGroup[][] },
): Promise<ScorecardRow[][]> {
  return (await kpiReportSetsWithSource(warehouse, options)).sets;
}

/** What a screen's report was read from, as the scorecard says it (ScorecardResult). */
export interface ReportSource {
  source: 'rollup' | 'facts' | 'mixed';
  sourceReason: string;
  /** Where each KPI over interactions came from. */
  kpiSources: Record<string, 'rollup' | 'facts'>;
  /** Duration KPIs whose median or p90 came from the rollup's sketch (within 1 %). */
  sketched: string[];
}

const rollupGroups = new Set<string>(['channel', 'team', 'agent', 'queue', 'day', 'week', 'priority', 'tier', 'intent']);

/**
 * Why the daily rollup cannot answer a screen's report, or null when it can (then also fresh).
 * Filters on language, country, outcome or article, a rolling window of instants, or a grouping
 * outside the rollup's dimensions read the facts.
 */
async function screenRollupGap(warehouse: Warehouse, options: Omit<KpiReportOptions, 'by'> & { sets: ReportGroup[][] }, defs: KpiDefinition[]): Promise<string | null> {
  const f = options.filters;
  if (options.window) return 'a rolling window of instants is not whole days';
  const unfit = (['languages', 'countries', 'outcomes', 'articles'] as const).find((name) => (f[name]?.length ?? 0) > 0);
  if (unfit) return `the ${unfit} filter is not a rollup dimension`;
  const groups = [...new Set(options.sets.flat())];
  const outside = groups.find((g) => !rollupGroups.has(g));
  if (outside) return `${outside} is not a rollup dimension`;
  const tz = assertZone(f.tz);
  const { start, end } = localRangeBounds(f.from, f.to, tz);
  const route = rollupRoute({ start, end, tz, by: groups as Array<Grain | Dimension>, businessHours: f.businessHours, defs });
  if (route) return route;
  let state;
  try {
    state = await ensureMetricsCache(warehouse);
  } catch (error) {
    // The facts path says what is wrong with the warehouse in its own way, as before.
    if (error instanceof UnresolvedWarehouseError) return error.message;
    throw error;
  }
  if (!state.cached) return 'a read-only warehouse has no rollup';
  return rollupFreshness(warehouse, state.version, metricsConfig(options.config));
}

/** kpiReportSets, saying whether the rows came from the daily rollup or the facts. */
export async function kpiReportSetsWithSource(
  warehouse: Warehouse,
  options: Omit<KpiReportOptions, 'by'> & { sets: ReportGroup[][] },
): Promise<{ sets: ScorecardRow[][] } & ReportSource> {
  const sets = options.sets;
  const defs = resolveKpis(options.kpis);
  const factDefs = defs.filter((d) => d.compute.kind !== 'stage' && d.compute.kind !== 'derived');
  const gap = factDefs.length ? await screenRollupGap(warehouse, options, factDefs) : 'no KPI asked for is computed over interactions';
  // The KPIs the rollup holds come from it, the others from the facts (all of them on a gap).
  const split = gap === null ? rollupSplit(factDefs, metricsConfig(options.config)) : { rollup: [], facts: factDefs.map((def) => ({ def, gap })) };
  const rollupDefs = split.rollup;
  const factsDefs = split.facts.map((f) => f.def);
  const described = describeSource(rollupDefs, factsDefs, gap ?? split.facts[0]?.gap ?? '');
  const sketched = new Set<string>();
  let fromRollup: ScorecardRow[][] = [];
  if (rollupDefs.length) {
    const f = options.filters;
    // The sets' statements are small and independent: run side by side, on connections of their own.
    fromRollup = await Promise.all(sets.map(async (set) => {
      const rows = await queryRollup(warehouse, {
        from: f.from, to: f.to, groups: Object.fromEntries(set.map((b) => [b, rollupGroupSql(b)])), channels: f.channels.length ? f.channels : null,
        filters: { team: f.teams, queue: f.queues, agent: f.agents, tier: f.tiers, intent: f.intents, priority: f.priorities ?? [] },
        defs: rollupDefs,
      });
      for (const row of rows) for (const id of row.sketched) sketched.add(id);
      return rows.map((row) => shape(row.raw, set, rollupDefs));
    }));
    if (factsDefs.length === 0) return { sets: fromRollup.map((rows, i) => finish(rows, sets[i], defs)), ...described, sketched: [...sketched] };
  }
  const fromFacts = await factsSets(warehouse, options, sets, factsDefs);
  // Both halves group the same interactions, so they hold the same groups: joined by group key.
  const out = fromFacts.map((rows, i) => {
    if (!rollupDefs.length) return rows;
    const key = (row: ScorecardRow) => JSON.stringify(sets[i].map((b) => row[b] ?? null));
    const joined = new Map(fromRollup[i].map((row) => [key(row), row]));
    for (const row of rows) joined.set(key(row), Object.assign(joined.get(key(row)) ?? {}, row));
    return [...joined.values()];
  });
  return { sets: out.map((rows, i) => finish(rows, sets[i], defs)), ...described, sketched: [...sketched] };
}

/** The sets' rows of these KPIs over the filtered facts, in one statement (GROUPING SETS), not yet finished. */
async function factsSets(
  warehouse: Warehouse, options: Omit<KpiReportOptions, 'by'> & { sets: ReportGroup[][] }, sets: ReportGroup[][], factDefs: KpiDefinition[],
): Promise<ScorecardRow[][]> {
  const groups = [...new Set(sets.flat())];
  const p = new BindParams();
  const { with_, where } = await filteredFacts(warehouse, options.filters, p, options.config, options.window, groups.includes('tier'));
  const needsZone = groups.some((b) => b === 'day' || b === 'week');
  const tzParam = needsZone ? p.add(options.filters.tz) : '';
  const exprs = Object.fromEntries(groups.map((b) => [b, groupSql[b](tzParam)]));
  const select = groups.map((b) => `${exprs[b]} AS "${b}"`);
  // GROUPING(x) is 1 where x is rolled up in this row's set: it tells the sets apart even when a value is NULL.
  select.push(...groups.map((b) => `GROUPING(${exprs[b]}) AS "g_${b}"`));
  for (const def of factDefs) select.push(...aggregateSql(def));
  if (factDefs.length === 0) select.push('count(*) AS n');
  const groupBy = groups.length ? `GROUP BY GROUPING SETS (${sets.map((set) => `(${set.map((b) => exprs[b]).join(', ')})`).join(', ')})` : '';
  const sql = `${with_}\nSELECT ${select.join(',\n  ')}\nFROM m_facts ${where}\n${groupBy}`;
  const raw = await warehouse.all<Record<string, unknown>>(sql, p.values);
  return sets.map((set) => {
    const mine = raw.filter((r) => groups.every((b) => Number(r[`g_${b}`] ?? 0) === (set.includes(b) ? 0 : 1)));
    return mine.map((r) => shape(r, set, factDefs));
  });
}

/** Orders one set's rows, blanks KPIs on channels they do not apply to, and adds the derived KPIs. */
function finish(shaped: ScorecardRow[], set: ReportGroup[], defs: KpiDefinition[]): ScorecardRow[] {
  let rows = shaped;
  rows.sort((a, b) => {
    for (const key of set) {
      const x = String(a[key] ?? '');
      const y = String(b[key] ?? '');
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  for (const row of rows) {
    if (typeof row.channel !== 'string') continue;
    // A KPI on a channel it does not apply to is "not applicable", not zero.
    for (const def of defs) {
      if (!(def.channels as readonly string[]).includes(row.channel)) {
        for (const key of Object.keys(row)) if (key === def.id || key.startsWith(`${def.id}_`)) row[key] = null;
      }
    }
  }
  if (defs.some((d) => d.compute.kind === 'derived')) rows = balance(rows);
  return rows;
}

/** A window of two instants, checked and written as UTC ISO-8601 (what localRangeBounds returns). */
function instantWindow(window: { start: string; end: string }): { start: string; end: string } {
  const start = new Date(window.start);
  const end = new Date(window.end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new Error(`bad window ${window.start}..${window.end}: give ISO-8601 instants`);
  if (end <= start) throw new Error(`bad window: ${window.end} is not after ${window.start}`);
  return { start: start.toISOString(), end: end.toISOString() };
}

function shape(raw: Record<string, unknown>, by: ReportGroup[], defs: KpiDefinition[]): ScorecardRow {
  const row: ScorecardRow = {};
  for (const b of by) row[b] = (raw[b] as string | null) ?? null;
  for (const def of defs) {
    if (def.compute.kind === 'duration') {
      const q = raw[`${def.id}__q`] as number[] | null;
      row[def.id] = q ? q[0] : null;
      row[`${def.id}_median`] = q ? q[0] : null;
      row[`${def.id}_p90`] = q ? q[1] : null;
      row[`${def.id}_mean`] = (raw[`${def.id}__mean`] as number | null) ?? null;
    } else {
      const v = raw[def.id];
      row[def.id] = v === null || v === undefined ? null : Number(v);
    }
  }
  return row;
}
