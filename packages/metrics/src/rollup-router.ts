import type { Warehouse } from '@helpdesk/core';
import { DateTime } from 'luxon';
import type { Dimension, Grain, KpiDefinition } from './kpi-registry.ts';
import type { MetricsConfig } from './metrics-config.ts';
import { readRollupState, refreshRollup, rollupConfigKey, rollupDimensionColumns, rollupGap, rollupKpiGap } from './rollup-sql.ts';
import { metricsCacheRefreshing, servesLastFacts } from './facts-cache.ts';
import { configFromSettings } from './settings.ts';

/** What a metrics request asks, as far as the choice between rollup and facts goes. */
export interface RouteRequest {
  /** UTC instants of the range, from localRangeBounds. */
  start: string;
  end: string;
  tz: string;
  by: ReadonlyArray<Grain | Dimension>;
  businessHours: boolean;
  /** The KPIs computed over the facts (not stage or derived ones). */
  defs: readonly KpiDefinition[];
}

const rollupGrains = new Set<string>(['day', 'week', 'month']);

/**
 * Whether the daily rollup can answer a request exactly as the facts would (durations within the
 * sketch's bound), at least for some of its KPIs: null when it can, else the reason in one line.
 * Which KPIs it answers is rollupSplit's. Pure: the rollup's freshness is checked apart (rollupFreshness).
 *
 * @example
 * rollupRoute({ ..., by: ['language'] }) // 'language is not a rollup dimension'
 */
export function rollupRoute(r: RouteRequest): string | null {
  if (r.businessHours) return 'business-hours durations are not in the rollup (it holds calendar time)';
  for (const b of r.by) {
    if (rollupGrains.has(b) || b in rollupDimensionColumns) continue;
    return b === 'hour' ? 'the rollup holds days, not hours' : `${b} is not a rollup dimension`;
  }
  // Cells are UTC days: a reporting zone answers from them only where its offset is 0 at every
  // day boundary of the range (UTC itself, or London in winter), so its days are UTC days.
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone: r.tz }).offset;
  const first = Date.parse(r.start);
  const last = Date.parse(r.end);
  for (let t = first; t <= last; t += 86_400_000) {
    if (offsetAt(t) !== 0) return `the reporting zone ${r.tz} is not at UTC+0 over the range, and the rollup's days are UTC days`;
  }
  const gaps = r.defs.map(rollupGap);
  return r.defs.length && gaps.every((gap) => gap !== null) ? gaps[0] : null;
}

/**
 * Which KPIs of a request the rollup answers under this config, and which read the facts with the
 * reason, in the order asked: a request that the rollup can answer (rollupRoute) reads the facts
 * only for the KPIs it does not hold.
 *
 * @example
 * rollupSplit([volume, slaAchievement], businessHoursConfig) // { rollup: [volume], facts: [{ def: slaAchievement, gap: '...' }] }
 */
export function rollupSplit(defs: readonly KpiDefinition[], config: MetricsConfig): { rollup: KpiDefinition[]; facts: Array<{ def: KpiDefinition; gap: string }> } {
  const rollup: KpiDefinition[] = [];
  const facts: Array<{ def: KpiDefinition; gap: string }> = [];
  for (const def of defs) {
    const gap = rollupKpiGap(def, config);
    if (gap) facts.push({ def, gap });
    else rollup.push(def);
  }
  return { rollup, facts };
}

/** A result's `source`, `sourceReason` and per-KPI sources, from where its KPIs were read. */
export function describeSource(rollup: readonly KpiDefinition[], facts: readonly KpiDefinition[], factsReason: string): {
  source: 'rollup' | 'facts' | 'mixed'; sourceReason: string; kpiSources: Record<string, 'rollup' | 'facts'>;
} {
  const kpiSources: Record<string, 'rollup' | 'facts'> = {};
  for (const def of rollup) kpiSources[def.id] = 'rollup';
  for (const def of facts) kpiSources[def.id] = 'facts';
  if (rollup.length === 0) return { source: 'facts', sourceReason: factsReason, kpiSources };
  if (facts.length === 0) return { source: 'rollup', sourceReason: 'every filter and grouping is a rollup dimension, on UTC days', kpiSources };
  return { source: 'mixed', sourceReason: `${facts.map((d) => d.id).join(', ')} from the facts (${factsReason}); the other KPIs from the rollup`, kpiSources };
}

const building = new WeakMap<Warehouse, Promise<unknown>>();

/**
 * Null when the rollup holds this facts version built with this config's thresholds and costs.
 * When it does not and the config is the warehouse's own settings (not a one-off --config), it is
 * rebuilt first, once for concurrent callers; a one-off config reads the facts instead.
 */
export async function rollupFreshness(warehouse: Warehouse, version: string, config: MetricsConfig): Promise<string | null> {
  if (warehouse.readOnly) return 'a read-only warehouse has no rollup';
  const wanted = rollupConfigKey(config);
  const state = await readRollupState(warehouse);
  if (state?.version === version && state.config === wanted) return null;
  // A refresh is bringing facts and rollup up to date (a sync's facts stage): a request answered
  // meanwhile reads the facts rather than rebuilding the rollup beside it.
  if (metricsCacheRefreshing(warehouse)) return 'the rollup is being brought up to date with the facts';
  if (rollupConfigKey(await configFromSettings(warehouse)) !== wanted) return 'the thresholds or costs asked for are not the settings the rollup is built with';
  const running = building.get(warehouse) ?? refreshRollup(warehouse, 'all', config, version).finally(() => building.delete(warehouse));
  building.set(warehouse, running);
  if (servesLastFacts(warehouse)) {
    // A server does not hold requests for a whole rebuild (new settings): they read the facts until it ends.
    running.catch((error: unknown) => console.error(`rollup rebuild failed: ${(error as Error).message}`));
    return 'the rollup is being rebuilt for the current settings';
  }
  await running;
  const now = await readRollupState(warehouse);
  return now?.version === version && now.config === wanted ? null : 'the rollup is being rebuilt for newer data';
}
