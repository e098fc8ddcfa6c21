/**
 * A discrete-event simulation of contact-centre queues. Pure and deterministic: every random
 * quantity (arrival times, handle times, patience) is drawn by the caller and passed in, so the
 * same contacts always give the same result, and two rulesets can be compared on the very same
 * customers (common random numbers).
 *
 * Model: each contact joins its queue at `arrival`. It is served at once by an eligible agent of
 * that queue with a free slot (on shift, required skills held, language spoken), else it waits
 * first-come first-served and hangs up after `patienceSeconds`. An agent holds up to
 * `concurrency` contacts (several chats, one call); when a slot frees it takes the longest-waiting
 * contact it is eligible for. An agent whose shift ends finishes its contacts and takes no more.
 *
 * Service level and abandonment follow the KPI registry's definitions (outcome-definitions.ts):
 * a contact that hangs up strictly sooner than the short-abandon threshold is a short abandon and
 * leaves both ratios; "answered within the target" is a wait at or below it.
 */
import { isShortAbandon, isWithin, outcomeDefaults, serviceLevelAndAbandonment } from '../outcome-definitions.ts';

export interface SimContact {
  /** Seconds from the start of the simulation. */
  arrival: number;
  queue: string;
  skills: readonly string[];
  language: string | null;
  handleSeconds: number;
  /** How long the customer waits before hanging up; Infinity for never. */
  patienceSeconds: number;
  /** First-response target of the contact's SLA policy, seconds; null when it has none. */
  slaSeconds: number | null;
}

export interface SimAgent {
  queue: string;
  skills: readonly string[];
  /** Empty: speaks every language. */
  languages: readonly string[];
  concurrency: number;
  /** On-shift intervals [start, end) in simulation seconds, sorted; omitted means always on. */
  shifts?: readonly (readonly [number, number])[];
}

export interface SimQueue {
  id: string;
  /** Service-level target in seconds. */
  serviceLevelSeconds: number;
}

export interface SimOptions {
  /** Contacts arriving before this are simulated (to fill the system) but not counted. */
  warmupSeconds?: number;
  /** End of the measured window for occupancy; defaults to the last arrival. */
  horizonSeconds?: number;
  /** Keep each contact's outcome (for drill-down). */
  keepOutcomes?: boolean;
  /** Abandons after strictly fewer seconds are short abandons; default the metrics default (5 s). */
  shortAbandonSeconds?: number;
}

export interface QueueStats {
  queue: string;
  offered: number;
  answered: number;
  abandoned: number;
  /** Abandoned strictly sooner than the short-abandon threshold (included in `abandoned`). */
  shortAbandoned: number;
  /** Still waiting when the simulation ran out of agents (no one on shift or eligible, ever again). */
  unserved: number;
  /** Average speed of answer over answered contacts, seconds. */
  asa: number | null;
  /** Share of offered contacts that waited at all. */
  pWait: number | null;
  /** Contacts answered within the queue's target (wait <= target) over offered minus short abandons. */
  serviceLevel: number | null;
  /** Abandoned minus short abandons over offered minus short abandons. */
  abandonmentRate: number | null;
  /** Busy slot-seconds over staffed slot-seconds (agents x concurrency x time on shift). */
  occupancy: number | null;
  /** Share of contacts with an SLA policy answered within its first-response target. */
  slaAchievement: number | null;
  serviceLevelSeconds: number;
}

export interface ContactOutcome {
  /** Index into the contacts array. */
  contact: number;
  outcome: 'answered' | 'abandoned' | 'unserved';
  waitSeconds: number;
}

export interface SimResult {
  queues: QueueStats[];
  outcomes?: ContactOutcome[];
}

// Event kinds, ordered so that at equal times departures free slots before arrivals look for one.
const DEPART = 0, SHIFT_START = 1, ARRIVE = 2, ABANDON = 3, SHIFT_END = 4;

