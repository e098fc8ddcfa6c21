import { channels, outcomeEdgeSql, tierAtCreationSql } from '@helpdesk/core';
import type { ClockRow } from './business-hours.ts';
import { customerKeyExpression } from './customer-key.ts';
import type { MetricsConfig, SlaPolicy } from './metrics-config.ts';
import type { BindParams } from '@helpdesk/core';

/** The facts cache (facts-cache.ts): m_base of every interaction, rebuilt when the warehouse changes. */
export const factsCacheTable = 'metrics_cache_facts';

/**
 * The facts stage: one row per interaction created in the range, with every measure the KPIs of
 * the registry aggregate. Stages are named CTEs with the `m_` prefix, run as one statement so
 * DuckDB plans the whole scorecard at once (one scan of events, one of interactions).
 *
 * Columns of `m_facts` (the names the registry's SQL uses):
 * id, channel, direction, team_id, queue_id, agent_id, intent, language, priority, country, tier, article_id,
 * created_at, customer_key, is_contact, frt_s, ttr_s, first_res_s, pub_s, asa_s, hold_s, handle_s,
 * ever_solved, tracks_resolution, resolved, handled, reopens, csat, nps, bot_involved, bot_contained, bot_state, escalated,
 * repeat_contact, offered, answered, abandoned, abandon_stage, ivr_abandon, queue_abandon, short_abandon, within_service_level, callback_requested,
 * callback_in_sla, public_thread, moved_private, sentiment_first, sentiment_last,
 * sentiment_messages, qa_score, self_service, contact_after_session, sla_met, sla_breached, sla_policy,
 * cost, outcome (one of `outcomeValues`, for the outcome dimension).
 */
export interface FactsOptions {
  config: MetricsConfig;
  /** Range of `created_at`, UTC instants, start inclusive, end exclusive. */
  start: string;
  end: string;
  /** Duration KPIs in business time instead of calendar time. */
  businessHours: boolean;
  /** Business-clock rows of every calendar (needed when business time is used anywhere). */
  clock: ClockRow[];
  /** Calendar per team and queue, and the fallback one. */
  calendarOf: { teams: Record<string, string>; queues: Record<string, string>; fallback: string };
  /** Join the customer's tier (needed for the tier dimension and tier-based SLA policies). */
  withTier: boolean;
}

/**
 * Which interactions the base stages compute: those created in a range (a scorecard computed in
 * its statement; repeat contact looks `lookAheadSeconds` past its end), those whose id is in a
 * table with an `id` column (the incremental cache refresh, facts-delta.ts), or every one (null:
 * the full cache build). `ids` is a table name the cache itself chose, never user input.
 */
export type BaseScope = { start: string; end: string; lookAheadSeconds: number } | { ids: string } | null;

/**
 * The config-independent stages, ending in `m_base`: one row per interaction with its timestamps
 * and flags, for the interactions of `scope` (see BaseScope).
 */
