/**
 * Erlang C: the textbook model of one queue served by N identical agents, Poisson arrivals,
 * exponential handle times and callers who never hang up. The what-if simulation is checked
 * against it, and the CLI prints it for quick staffing questions.
 */

export interface ErlangCInput {
  /** Contacts arriving in the interval. */
  calls: number;
  /** Length of the interval in seconds (1800 for half an hour). */
  intervalSeconds: number;
  /** Average handle time in seconds. */
  ahtSeconds: number;
  /** Agents staffed for the whole interval. */
  agents: number;
  /** Service-level target: answered within this many seconds. */
  targetSeconds: number;
}

export interface ErlangCResult {
  /** Offered traffic A = arrival rate x AHT, in Erlangs. */
  trafficErlangs: number;
  /** Probability that a contact waits at all, C(N, A). */
  pWait: number;
  /** Share of contacts answered within the target: 1 - C e^{-(N-A) t / AHT}. */
  serviceLevel: number;
  /** Average speed of answer over all contacts, seconds: C AHT / (N - A); Infinity when N <= A. */
  asa: number;
  /** A / N, capped at 1 (an overloaded queue keeps every agent busy). */
  occupancy: number;
}

/**
 * Erlang C probability of waiting for `agents` servers and `traffic` Erlangs offered.
 * Computed through the Erlang B recursion B(n) = A B(n-1) / (n + A B(n-1)), which never forms
 * A^N / N! and so stays exact for hundreds of agents where the factorial form overflows.
 *
 * @example
 * erlangCProbability(10, 14); // 0.1741319... (100 calls / 30 min, AHT 180 s, 14 agents)
 */
export function erlangCProbability(traffic: number, agents: number): number {
  if (!Number.isInteger(agents) || agents < 0) throw new RangeError(`agents must be a whole number >= 0, got ${agents}`);
  if (!(traffic >= 0)) throw new RangeError(`traffic must be >= 0 Erlangs, got ${traffic}`);
  if (traffic === 0) return 0;
  if (agents <= traffic) return 1; // an unstable queue: everybody waits
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (traffic * b) / (n + traffic * b);
  return (agents * b) / (agents - traffic * (1 - b));
}

/**
 * All Erlang C figures for one interval.
 *
 * @example
 * erlangC({ calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14, targetSeconds: 20 });
 * // { trafficErlangs: 10, pWait: 0.1741, serviceLevel: 0.8884, asa: 7.836, occupancy: 0.7143 }
 */
export function erlangC(input: ErlangCInput): ErlangCResult {
  const { calls, intervalSeconds, ahtSeconds, agents, targetSeconds } = input;
  for (const [name, value] of Object.entries(input)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  if (intervalSeconds === 0) throw new RangeError('intervalSeconds must be > 0');
  if (ahtSeconds === 0) throw new RangeError('ahtSeconds must be > 0');
  const traffic = (calls / intervalSeconds) * ahtSeconds;
  const pWait = erlangCProbability(traffic, agents);
  const stable = agents > traffic;
  return {
    trafficErlangs: traffic,
    pWait,
    serviceLevel: stable ? 1 - pWait * Math.exp((-(agents - traffic) * targetSeconds) / ahtSeconds) : 0,
    asa: stable ? (pWait * ahtSeconds) / (agents - traffic) : Infinity,
    occupancy: agents === 0 ? 1 : Math.min(1, traffic / agents),
  };
}
