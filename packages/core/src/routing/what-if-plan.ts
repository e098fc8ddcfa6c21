/**
 * The arithmetic of a what-if, apart from the warehouse. what-if.ts reads history, routes and
 * shift calendars from DuckDB into a plan of plain data; `runWhatIfPlan` turns the plan into the
 * report: the simulated customers, both scenarios' queues and the comparison. It is synchronous,
 * pure and imports nothing that touches the warehouse, so it runs the same in the calling thread
 * (CLI, exports) or in a worker thread (the web server, whose request thread must stay free
 * while a large simulation runs): a plan is structured-cloneable and the same plan gives the same
 * report wherever it runs.
 */
import { outcomeDefaults } from '../outcome-definitions.ts';
import type { Period } from './compile-sql.ts';
import { exponentialFromUniform, seededRandom } from './prng.ts';
import { simulateQueues, type ContactOutcome, type QueueStats, type SimAgent, type SimContact, type SimQueue } from './queue-simulation.ts';
import type { RulesetFile } from './ruleset-schema.ts';

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
export const scaleJitterSeconds = 1800;

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

/** A historical phone or chat arrival with its actual first queue and handle time. */
export interface HistoryRow {
  id: string;
  channel: string;
  language: string | null;
  /** Epoch seconds. */
  arrival: number;
  first_queue: string | null;
  handle_seconds: number | null;
  queue_wait_seconds: number | null;
  abandoned_in_queue: boolean;
}

/** Where a ruleset sends one interaction. */
export interface Route {
  queue: string | null;
  sla: string | null;
  skills: string[];
}

/** One local day of a shift pattern: the day (`YYYY-MM-DD`), its weekday (0 = Sunday), the shift's start and end as epoch seconds. */
export interface ShiftDay {
  day: string;
  dow: number;
  s: number;
  e: number;
}

/** One scenario's ruleset as data: its name, its file (queues, agents, SLA policies) and its routes (null: the actual routing). */
export interface ScenarioPlan {
  name: string;
  file: RulesetFile;
  routes: Map<string, Route> | null;
}

/** Everything a what-if needs from the warehouse, as plain (structured-cloneable) data. */
export interface WhatIfPlan {
  seed: number;
  scale: number;
  period: Period;
  /** In arrival order (created_at, id); never empty. */
  history: HistoryRow[];
  proposed: ScenarioPlan & { routes: Map<string, Route> };
  /** The ruleset to compare with; null: the queues actually chosen. */
  current: ScenarioPlan | null;
  /** Per shift pattern (`shiftKey`), its days from the day before the first arrival to the day after the last one the scaled arrivals can reach. */
  shiftDays: Record<string, ShiftDay[]>;
  keepOutcomes: boolean;
  serviceLevelSeconds?: number;
  shortAbandonSeconds?: number;
  /** Seconds spent reading the warehouse; the report's `seconds` adds the simulation's. */
  preparedSeconds: number;
}

type Shift = NonNullable<RulesetFile['queues'][number]['agents'][number]['shift']>;

/** The key of a shift pattern's days in `WhatIfPlan.shiftDays`: its zone and hours (the weekdays are filtered when used). */
export function shiftKey(shift: Pick<Shift, 'timeZone' | 'start' | 'end'>): string {
  return JSON.stringify([shift.timeZone, shift.start, shift.end]);
}

/** Midnight UTC of the day `epochSeconds` falls on, as `YYYY-MM-DD`. */
export function utcDay(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
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
 * Simulates both scenarios of a plan on the same customers and compares them per queue. Arrival
 * times come from history (or scaled); handle times from history per queue and channel; patience
 * from the history of abandoned calls and chats; rosters, shifts and concurrency from each
 * ruleset's queues. The same plan gives the same report. `signal` is checked between the steps
 * (in a worker, cancelling ends the thread instead).
 *
 * @example
 * const report = runWhatIfPlan(await prepareWhatIf(wh, proposed, { seed: 7 }));
 */
export function runWhatIfPlan(plan: WhatIfPlan, signal?: AbortSignal): WhatIfReport {
  const started = performance.now();
  const { history, seed, scale, period } = plan;
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
  const lastDay = utcDay(origin + horizon);
  const firstDay = utcDay(origin);
  // Shifts run from the day before the first day to the day after the last (local days straddle UTC ones).
  const lastShiftDay = utcDay(origin + horizon + 86400);

  const proposedRoutes = plan.proposed.routes;
  const proposedFile = plan.proposed.file;
  // The actual routing knows no SLA policy: it is measured against the proposed ruleset's, since
  // an SLA is a promise to the customer whichever queue answers.
  const slaSeconds = (route: Route | undefined, file: RulesetFile) =>
    route?.sla ? file.slaPolicies[route.sla]?.firstResponseSeconds ?? null : null;

  const targets = defaultServiceLevelSeconds(plan.serviceLevelSeconds ?? outcomeDefaults.serviceLevelSeconds);
  const scenario = (file: RulesetFile, routes: Map<string, Route> | null) => {
    const queues: SimQueue[] = file.queues.map((q) => ({ id: q.id, serviceLevelSeconds: q.serviceLevelSeconds ?? targets[q.channel] ?? 3600 }));
    const known = new Set(queues.map((q) => q.id));
    const agents: SimAgent[] = [];
    for (const q of file.queues) {
      for (const group of q.agents) {
        const shift = group.shift;
        const shifts = shift
          ? (plan.shiftDays[shiftKey(shift)] ?? [])
              .filter((r) => r.day <= lastShiftDay && shift.days.includes(r.dow))
              .map((r): [number, number] => [r.s - origin, r.e - origin])
          : undefined;
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
        slaSeconds: slaSeconds(route ?? proposedRoutes.get(row.id), route ? file : proposedFile),
      });
      index.push(i);
    });
    const result = simulateQueues(queues, agents, contacts, { horizonSeconds: horizon, keepOutcomes: plan.keepOutcomes, shortAbandonSeconds: plan.shortAbandonSeconds });
    const staffed = new Set(agents.map((a) => a.queue));
    const outcomes = result.outcomes?.map((o) => ({
      interactionId: history[customers[index[o.contact]].h].id,
      queue: contacts[o.contact].queue,
      outcome: o.outcome,
      waitSeconds: o.waitSeconds,
    }));
    return { stats: new Map(result.queues.map((s) => [s.queue, s])), staffed, outcomes };
  };

  signal?.throwIfAborted();
  const proposedRun = scenario(proposedFile, proposedRoutes);
  signal?.throwIfAborted();
  const currentRun = scenario((plan.current ?? plan.proposed).file, plan.current ? plan.current.routes : null);
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
    proposed: plan.proposed.name,
    current: plan.current ? plan.current.name : 'actual routing',
    seed,
    scale,
    period: { from: period.from ?? firstDay, to: period.to ?? null },
    contacts: customers.length,
    historicalContacts: history.length,
    patienceSeconds,
    queues,
    ...(plan.keepOutcomes ? { outcomes: { current: currentRun.outcomes!, proposed: proposedRun.outcomes! } } : {}),
    seconds: plan.preparedSeconds + (performance.now() - started) / 1000,
  };
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