export function baseStagesSql(p: BindParams, scope: BaseScope, withTier: boolean): string[] {
  const range = scope && 'start' in scope ? scope : null;
  const ids = scope && 'ids' in scope ? scope.ids : null;
  const start = range ? p.add(range.start) : '';
  const end = range ? p.add(range.end) : '';
  const lookAhead = range ? p.add(range.lookAheadSeconds) : '';
  const inRange = (column: string) => (range ? `${column} >= CAST(${start} AS TIMESTAMPTZ) AND ${column} < CAST(${end} AS TIMESTAMPTZ)` : 'true');
  const inScope = ids ? `id IN (SELECT id FROM ${ids})` : inRange('created_at');
  const some = scope !== null;
  const stages: string[] = [];
  stages.push(/* sql */ `
m_interactions AS NOT MATERIALIZED (SELECT * FROM interactions WHERE ${inScope})`);
  // One pass over the events of those interactions. Each event is classified once into a small
  // integer `k` (string tests on 8M rows cost more than the aggregates), then aggregated by it.
  // Agent replies are kept as a list because the first response is the first one after a start
  // that itself depends on other events. Outcomes (resolved, reopens, abandoned, answered) are not
  // read from events: the adapter sets them on the interaction from the vendor's own semantics.
  stages.push(/* sql */ `
m_event_kinds AS (
  SELECT interaction_id, occurred_at, seq, to_value, value_num, CASE type
    WHEN 'message' THEN CASE author_role
      WHEN 'customer' THEN CASE WHEN is_public THEN 1 WHEN NOT is_public THEN 2 ELSE 14 END
      WHEN 'agent' THEN CASE WHEN is_public THEN 3 ELSE 0 END
      ELSE 0 END
    WHEN 'bot_handoff' THEN 4
    WHEN 'transfer' THEN CASE WHEN to_value IN ('private', 'dm', 'direct_message') THEN 5 ELSE 0 END
    WHEN 'callback_requested' THEN 6
    WHEN 'callback_completed' THEN 7
    WHEN 'csat' THEN 8
    WHEN 'article_view' THEN 9
    ELSE 0 END AS k
  FROM events
  ${some ? 'WHERE interaction_id IN (SELECT id FROM m_interactions)' : ''}
),
m_events AS (
  SELECT
    interaction_id,
    min(occurred_at) FILTER (WHERE k IN (1, 2, 14)) AS first_customer_at,
    min(occurred_at) FILTER (WHERE k = 1) AS first_public_customer_at,
    bool_or(k = 2) AS customer_private,
    bool_or(k = 5) AS transferred_private,
    min(occurred_at) FILTER (WHERE k = 4) AS handoff_at,
    list(occurred_at) FILTER (WHERE k = 3) AS agent_public_at,
    min(occurred_at) FILTER (WHERE k = 6) AS callback_requested_at,
    min(occurred_at) FILTER (WHERE k = 7) AS callback_completed_at,
    arg_max(value_num, seq) FILTER (WHERE k = 8) AS csat_event,
    bool_or(k = 9) AS viewed_article
  FROM m_event_kinds
  GROUP BY interaction_id
)`);
  // A callback is often its own interaction (an outbound call): the adapter links it by
  // callback_of; older sources by parent_interaction_id and a callback_completed event.
  stages.push(/* sql */ `
m_child_callbacks AS (
  SELECT id, min(completed_at) AS completed_at FROM (
    SELECT child.parent_interaction_id AS id, e.occurred_at AS completed_at
    FROM interactions child JOIN events e ON e.interaction_id = child.id AND e.type = 'callback_completed'
    WHERE child.parent_interaction_id IS NOT NULL ${some ? 'AND child.parent_interaction_id IN (SELECT id FROM m_interactions)' : ''}
    UNION ALL
    SELECT callback_of, created_at FROM interactions
    WHERE callback_of IS NOT NULL ${some ? 'AND callback_of IN (SELECT id FROM m_interactions)' : ''}
  )
  GROUP BY 1
)`);
  // Repeat contact looks past the range end, over every interaction of the same customer; for a
  // set of ids, over every interaction of their customers (the window partitions by customer).
  const nextContactFrom = range
    ? `WHERE i.created_at >= CAST(${start} AS TIMESTAMPTZ) AND i.created_at < CAST(${end} AS TIMESTAMPTZ) + to_seconds(${lookAhead})`
    : ids
      ? `WHERE ${customerKeyExpression} IN (SELECT ${customerKeyExpression} FROM m_interactions i)`
      : '';
  stages.push(/* sql */ `
m_next_contact AS (
  SELECT id, first_value(contact_at IGNORE NULLS) OVER (
    PARTITION BY customer_key ORDER BY created_at, id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
  ) AS next_contact_at
  FROM (
    SELECT i.id, i.created_at, ${customerKeyExpression} AS customer_key,
      CASE WHEN i.channel <> 'help_center' AND i.direction = 'inbound' THEN i.created_at END AS contact_at
    FROM interactions i
    ${nextContactFrom}
  )
  WHERE customer_key IS NOT NULL
)`);
  if (withTier) {
    // The tier valid at creation (the rule is core's tierAtCreationSql), for the customer as
    // customer-key.ts decides it. A hash join and an aggregate on the interaction id only, because
    // an ASOF join would sort every wide m_raw row.
    stages.push(/* sql */ `
m_tier AS (
  SELECT coalesce(a.customer_id, a.contact_id) AS key, a.value, a.valid_from, a.valid_to
  FROM customer_attributes a
  WHERE a.attribute = 'tier'
),
m_tier_key AS (
  SELECT i.id, ${customerKeyExpression} AS key, i.created_at
  FROM m_interactions i
),
m_tier_at AS (${tierAtCreationSql('m_tier_key', 'm_tier')})`);
  }
  stages.push(/* sql */ `
m_sentiment AS (SELECT * FROM interaction_sentiment),
m_nps AS (SELECT interaction_id, arg_max(score, responded_at) AS nps FROM nps_responses GROUP BY 1),
m_qa AS (
  SELECT interaction_id, avg(score) AS qa_score FROM qa_reviews
  WHERE calibration_session_id IS NULL AND spot_check_of IS NULL AND score IS NOT NULL GROUP BY 1
)`);

  stages.push(/* sql */ `
m_raw AS (
  SELECT
    i.id, i.channel, i.direction, i.team_id, i.queue_id, i.agent_id, i.intent, i.language, i.priority, i.country, i.article_id,
    i.created_at, ${customerKeyExpression} AS customer_key,
    i.channel <> 'help_center' AND i.direction = 'inbound' AS is_contact,
    -- An outbound interaction starts waiting for a reply only once the customer has written back.
    CASE WHEN i.direction = 'outbound' AND e.first_customer_at IS NULL THEN NULL
      ELSE greatest(coalesce(e.first_customer_at, i.created_at), e.handoff_at) END AS frt_start,
    e.first_public_customer_at AS pub_start,
    e.agent_public_at, i.first_response_at,
    -- The outcome as the adapter recorded it. resolved NULL: the source has no notion of
    -- resolution (calls); m_outcome decides those by the repeat-contact rule.
    i.resolved AS source_resolved,
    CASE WHEN i.resolved THEN coalesce(i.resolved_at, i.closed_at) END AS source_resolve_at,
    coalesce(i.first_resolved_at, CASE WHEN i.resolved THEN coalesce(i.resolved_at, i.closed_at) END) AS source_first_resolved_at,
    -- When an interaction without a resolution of its own ended (the end of a call).
    coalesce(i.resolved_at, i.closed_at) AS ended_at,
    i.reopen_count AS reopens,
    coalesce(i.csat_score, e.csat_event) AS csat,
    n.nps, q.qa_score,
    i.bot_involved, i.bot_contained, i.bot_state, i.escalated,
    nc.next_contact_at,
    i.channel = 'phone' AND i.direction = 'inbound' AS offered,
    -- NULL: the source cannot say; then the time a human first answered is the answer.
    coalesce(i.answered, i.first_response_at IS NOT NULL) AS answered,
    i.abandoned, i.abandon_stage,
    -- The wait before hanging up as the source measured it (later events never stretch it); a
    -- caller lost on hold had been answered, so is never a short abandon.
    CASE WHEN i.abandon_stage = 'hold' THEN NULL ELSE i.queue_wait_seconds END AS abandon_after_s,
    i.queue_wait_seconds AS asa_s,
    coalesce(i.hold_seconds, 0) AS hold_s,
    coalesce(i.talk_seconds, 0) + coalesce(i.hold_seconds, 0) + coalesce(i.wrap_up_seconds, 0) AS handle_s,
    -- Requested: the flag, its callback_requested event, or a callback made to it.
    i.callback_requested OR e.callback_requested_at IS NOT NULL OR cb.id IS NOT NULL AS callback_requested,
    -- Requested at its event, else when the requesting interaction ended (a caller who hung up).
    CASE WHEN i.callback_requested OR e.callback_requested_at IS NOT NULL OR cb.id IS NOT NULL
      THEN coalesce(e.callback_requested_at, i.closed_at, i.created_at) END AS callback_requested_at,
    least(e.callback_completed_at, cb.completed_at) AS callback_completed_at,
    e.first_public_customer_at IS NOT NULL AS public_thread,
    coalesce(e.customer_private, false) OR coalesce(e.transferred_private, false) AS moved_private,
    s.first_score AS sentiment_first, s.last_score AS sentiment_last, coalesce(s.customer_messages, 0) AS sentiment_messages,
    i.channel = 'help_center' AND (i.article_id IS NOT NULL OR coalesce(e.viewed_article, false)) AS viewed_article
    ${withTier ? ', t.tier' : ', CAST(NULL AS VARCHAR) AS tier'}
  FROM m_interactions i
  LEFT JOIN m_events e ON e.interaction_id = i.id
  LEFT JOIN m_child_callbacks cb ON cb.id = i.id
  LEFT JOIN m_next_contact nc ON nc.id = i.id
  LEFT JOIN m_sentiment s ON s.interaction_id = i.id
  LEFT JOIN m_nps n ON n.interaction_id = i.id
  LEFT JOIN m_qa q ON q.interaction_id = i.id
  ${withTier ? 'LEFT JOIN m_tier_at t ON t.id = i.id' : ''}
)`);
  stages.push(/* sql */ `
m_base AS (
  SELECT * EXCLUDE (agent_public_at),
    -- A source that sends no agent messages (a phone call, a ticket export) gives its own first reply.
    CASE WHEN len(coalesce(agent_public_at, [])) = 0 THEN first_response_at
      ELSE list_min(list_filter(agent_public_at, lambda x: x >= frt_start)) END AS frt_end,
    CASE WHEN channel = 'social' THEN list_min(list_filter(agent_public_at, lambda x: x >= pub_start)) END AS pub_end
  FROM m_raw
)`);
  return stages;
}

