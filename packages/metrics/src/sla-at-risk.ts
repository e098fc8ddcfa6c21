import type { Warehouse } from '@helpdesk/core';
import { factsSql } from './facts-sql.ts';
import { metricsConfig, type MetricsConfigInput } from './metrics-config.ts';
import { calendarsFor } from './scorecard.ts';
import { SqlParams } from './sql-params.ts';

export interface SlaAtRisk {
  id: string;
  channel: string;
  team_id: string | null;
  queue_id: string | null;
  policy: string;
  /** Which target is about to be missed. */
  target: 'first_reply' | 'resolution';
  /** When it is breached (UTC), and the minutes left at `asOf`. */
  deadline: string;
  minutesLeft: number;
}

/**
 * Open items within `withinMinutes` of an SLA breach at the instant `asOf`: the interactions whose
 * first reply (not yet sent at `asOf`) or resolution (not yet reached) falls due in
 * (asOf, asOf + withinMinutes], under the first SLA policy matching each one (the same policy the
 * SLA achievement KPI applies). Deadlines are wall-clock: policies measured in business hours are
 * left out here rather than given a wrong deadline. Items created up to `lookbackDays` before
 * `asOf` are considered (default: the longest resolution target, at least one day).
 *
 * @example
 * await slaAtRisk(wh, { asOf: '2026-10-31T12:00:00Z', withinMinutes: 30 })
 * // [{ id: 'zendesk:4711', policy: 'urgent', target: 'resolution', minutesLeft: 12, ... }]
 */
export async function slaAtRisk(
  warehouse: Warehouse,
  options: { asOf: string; withinMinutes: number; channels?: string[]; teams?: string[]; queues?: string[]; config?: MetricsConfigInput; limit?: number },
): Promise<SlaAtRisk[]> {
  const config = metricsConfig(options.config);
  const asOf = new Date(options.asOf);
  if (Number.isNaN(asOf.getTime())) throw new Error(`bad as-of instant "${options.asOf}"`);
  const policies = config.slaPolicies.filter((policy) => !policy.businessHours);
  if (policies.length === 0) return [];
  const longest = Math.max(86_400, ...policies.map((policy) => Math.max(policy.firstReplySeconds ?? 0, policy.resolutionSeconds ?? 0)));
  const start = new Date(asOf.getTime() - longest * 1000).toISOString();
  // The facts' horizon is the end of their range: items created after asOf are not yet there.
  const end = new Date(asOf.getTime() + 1).toISOString();
  const calendars = await calendarsFor(warehouse, config);
  const p = new SqlParams();
  const with_ = factsSql(p, {
    config, start, end, businessHours: false, clock: calendars.clock(start, end, false), calendarOf: calendars.assignments,
    withTier: config.slaPolicies.some((policy) => policy.tiers?.length),
  });
  const targets = policies
    .map((policy) => `(${p.add(policy.id)}, CAST(${p.add(policy.firstReplySeconds ?? null)} AS DOUBLE), CAST(${p.add(policy.resolutionSeconds ?? null)} AS DOUBLE))`)
    .join(', ');
  const at = p.add(asOf.toISOString());
  const soon = p.add(options.withinMinutes * 60);
  const scope = (column: string, values?: string[]) => (values?.length ? ` AND ${column} IN (${values.map((v) => p.add(v)).join(', ')})` : '');
  const limit = p.add(options.limit ?? 1000);
  return warehouse.all<SlaAtRisk>(
    `${with_},
m_targets (policy, first_reply_s, resolution_s) AS (VALUES ${targets}),
m_due AS (
  SELECT f.id, f.channel, f.team_id, f.queue_id, f.sla_policy AS policy, 'first_reply' AS target,
    epoch(f.frt_start) + t.first_reply_s AS due
  FROM m_facts f JOIN m_targets t ON t.policy = f.sla_policy
  WHERE t.first_reply_s IS NOT NULL AND f.frt_start IS NOT NULL AND (f.frt_end IS NULL OR f.frt_end > CAST(${at} AS TIMESTAMPTZ))
  UNION ALL
  SELECT f.id, f.channel, f.team_id, f.queue_id, f.sla_policy, 'resolution', epoch(f.created_at) + t.resolution_s
  FROM m_facts f JOIN m_targets t ON t.policy = f.sla_policy
  WHERE t.resolution_s IS NOT NULL AND (f.resolve_at IS NULL OR f.resolve_at > CAST(${at} AS TIMESTAMPTZ))
)
SELECT id, channel, team_id, queue_id, policy, target, strftime(to_timestamp(due) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS deadline,
  round((due - epoch(CAST(${at} AS TIMESTAMPTZ))) / 60.0, 1) AS "minutesLeft"
FROM m_due
WHERE due > epoch(CAST(${at} AS TIMESTAMPTZ)) AND due <= epoch(CAST(${at} AS TIMESTAMPTZ)) + ${soon}${scope('channel', options.channels)}${scope('team_id', options.teams)}${scope('queue_id', options.queues)}
ORDER BY due, id, target
LIMIT ${limit}`,
    p.values,
  );
}
