import { Channel, type Warehouse } from '@helpdesk/core';
import { DateTime } from 'luxon';
import { backlogAgeColumns, backlogSql } from './backlog.ts';
import { balance } from './balanced.ts';
import { businessClockSql } from './business-clock-sql.ts';
import { defaultTeamCalendar, type CalendarSpec, type ClockRow } from './business-hours.ts';
import { concurrencySql } from './concurrency.ts';
import { ensureMetricsCache } from './facts-cache.ts';
import { factsSql } from './facts-sql.ts';
import { memoized } from './result-memo.ts';
import { describeSource, rollupFreshness, rollupRoute, rollupSplit } from './rollup-router.ts';
import { queryRollup, rollupGroupSql } from './rollup-sql.ts';
import { metricsConfig, type MetricsConfig, type MetricsConfigInput } from './metrics-config.ts';
import { dimensions, grains, kpis, registryVersion, resolveKpis, type Dimension, type Grain, type KpiDefinition } from './kpi-registry.ts';
import { assertZone, bucketEnds, bucketLabelSql, localRangeBounds, localWallClockSql } from './reporting-time.ts';
import { BindParams } from '@helpdesk/core';
import type { ScorecardRow } from './scorecard-row.ts';

export type GroupBy = Grain | Dimension;
export type Stat = 'median' | 'mean' | 'p90';

export interface ScorecardOptions {
  /** First and last local day (inclusive) in `tz`; default: the 30 days ending at the latest interaction. */
  from?: string;
  to?: string;
  /** Reporting time zone (IANA); default UTC, stamped in the output's filters. */
  tz?: string;
  channels?: Channel[];
  by?: GroupBy[];
  /** KPI ids; default every KPI of the registry. */
  kpis?: string[];
  businessHours?: boolean;
  /** Which statistic a duration KPI's main value is; the others are reported beside it. */
  stat?: Stat;
  /** Instant the backlog is taken at when no time grain is chosen; default the end of the range. */
  asOf?: string;
  config?: MetricsConfig | MetricsConfigInput;
  /** Use (and refresh) the metrics cache tables when the warehouse is writable; default true. */
  cache?: boolean;
  /** Reuse a finished result of the same request on unchanged data (result-memo.ts); default true. */
  resultCache?: boolean;
  /** Answer from the daily rollup when the request allows it (rollup-router.ts); default true. */
  rollup?: boolean;
}

export type { ScorecardRow } from './scorecard-row.ts';

export interface ScorecardResult {
  registryVersion: string;
  filters: {
    from: string;
    to: string;
    tz: string;
    channels: Channel[] | null;
    by: GroupBy[];
    kpis: string[];
    businessHours: boolean;
    stat: Stat;
    asOf: string | null;
  };
  rows: ScorecardRow[];
  /**
   * Where the KPIs over interactions came from: the daily rollup (rollup-sql.ts), when every
   * filter and grouping is one of its dimensions and the days are UTC days, or the per-interaction
   * facts; `mixed` when the rollup answered some KPIs and the facts the ones it does not hold
   * (see `kpiSources`). Counts and rates are equal either way; see `sketched` for durations.
   */
  source: 'rollup' | 'facts' | 'mixed';
  /** Why that source: the first thing the rollup cannot answer, or that it could. */
  sourceReason: string;
  /** Where each KPI over interactions came from (stage and derived KPIs are not listed). */
  kpiSources: Record<string, 'rollup' | 'facts'>;
  /**
   * Duration KPIs whose median or p90 came from the rollup's sketch on some row: within 1 %
   * (relative) of the exact value (quantile-sketch.ts). Means are exact. Empty from the facts.
   */
  sketched: string[];
}

const dimensionColumn: Record<Dimension, string> = {
  channel: 'channel', team: 'team_id', queue: 'queue_id', agent: 'agent_id', tier: 'tier', intent: 'intent', language: 'language', article: 'article_id',
  priority: 'priority', country: 'country', outcome: 'outcome',
};

/** Dimensions the backlog's open spans do not carry (the tier at creation, articles, and what happened in the end). */
const backlogCannotSplit = new Set<GroupBy>(['tier', 'article', 'priority', 'country', 'outcome']);

/**
 * The scorecard: the chosen KPIs of the registry, cut by the chosen dimensions and time grain,
 * in one statement over the facts stage plus the backlog and concurrency stages when asked for.
 * Rates are fractions 0..1, durations seconds; every duration has `_median`, `_mean` and `_p90`
 * beside its main value.
 *
 * @example
 * const card = await scorecard(warehouse, { from: '2024-03-01', to: '2024-03-31', by: ['day', 'channel'], tz: 'Europe/Berlin' });
 * card.rows[0] // { day: '2024-03-01', channel: 'chat', volume: 812, first_response_time: 95, ... }
 */