/**
 * The SQL text of the `WITH ...` part ending in `m_facts`; append a SELECT over m_facts. With
 * `cached`, the base rows come from the facts cache table instead of being computed.
 */
export function factsSql(p: BindParams, o: FactsOptions & { cached?: boolean }): string {
  const c = o.config;
  const slaBusiness = c.slaPolicies.some((policy) => policy.businessHours);
  const needClock = o.businessHours || slaBusiness;
  const repeatWindow = p.add(c.repeatWindowSeconds);
  const selfWindow = p.add(c.selfServiceWindowSeconds);
  const shortAbandon = p.add(c.shortAbandonSeconds);
  const serviceLevel = p.add(c.serviceLevelSeconds);
  const callbackSla = p.add(c.callbackSlaSeconds);
  let stages: string[];
  if (o.cached) {
    const start = p.add(o.start);
    const end = p.add(o.end);
    stages = [`m_base AS (SELECT * FROM ${factsCacheTable} WHERE created_at >= CAST(${start} AS TIMESTAMPTZ) AND created_at < CAST(${end} AS TIMESTAMPTZ))`];
  } else {
    const lookAheadSeconds = Math.max(c.repeatWindowSeconds, c.selfServiceWindowSeconds);
    stages = baseStagesSql(p, { start: o.start, end: o.end, lookAheadSeconds }, o.withTier);
  }
  // rid: a small integer key for the business-clock pivot (grouping by the VARCHAR id costs more).
  // MATERIALIZED so that both readers of m_times see the same row numbers.
  // Without business time nothing reads calendar_id, so it is not computed (a CASE per team per row).
  // The outcome of each interaction. Where the source records a resolution it is taken as is;
  // where it has none (resolved NULL: calls), an answered contact counts as resolved at its end
  // when no repeat contact follows within the repeat window, as call centres measure it.
  // `handled` is the FCR denominator: resolved by the source, or answered when it cannot say.
  // Epoch arithmetic: adding an INTERVAL to a TIMESTAMPTZ goes through ICU and is far slower.
  const repeat = `coalesce(is_contact AND ${within('epoch(next_contact_at) - epoch(created_at)', repeatWindow)}, false)`;
  const byRepeatRule = `(source_resolved IS NULL AND answered AND NOT ${repeat})`;
  stages.push(/* sql */ `
m_outcome AS (
  SELECT * EXCLUDE (source_resolve_at, source_first_resolved_at),
    ${repeat} AS repeat_contact,
    coalesce(source_resolved, answered AND NOT ${repeat}) AS resolved,
    coalesce(source_resolved, answered) AS handled,
    CASE WHEN ${byRepeatRule} THEN ended_at ELSE source_first_resolved_at END AS first_solved_at,
    CASE WHEN ${byRepeatRule} THEN ended_at ELSE source_resolve_at END AS resolve_at
  FROM m_base
)`);
  stages.push(`m_times AS ${needClock ? 'MATERIALIZED ' : ''}(SELECT *${needClock ? `, ${calendarExpression(p, o)} AS calendar_id, row_number() OVER () AS rid` : ''} FROM m_outcome)`);

  // Only the business clock and SLA policies read the horizon: a parameter no SQL names would
  // leave a gap in the $n numbering, which DuckDB refuses.
  const horizon = needClock || c.slaPolicies.length ? p.add(o.end) : 'NULL';
  if (needClock) {
    const clock = p.table(o.clock, { calendar_id: 'VARCHAR', start_at: 'TIMESTAMPTZ', end_at: 'TIMESTAMPTZ', open_before: 'DOUBLE' });
    // clock(t) for every instant a duration needs, by one ASOF join, then pivoted back per row.
    stages.push(/* sql */ `
m_clock AS (SELECT * FROM ${clock}),
m_points AS (
  SELECT rid, calendar_id, unnest([0, 1, 2, 3, 4, 5, 6]) AS k,
    unnest([created_at, frt_start, frt_end, first_solved_at, resolve_at, pub_start, pub_end]) AS t
  FROM m_times
),
m_business_points AS (
  SELECT pt.rid, pt.k,
    CASE WHEN c.start_at IS NULL THEN 0
      ELSE c.open_before + least(greatest(epoch(pt.t) - epoch(c.start_at), 0), epoch(c.end_at) - epoch(c.start_at)) END AS b
  FROM m_points pt ASOF LEFT JOIN m_clock c ON c.calendar_id = pt.calendar_id AND pt.t >= c.start_at
  WHERE pt.t IS NOT NULL
),
-- The range end on each calendar's clock: how much business time open items have waited.
m_horizon AS (
  SELECT h.calendar_id,
    CASE WHEN c.start_at IS NULL THEN 0
      ELSE c.open_before + least(greatest(epoch(h.t) - epoch(c.start_at), 0), epoch(c.end_at) - epoch(c.start_at)) END AS b_horizon
  FROM (SELECT DISTINCT calendar_id, CAST(${horizon} AS TIMESTAMPTZ) AS t FROM m_clock) h
  ASOF LEFT JOIN m_clock c ON c.calendar_id = h.calendar_id AND h.t >= c.start_at
),
m_business AS (
  SELECT rid,
    max(b) FILTER (WHERE k = 0) AS b_created, max(b) FILTER (WHERE k = 1) AS b_frt_start, max(b) FILTER (WHERE k = 2) AS b_frt_end,
    max(b) FILTER (WHERE k = 3) AS b_first_solved, max(b) FILTER (WHERE k = 4) AS b_resolve, max(b) FILTER (WHERE k = 5) AS b_pub_start,
    max(b) FILTER (WHERE k = 6) AS b_pub_end
  FROM m_business_points GROUP BY rid
)`);
  }
  const cal = {
    frt: 'epoch(t.frt_end) - epoch(t.frt_start)',
    ttr: 'epoch(t.resolve_at) - epoch(t.created_at)',
    firstRes: 'epoch(t.first_solved_at) - epoch(t.created_at)',
    pub: 'epoch(t.pub_end) - epoch(t.pub_start)',
    frtElapsed: `epoch(CAST(${horizon} AS TIMESTAMPTZ)) - epoch(t.frt_start)`,
    ttrElapsed: `epoch(CAST(${horizon} AS TIMESTAMPTZ)) - epoch(t.created_at)`,
  };
  const bus = {
    frt: 't.b_frt_end - t.b_frt_start',
    ttr: 't.b_resolve - t.b_created',
    firstRes: 't.b_first_solved - t.b_created',
    pub: 't.b_pub_end - t.b_pub_start',
    frtElapsed: 't.b_horizon - t.b_frt_start',
    ttrElapsed: 't.b_horizon - t.b_created',
  };
  const kpiClock = o.businessHours ? bus : cal;
  const sla = slaExpressions(p, c.slaPolicies, cal, bus);
  const cost = costExpression(p, c);
  // Which SLA policy applies is decided once per row; targets are then looked up by its index.
  stages.push(/* sql */ `
m_sla AS (
  SELECT t.*${needClock ? ', b.* EXCLUDE (rid), hz.b_horizon' : ''}, ${sla.index} AS sla_idx
  FROM m_times t ${needClock ? 'LEFT JOIN m_business b ON b.rid = t.rid LEFT JOIN m_horizon hz ON hz.calendar_id = t.calendar_id' : ''}
)`);
  stages.push(/* sql */ `
m_facts AS (
  SELECT t.*,
    ${kpiClock.frt} AS frt_s,
    ${kpiClock.ttr} AS ttr_s,
    ${kpiClock.firstRes} AS first_res_s,
    ${kpiClock.pub} AS pub_s,
    t.first_solved_at IS NOT NULL AS ever_solved,
    -- The source records a resolution lifecycle (a ticket, conversation, incident or case, on any
    -- channel); a phone system's calls do not (resolved NULL), so they have nothing to reopen.
    t.source_resolved IS NOT NULL AS tracks_resolution,
    ${ivrAbandon} AS ivr_abandon,
    ${queueAbandon} AS queue_abandon,
    ${queueAbandon} AND coalesce(${outcomeEdgeSql.shortAbandon('t.abandon_after_s', shortAbandon)}, false) AS short_abandon,
    coalesce(${within('t.asa_s', serviceLevel)}, false) AS within_service_level,
    coalesce(${within('epoch(t.callback_completed_at) - epoch(t.callback_requested_at)', callbackSla)}, false) AS callback_in_sla,
    t.viewed_article AND t.customer_key IS NOT NULL AS self_service,
    coalesce(${within('epoch(t.next_contact_at) - epoch(t.created_at)', selfWindow)}, false) AS contact_after_session,
    ${sla.policy} AS sla_policy,
    ${sla.met} AS sla_met,
    ${sla.breached} AS sla_breached,
    ${sla.breachedDone} AS sla_breached_done,
    ${sla.frtDue} AS sla_frt_due,
    ${sla.resolutionDue} AS sla_resolution_due,
    ${cost} AS cost,
    ${outcomeSql} AS outcome
  FROM m_sla t
)`);
  return `WITH ${stages.map((s) => s.trim()).join(',\n')}`;
}

