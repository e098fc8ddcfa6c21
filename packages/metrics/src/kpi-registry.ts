import type { Channel } from '@helpdesk/core';

/**
 * The KPI registry: every KPI defined once, as data. Screens, exports and the CLI read it; the
 * scorecard turns the `compute` part into SQL over the per-interaction facts stage (facts-sql.ts),
 * so a definition and its SQL can never drift apart. Bump the version whenever a formula changes,
 * because it is stamped on every output and saved exports must say which definitions they used.
 */
export const registryVersion = '1.4.0';

export type Unit = 'seconds' | 'ratio' | 'count' | 'score' | 'currency';
export type Direction = 'lower_is_better' | 'higher_is_better' | 'neutral';
/** Which interactions a KPI reads by direction (`Direction` is whether higher is better). */
export type Scope = 'inbound' | 'outbound' | 'both';
export const grains = ['hour', 'day', 'week', 'month'] as const;
export type Grain = (typeof grains)[number];
/** Dimensions a KPI can be cut by (besides the date range, which every KPI takes). */
export const dimensions = ['channel', 'team', 'queue', 'agent', 'tier', 'intent', 'language', 'article', 'priority', 'country', 'outcome'] as const;
export type Dimension = (typeof dimensions)[number];

/**
 * How a KPI is computed from the facts stage (one row per interaction, columns named in
 * facts-sql.ts). Conditions and measures are SQL over those columns, never over user input.
 */
export type KpiCompute =
  /** Median, mean and p90 of `seconds` over the rows where `where` holds. */
  | { kind: 'duration'; seconds: string; where: string }
  /** count(numerator) / count(denominator); the numerator is a subset of the denominator. */
  | { kind: 'ratio'; numerator: string; denominator: string }
  | { kind: 'count'; where: string }
  /**
   * Any aggregate over the facts rows. `rollup` says how the daily rollup (rollup-sql.ts) gives
   * the same number: additive parts (a count or a sum over the facts rows, each stored per cell
   * and summed) and the value as SQL over `{part}`. Without it the KPI is read from the facts.
   */
  | { kind: 'aggregate'; sql: string; rollup?: AggregateRollup }
  /** Computed by its own stage (backlog as-of, concurrency sweep). */
  | { kind: 'stage'; stage: 'backlog' | 'concurrency' }
  /** Computed in TypeScript from other KPIs of the same row (balanced scorecard). */
  | { kind: 'derived'; from: string[] };

/**
 * How an aggregate KPI is computed from additive parts (see KpiCompute). A `due` part is a DATE
 * expression per fact row (NULL for rows it does not hold): a day cell keeps how many rows fall
 * due on each date, and a range counts those due on or before the midnight that ends it.
 */
export interface AggregateRollup {
  parts: Record<string, { kind: 'count' | 'sum' | 'due'; sql: string }>;
  value: string;
}

export interface KpiDefinition {
  id: string;
  name: string;
  channels: readonly Channel[];
  /** The formula in one plain sentence. */
  formula: string;
  /** Which interactions by direction: inbound, outbound or both. */
  scope: Scope;
  /** Which interactions count (statuses and outcomes), in words. */
  counts: string;
  /** Every threshold with its edge (`<`, `<=`, `>=`), or "None.". */
  edges: string;
  unit: Unit;
  direction: Direction;
  dimensions: readonly Dimension[];
  grains: readonly Grain[];
  compute: KpiCompute;
}

const all = ['chat', 'email', 'phone', 'social', 'help_center'] as const satisfies readonly Channel[];
const contacts = ['chat', 'email', 'phone', 'social'] as const satisfies readonly Channel[];
const people: Dimension[] = ['channel', 'team', 'queue', 'agent', 'tier', 'intent', 'language', 'priority', 'country', 'outcome'];
const noAgent: Dimension[] = ['channel', 'team', 'queue', 'tier', 'intent', 'language', 'priority', 'country', 'outcome'];
const every = grains;

