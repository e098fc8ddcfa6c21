import type { Warehouse } from '@helpdesk/core';
import { ensureMetricsCache } from './facts-cache.ts';
import { factsSql } from './facts-sql.ts';
import { metricsConfig, type MetricsConfig, type MetricsConfigInput } from './metrics-config.ts';
import { kpi } from './kpi-registry.ts';
import { calendarsFor } from './kpi-scorecard.ts';
import { BindParams, type BindValue } from '@helpdesk/core';

/**
 * The one reader of outcomes: per interaction, what happened to it, as the KPI registry decides
 * it. The QA engine, the routing comparison and every screen that needs an interaction's outcome
 * read this instead of deciding "resolved" or "a repeat contact" their own way.
 *
 * The ratio KPIs appear per interaction as their membership: NULL when the interaction is not in
 * the KPI's denominator, else whether it is in its numerator. The columns are generated from the
 * registry's own numerator and denominator, so a QA group's FCR over a set of interactions is the
 * scorecard's FCR over the same set, by construction (`outcomeRate` computes it).
 */
export interface InteractionOutcome {
  id: string;
  channel: string;
  direction: string;
  agent_id: string | null;
  team_id: string | null;
  queue_id: string | null;
  created_at: string;
  customer_key: string | null;
  /** An inbound interaction on a contact channel (everything but the help center). */
  is_contact: boolean;
  /** The customer's tier when the interaction was created. */
  tier: string | null;
  answered: boolean;
  abandoned: boolean;
  /** Where the customer left: 'ivr', 'queue', 'hold' or 'chat_queue'. */
  abandon_stage: string | null;
  short_abandon: boolean;
  /** Seconds to the first public reply by a human (the first_response_time KPI's measure). */
  first_response_seconds: number | null;
  /** Calendar seconds a call waited in the queue. */
  queue_wait_seconds: number | null;
  /** Talk + hold + wrap-up of an answered call; created to resolved for the other channels. */
  handle_seconds: number | null;
  /** Resolved now: as the source records it; for calls (no resolution of their own), answered and no repeat contact. */
  resolved: boolean;
  first_resolved_at: string | null;
  resolved_at: string | null;
  reopens: number;
  callback_requested: boolean;
  /** The bot's own final state as the source names it. */
  bot_state: string | null;
  escalated: boolean;
  /** The latest CSAT rating, 1-5. */
  csat_score: number | null;
  /** Membership of the `fcr` KPI. */
  fcr: boolean | null;
  /** Membership of the `repeat_contact_rate` KPI. */
  repeat_contact: boolean | null;
  /** Membership of the `csat` KPI (a rating of 4 or 5). */
  csat_positive: boolean | null;
  /** Membership of the `reopen_rate` KPI. */
  reopened: boolean | null;
  /** The SLA policy that applies, and how many of its targets were met and breached (0-2 each). */
  sla_policy: string | null;
  sla_met: number;
  sla_breached: number;
}

/** Ratio KPIs shown per interaction, as (column, KPI id). */
const memberships = [
  ['fcr', 'fcr'],
  ['repeat_contact', 'repeat_contact_rate'],
  ['csat_positive', 'csat'],
  ['reopened', 'reopen_rate'],
] as const;

export interface OutcomeRange {
  /** created_at range, UTC instants, start inclusive, end exclusive. */
  start: string;
  end: string;
  config?: MetricsConfig | MetricsConfigInput;
}

/**
 * The reader as a query, for callers that join it with their own tables: `sql` is a complete
 * SELECT (usable as a subquery) binding `params` as $1..$n; more parameters continue at
 * $(n+1). Uses the metrics cache when the warehouse is writable.
 *
 * @example
 * const o = await outcomesQuery(wh, { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' });
 * await wh.all(`SELECT agent_id, count(*) FILTER (WHERE fcr) FROM (${o.sql}) GROUP BY 1`, o.params);
 */
export async function outcomesQuery(warehouse: Warehouse, range: OutcomeRange): Promise<{ sql: string; params: BindValue[] }> {
  const config = metricsConfig(range.config as MetricsConfigInput | undefined);
  const { cached } = await ensureMetricsCache(warehouse);
  const calendars = await calendarsFor(warehouse, config);
  // Business-time clock rows are needed only by business-hours SLA policies (outcomes are calendar time).
  const clock = config.slaPolicies.some((p) => p.businessHours) ? await calendars.clock(range.start, range.end) : [];
  const p = new BindParams();
  const with_ = factsSql(p, {
    config, start: range.start, end: range.end, businessHours: false, clock, calendarOf: calendars.assignments, withTier: true, cached,
  });
  const member = memberships.map(([column, id]) => {
    const c = kpi(id).compute;
    if (c.kind !== 'ratio') throw new Error(`KPI ${id} is not a ratio`);
    return `CASE WHEN ${c.denominator} THEN coalesce(${c.numerator}, false) END AS ${column}`;
  });
  const sql = `${with_}
SELECT id, channel, direction, agent_id, team_id, queue_id, created_at, customer_key, is_contact, tier,
  coalesce(answered, false) AS answered, coalesce(abandoned, false) AS abandoned, abandon_stage, coalesce(short_abandon, false) AS short_abandon,
  frt_s AS first_response_seconds, asa_s AS queue_wait_seconds,
  CASE WHEN channel = 'phone' THEN CASE WHEN answered THEN handle_s END ELSE ttr_s END AS handle_seconds,
  resolved, first_solved_at AS first_resolved_at, resolve_at AS resolved_at, coalesce(reopens, 0) AS reopens,
  coalesce(callback_requested, false) AS callback_requested, bot_state, coalesce(escalated, false) AS escalated, csat AS csat_score,
  ${member.join(',\n  ')},
  sla_policy, sla_met, sla_breached
FROM m_facts`;
  return { sql, params: p.values };
}

/**
 * Every interaction created in the range with its outcome, ordered by id.
 *
 * @example
 * const rows = await interactionOutcomes(wh, { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' });
 * rows[0].fcr // true, false, or null when it is not a resolved contact
 */
export async function interactionOutcomes(warehouse: Warehouse, range: OutcomeRange): Promise<InteractionOutcome[]> {
  const q = await outcomesQuery(warehouse, range);
  return warehouse.all<InteractionOutcome>(`SELECT * FROM (${q.sql}) ORDER BY id`, q.params);
}

/**
 * A ratio KPI over a set of interactions from their memberships: members in the numerator over
 * members in the denominator (NULLs are not members), null when none count.
 *
 * @example
 * outcomeRate([true, false, null]) // 0.5
 */
export function outcomeRate(memberships: readonly (boolean | null | undefined)[]): number | null {
  let n = 0;
  let d = 0;
  for (const m of memberships) {
    if (m === null || m === undefined) continue;
    d++;
    if (m) n++;
  }
  return d ? n / d : null;
}