export async function scorecard(warehouse: Warehouse, options: ScorecardOptions = {}): Promise<ScorecardResult> {
  // Parsing is idempotent, so an already-parsed config passes through unchanged.
  const config = metricsConfig(options.config as MetricsConfigInput | undefined);
  const tz = assertZone(options.tz ?? 'UTC');
  const by = validateBy(options.by ?? []);
  const stat = options.stat ?? 'median';
  const defs = resolveKpis(options.kpis ?? kpis.map((k) => k.id));
  const channelFilter = options.channels?.length ? options.channels.map((c) => Channel.parse(c)) : null;
  const { from, to } = await resolveRange(warehouse, options, tz);
  const request: ScorecardRequest = {
    config, tz, by, stat, kpis: defs.map((d) => d.id), channels: channelFilter, from, to,
    businessHours: !!options.businessHours, asOf: options.asOf ?? null, rollup: options.rollup !== false,
  };
  if (options.cache === false) return computeScorecard(warehouse, request, null);
  // Derived tables make a scorecard an aggregation only (a read-only file computes everything),
  // and a finished result is reused until the data version changes.
  const state = await ensureMetricsCache(warehouse);
  const cache = state.cached ? state.version : null;
  if (options.resultCache === false) return computeScorecard(warehouse, request, cache);
  return memoized(warehouse, JSON.stringify({ version: state.version, request }), () => computeScorecard(warehouse, request, cache), (card) => card.rows.length);
}

/** A scorecard request with every default filled in: equal requests on equal data give equal results. */
interface ScorecardRequest {
  config: MetricsConfig;
  tz: string;
  by: GroupBy[];
  stat: Stat;
  kpis: string[];
  channels: Channel[] | null;
  from: string;
  to: string;
  businessHours: boolean;
  asOf: string | null;
  rollup: boolean;
}

