import type { Warehouse } from '../database.ts';
import { outcomeDefaults } from '../outcome-definitions.ts';
import { valueForRule, type Period } from './compile-sql.ts';
import { exponentialFromUniform, seededRandom } from './prng.ts';
import { simulateQueues, type ContactOutcome, type QueueStats, type SimAgent, type SimContact, type SimQueue } from './queue-simulation.ts';
import { routingFeatures } from './replay.ts';
import type { Ruleset } from './ruleset-load.ts';
import type { AgentGroup } from './ruleset-schema.ts';

/** Only real-time channels queue: email and social are a backlog worked in batches, not a queue with patience. */
export const simulatedChannels = ['phone', 'chat'] as const;
/**
 * Service-level targets when a queue declares none: for calls the registry's service-level
 * threshold (the metrics config's, 20 s by default), a minute for chats (no chat KPI has one).
 */
const defaultServiceLevelSeconds = (phone: number): Record<string, number> => ({ phone, chat: 60 });
/** Handle time when history has none for the queue or the channel. */
const fallbackHandleSeconds = 300;
/** Extra copies of an arrival under --scale land within this many seconds of the original. */
const scaleJitterSeconds = 1800;

export interface WhatIfOptions {
  period?: Period;
  /** Multiplies the arrivals: 1.2 adds a fifth more contacts around the historical times. */
  scale?: number;
  seed?: number;
  /** The ruleset to compare with; omitted: the queues actually chosen (first routing decision). */
  current?: Ruleset;
  /** Keep per-contact outcomes for drill-down. */
  keepOutcomes?: boolean;
  /** Stops between steps when aborted (the web client went away): the run then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The metrics config's thresholds (service level for calls, short abandons); defaults are the registry's. */
  serviceLevelSeconds?: number;
  shortAbandonSeconds?: number;
}

export type Metric = 'asa' | 'serviceLevel' | 'abandonmentRate' | 'occupancy' | 'slaAchievement';
const metrics: Metric[] = ['asa', 'serviceLevel', 'abandonmentRate', 'occupancy', 'slaAchievement'];

export interface QueueComparison {
  queue: string;
  /** The queue is declared with agents in that scenario's ruleset. */
  staffed: { current: boolean; proposed: boolean };
  current: QueueStats | null;
  proposed: QueueStats | null;
  /** proposed minus current, per metric (null when either side has no value). */
  difference: Record<Metric | 'offered', number | null>;
}

export interface WhatIfReport {
  proposed: string;
  current: string;
  seed: number;
  scale: number;
  period: { from: string | null; to: string | null };
  /** Simulated contacts after scaling. */
  contacts: number;
  historicalContacts: number;
  /** Mean patience per channel estimated from history (seconds); null: nobody ever abandoned. */
  patienceSeconds: Record<string, number | null>;
  queues: QueueComparison[];
  outcomes?: { current: OutcomeRow[]; proposed: OutcomeRow[] };
  seconds: number;
}

export interface OutcomeRow extends Omit<ContactOutcome, 'contact'> {
  interactionId: string;
  queue: string;
}

interface HistoryRow {
  id: string;
  channel: string;
  language: string | null;
  arrival: number;
  first_queue: string | null;
  handle_seconds: number | null;
  queue_wait_seconds: number | null;
  abandoned_in_queue: boolean;
}

/**
 * Patience from history, as an exponential distribution fitted by maximum likelihood with
 * censoring: abandoned contacts show their patience, answered ones only that it exceeded their
 * wait, so the mean is (sum of all queue waits) / (number who abandoned).
 *
 * @example
 * estimatePatience([{ wait: 30, abandoned: true }, { wait: 10, abandoned: false }]); // 40
 */
export function estimatePatience(rows: { wait: number; abandoned: boolean }[]): number | null {
  let total = 0, abandons = 0;
  for (const r of rows) {
    total += r.wait;
    if (r.abandoned) abandons++;
  }
  return abandons > 0 ? total / abandons : null;
}