/** The outcome dimension's values, in the order the first that holds wins. */
export const outcomeValues = ['abandoned', 'bot_contained', 'escalated', 'resolved', 'unresolved'] as const;
export type OutcomeValue = (typeof outcomeValues)[number];

/**
 * What happened to an interaction, as one value: abandoned (left before an agent took it, as the
 * adapter recorded), else bot-contained, else escalated (by the vendor's notion, even when later
 * resolved), else resolved (m_outcome's `resolved`: the recorded resolution, or for a call an
 * answer not followed by a repeat contact), else unresolved.
 */
const outcomeSql = `CASE WHEN coalesce(t.abandoned, false) THEN 'abandoned' WHEN coalesce(t.bot_contained, false) THEN 'bot_contained'
      WHEN coalesce(t.escalated, false) THEN 'escalated' WHEN coalesce(t.resolved, false) THEN 'resolved' ELSE 'unresolved' END`;

/**
 * Where an abandoning caller was lost, as the adapter recorded it (abandon_stage). Abandonment is
 * leaving while waiting for an agent: in a queue (phone or chat). A hang-up in the IVR never reached
 * the queue (no agent was asked for yet), and a caller lost on hold had been answered; both are
 * counted apart. A source that records an abandon without its stage is taken at its word: the
 * customer left before an agent took it, so in the queue.
 */