/** `cacheVersion`: the facts cache's version when its tables are used, else null (everything computed). */
async function computeScorecard(warehouse: Warehouse, request: ScorecardRequest, cacheVersion: string | null): Promise<ScorecardResult> {
  const cached = cacheVersion !== null;
  const { config, tz, by, stat, from, to } = request;
  const options = { businessHours: request.businessHours, asOf: request.asOf ?? undefined };
  const defs = resolveKpis(request.kpis);
  const channelFilter = request.channels;
  const { start, end } = localRangeBounds(from, to, tz);
  const grain = by.find((b): b is Grain => (grains as readonly string[]).includes(b));
  const dims = by.filter((b): b is Dimension => (dimensions as readonly string[]).includes(b));

  const factDefs = defs.filter((d) => d.compute.kind !== 'stage' && d.compute.kind !== 'derived');
  const calendars = await calendarsFor(warehouse, config);
  const wantsTier = dims.includes('tier') || config.slaPolicies.some((p) => p.tiers?.length);

  const rows = new Map<string, ScorecardRow>();
  const keyOf = (row: ScorecardRow) => JSON.stringify(by.map((b) => row[b] ?? null));
  const merge = (row: ScorecardRow) => {
    const key = keyOf(row);
    const existing = rows.get(key);
    if (existing) Object.assign(existing, row);
    else rows.set(key, row);
  };

  // The KPIs the rollup answers, and the rest from the facts (all of them when the request's
  // filters, grouping or zone are not the rollup's).
  let rollupDefs: KpiDefinition[] = [];
  let factsDefs = factDefs;
  let factsReason = 'no KPI asked for is computed over interactions';
  const sketched = new Set<string>();
  if (factDefs.length) {
    factsReason = !cached
      ? 'the metrics cache is not used (read-only warehouse or cache: false)'
      : !request.rollup ? 'the rollup was not asked for (rollup: false)'
      : (rollupRoute({ start, end, tz, by, businessHours: !!options.businessHours, defs: factDefs }) ?? (await rollupFreshness(warehouse, cacheVersion, config)) ?? '');
    if (factsReason === '') {
      const split = rollupSplit(factDefs, config);
      rollupDefs = split.rollup;
      factsDefs = split.facts.map((f) => f.def);
      factsReason = split.facts[0]?.gap ?? '';
    }
  }
  const { source, sourceReason, kpiSources } = describeSource(rollupDefs, factsDefs, factsReason);

  if (rollupDefs.length) {
    const groups = Object.fromEntries(by.map((b) => [b, rollupGroupSql(b)]));
    for (const { raw, sketched: fromSketch } of await queryRollup(warehouse, { from, to, groups, channels: channelFilter, defs: rollupDefs })) {
      merge(shapeRow(raw, by, rollupDefs, stat));
      for (const id of fromSketch) sketched.add(id);
    }
  }
  if (factsDefs.length) {
    const p = new BindParams();
    const clock = await calendars.clock(start, end, !!options.businessHours);
    const with_ = factsSql(p, {
      config, start, end, businessHours: !!options.businessHours, clock, calendarOf: calendars.assignments, withTier: wantsTier, cached,
    });
    const select = by.map((b) => `${isGrain(b) ? `date_trunc('${b}', ${localWallClockSql('created_at', tz, start, end)})` : dimensionColumn[b]} AS "${b}"`);
    for (const def of factsDefs) select.push(...aggregateSql(def));
    const where = channelFilter ? `WHERE channel IN (${channelFilter.map((c) => p.add(c)).join(', ')})` : '';
    const grouped = `${with_}\nSELECT ${select.join(',\n  ')}\nFROM m_facts ${where}\n${by.length ? 'GROUP BY ALL' : ''}`;
    const sql = grain ? `SELECT ${bucketLabelSql(grain, `"${grain}"`)} AS "${grain}", * EXCLUDE ("${grain}") FROM (${grouped})` : grouped;
    for (const raw of await warehouse.all<Record<string, unknown>>(sql, p.values)) merge(shapeRow(raw, by, factsDefs, stat));
  }

  if (defs.some((d) => d.id === 'backlog') && by.every((b) => !backlogCannotSplit.has(b)) && (!channelFilter || channelFilter.includes('email'))) {
    const p = new BindParams();
    const points = grain ? bucketEnds(grain, start, end, tz) : [{ label: 'as_of', at: options.asOf ? asOfInstant(options.asOf, tz) : end }];
    const dimSql = Object.fromEntries(dims.map((d) => [d, dimensionColumn[d]]));
    for (const raw of await warehouse.all<Record<string, unknown>>(backlogSql(p, points, dimSql, cached), p.values)) {
      const row: ScorecardRow = {};
      for (const b of by) row[b] = (isGrain(b) ? raw.label : raw[b]) as string | null;
      row.backlog = raw.backlog as number;
      for (const column of backlogAgeColumns) row[column] = raw[column] as number;
      merge(row);
    }
  }

  if (defs.some((d) => d.id === 'concurrency') && dims.every((d) => d === 'agent' || d === 'team' || d === 'channel') && (!channelFilter || channelFilter.includes('chat'))) {
    const p = new BindParams();
    const dimSql: Record<string, string> = {};
    for (const b of by) dimSql[b] = isGrain(b) ? `date_trunc('${b}', ${localWallClockSql('ts', tz, start, end)})` : dimensionColumn[b as Dimension];
    const inner = concurrencySql(p, start, end, dimSql, cached);
    const sql = grain ? `SELECT ${bucketLabelSql(grain, `"${grain}"`)} AS "${grain}", * EXCLUDE ("${grain}") FROM (${inner})` : inner;
    for (const raw of await warehouse.all<Record<string, unknown>>(sql, p.values)) {
      const row: ScorecardRow = {};
      for (const b of by) row[b] = raw[b] as string | null;
      row.concurrency = raw.concurrency as number | null;
      row.concurrency_peak = raw.concurrency_peak as number | null;
      merge(row);
    }
  }

  let out = [...rows.values()];
  // Every requested KPI appears on every row, null where it does not apply: a phone KPI on the
  // chat row is "not applicable", not zero.
  for (const row of out) {
    for (const def of defs) {
      if (!(def.id in row)) row[def.id] = null;
      if (typeof row.channel === 'string' && !(def.channels as readonly string[]).includes(row.channel)) {
        for (const key of Object.keys(row)) if (key === def.id || key.startsWith(`${def.id}_`)) row[key] = null;
      }
    }
  }
  if (defs.some((d) => d.compute.kind === 'derived')) out = balance(out);
  out.sort((a, b) => compareRows(a, b, by));
  return {
    registryVersion,
    filters: { from, to, tz, channels: channelFilter, by, kpis: defs.map((d) => d.id), businessHours: !!options.businessHours, stat, asOf: options.asOf ?? null },
    rows: out,
    source,
    sourceReason,
    kpiSources,
    sketched: [...sketched],
  };
}

/**
 * An as-of time: an ISO instant with an offset, or a local wall time read in the reporting zone
 * ("last Tuesday 09:00" in Berlin is `2024-03-05T09:00` with --tz Europe/Berlin).
 */
export function asOfInstant(text: string, tz: string): string {
  const t = DateTime.fromISO(text, { zone: tz, setZone: false });
  if (!t.isValid) throw new Error(`--as-of "${text}" is not an ISO date-time such as 2024-03-05T09:00`);
  return t.toUTC().toISO()!;
}

function isGrain(b: GroupBy): b is Grain {
  return (grains as readonly string[]).includes(b);
}