/** The empirical quantile of a sorted sample at u in [0, 1): drawing handle times from history. */
export function quantile(sorted: number[], u: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(u * sorted.length))];
}

/**
 * What-if: simulates the queues under a proposed ruleset and under the current one (another
 * ruleset, or the actual routing) on the same customers, and compares them per queue. Arrival
 * times come from history (or scaled); handle times from history per queue and channel; patience
 * from the history of abandoned calls and chats; rosters, shifts and concurrency from each
 * ruleset's queues. The same seed gives the same report.
 *
 * @example
 * const report = await simulateWhatIf(wh, loadRuleset('proposed.yaml'), { seed: 7, scale: 1.2 });
 * report.queues[0].difference.serviceLevel; // +0.08
 */
export async function simulateWhatIf(wh: Warehouse, proposed: Ruleset, options: WhatIfOptions = {}): Promise<WhatIfReport> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 20)) throw new RangeError(`scale must be above 0 and at most 20, got ${scale}`);
  const period = options.period ?? {};
  const history = await loadHistory(wh, period);
  options.signal?.throwIfAborted();
  if (history.length === 0) throw new RangeError('no phone or chat interactions in the period: nothing to simulate');

  const patienceSeconds: Record<string, number | null> = {};
  for (const channel of simulatedChannels) {
    patienceSeconds[channel] = estimatePatience(
      history.filter((h) => h.channel === channel && h.queue_wait_seconds !== null).map((h) => ({ wait: h.queue_wait_seconds!, abandoned: h.abandoned_in_queue })),
    );
  }
  const pools = handlePools(history);

  // The simulated customers, drawn once and shared by both scenarios (common random numbers),
  // so a difference between the scenarios is the rulesets', not the dice's.
  const random = seededRandom(seed);
  const origin = Math.floor(history[0].arrival / 86400) * 86400; // UTC midnight of the first day
  const customers: { h: number; arrival: number; uHandle: number; uPatience: number }[] = [];
  history.forEach((row, h) => {
    const whole = Math.floor(scale);
    const copies = whole + (random() < scale - whole ? 1 : 0);
    for (let k = 0; k < copies; k++) {
      const jitter = k === 0 ? 0 : (random() * 2 - 1) * scaleJitterSeconds;
      customers.push({ h, arrival: Math.max(0, row.arrival - origin + jitter), uHandle: random(), uPatience: random() });
    }
  });
  const horizon = customers.reduce((m, c) => Math.max(m, c.arrival), 0);
  const lastDay = new Date((origin + horizon) * 1000).toISOString().slice(0, 10);
  const firstDay = new Date(origin * 1000).toISOString().slice(0, 10);

  const proposedRoutes = await routesFor(wh, proposed, period);
  const currentRoutes = options.current ? await routesFor(wh, options.current, period) : null;

  // The actual routing knows no SLA policy: it is measured against the proposed ruleset's, since
  // an SLA is a promise to the customer whichever queue answers.
  const slaSeconds = (route: Route | undefined, ruleset: Ruleset) =>
    route?.sla ? ruleset.file.slaPolicies[route.sla]?.firstResponseSeconds ?? null : null;

  const targets = defaultServiceLevelSeconds(options.serviceLevelSeconds ?? outcomeDefaults.serviceLevelSeconds);
  const scenario = async (ruleset: Ruleset, routes: Map<string, Route> | null) => {
    const queues: SimQueue[] = ruleset.file.queues.map((q) => ({ id: q.id, serviceLevelSeconds: q.serviceLevelSeconds ?? targets[q.channel] ?? 3600 }));
    const known = new Set(queues.map((q) => q.id));
    const agents: SimAgent[] = [];
    for (const q of ruleset.file.queues) {
      for (const group of q.agents) {
        const shifts = group.shift ? await shiftIntervals(wh, group, firstDay, lastDay, origin) : undefined;
        options.signal?.throwIfAborted();
        for (let n = 0; n < group.count; n++) agents.push({ queue: q.id, skills: group.skills, languages: group.languages, concurrency: group.concurrency, shifts });
      }
    }
    const contacts: SimContact[] = [];
    const index: number[] = [];
    customers.forEach((c, i) => {
      const row = history[c.h];
      // Without a ruleset (actual routing) the queue is the historical one and skills are not known.
      const route = routes ? routes.get(row.id) : undefined;
      const queue = routes ? route?.queue ?? null : row.first_queue;
      if (queue === null || queue === undefined) return;
      if (!known.has(queue)) {
        known.add(queue);
        queues.push({ id: queue, serviceLevelSeconds: targets[row.channel] ?? 3600 });
      }
      const pool = pools.get(`${queue}|${row.channel}`) ?? pools.get(`|${row.channel}`);
      const patience = patienceSeconds[row.channel];
      contacts.push({
        arrival: c.arrival,
        queue,
        skills: route?.skills ?? [],
        language: row.language,
        handleSeconds: pool ? quantile(pool, c.uHandle) : fallbackHandleSeconds,
        patienceSeconds: patience === null || patience === undefined ? Infinity : exponentialFromUniform(c.uPatience, patience),
        slaSeconds: slaSeconds(route ?? proposedRoutes.get(row.id), route ? ruleset : proposed),
      });
      index.push(i);
    });
    const result = simulateQueues(queues, agents, contacts, { horizonSeconds: horizon, keepOutcomes: options.keepOutcomes, shortAbandonSeconds: options.shortAbandonSeconds });
    const staffed = new Set(agents.map((a) => a.queue));
    const outcomes = result.outcomes?.map((o) => ({
      interactionId: history[customers[index[o.contact]].h].id,
      queue: contacts[o.contact].queue,
      outcome: o.outcome,
      waitSeconds: o.waitSeconds,
    }));
    return { stats: new Map(result.queues.map((s) => [s.queue, s])), staffed, outcomes };
  };

  options.signal?.throwIfAborted();
  const proposedRun = await scenario(proposed, proposedRoutes);
  options.signal?.throwIfAborted();
  const currentRun = await scenario(options.current ?? proposed, currentRoutes);
  const queueIds = [...new Set([...proposedRun.stats.keys(), ...currentRun.stats.keys()])].sort();
  const queues: QueueComparison[] = queueIds.map((queue) => {
    const current = currentRun.stats.get(queue) ?? null;
    const prop = proposedRun.stats.get(queue) ?? null;
    const difference = { offered: (prop?.offered ?? 0) - (current?.offered ?? 0) } as Record<Metric | 'offered', number | null>;
    for (const m of metrics) {
      const a = current?.[m], b = prop?.[m];
      difference[m] = a === null || a === undefined || b === null || b === undefined ? null : b - a;
    }
    return { queue, staffed: { current: currentRun.staffed.has(queue), proposed: proposedRun.staffed.has(queue) }, current, proposed: prop, difference };
  });
  return {
    proposed: proposed.name,
    current: options.current ? options.current.name : 'actual routing',
    seed,
    scale,
    period: { from: period.from ?? firstDay, to: period.to ?? null },
    contacts: customers.length,
    historicalContacts: history.length,
    patienceSeconds,
    queues,
    ...(options.keepOutcomes ? { outcomes: { current: currentRun.outcomes!, proposed: proposedRun.outcomes! } } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}

interface Route {
  queue: string | null;
  sla: string | null;
  skills: string[];
}

async function routesFor(wh: Warehouse, ruleset: Ruleset, period: Period): Promise<Map<string, Route>> {
  const rows = await routingFeatures(wh, ruleset, period, [...simulatedChannels]);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        queue: valueForRule(ruleset, 'queue', r.queue_rule) as string | null,
        sla: valueForRule(ruleset, 'sla', r.sla_rule) as string | null,
        skills: (valueForRule(ruleset, 'skills', r.skills_rule) as string[] | null) ?? [],
      },
    ]),
  );
}

