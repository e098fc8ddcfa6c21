import type { Warehouse } from '@helpdesk/core';
import { metricsConfig, type MetricsConfigInput, type SlaPolicy } from '../metrics-config.ts';
import { assertZone } from '../reporting-time.ts';
import { SqlParams } from '../sql-params.ts';
import { filterConditions, interactionColumns, tierCondition, type ScreenFilters } from './filters.ts';
import { DateTime } from 'luxon';

export interface TodayQueueRow {
  queue_id: string | null;
  queue_name: string | null;
  channel: string | null;
  /** Created today (local day of `now` in the reporting zone). */
  created_today: number;
  /** Not solved, closed or abandoned at `now`. */
  open: number;
  /** Open and still without a first human reply. */
  waiting: number;
}

export interface TodayWait {
  id: string;
  channel: string;
  queue_id: string | null;
  priority: string | null;
  created_at: string;
  wait_seconds: number;
}

export interface TodayBreach extends TodayWait {
  policy: string;
  target: 'first reply' | 'resolution';
  due_at: string;
  /** Negative once the deadline has passed. */
  seconds_left: number;
}

export interface Today {
  /** The moment the screen describes: the newest synced interaction, or the clock if earlier. */
  now: string;
  day: string;
  queues: TodayQueueRow[];
  longestWaits: TodayWait[];
  aboutToBreach: TodayBreach[];
}

const openStatus = "i.status IN ('new', 'open', 'pending')";

/**
 * The day so far: open and waiting interactions per queue, the longest waits, and SLA targets due
 * within `horizonSeconds` (default 1 h). "Now" is the newest interaction the last sync brought,
 * never later than the clock, so the screen says what the data knows rather than inventing a gap.
 *
 * @example
 * const t = await today(wh, filters, { clock: () => new Date() });
 * t.queues[0] // { queue_id: 'q_billing_en', open: 12, waiting: 3, ... }
 */
export async function today(
  warehouse: Warehouse,
  filters: ScreenFilters,
  options: { clock?: () => Date; horizonSeconds?: number; limit?: number; config?: MetricsConfigInput } = {},
): Promise<Today> {
  const tz = assertZone(filters.tz);
  const clock = (options.clock ?? (() => new Date()))().toISOString();
  const [{ newest }] = await warehouse.all<{ newest: string | null }>('SELECT max(created_at) AS newest FROM interactions');
  const now = newest && newest < clock ? newest : clock;
  const local = DateTime.fromISO(now, { zone: 'utc' }).setZone(tz);
  const dayStart = local.startOf('day').toUTC().toISO()!;
  // DuckDB refuses unbound or unused parameters, so each statement collects its own.
  const scope = () => {
    const p = new SqlParams();
    const nowP = p.add(now);
    const conds = filterConditions(p, filters, interactionColumns);
    const where = conds.length ? `AND ${conds.join(' AND ')}` : '';
    return { p, nowP, base: `FROM interactions i WHERE i.created_at <= CAST(${nowP} AS TIMESTAMPTZ) ${where}` };
  };
  const q1 = scope();
  const startP = q1.p.add(dayStart);
  const queues = await warehouse.all<TodayQueueRow>(
    `SELECT i.queue_id, q.name AS queue_name, any_value(i.channel) AS channel,
       CAST(count(*) FILTER (WHERE i.created_at >= CAST(${startP} AS TIMESTAMPTZ)) AS INTEGER) AS created_today,
       CAST(count(*) FILTER (WHERE ${openStatus}) AS INTEGER) AS open,
       CAST(count(*) FILTER (WHERE ${openStatus} AND i.first_response_at IS NULL) AS INTEGER) AS waiting
     ${q1.base.replace('FROM interactions i', 'FROM interactions i LEFT JOIN queues q ON q.id = i.queue_id')}
     GROUP BY i.queue_id, q.name
     HAVING count(*) FILTER (WHERE i.created_at >= CAST(${startP} AS TIMESTAMPTZ) OR ${openStatus}) > 0
     ORDER BY waiting DESC, open DESC, i.queue_id`,
    q1.p.values,
  );
  const q2 = scope();
  const longestWaits = await warehouse.all<TodayWait>(
    `SELECT i.id, i.channel, i.queue_id, i.priority, i.created_at, epoch(CAST(${q2.nowP} AS TIMESTAMPTZ)) - epoch(i.created_at) AS wait_seconds
     ${q2.base} AND ${openStatus} AND i.first_response_at IS NULL AND i.direction = 'inbound' AND i.channel <> 'help_center'
     ORDER BY i.created_at, i.id LIMIT ${q2.p.add(options.limit ?? 10)}`,
    q2.p.values,
  );
  const policies = metricsConfig(options.config).slaPolicies;
  const { p, nowP, base } = scope();
  const policyCase = (value: (policy: SlaPolicy) => string) =>
    `CASE ${policies.map((policy) => `WHEN ${policyMatch(p, policy)} THEN ${value(policy)}`).join(' ')} END`;
  const seconds = (s?: number) => (s === undefined ? 'CAST(NULL AS DOUBLE)' : `CAST(${p.add(s)} AS DOUBLE)`);
  const policyId = policies.length ? policyCase((policy) => p.add(policy.id)) : '';
  const frtTarget = policies.length ? policyCase((policy) => seconds(policy.firstReplySeconds)) : '';
  const resTarget = policies.length ? policyCase((policy) => seconds(policy.resolutionSeconds)) : '';
  const horizon = p.add(options.horizonSeconds ?? 3600);
  const limit = p.add(options.limit ?? 10);
  const aboutToBreach = policies.length
    ? await warehouse.all<TodayBreach>(
        `WITH m_due AS (
           SELECT i.id, i.channel, i.queue_id, i.priority, i.created_at, i.first_response_at,
             ${policyId} AS policy, ${frtTarget} AS frt_target, ${resTarget} AS res_target
           ${base} AND ${openStatus} AND i.direction = 'inbound' AND i.channel <> 'help_center'
         ),
         m_targets AS (
           SELECT *, 'first reply' AS target, created_at + to_seconds(frt_target) AS due_at FROM m_due WHERE first_response_at IS NULL AND frt_target IS NOT NULL
           UNION ALL
           SELECT *, 'resolution' AS target, created_at + to_seconds(res_target) AS due_at FROM m_due WHERE res_target IS NOT NULL
         )
         SELECT id, channel, queue_id, priority, created_at, policy, target, due_at,
           epoch(CAST(${nowP} AS TIMESTAMPTZ)) - epoch(created_at) AS wait_seconds,
           epoch(due_at) - epoch(CAST(${nowP} AS TIMESTAMPTZ)) AS seconds_left
         FROM m_targets
         WHERE due_at >= CAST(${nowP} AS TIMESTAMPTZ) AND due_at < CAST(${nowP} AS TIMESTAMPTZ) + to_seconds(${horizon})
         ORDER BY due_at, id, target LIMIT ${limit}`,
        p.values,
      )
    : [];
  return { now, day: local.toISODate()!, queues, longestWaits, aboutToBreach };
}

function policyMatch(p: SqlParams, policy: SlaPolicy): string {
  const conds = ['true'];
  const list = (column: string, values?: string[]) => {
    if (values?.length) conds.push(`${column} IN (${values.map((v) => p.add(v)).join(', ')})`);
  };
  list('i.channel', policy.channels);
  list('i.priority', policy.priorities);
  if (policy.tiers?.length) conds.push(tierCondition(p, policy.tiers));
  return conds.join(' AND ');
}