function validateBy(by: string[]): GroupBy[] {
  const known = [...grains, ...dimensions] as string[];
  for (const b of by) if (!known.includes(b)) throw new Error(`cannot group by "${b}"; choose from ${known.join(', ')}`);
  if (by.filter((b) => (grains as readonly string[]).includes(b)).length > 1) throw new Error('group by at most one time grain');
  return by as GroupBy[];
}

/** The SELECT expressions of one KPI over m_facts. */
export function aggregateSql(def: KpiDefinition): string[] {
  const c = def.compute;
  switch (c.kind) {
    case 'count':
      return [`count(*) FILTER (WHERE ${c.where}) AS "${def.id}"`];
    case 'ratio':
      return [`(count(*) FILTER (WHERE ${c.numerator}))::DOUBLE / nullif(count(*) FILTER (WHERE ${c.denominator}), 0) AS "${def.id}"`];
    case 'aggregate':
      return [`${c.sql} AS "${def.id}"`];
    case 'duration': {
      const filter = `FILTER (WHERE ${c.where} AND ${c.seconds} IS NOT NULL)`;
      return [`quantile_cont(${c.seconds}, [0.5, 0.9]) ${filter} AS "${def.id}__q"`, `avg(${c.seconds}) ${filter} AS "${def.id}__mean"`];
    }
    default:
      return [];
  }
}

function shapeRow(raw: Record<string, unknown>, by: GroupBy[], defs: KpiDefinition[], stat: Stat): ScorecardRow {
  const row: ScorecardRow = {};
  for (const b of by) row[b] = (raw[b] as string | null) ?? null;
  for (const def of defs) {
    if (def.compute.kind === 'duration') {
      const q = raw[`${def.id}__q`] as number[] | null;
      const median = q ? q[0] : null;
      const p90 = q ? q[1] : null;
      const mean = (raw[`${def.id}__mean`] as number | null) ?? null;
      row[def.id] = stat === 'median' ? median : stat === 'mean' ? mean : p90;
      row[`${def.id}_median`] = median;
      row[`${def.id}_mean`] = mean;
      row[`${def.id}_p90`] = p90;
    } else {
      const v = raw[def.id];
      row[def.id] = v === null || v === undefined ? null : Number(v);
    }
  }
  return row;
}

function compareRows(a: ScorecardRow, b: ScorecardRow, by: GroupBy[]): number {
  for (const key of by) {
    const x = a[key] ?? '';
    const y = b[key] ?? '';
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

async function resolveRange(warehouse: Warehouse, options: ScorecardOptions, tz: string): Promise<{ from: string; to: string }> {
  if (options.from && options.to) return { from: options.from, to: options.to };
  const [extent] = await warehouse.all<{ first: string | null; last: string | null }>(
    `SELECT strftime(timezone($1, min(created_at)), '%Y-%m-%d') AS first, strftime(timezone($1, max(created_at)), '%Y-%m-%d') AS last FROM interactions`,
    [tz],
  );
  const last = options.to ?? extent?.last ?? new Date().toISOString().slice(0, 10);
  const thirtyBefore = new Date(Date.parse(`${last}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  return { from: options.from ?? thirtyBefore, to: last };
}

/**
 * The calendars in force: the configured ones, else one per team (Mon-Fri 09:00-17:00 in the
 * team's zone) and a UTC one for interactions without a team.
 */
export async function calendarsFor(warehouse: Warehouse, config: MetricsConfig) {
  let specs: CalendarSpec[] = config.calendars;
  let assignments = { teams: config.calendarAssignments.teams, queues: config.calendarAssignments.queues, fallback: config.calendarAssignments.default ?? '' };
  if (specs.length === 0) {
    const teams = await warehouse.all<{ id: string; time_zone: string }>('SELECT id, time_zone FROM teams ORDER BY id');
    specs = [defaultTeamCalendar('none', 'UTC'), ...teams.map((t) => defaultTeamCalendar(t.id, t.time_zone))];
    assignments = { teams: Object.fromEntries(teams.map((t) => [t.id, `team:${t.id}`])), queues: {}, fallback: 'team:none' };
  } else if (!assignments.fallback) {
    assignments.fallback = specs[0].id;
  }
  return {
    assignments,
    /**
     * Clock rows from a week before the range to 120 days after it, so open items can age; none
     * when nothing reads business time. DuckDB computes them (businessClockSql): a loop per day
     * per calendar in JavaScript held the request thread for a second over a year of ten teams.
     */
    async clock(start: string, end: string, businessHours = true): Promise<ClockRow[]> {
      if (!businessHours && !config.slaPolicies.some((p) => p.businessHours)) return [];
      const from = new Date(Date.parse(start) - 7 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.parse(end) + 120 * 86_400_000).toISOString().slice(0, 10);
      return businessClockSql(warehouse, specs, from, to);
    },
  };
}
