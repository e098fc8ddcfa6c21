import type { Warehouse } from '@helpdesk/core';
import type { ClockRow } from '../business-hours.ts';
import { metricsConfig, type MetricsConfig, type MetricsConfigInput, type SlaPolicy } from '../metrics-config.ts';
import { calendarsFor } from '../kpi-scorecard.ts';
import { assertZone } from '../reporting-time.ts';
import { BindParams } from '@helpdesk/core';
import { screenFilterConditions, interactionColumns, tierCondition, type ScreenFilters } from './filters.ts';
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
  const now = await screenNow(warehouse, options.clock);
  const local = DateTime.fromISO(now, { zone: 'utc' }).setZone(tz);
  const dayStart = local.startOf('day').toUTC().toISO()!;
  // DuckDB refuses unbound or unused parameters, so each statement collects its own.
  const scope = () => {
    const p = new BindParams();
    const nowP = p.add(now);
    const conds = screenFilterConditions(p, filters, interactionColumns);
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
  const { p, nowP, base } = scope();
  const horizon = options.horizonSeconds ?? 3600;
  const config = metricsConfig(options.config);
  const targets = slaTargetsSql(p, config.slaPolicies, nowP, base, horizon, await businessClockFor(warehouse, config, now));
  const limit = p.add(options.limit ?? 10);
  const aboutToBreach = targets
    ? await warehouse.all<TodayBreach>(
        `${targets}
         SELECT id, channel, queue_id, priority, created_at, policy, target, due_at, wait_seconds, seconds_left
         FROM m_target_states WHERE state = 'at risk'
         ORDER BY due_at, id, target LIMIT ${limit}`,
        p.values,
      )
    : [];
  return { now, day: local.toISODate()!, queues, longestWaits, aboutToBreach };
}

/**
 * "Now" for the operational screens: the newest interaction the last sync brought, never later than
 * the clock (demo and replayed data stop in the past).
 */
async function screenNow(warehouse: Warehouse, clockFn?: () => Date): Promise<string> {
  const clock = (clockFn ?? (() => new Date()))().toISOString();
  const [{ newest }] = await warehouse.all<{ newest: string | null }>('SELECT max(created_at) AS newest FROM interactions');
  return newest && newest < clock ? newest : clock;
}

/** The business clock of the calendars (and who works by which), when a policy counts business time. */
interface BusinessClock {
  rows: ClockRow[];
  calendarOf: { teams: Record<string, string>; queues: Record<string, string>; fallback: string };
}

/**
 * Business-clock rows from 120 days before `now` (open items older than that fall back to calendar
 * time) to 120 days after it; null when no policy counts business time.
 */
async function businessClockFor(warehouse: Warehouse, config: MetricsConfig, now: string): Promise<BusinessClock | null> {
  if (!config.slaPolicies.some((policy) => policy.businessHours)) return null;
  const calendars = await calendarsFor(warehouse, config);
  const start = new Date(Date.parse(now) - 113 * 86_400_000).toISOString();
  return { rows: await calendars.clock(start, now), calendarOf: calendars.assignments };
}

/** Where an SLA target of an open item stands at `now`. */
export type SlaTargetState = 'met' | 'breached' | 'at risk' | 'on track';

/**
 * The SLA targets of the open inbound items `base` selects, as the Today and SLA screens decide
 * them: the first policy that matches (channel, priority, tier) gives a first-reply and a
 * resolution target, due that long after creation: in calendar time, or, for a policy that counts
 * business hours, that many open seconds of the item's calendar (its queue's, else its team's,
 * else the default; weekends, public holidays and closed dates do not count), so a 4-hour target
 * set on Thursday at 16:00 before a holiday weekend falls due on Tuesday. A first reply already given is met when it came
 * by the deadline, else breached; a target still pending is breached once due, at risk when due
 * within `horizonSeconds`, else on track. Ends in the stage `m_target_states`; null without policies.
 */