const ivrAbandon = "coalesce(t.abandoned AND t.abandon_stage = 'ivr', false)";
const queueAbandon = "coalesce(t.abandoned AND coalesce(t.abandon_stage NOT IN ('ivr', 'hold'), true), false)";

/** At or before a threshold (`<=`): the one edge of every "within" in the registry (core's outcome definitions). */
const within = outcomeEdgeSql.within;

function calendarExpression(p: BindParams, o: FactsOptions): string {
  const parts: string[] = [];
  for (const [queue, calendar] of Object.entries(o.calendarOf.queues)) parts.push(`WHEN queue_id = ${p.add(queue)} THEN ${p.add(calendar)}`);
  for (const [team, calendar] of Object.entries(o.calendarOf.teams)) parts.push(`WHEN team_id = ${p.add(team)} THEN ${p.add(calendar)}`);
  const fallback = p.add(o.calendarOf.fallback);
  return parts.length ? `CASE ${parts.join(' ')} ELSE ${fallback} END` : `CAST(${fallback} AS VARCHAR)`;
}

type Clock = Record<'frt' | 'ttr' | 'frtElapsed' | 'ttrElapsed', string>;

/** Which policy applies (the first that matches, as a 1-based index), and how many of its targets were met or breached. */
function slaExpressions(p: BindParams, policies: SlaPolicy[], cal: Clock, bus: Clock) {
  if (policies.length === 0) {
    return { index: 'CAST(NULL AS INTEGER)', policy: 'CAST(NULL AS VARCHAR)', met: '0', breached: '0', breachedDone: '0', frtDue: 'CAST(NULL AS DATE)', resolutionDue: 'CAST(NULL AS DATE)' };
  }
  const contact = "t.channel <> 'help_center' AND t.direction = 'inbound'";
  const matches = policies.map((policy) => {
    const conds = [contact];
    const list = (column: string, values?: string[]) => {
      if (values && values.length) conds.push(`${column} IN (${values.map((v) => p.add(v)).join(', ')})`);
    };
    list('t.channel', policy.channels);
    list('t.priority', policy.priorities);
    list('t.tier', policy.tiers);
    return conds.join(' AND ');
  });
  const index = `CASE ${matches.map((m, n) => `WHEN ${m} THEN ${n + 1}`).join(' ')} END`;
  // A CASE, not a list literal indexed by sla_idx: DuckDB would build that list once per row.
  const pick = (values: string[], type: string) => `CAST(CASE t.sla_idx ${values.map((v, n) => `WHEN ${n + 1} THEN ${v}`).join(' ')} END AS ${type})`;
  const target = (seconds?: number) => (seconds === undefined ? 'NULL' : p.add(seconds));
  const frtTarget = pick(policies.map((policy) => target(policy.firstReplySeconds)), 'DOUBLE');
  const resTarget = pick(policies.map((policy) => target(policy.resolutionSeconds)), 'DOUBLE');
  const anyBusiness = policies.some((policy) => policy.businessHours);
  // The flags come from the validated config (booleans), not from text, so they are literals.
  const business = pick(policies.map((policy) => String(policy.businessHours)), 'BOOLEAN');
  const clocked = (key: keyof Clock) => (anyBusiness ? `(CASE WHEN ${business} THEN ${bus[key]} ELSE ${cal[key]} END)` : `(${cal[key]})`);
  const frt = clocked('frt');
  const ttr = clocked('ttr');
  const met = `(coalesce(t.frt_end IS NOT NULL AND ${within(frt, frtTarget)}, false))::INTEGER
      + (coalesce(t.resolve_at IS NOT NULL AND ${within(ttr, resTarget)}, false))::INTEGER`;
  // An item still waiting is a breach only once its deadline has passed by the end of the range.
  const breached = `(coalesce(CASE WHEN t.frt_end IS NOT NULL THEN NOT ${within(frt, frtTarget)} ELSE NOT ${within(clocked('frtElapsed'), frtTarget)} END, false))::INTEGER
      + (coalesce(CASE WHEN t.resolve_at IS NOT NULL THEN NOT ${within(ttr, resTarget)} ELSE NOT ${within(clocked('ttrElapsed'), resTarget)} END, false))::INTEGER`;
  // The same breaches split for the daily rollup: those of targets already answered, which no
  // range end changes, and for each target still waiting the first UTC midnight at which it
  // counts as breached (a range ending at that midnight or later counts it). Calendar time only:
  // the rollup answers sla_achievement only when every policy counts calendar time.
  const breachedDone = `(coalesce(t.frt_end IS NOT NULL AND NOT ${within(cal.frt, frtTarget)}, false))::INTEGER
      + (coalesce(t.resolve_at IS NOT NULL AND NOT ${within(cal.ttr, resTarget)}, false))::INTEGER`;
  const frtDue = `CASE WHEN t.frt_end IS NULL AND t.frt_start IS NOT NULL AND ${frtTarget} IS NOT NULL THEN ${firstBreachMidnight('epoch(t.frt_start)', frtTarget)} END`;
  const resolutionDue = `CASE WHEN t.resolve_at IS NULL AND ${resTarget} IS NOT NULL THEN ${firstBreachMidnight('epoch(t.created_at)', resTarget)} END`;
  return { index, policy: pick(policies.map((policy) => p.add(policy.id)), 'VARCHAR'), met, breached, breachedDone, frtDue, resolutionDue };
}