/** Historical phone and chat arrivals of the period with their actual first queue and handle time. */
async function loadHistory(wh: Warehouse, period: Period): Promise<HistoryRow[]> {
  const params: string[] = [];
  const where = [`i.channel IN ('phone', 'chat')`, `i.direction = 'inbound'`];
  if (period.from) where.push(`i.created_at >= CAST($${params.push(period.from)} AS TIMESTAMPTZ)`);
  if (period.to) where.push(`i.created_at < CAST($${params.push(period.to)} AS TIMESTAMPTZ)`);
  return wh.all<HistoryRow>(
    `WITH routing_first AS (
       SELECT interaction_id, arg_min(queue_id, seq) AS first_queue FROM routing_decisions GROUP BY interaction_id
     )
     SELECT i.id, i.channel, i.language, epoch(i.created_at) AS arrival,
            coalesce(f.first_queue, i.queue_id) AS first_queue,
            -- Handle time: talk + hold + wrap-up for calls; for chats the time from the first agent
            -- reply to resolution, when under 4 hours (longer is a ticket left open, not work).
            CASE WHEN i.abandoned AND i.abandon_stage IS DISTINCT FROM 'hold' OR i.agent_id IS NULL AND i.talk_seconds IS NULL THEN NULL
                 WHEN i.talk_seconds IS NOT NULL THEN i.talk_seconds + coalesce(i.hold_seconds, 0) + coalesce(i.wrap_up_seconds, 0)
                 WHEN i.first_response_at IS NOT NULL AND coalesce(i.resolved_at, i.closed_at) IS NOT NULL
                      AND epoch(coalesce(i.resolved_at, i.closed_at)) - epoch(i.first_response_at) BETWEEN 1 AND 14400
                   THEN epoch(coalesce(i.resolved_at, i.closed_at)) - epoch(i.first_response_at)
            END AS handle_seconds,
            CASE WHEN i.abandon_stage = 'ivr' THEN NULL ELSE i.queue_wait_seconds END AS queue_wait_seconds,
            coalesce(i.abandoned AND i.abandon_stage IN ('queue', 'chat_queue'), false) AS abandoned_in_queue
     FROM interactions i LEFT JOIN routing_first f ON f.interaction_id = i.id
     WHERE ${where.join(' AND ')}
     ORDER BY i.created_at, i.id`,
    params,
  );
}