function slaTargetsSql(p: BindParams, policies: SlaPolicy[], nowP: string, base: string, horizonSeconds: number, business: BusinessClock | null): string | null {
  if (!policies.length) return null;
  const policyCase = (value: (policy: SlaPolicy) => string) =>
    `CASE ${policies.map((policy) => `WHEN ${policyMatch(p, policy)} THEN ${value(policy)}` ).join(' ')} END`;
  const seconds = (s?: number) => (s === undefined ? 'CAST(NULL AS DOUBLE)' : `CAST(${p.add(s)} AS DOUBLE)`);
  const policyId = policyCase((policy) => p.add(policy.id));
  const frtTarget = policyCase((policy) => seconds(policy.firstReplySeconds));
  const resTarget = policyCase((policy) => seconds(policy.resolutionSeconds));
  const horizon = p.add(horizonSeconds);
  const useBusiness = business !== null && business.rows.length > 0 && policies.some((policy) => policy.businessHours);
  const businessPolicy = useBusiness ? policyCase((policy) => (policy.businessHours ? 'true' : 'false')) : 'false';
  const calendarParts = useBusiness
    ? [
        ...Object.entries(business.calendarOf.queues).map(([queue, calendar]) => `WHEN i.queue_id = ${p.add(queue)} THEN ${p.add(calendar)}`),
        ...Object.entries(business.calendarOf.teams).map(([team, calendar]) => `WHEN i.team_id = ${p.add(team)} THEN ${p.add(calendar)}`),
      ]
    : [];
  const calendar = !useBusiness ? 'CAST(NULL AS VARCHAR)'
    : calendarParts.length ? `CASE ${calendarParts.join(' ')} ELSE CAST(${p.add(business.calendarOf.fallback)} AS VARCHAR) END` : `CAST(${p.add(business.calendarOf.fallback)} AS VARCHAR)`;
  // Business deadline: the calendar's open seconds at creation (an ASOF join on the clock rows) plus
  // the target, found in the one open interval holding that clock value. Beyond the clock rows
  // (an item older than they reach) the deadline is read in calendar time.
  const clockStages = useBusiness
    ? `m_bclock AS (SELECT * FROM ${p.table(business.rows, { calendar_id: 'VARCHAR', start_at: 'TIMESTAMPTZ', end_at: 'TIMESTAMPTZ', open_before: 'DOUBLE' })}),
         m_bstart AS (
           SELECT d.id, c.open_before + greatest(0, least(epoch(d.created_at) - epoch(c.start_at), epoch(c.end_at) - epoch(c.start_at))) AS b0
           FROM m_due d ASOF JOIN m_bclock c ON c.calendar_id = d.calendar_id AND d.created_at >= c.start_at
           WHERE d.business
         ),`
    : '';
  const dueAt = (target: string) =>
    useBusiness
      ? `coalesce((SELECT c.start_at + to_seconds(b.b0 + ${target} - c.open_before) FROM m_bstart b JOIN m_bclock c ON c.calendar_id = d.calendar_id
           AND c.open_before < b.b0 + ${target} AND b.b0 + ${target} <= c.open_before + (epoch(c.end_at) - epoch(c.start_at)) WHERE b.id = d.id AND d.business),
           d.created_at + to_seconds(${target}))`
      : `d.created_at + to_seconds(${target})`;
  return `WITH m_due AS (
           SELECT i.id, i.channel, i.queue_id, i.priority, i.created_at, i.first_response_at,
             ${policyId} AS policy, ${frtTarget} AS frt_target, ${resTarget} AS res_target, ${businessPolicy} AS business, ${calendar} AS calendar_id
           ${base} AND ${openStatus} AND i.direction = 'inbound' AND i.channel <> 'help_center'
         ),
         ${clockStages}
         m_targets AS (
           SELECT d.* EXCLUDE (business, calendar_id), 'first reply' AS target, ${dueAt('d.frt_target')} AS due_at, d.first_response_at AS done_at FROM m_due d WHERE d.frt_target IS NOT NULL
           UNION ALL
           SELECT d.* EXCLUDE (business, calendar_id), 'resolution' AS target, ${dueAt('d.res_target')} AS due_at, CAST(NULL AS TIMESTAMPTZ) AS done_at FROM m_due d WHERE d.res_target IS NOT NULL
         ),
         m_target_states AS (
           SELECT *, epoch(CAST(${nowP} AS TIMESTAMPTZ)) - epoch(created_at) AS wait_seconds,
             epoch(due_at) - epoch(CAST(${nowP} AS TIMESTAMPTZ)) AS seconds_left,
             CASE WHEN done_at IS NOT NULL THEN CASE WHEN done_at <= due_at THEN 'met' ELSE 'breached' END
               WHEN due_at < CAST(${nowP} AS TIMESTAMPTZ) THEN 'breached'
               WHEN due_at < CAST(${nowP} AS TIMESTAMPTZ) + to_seconds(${horizon}) THEN 'at risk'
               ELSE 'on track' END AS state
           FROM m_targets
         )`;
}