/**
 * The first UTC midnight h at which a target of `target` seconds from `startEpoch` counts as
 * breached, as a DATE: the least h with NOT (epoch(h) - start <= target), evaluated with the very
 * double arithmetic the facts apply to a range end (cal.frtElapsed), so the two agree at the edge.
 * Mathematically h is the midnight after start + target; the candidates around it absorb the
 * rounding of that estimate.
 */
function firstBreachMidnight(startEpoch: string, target: string): string {
  const estimate = `(CAST(floor((${startEpoch} + ${target}) / 86400) AS BIGINT) - 1)`;
  const breachedAt = (k: number) => `NOT ${within(`CAST((${estimate} + ${k}) * 86400 AS DOUBLE) - ${startEpoch}`, target)}`;
  const day = (k: number) => `CAST(DATE '1970-01-01' + CAST(${estimate} + ${k} AS INTEGER) AS DATE)`;
  return `CASE ${[0, 1, 2, 3].map((k) => `WHEN ${breachedAt(k)} THEN ${day(k)}`).join(' ')} ELSE ${day(4)} END`;
}

/** Loaded cost of one interaction: agent time at the channel's hourly rate plus the bot's cost. */
function costExpression(p: BindParams, c: MetricsConfig): string {
  const rate = `CASE t.channel ${channels.map((ch) => `WHEN '${ch}' THEN CAST(${p.add(c.costs.agentHour[ch] ?? 0)} AS DOUBLE)`).join(' ')} END`;
  const minutes = `CASE t.channel ${channels.map((ch) => `WHEN '${ch}' THEN CAST(${p.add(c.costs.handleMinutes[ch] ?? 0)} AS DOUBLE)`).join(' ')} END`;
  const agentSeconds = `CASE WHEN t.agent_id IS NULL OR t.bot_contained THEN 0 WHEN t.channel = 'phone' THEN t.handle_s ELSE ${minutes} * 60 END`;
  const bot = `CASE WHEN t.bot_involved THEN CAST(${p.add(c.costs.botConversation)} AS DOUBLE) ELSE 0 END`;
  return `(${agentSeconds}) / 3600.0 * ${rate} + ${bot}`;
}