/** Sorted handle-time samples per `queue|channel`, and per `|channel` as the fallback. */
function handlePools(history: HistoryRow[]): Map<string, number[]> {
  const pools = new Map<string, number[]>();
  for (const row of history) {
    if (row.handle_seconds === null || !(row.handle_seconds > 0)) continue;
    for (const key of [`${row.first_queue ?? ''}|${row.channel}`, `|${row.channel}`]) {
      const pool = pools.get(key) ?? [];
      pool.push(row.handle_seconds);
      pools.set(key, pool);
    }
  }
  for (const pool of pools.values()) pool.sort((a, b) => a - b);
  return pools;
}

/**
 * A group's shifts as simulation-second intervals. Local wall-clock hours become UTC instants in
 * DuckDB (ICU time zones), so daylight-saving changes move the shift as they do for the people.
 */
async function shiftIntervals(wh: Warehouse, group: AgentGroup, firstDay: string, lastDay: string, origin: number): Promise<[number, number][]> {
  const shift = group.shift!;
  const rows = await wh.all<{ dow: number; s: number; e: number }>(
    `SELECT dayofweek(d)::INTEGER AS dow,
            epoch(timezone($1, d::TIMESTAMP + to_hours($2::INTEGER))) AS s,
            epoch(timezone($1, d::TIMESTAMP + to_hours($3::INTEGER))) AS e
     FROM generate_series(CAST($4 AS DATE) - 1, CAST($5 AS DATE) + 1, INTERVAL 1 DAY) t(d)
     ORDER BY d`,
    [shift.timeZone, shift.start, shift.end, firstDay, lastDay],
  );
  return rows.filter((r) => shift.days.includes(r.dow)).map((r) => [r.s - origin, r.e - origin]);
}