/** Every KPI, in the order a scorecard shows them. Ids are snake_case and stable: scripts use them. */
export const kpis: readonly KpiDefinition[] = [
  // Across channels
  { id: 'volume', name: 'Volume', channels: all, unit: 'count', direction: 'neutral', dimensions: [...people, 'article'], grains: every,
    formula: 'Interactions created in the period.',
    scope: "both", counts: "Every interaction created in the period, whatever its status.",
    edges: "None.",
    compute: { kind: 'count', where: 'true' } },
  { id: 'first_response_time', name: 'First response time', channels: ['chat', 'email', 'social'], unit: 'seconds', direction: 'lower_is_better', dimensions: people, grains: every,
    formula: "Time from the customer's first message, or the bot hand-off when that is later, to the first public reply by a human agent; bot messages never count.",
    scope: "both", counts: "Inbound: from creation, the customer's first message or the bot hand-off, whichever is latest. Outbound: from the customer's first reply only; an outbound interaction the customer never answered has none (not 0 s). Open or closed alike; interactions without a human public reply have none.",
    edges: "None (a duration; SLA targets are in sla_achievement).",
    compute: { kind: 'duration', seconds: 'frt_s', where: "channel IN ('chat', 'email', 'social')" } },
  { id: 'time_to_resolution', name: 'Full resolution time', channels: contacts, unit: 'seconds', direction: 'lower_is_better', dimensions: people, grains: every,
    formula: 'Time from creation to the final resolution, for contacts resolved now (calls: answered and not followed by a repeat contact within the repeat window).',
    scope: "inbound", counts: "Inbound contacts the source marks resolved now (resolved = true; a reopened one still open is not), measured to the final resolution (resolved_at). Calls have no resolution of their own: an answered call with no repeat contact within the repeat window is resolved at its end. Outbound interactions never count.",
    edges: "None.",
    compute: { kind: 'duration', seconds: 'ttr_s', where: 'is_contact' } },
  { id: 'first_resolution_time', name: 'First resolution time', channels: contacts, unit: 'seconds', direction: 'lower_is_better', dimensions: people, grains: every,
    formula: 'Time from creation to the first time the contact reached a resolved state, as the source records it (calls: as in full resolution time).',
    scope: "inbound", counts: "Inbound contacts that ever reached a resolved state (first_resolved_at, even when reopened since), measured to that first resolution; calls as in time_to_resolution.",
    edges: "None.",
    compute: { kind: 'duration', seconds: 'first_res_s', where: 'is_contact' } },
  { id: 'reopen_rate', name: 'Reopen rate', channels: contacts, unit: 'ratio', direction: 'lower_is_better', dimensions: people, grains: every,
    formula: 'Interactions reopened at least once divided by interactions ever resolved, both as the source records them, whatever channel they came in on.',
    scope: "both", counts: "Interactions, inbound and outbound, whose source records a resolution lifecycle (resolved not NULL: tickets, conversations, incidents, cases, a phone incident as much as an email) and that ever reached a resolved state (first_resolved_at set, even when reopened since); reopened: the reopen count the source records (every solved -> open transition, a conversation's reopen parts and statistics, an incident's Resolved -> Active) is at least 1. Calls from a phone system have no resolution of their own (resolved NULL) and never count; nor does the help center.",
    edges: "Reopened: reopen count >= 1.",
    compute: { kind: 'ratio', numerator: "channel <> 'help_center' AND tracks_resolution AND ever_solved AND reopens > 0", denominator: "channel <> 'help_center' AND tracks_resolution AND ever_solved" } },
  { id: 'backlog', name: 'Backlog', channels: ['email'], unit: 'count', direction: 'lower_is_better', dimensions: ['channel', 'team', 'queue', 'agent', 'intent', 'language'], grains: ['hour', 'day', 'week', 'month'],
    formula: 'Email interactions open (not solved or closed) at the end of the period, or at --as-of, rebuilt from status events, by age: 0-1 d, 1-3 d, 3-7 d, 7-14 d, over 14 d.',
    scope: "both", counts: "Email interactions not solved or closed at the instant, rebuilt from status events (an interaction with none closes at resolved_at).",
    edges: "Age buckets [0, 1 d), [1 d, 3 d), [3 d, 7 d), [7 d, 14 d), >= 14 d.",
    compute: { kind: 'stage', stage: 'backlog' } },
  { id: 'fcr', name: 'First-contact resolution', channels: contacts, unit: 'ratio', direction: 'higher_is_better', dimensions: people, grains: every,
    formula: 'Handled contacts resolved, never reopened and not followed by another contact of the same customer within the repeat window (7 days), divided by handled contacts (resolved ones; for calls, answered ones).',
    scope: "inbound", counts: "Handled contacts: those the source marks resolved now (chat, email, social: resolved = true; a conversation reopened and still open is not), and answered calls. First-contact resolved: resolved, reopen count 0, and no repeat contact. Calls carry no resolution of their own (resolved is NULL): an answered call counts as resolved when no repeat contact follows within the window. Unanswered and abandoned calls, and outbound interactions, never count.",
    edges: "Repeat contact: the next inbound contact (any channel but the help center) of the same customer at or before created_at + repeat window (<= 7 days by default).",
    compute: { kind: 'ratio', numerator: 'is_contact AND handled AND resolved AND reopens = 0 AND NOT repeat_contact', denominator: 'is_contact AND handled' } },
  { id: 'repeat_contact_rate', name: 'Repeat contact rate', channels: contacts, unit: 'ratio', direction: 'lower_is_better', dimensions: people, grains: every,
    formula: 'Contacts followed by another inbound contact of the same resolved customer on any channel within the window (7 days), divided by contacts of known customers.',
    scope: "inbound", counts: "Inbound contacts (not the help center) whose customer is known, whatever their status.",
    edges: "Repeat: the next inbound contact at or before created_at + repeat window (<= 7 days by default).",
    compute: { kind: 'ratio', numerator: 'is_contact AND repeat_contact', denominator: 'is_contact AND customer_key IS NOT NULL' } },
  { id: 'csat', name: 'CSAT', channels: contacts, unit: 'ratio', direction: 'higher_is_better', dimensions: people, grains: every,
    formula: 'Ratings of 4 or 5 divided by all ratings (1-5).',
    scope: "both", counts: "Interactions with a CSAT rating (the interaction's score, else its latest csat event), whatever their status.",
    edges: "Positive: rating >= 4 on 1-5.",
    compute: { kind: 'ratio', numerator: "channel <> 'help_center' AND csat >= 4", denominator: "channel <> 'help_center' AND csat IS NOT NULL" } },
  { id: 'nps', name: 'NPS', channels: contacts, unit: 'score', direction: 'higher_is_better', dimensions: people, grains: every,
    formula: 'Share of promoters (9-10) minus share of detractors (0-6) among NPS answers, times 100; empty where no NPS survey ran.',
    scope: "both", counts: "NPS answers linked to interactions (the latest answer per interaction).",
    edges: "Promoter >= 9, detractor <= 6 on 0-10.",
    compute: { kind: 'aggregate', sql: "100.0 * (count(*) FILTER (WHERE channel <> 'help_center' AND nps >= 9) - count(*) FILTER (WHERE channel <> 'help_center' AND nps <= 6)) / nullif(count(nps) FILTER (WHERE channel <> 'help_center'), 0)",
      rollup: { value: '100.0 * ({promoters} - {detractors}) / nullif({answers}, 0)', parts: {
        promoters: { kind: 'count', sql: "count(*) FILTER (WHERE channel <> 'help_center' AND nps >= 9)" },
        detractors: { kind: 'count', sql: "count(*) FILTER (WHERE channel <> 'help_center' AND nps <= 6)" },
        answers: { kind: 'count', sql: "count(nps) FILTER (WHERE channel <> 'help_center')" } } } } },
  { id: 'sla_achievement', name: 'SLA achievement', channels: contacts, unit: 'ratio', direction: 'higher_is_better', dimensions: people, grains: every,
    formula: 'First-reply and resolution targets met divided by targets met or breached, each interaction under the first SLA policy matching its channel, priority and tier (open items count once their deadline has passed).',
    scope: "inbound", counts: "Inbound contacts under an SLA policy; each target counts once met or once breached; a target still open counts only after its deadline.",
    edges: "Met: elapsed <= target; breached: elapsed > target (business or calendar time per policy).",
    compute: { kind: 'aggregate', sql: '(sum(sla_met))::DOUBLE / nullif(sum(sla_met) + sum(sla_breached), 0)',
      // A target still waiting is breached once a range ends after its deadline: per day, the
      // waiting targets are kept by the midnight from which they count (facts-sql.ts).
      rollup: { value: '({met})::DOUBLE / nullif({met} + {breachedDone} + {frtDue} + {resolutionDue}, 0)', parts: {
        met: { kind: 'count', sql: 'sum(sla_met)' },
        breachedDone: { kind: 'count', sql: 'sum(sla_breached_done)' },
        frtDue: { kind: 'due', sql: 'sla_frt_due' },
        resolutionDue: { kind: 'due', sql: 'sla_resolution_due' } } } } },
  { id: 'cost_per_resolution', name: 'Cost per resolution', channels: contacts, unit: 'currency', direction: 'lower_is_better', dimensions: noAgent, grains: every,
    formula: 'Agent hours (handle time, or the configured minutes per contact where none is recorded) times the loaded hourly cost of the channel, plus bot conversations times their cost, divided by resolved contacts.',
    scope: "both", counts: "Cost of every contact-channel interaction (inbound and outbound: agent time is spent on both), over inbound contacts resolved now (as in time_to_resolution; calls: answered with no repeat contact).",
    edges: "None.",
    compute: { kind: 'aggregate', sql: "sum(cost) FILTER (WHERE channel <> 'help_center') / nullif(count(*) FILTER (WHERE is_contact AND resolved), 0)",
      rollup: { value: '{cost} / nullif({resolved}, 0)', parts: {
        cost: { kind: 'sum', sql: "sum(cost) FILTER (WHERE channel <> 'help_center')" },
        resolved: { kind: 'count', sql: 'count(*) FILTER (WHERE is_contact AND resolved)' } } } } },
  { id: 'qa_score', name: 'QA score', channels: contacts, unit: 'score', direction: 'higher_is_better', dimensions: people, grains: every,
    formula: 'Mean score of submitted QA reviews (calibration reviews excluded), on the scale of the QA scorecard; empty where nothing was reviewed.',
    scope: "both", counts: "Submitted QA reviews with a score, calibration reviews excluded.",
    edges: "None.",
    compute: { kind: 'aggregate', sql: "avg(qa_score) FILTER (WHERE channel <> 'help_center')",
      rollup: { value: '{total} / nullif({n}, 0)', parts: {
        total: { kind: 'sum', sql: "sum(qa_score) FILTER (WHERE channel <> 'help_center')" },
        n: { kind: 'count', sql: "count(qa_score) FILTER (WHERE channel <> 'help_center')" } } } } },
  { id: 'qa_reviews', name: 'QA reviewed conversations', channels: contacts, unit: 'count', direction: 'neutral', dimensions: people, grains: every,
    formula: 'Conversations with a submitted QA review that counts toward IQS (calibration and spot-check reviews excluded): the sample size behind the QA score.',
    scope: "both", counts: "Reviewed conversations with a counted score.",
    edges: "None.",
    compute: { kind: 'aggregate', sql: "count(qa_score) FILTER (WHERE channel <> 'help_center')",
      rollup: { value: '{n}', parts: { n: { kind: 'count', sql: "count(qa_score) FILTER (WHERE channel <> 'help_center')" } } } } },
  { id: 'qa_score_sd', name: 'QA score spread', channels: contacts, unit: 'score', direction: 'neutral', dimensions: people, grains: every,
    formula: 'Sample standard deviation of the QA scores of the reviewed conversations; with the count it gives the margin of error of the QA score.',
    scope: "both", counts: "Reviewed conversations with a counted score; empty under two.",
    edges: "None.",
    compute: { kind: 'aggregate', sql: "stddev_samp(qa_score) FILTER (WHERE channel <> 'help_center')",
      // The sample variance from n, the sum and the sum of squares (scores are 0-100, few per cell).
      rollup: { value: 'CASE WHEN {n} > 1 THEN sqrt(greatest(({squares} - {total} * {total} / {n}) / ({n} - 1), 0)) END', parts: {
        n: { kind: 'count', sql: "count(qa_score) FILTER (WHERE channel <> 'help_center')" },
        total: { kind: 'sum', sql: "sum(qa_score) FILTER (WHERE channel <> 'help_center')" },
        squares: { kind: 'sum', sql: "sum(qa_score * qa_score) FILTER (WHERE channel <> 'help_center')" } } } } },
  // Chat
  { id: 'concurrency', name: 'Concurrent chats per agent', channels: ['chat'], unit: 'count', direction: 'neutral', dimensions: ['channel', 'team', 'agent'], grains: every,
    formula: 'Time-weighted average number of assigned chats an agent had open at once, over the time the agent had at least one open; concurrency_peak is the most at any instant.',
    scope: "both", counts: "Assigned chats from assignment to close, per agent.",
    edges: "None.",
    compute: { kind: 'stage', stage: 'concurrency' } },
  { id: 'containment_rate', name: 'Bot containment rate', channels: ['chat'], unit: 'ratio', direction: 'higher_is_better', dimensions: noAgent, grains: every,
    formula: 'Chats the bot ended without a human divided by chats the bot took part in.',
    scope: "both", counts: "Chats the bot took part in (bot_involved); contained = bot_contained, the source's flag that no human took over.",
    edges: "None.",
    compute: { kind: 'ratio', numerator: "channel = 'chat' AND bot_contained", denominator: "channel = 'chat' AND bot_involved" } },
  { id: 'containment_quality', name: 'Bot containment quality', channels: ['chat'], unit: 'ratio', direction: 'higher_is_better', dimensions: noAgent, grains: every,
    formula: 'Bot-only chats with no repeat contact by the same resolved customer on any channel within 7 days and no negative CSAT (1-2), divided by chats the bot took part in.',
    scope: "both", counts: "Chats the bot took part in.",
    edges: "Repeat contact within the repeat window (<= 7 days); negative CSAT: rating <= 2.",
    compute: { kind: 'ratio', numerator: "channel = 'chat' AND bot_contained AND NOT repeat_contact AND coalesce(csat, 5) > 2", denominator: "channel = 'chat' AND bot_involved" } },
  // Phone
  { id: 'offered', name: 'Calls offered', channels: ['phone'], unit: 'count', direction: 'neutral', dimensions: noAgent, grains: every,
    formula: 'Inbound calls that reached the line.',
    scope: "inbound", counts: "Inbound calls, whatever happened to them.",
    edges: "None.",
    compute: { kind: 'count', where: 'offered' } },
  { id: 'answered', name: 'Calls answered', channels: ['phone'], unit: 'count', direction: 'neutral', dimensions: people, grains: every,
    formula: 'Inbound calls a human agent answered.',
    scope: "inbound", counts: "Inbound calls the source marks answered (answered = true: a human agent took the call).",
    edges: "None.",
    compute: { kind: 'count', where: 'offered AND answered' } },
  { id: 'abandoned', name: 'Calls abandoned', channels: ['phone'], unit: 'count', direction: 'lower_is_better', dimensions: noAgent, grains: every,
    formula: 'Inbound calls the caller left in the IVR, in the queue or on hold, short abandons included (see abandoned_short).',
    scope: "inbound", counts: "Inbound calls the source marks abandoned (abandoned = true), at any stage (abandon_stage IVR, queue, hold); calls answered never are, whatever their status.",
    edges: "None.",
    compute: { kind: 'count', where: 'offered AND abandoned' } },
  { id: 'abandoned_short', name: 'Short abandons', channels: ['phone'], unit: 'count', direction: 'neutral', dimensions: noAgent, grains: every,
    formula: 'Calls abandoned in the queue strictly sooner than the short-abandon threshold (default 5 s).',
    scope: "inbound", counts: "Inbound calls abandoned in the queue (abandon_stage queue, or not recorded); never IVR hang-ups (see abandoned_ivr) nor callers lost on hold (they had been answered).",
    edges: "Short: the wait the source recorded before hanging up (queue_wait_seconds, never stretched by later events) < short-abandon threshold (5 s by default); a threshold of 0 means none.",
    compute: { kind: 'count', where: 'offered AND short_abandon' } },
  { id: 'abandoned_ivr', name: 'IVR hang-ups', channels: ['phone'], unit: 'count', direction: 'neutral', dimensions: noAgent, grains: every,
    formula: 'Calls the caller ended in the IVR, before asking for an agent: reported apart, never in the abandonment rate.',
    scope: "inbound", counts: "Inbound calls the source marks abandoned in the IVR (abandoned = true, abandon_stage = ivr), however long they stayed.",
    edges: "None.",
    compute: { kind: 'count', where: 'offered AND ivr_abandon' } },
  { id: 'abandonment_rate', name: 'Abandonment rate', channels: ['phone'], unit: 'ratio', direction: 'lower_is_better', dimensions: noAgent, grains: every,
    formula: 'Callers who hung up while waiting in the queue for an agent, divided by calls offered to the queue; short abandons leave both, IVR hang-ups are not offered to the queue (see ivr_abandonment_rate).',
    scope: "inbound", counts: "Offered to the queue: inbound calls except those ended in the IVR (abandon_stage ivr) and short abandons. Abandoned: of those, the ones the source marks abandoned in the queue (abandon_stage queue, or not recorded). A caller lost on hold had been answered: offered, not abandoned here (counted in abandoned).",
    edges: "Short abandon: queue wait < 5 s (default), left out of both; a threshold of 0 means none.",
    compute: { kind: 'ratio', numerator: 'offered AND queue_abandon AND NOT short_abandon', denominator: 'offered AND NOT ivr_abandon AND NOT short_abandon' } },
  { id: 'ivr_abandonment_rate', name: 'IVR hang-up rate', channels: ['phone'], unit: 'ratio', direction: 'neutral', dimensions: noAgent, grains: every,
    formula: 'Calls ended in the IVR before reaching the queue divided by offered calls.',
    scope: "inbound", counts: "Inbound calls; IVR hang-ups: the source marks them abandoned in the IVR (abandon_stage ivr), whatever their length (no short-abandon rule).",
    edges: "None.",
    compute: { kind: 'ratio', numerator: 'offered AND ivr_abandon', denominator: 'offered' } },
  { id: 'average_speed_of_answer', name: 'Speed of answer', channels: ['phone'], unit: 'seconds', direction: 'lower_is_better', dimensions: noAgent, grains: every,
    formula: 'Time answered calls waited in the queue before a human answered.',
    scope: "inbound", counts: "Answered inbound calls.",
    edges: "None.",
    compute: { kind: 'duration', seconds: 'asa_s', where: 'offered AND answered' } },
  { id: 'service_level', name: 'Service level', channels: ['phone'], unit: 'ratio', direction: 'higher_is_better', dimensions: noAgent, grains: every,
    formula: 'Calls answered within the threshold (default 20 s) divided by calls offered to the queue (IVR hang-ups and short abandons left out, as in the abandonment rate).',
    scope: "inbound", counts: "Inbound calls offered to the queue: all but those ended in the IVR (abandon_stage ivr) and short abandons.",
    edges: "Within: queue wait <= service-level threshold (20 s by default); short abandon: wait < 5 s.",
    compute: { kind: 'ratio', numerator: 'offered AND answered AND NOT ivr_abandon AND NOT short_abandon AND within_service_level', denominator: 'offered AND NOT ivr_abandon AND NOT short_abandon' } },
  { id: 'average_hold_time', name: 'Hold time', channels: ['phone'], unit: 'seconds', direction: 'lower_is_better', dimensions: people, grains: every,
    formula: 'Total hold time per answered call (calls never held count as 0).',
    scope: "inbound", counts: "Answered inbound calls (calls never held count 0 s); outbound callbacks are not counted.",
    edges: "None.",
    compute: { kind: 'duration', seconds: 'hold_s', where: 'offered AND answered' } },
  { id: 'aht', name: 'Average handle time', channels: ['phone'], unit: 'seconds', direction: 'lower_is_better', dimensions: people, grains: every,
    formula: 'Talk plus hold plus wrap-up time per answered call.',
    scope: "inbound", counts: "Answered inbound calls; outbound callbacks are not counted.",
    edges: "None.",
    compute: { kind: 'duration', seconds: 'handle_s', where: 'offered AND answered' } },
  { id: 'callback_completion_rate', name: 'Callback completion rate', channels: ['phone', 'chat'], unit: 'ratio', direction: 'higher_is_better', dimensions: noAgent, grains: every,
    formula: 'Callbacks completed within the callback SLA (default 4 h) divided by callbacks requested (on a call or in a chat; the callback may be its own outbound call).',
    scope: "inbound", counts: "Calls and chats with a callback requested (callback_requested = true, or called back by another interaction), requested at the callback_requested event or else when the call ended; completed at the earliest of: the creation of an interaction with callback_of = this one, its own callback_completed event, a child interaction's callback_completed event.",
    edges: "In SLA: completed at or before request + callback SLA (<= 4 h by default).",
    compute: { kind: 'ratio', numerator: "channel IN ('phone', 'chat') AND callback_requested AND callback_in_sla", denominator: "channel IN ('phone', 'chat') AND callback_requested" } },
  // Social
  { id: 'public_response_time', name: 'Public response time', channels: ['social'], unit: 'seconds', direction: 'lower_is_better', dimensions: people, grains: every,
    formula: "Time from the customer's first public post to the first public reply by a human agent.",
    scope: "inbound", counts: "Social threads with a public customer post and a public human reply after it.",
    edges: "None.",
    compute: { kind: 'duration', seconds: 'pub_s', where: "channel = 'social'" } },
  { id: 'public_to_private_rate', name: 'Public-to-private conversion', channels: ['social'], unit: 'ratio', direction: 'neutral', dimensions: people, grains: every,
    formula: 'Public social threads later moved to a private channel (a private message or a transfer to DM) divided by public social threads.',
    scope: "both", counts: "Social threads with a public customer post.",
    edges: "None.",
    compute: { kind: 'ratio', numerator: "channel = 'social' AND public_thread AND moved_private", denominator: "channel = 'social' AND public_thread" } },
  { id: 'sentiment_shift', name: 'Sentiment shift', channels: ['social'], unit: 'score', direction: 'higher_is_better', dimensions: people, grains: every,
    formula: "Mean over social threads of the sentiment score (AFINN, via the sentiment library) of the customer's last message minus that of their first.",
    scope: "both", counts: "Social threads with at least 2 customer messages.",
    edges: "At least 2 messages (>= 2).",
    compute: { kind: 'aggregate', sql: "avg(sentiment_last - sentiment_first) FILTER (WHERE channel = 'social' AND sentiment_messages >= 2)",
      rollup: { value: '{total} / nullif({n}, 0)', parts: {
        total: { kind: 'sum', sql: "sum(sentiment_last - sentiment_first) FILTER (WHERE channel = 'social' AND sentiment_messages >= 2)" },
        n: { kind: 'count', sql: "count(sentiment_last - sentiment_first) FILTER (WHERE channel = 'social' AND sentiment_messages >= 2)" } } } } },
  // Help center
  { id: 'self_service_containment', name: 'Self-service containment', channels: ['help_center'], unit: 'ratio', direction: 'higher_is_better', dimensions: ['channel', 'tier', 'intent', 'language', 'article'], grains: every,
    formula: 'Help-center sessions of identified customers that viewed an article and were not followed by a contact within 24 h, divided by such sessions.',
    scope: "inbound", counts: "Help-center sessions of identified customers that viewed an article.",
    edges: "Followed by a contact: the next inbound contact at or before the session + 24 h (<=).",
    compute: { kind: 'ratio', numerator: 'self_service AND NOT contact_after_session', denominator: 'self_service' } },
  // Balanced speed versus resolution
  { id: 'speed_index', name: 'Speed index', channels: contacts, unit: 'score', direction: 'higher_is_better', dimensions: ['channel', 'team', 'agent'], grains: every,
    formula: 'Mean percentile rank of first response time and resolution time (faster ranks higher), 0 to 1, among the rows of the same report on the same channel when rows are people per channel (an email agent against email agents), else among all rows.',
    scope: "both", counts: "The rows of the same report with both speed KPIs, per channel when rows are people per channel.",
    edges: "None.",
    compute: { kind: 'derived', from: ['first_response_time', 'time_to_resolution'] } },
  { id: 'quality_index', name: 'Quality index', channels: contacts, unit: 'score', direction: 'higher_is_better', dimensions: ['channel', 'team', 'agent'], grains: every,
    formula: 'Mean percentile rank of FCR, CSAT, 1 - reopen rate, 1 - repeat contact rate, and the QA score where it has enough reviews to rank (5 or more, margin of error at most 10 points: the QA dashboard\'s rule), 0 to 1; peers as for the speed index. qa_in_quality_index says whether QA counted.',
    scope: "both", counts: "The rows of the same report with the quality KPIs, per channel when rows are people per channel.",
    edges: "The QA score counts when reviewed conversations >= 5 and the 95 % margin of error <= 10 points; otherwise it is left out (qa_in_quality_index = 0).",
    compute: { kind: 'derived', from: ['fcr', 'reopen_rate', 'repeat_contact_rate', 'csat', 'qa_score', 'qa_reviews', 'qa_score_sd'] } },
  { id: 'fast_but_failing', name: 'Fast but failing', channels: contacts, unit: 'count', direction: 'lower_is_better', dimensions: ['channel', 'team', 'agent'], grains: every,
    formula: 'Flag (1 or 0): the speed index is in the top quartile and the quality index in the bottom quartile of the rows of the same report.',
    scope: "both", counts: "The rows of the same report.",
    edges: "Top quartile: percentile rank >= 0.75; bottom: <= 0.25.",
    compute: { kind: 'derived', from: ['speed_index', 'quality_index'] } },
];

const byId = new Map(kpis.map((k) => [k.id, k]));

/**
 * One KPI by id, or a clear error listing the known ids.
 *
 * @example
 * kpi('csat').unit // 'ratio'
 */
export function kpi(id: string): KpiDefinition {
  const found = byId.get(id);
  if (!found) throw new Error(`unknown KPI "${id}"; known: ${kpis.map((k) => k.id).join(', ')}`);
  return found;
}

/**
 * Resolves a list of ids, adding the KPIs a derived one needs (their values feed it).
 *
 * @example
 * resolveKpis(['fast_but_failing']).map((k) => k.id) // includes 'speed_index', 'fcr', ...
 */
export function resolveKpis(ids: readonly string[]): KpiDefinition[] {
  const wanted = new Set<string>();
  const visit = (id: string) => {
    const def = kpi(id);
    if (def.compute.kind === 'derived') for (const dep of def.compute.from) visit(dep);
    wanted.add(id);
  };
  for (const id of ids) visit(id);
  return kpis.filter((k) => wanted.has(k.id));
}