export interface OpenCaseSla {
  case_id: string;
  /** The open item (interaction) of the case the target belongs to. */
  id: string;
  channel: string;
  priority: string | null;
  created_at: string;
  policy: string;
  target: 'first reply' | 'resolution';
  due_at: string;
  /** When the target was reached (the first reply), else null. */
  done_at: string | null;
  /** Negative once the deadline has passed. */
  seconds_left: number;
  state: SlaTargetState;
}

/** The SLA screen's "at risk" horizon: open targets due within it are at risk. */
export const slaAtRiskHorizonSeconds = 8 * 3600;

/**
 * The SLA status of a customer's open cases: every open item of each open case with its policy,
 * each target's due time and its state at "now" (the Today screen's clock), by the same rule the
 * Today and SLA screens apply (see slaTargetsSql); soonest due first.
 *
 * @example
 * await openCaseSla(wh, 'cus_12', { config }) // [{ case_id: 'case:9', policy: 'vip', target: 'first reply', state: 'at risk', ... }]
 */
export async function openCaseSla(
  warehouse: Warehouse,
  customerId: string,
  options: { clock?: () => Date; horizonSeconds?: number; config?: MetricsConfigInput } = {},
): Promise<{ now: string; targets: OpenCaseSla[] }> {
  const now = await screenNow(warehouse, options.clock);
  const p = new BindParams();
  const nowP = p.add(now);
  const customer = p.add(customerId);
  const base = `FROM interactions i WHERE i.created_at <= CAST(${nowP} AS TIMESTAMPTZ) AND i.customer_id = ${customer}
    AND i.case_id IN (SELECT id FROM cases WHERE status = 'open' AND customer_id = ${customer})`;
  const config = metricsConfig(options.config);
  const targets = slaTargetsSql(p, config.slaPolicies, nowP, base, options.horizonSeconds ?? slaAtRiskHorizonSeconds, await businessClockFor(warehouse, config, now));
  if (!targets) return { now, targets: [] };
  const rows = await warehouse.all<OpenCaseSla>(
    `${targets}
     SELECT i.case_id, t.id, t.channel, t.priority, t.created_at, t.policy, t.target, t.due_at, t.done_at, t.seconds_left, t.state
     FROM m_target_states t JOIN interactions i ON i.id = t.id
     ORDER BY t.due_at, t.id, t.target`,
    p.values,
  );
  return { now, targets: rows };
}

function policyMatch(p: BindParams, policy: SlaPolicy): string {
  const conds = ['true'];
  const list = (column: string, values?: string[]) => {
    if (values?.length) conds.push(`${column} IN (${values.map((v) => p.add(v)).join(', ')})`);
  };
  list('i.channel', policy.channels);
  list('i.priority', policy.priorities);
  if (policy.tiers?.length) conds.push(tierCondition(p, policy.tiers));
  return conds.join(' AND ');
}
