import type { Warehouse } from '@helpdesk/core';
import { factsSql } from './facts-sql.ts';
import { metricsConfig, type MetricsConfigInput } from './metrics-config.ts';
import { assertZone, localRangeBounds } from './reporting-time.ts';
import { calendarsFor } from './kpi-scorecard.ts';
import { BindParams } from '@helpdesk/core';

export interface SlaBreach {
  id: string;
  channel: string;
  priority: string;
  tier: string | null;
  policy: string;
  /** Seconds to first reply and to resolution (null while waiting), in the clock asked for. */
  firstReplySeconds: number | null;
  resolutionSeconds: number | null;
  breachedTargets: number;
}

/**
 * The interactions of a range that breached an SLA target, worst first: the list behind
 * `sla_achievement`.
 *
 * @example
 * await slaBreaches(warehouse, { from: '2024-03-01', to: '2024-03-31', tz: 'Europe/Berlin' })
 * // [{ id: 'zendesk:4711', policy: 'urgent', firstReplySeconds: 5400, ... }]
 */
export async function slaBreaches(
  warehouse: Warehouse,
  options: { from: string; to: string; tz?: string; businessHours?: boolean; config?: MetricsConfigInput; limit?: number },
): Promise<SlaBreach[]> {
  const config = metricsConfig(options.config);
  const { start, end } = localRangeBounds(options.from, options.to, assertZone(options.tz ?? 'UTC'));
  const calendars = await calendarsFor(warehouse, config);
  const p = new BindParams();
  const with_ = factsSql(p, {
    config, start, end, businessHours: !!options.businessHours, clock: await calendars.clock(start, end, !!options.businessHours), calendarOf: calendars.assignments,
    withTier: config.slaPolicies.some((policy) => policy.tiers?.length),
  });
  const limit = p.add(options.limit ?? 1000);
  return warehouse.all<SlaBreach>(
    `${with_}
SELECT id, channel, priority, tier, sla_policy AS policy, frt_s AS "firstReplySeconds", ttr_s AS "resolutionSeconds", sla_breached AS "breachedTargets"
FROM m_facts WHERE sla_breached > 0
ORDER BY sla_breached DESC, coalesce(ttr_s, frt_s) DESC NULLS LAST, id
LIMIT ${limit}`,
    p.values,
  );
}
