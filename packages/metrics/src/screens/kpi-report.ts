import type { Warehouse } from '@helpdesk/core';
import { balance } from '../balanced.ts';
import { factsSql } from '../facts-sql.ts';
import { metricsConfig, type MetricsConfigInput } from '../metrics-config.ts';
import { resolveKpis, type KpiDefinition } from '../registry.ts';
import { assertZone, bucketSql, localRangeBounds } from '../reporting-time.ts';
import { aggregateSql, calendarsFor, type ScorecardRow } from '../scorecard.ts';
import { SqlParams } from '../sql-params.ts';
import { factColumns, filterConditions, type ScreenFilters } from './filters.ts';

/** What a screen's KPI table can be cut by. */
export type ReportGroup = 'channel' | 'team' | 'agent' | 'queue' | 'day' | 'week';

const groupSql: Record<ReportGroup, (tzParam: string) => string> = {
  channel: () => 'channel',
  team: () => 'team_id',
  agent: () => 'agent_id',
  queue: () => 'queue_id',
  day: (tz) => bucketSql('day', 'created_at', tz),
  week: (tz) => bucketSql('week', 'created_at', tz),
};

export interface KpiReportOptions {
  filters: ScreenFilters;
  /** KPI ids of the registry; stage KPIs (backlog, concurrency) are skipped here. */
  kpis: string[];
  by?: ReportGroup[];
  config?: MetricsConfigInput;
}

/**
 * The facts stage of the registry, restricted by every screen filter. Shared by the KPI report
 * and the drill-down list, so that a number and the list behind it read the same rows.
 */
export async function filteredFacts(warehouse: Warehouse, filters: ScreenFilters, p: SqlParams, config?: MetricsConfigInput) {
  const cfg = metricsConfig(config);
  const tz = assertZone(filters.tz);
  const { start, end } = localRangeBounds(filters.from, filters.to, tz);
  const calendars = await calendarsFor(warehouse, cfg);
  const withTier = filters.tiers.length > 0 || cfg.slaPolicies.some((policy) => policy.tiers?.length);
  const with_ = factsSql(p, {
    config: cfg, start, end, businessHours: filters.businessHours, clock: calendars.clock(start, end), calendarOf: calendars.assignments, withTier,
  });
  const conditions = filterConditions(p, filters, factColumns);
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
  const by = options.by ?? [];
  const defs = resolveKpis(options.kpis);
  const factDefs = defs.filter((d) => d.compute.kind !== 'stage' && d.compute.kind !== 'derived');
  const p = new SqlParams();
  const { with_, where } = await filteredFacts(warehouse, options.filters, p, options.config);
  const needsZone = by.some((b) => b === 'day' || b === 'week');
  const tzParam = needsZone ? p.add(options.filters.tz) : '';
  const select = by.map((b) => `${groupSql[b](tzParam)} AS "${b}"`);
  for (const def of factDefs) select.push(...aggregateSql(def));
  if (select.length === 0) select.push('count(*) AS n');
  const sql = `${with_}\nSELECT ${select.join(',\n  ')}\nFROM m_facts ${where}\n${by.length ? 'GROUP BY ALL ORDER BY ALL' : ''}`;
  const raw = await warehouse.all<Record<string, unknown>>(sql, p.values);
  let rows = raw.map((r) => shape(r, by, factDefs));
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