/** A binary min-heap over (time, kind, seq) packed in parallel arrays: no allocation per event. */
class EventHeap {
  private time: number[] = [];
  private kind: number[] = [];
  private a: number[] = [];
  private b: number[] = [];
  private seq: number[] = [];
  private counter = 0;
  get size() {
    return this.time.length;
  }
  push(time: number, kind: number, a: number, b = 0) {
    const t = this.time, k = this.kind;
    let i = t.length;
    t.push(time); k.push(kind); this.a.push(a); this.b.push(b); this.seq.push(this.counter++);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  /** Removes the earliest event into `out`. */
  pop(out: { time: number; kind: number; a: number; b: number }) {
    out.time = this.time[0]; out.kind = this.kind[0]; out.a = this.a[0]; out.b = this.b[0];
    const last = this.time.length - 1;
    this.swap(0, last);
    this.time.pop(); this.kind.pop(); this.a.pop(); this.b.pop(); this.seq.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
  private less(i: number, j: number) {
    const t = this.time;
    if (t[i] !== t[j]) return t[i] < t[j];
    if (this.kind[i] !== this.kind[j]) return this.kind[i] < this.kind[j];
    return this.seq[i] < this.seq[j];
  }
  private swap(i: number, j: number) {
    for (const arr of [this.time, this.kind, this.a, this.b, this.seq]) {
      const x = arr[i];
      arr[i] = arr[j];
      arr[j] = x;
    }
  }
}

function eligible(agent: SimAgent, c: SimContact): boolean {
  for (const s of c.skills) if (!agent.skills.includes(s)) return false;
  return agent.languages.length === 0 || c.language === null || agent.languages.includes(c.language);
}

/**
 * Runs the simulation.
 *
 * @example
 * simulateQueues(
 *   [{ id: 'q', serviceLevelSeconds: 20 }],
 *   [{ queue: 'q', skills: [], languages: [], concurrency: 1 }],
 *   [{ arrival: 0, queue: 'q', skills: [], language: null, handleSeconds: 60, patienceSeconds: Infinity, slaSeconds: null }],
 * ).queues[0].answered; // 1
 */
export function simulateQueues(queues: readonly SimQueue[], agents: readonly SimAgent[], contacts: readonly SimContact[], options: SimOptions = {}): SimResult {
  const warmup = options.warmupSeconds ?? 0;
  const shortAbandonSeconds = options.shortAbandonSeconds ?? outcomeDefaults.shortAbandonSeconds;
  const horizon = options.horizonSeconds ?? contacts.reduce((m, c) => Math.max(m, c.arrival), 0);
  const queueIndex = new Map(queues.map((q, i) => [q.id, i]));
  const nq = queues.length;
  const offered = new Float64Array(nq), answered = new Float64Array(nq), abandoned = new Float64Array(nq), shortAbandoned = new Float64Array(nq);
  const waitSum = new Float64Array(nq), waited = new Float64Array(nq), withinTarget = new Float64Array(nq);
  const slaCount = new Float64Array(nq), slaMet = new Float64Array(nq), busy = new Float64Array(nq), staffed = new Float64Array(nq);

  // Per contact: 0 waiting/not arrived, 1 answered, 2 abandoned.
  const state = new Uint8Array(contacts.length);
  const waitOf = new Float64Array(contacts.length);
  const waiting: number[][] = queues.map(() => []);
  const head = new Int32Array(nq);
  const agentsOf: number[][] = queues.map(() => []);
  const active = new Int32Array(agents.length);
  const onShift = new Uint8Array(agents.length);
  const heap = new EventHeap();

  agents.forEach((agent, i) => {
    const q = queueIndex.get(agent.queue);
    if (q === undefined) throw new Error(`agent ${i} staffs unknown queue "${agent.queue}"`);
    agentsOf[q].push(i);
    const shifts = agent.shifts ?? [[-Infinity, Infinity]];
    for (const [s, e] of shifts) {
      if (s === -Infinity) onShift[i] = 1;
      else heap.push(s, SHIFT_START, i);
      if (e !== Infinity) heap.push(e, SHIFT_END, i);
      staffed[q] += Math.max(0, Math.min(e, horizon) - Math.max(s, warmup)) * agent.concurrency;
    }
  });
  contacts.forEach((c, i) => {
    if (!queueIndex.has(c.queue)) throw new Error(`contact ${i} is routed to unknown queue "${c.queue}"`);
    heap.push(c.arrival, ARRIVE, i);
  });

  const counted = (c: SimContact) => c.arrival >= warmup;
  const start = (agentIx: number, contactIx: number, now: number) => {
    const c = contacts[contactIx];
    const q = queueIndex.get(c.queue)!;
    state[contactIx] = 1;
    active[agentIx]++;
    const wait = now - c.arrival;
    waitOf[contactIx] = wait;
    // Busy time is counted inside the measured window only, so occupancy stays a share of it.
    busy[q] += Math.max(0, Math.min(now + c.handleSeconds, horizon) - Math.max(now, warmup));
    if (counted(c)) {
      answered[q]++;
      waitSum[q] += wait;
      if (wait > 0) waited[q]++;
      if (isWithin(wait, queues[q].serviceLevelSeconds)) withinTarget[q]++;
      if (c.slaSeconds !== null && isWithin(wait, c.slaSeconds)) slaMet[q]++;
    }
    heap.push(now + c.handleSeconds, DEPART, agentIx, contactIx);
  };
  /** The agent takes waiting contacts while it has free slots. */
  const pull = (agentIx: number, now: number) => {
    const agent = agents[agentIx];
    const q = queueIndex.get(agent.queue)!;
    const list = waiting[q];
    while (onShift[agentIx] && active[agentIx] < agent.concurrency) {
      while (head[q] < list.length && state[list[head[q]]] !== 0) head[q]++;
      let found = -1;
      for (let k = head[q]; k < list.length; k++) {
        const ix = list[k];
        if (state[ix] === 0 && eligible(agent, contacts[ix])) {
          found = ix;
          break;
        }
      }
      if (found < 0) return;
      start(agentIx, found, now);
    }
  };

  const ev = { time: 0, kind: 0, a: 0, b: 0 };
  while (heap.size > 0) {
    heap.pop(ev);
    const now = ev.time;
    switch (ev.kind) {
      case ARRIVE: {
        const c = contacts[ev.a];
        const q = queueIndex.get(c.queue)!;
        if (counted(c)) {
          offered[q]++;
          if (c.slaSeconds !== null) slaCount[q]++;
        }
        // The eligible on-shift agent with the fewest contacts in hand takes it (spreads chats).
        let best = -1;
        for (const ai of agentsOf[q]) {
          if (onShift[ai] && active[ai] < agents[ai].concurrency && eligible(agents[ai], c) && (best < 0 || active[ai] < active[best])) best = ai;
        }
        if (best >= 0) start(best, ev.a, now);
        else {
          waiting[q].push(ev.a);
          if (Number.isFinite(c.patienceSeconds)) heap.push(now + c.patienceSeconds, ABANDON, ev.a);
        }
        break;
      }
      case DEPART:
        active[ev.a]--;
        pull(ev.a, now);
        break;
      case ABANDON:
        if (state[ev.a] === 0) {
          state[ev.a] = 2;
          waitOf[ev.a] = contacts[ev.a].patienceSeconds;
          const c = contacts[ev.a];
          if (counted(c)) {
            const q = queueIndex.get(c.queue)!;
            abandoned[q]++;
            if (isShortAbandon(c.patienceSeconds, shortAbandonSeconds)) shortAbandoned[q]++;
          }
        }
        break;
      case SHIFT_START:
        onShift[ev.a] = 1;
        pull(ev.a, now);
        break;
      case SHIFT_END:
        onShift[ev.a] = 0;
        break;
    }
  }

  const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
  const stats: QueueStats[] = queues.map((queue, q) => {
    const unserved = offered[q] - answered[q] - abandoned[q];
    const { serviceLevel, abandonmentRate } = serviceLevelAndAbandonment({
      offered: offered[q], answeredWithin: withinTarget[q], abandoned: abandoned[q], shortAbandons: shortAbandoned[q],
    });
    return {
      queue: queue.id,
      offered: offered[q],
      answered: answered[q],
      abandoned: abandoned[q],
      shortAbandoned: shortAbandoned[q],
      unserved,
      asa: ratio(waitSum[q], answered[q]),
      pWait: ratio(waited[q] + abandoned[q] + unserved, offered[q]),
      serviceLevel,
      abandonmentRate,
      occupancy: ratio(busy[q], staffed[q]),
      slaAchievement: ratio(slaMet[q], slaCount[q]),
      serviceLevelSeconds: queue.serviceLevelSeconds,
    };
  });
  const result: SimResult = { queues: stats };
  if (options.keepOutcomes) {
    result.outcomes = contacts.map((c, i) => ({
      contact: i,
      outcome: state[i] === 1 ? 'answered' : state[i] === 2 ? 'abandoned' : 'unserved',
      waitSeconds: state[i] === 0 ? Math.max(0, horizon - c.arrival) : waitOf[i],
    }));
  }
  return result;
}
