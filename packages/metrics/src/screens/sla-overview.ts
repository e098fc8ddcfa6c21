import type { Warehouse } from '@helpdesk/core';
import type { MetricsConfigInput } from '../metrics-config.ts';
import { kpi } from '../kpi-registry.ts';
import { aggregateSql } from '../kpi-scorecard.ts';
import { BindParams } from '@helpdesk/core';
import type { ScreenFilters } from './filters.ts';
import { filteredFacts } from './kpi-report.ts';
import { slaAtRiskHorizonSeconds, today, type TodayBreach } from './today.ts';

/** SLA results of one group (a policy, channel, team or customer tier). */
export interface SlaGroupRow {
  key: string | null;
  /** Contacts an SLA policy applies to. */
  contacts: number;
  /** Targets met and breached (first reply and resolution count one each). */
  met: number;
  breached: number;
  /** The registry's sla_achievement over the group. */
  sla_achievement: number | null;
}

export interface SlaOverview {
  policies: SlaGroupRow[];
  channels: SlaGroupRow[];
  teams: SlaGroupRow[];
  tiers: SlaGroupRow[];
  /** Open items whose next deadline falls within the horizon, soonest first. */
  atRisk: TodayBreach[];
  /** The moment the at-risk list is taken at (the newest synced interaction). */
  now: string;
}

const groups = { policies: 'sla_policy', channels: 'channel', teams: 'team_id', tiers: 'tier' } as const;

/**
 * The SLA screen's figures: attainment per policy (a VIP policy beside the standard ones), channel,
 * team and customer tier, over the facts stage so they equal the scorecard's sla_achievement, and
 * the open items about to breach.
 *
 * @example
 * const o = await slaOverview(wh, filters, { config });
 * o.policies // [{ key: 'vip', contacts: 40, met: 70, breached: 6, sla_achievement: 0.92 }, ...]
 */
export async function slaOverview(
  warehouse: Warehouse,
  filters: ScreenFilters,
  options: { config?: MetricsConfigInput; horizonSeconds?: number; limit?: number } = {},
): Promise<SlaOverview> {
  const p = new BindParams();
  const { with_, where } = await filteredFacts(warehouse, filters, p, options.config, undefined, true);
  const achievement = aggregateSql(kpi('sla_achievement'))[0];
  const exprs = Object.values(groups);
  const sql = `${with_}
SELECT ${exprs.map((e) => `${e} AS "${e}", GROUPING(${e}) AS "g_${e}"`).join(', ')},
  CAST(count(*) FILTER (WHERE sla_policy IS NOT NULL) AS INTEGER) AS contacts,
  CAST(coalesce(sum(sla_met), 0) AS INTEGER) AS met,
  CAST(coalesce(sum(sla_breached), 0) AS INTEGER) AS breached,
  ${achievement}
FROM m_facts ${where ? `${where} AND` : 'WHERE'} sla_policy IS NOT NULL
GROUP BY GROUPING SETS (${exprs.map((e) => `(${e})`).join(', ')})`;
  const raw = await warehouse.all<Record<string, unknown>>(sql, p.values);
  const pick = (column: string): SlaGroupRow[] =>
    raw
      .filter((r) => Number(r[`g_${column}`]) === 0)
      .map((r) => ({
        key: (r[column] as string | null) ?? null,
        contacts: Number(r.contacts),
        met: Number(r.met),
        breached: Number(r.breached),
        sla_achievement: (r.sla_achievement as number | null) ?? null,
      }))
      .sort((a, b) => String(a.key ?? '').localeCompare(String(b.key ?? '')));
  const soon = await today(warehouse, filters, { config: options.config, horizonSeconds: options.horizonSeconds ?? slaAtRiskHorizonSeconds, limit: options.limit ?? 50 });
  return { policies: pick(groups.policies), channels: pick(groups.channels), teams: pick(groups.teams), tiers: pick(groups.tiers), atRisk: soon.aboutToBreach, now: soon.now };
}
