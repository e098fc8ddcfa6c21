import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareWhatIf, type ClassifyResult, type ClassifyTask, type Ruleset, type Warehouse, type WhatIfOptions } from '@helpdesk/core';
import { Piscina } from 'piscina';
import type { SimulationResult, SimulationTask } from './simulation-task';
import { findRepoRoot } from './warehouse';

/**
 * Routing simulations off the request thread. The warehouse reads (history, routes, shift
 * calendars) stay here: DuckDB runs them on its own threads. The simulation itself, seconds of
 * pure JavaScript at the top scale, runs in a worker thread of a small pool (piscina), so other
 * requests are answered meanwhile. Cancelling (the client went away) ends the worker thread at
 * once, mid-simulation; the pool starts a fresh one when needed.
 *
 * The pool leaves a core to the request thread: one thread per core but one (1 on this 2-core
 * machine), at a lower OS priority (nice +10), so a simulation never takes the CPU the requests
 * need; two workers on two cores starved the request thread as surely as running in it (the
 * abuse bench's longest stall grew; the README's hardening figures have it). More
 * simulations wait in the pool's queue, each person holding at most their work slots
 * (work-slots.ts). Threads stop after a minute idle.
 *
 * A sync's intent classifier runs in the same pool (classifyOffThread): tens of seconds of
 * JavaScript at 20,000 teaching contacts, with steps of seconds that no yielding splits. One pool
 * for both keeps the request thread's core free when a sync and a simulation coincide.
 */
let pool: Piscina<SimulationTask | ClassifyTask, SimulationResult | ClassifyResult> | null = null;
/** Tasks (simulations, classifiers) handed to the pool and not yet settled (queued or running in a thread). */
let inPool = 0;

function simulationPool(): Piscina<SimulationTask | ClassifyTask, SimulationResult | ClassifyResult> {
  // Loaded by path from the source tree: the built server keeps the repository beside it (it
  // reads data/rulesets too), and Vite does not bundle worker entry files for the server.
  pool ??= new Piscina<SimulationTask | ClassifyTask, SimulationResult | ClassifyResult>({
    filename: pathToFileURL(join(findRepoRoot(), 'apps', 'dashboard', 'src', 'lib', 'server', 'simulation-worker.mjs')).href,
    minThreads: 0,
    maxThreads: Math.max(1, availableParallelism() - 1),
    // Needs the optional @napi-rs/nice (installed with piscina); without it the priority is unchanged.
    niceIncrement: 10,
    idleTimeout: 60_000,
  });
  return pool;
}

/**
 * The what-if of `proposed` with the simulation in a worker thread: the same report as
 * simulateWhatIf (same options, same seed), and the drill-down of `drillQueue` when asked.
 * Rejects when `options.signal` aborts, before or during the simulation.
 *
 * @example
 * const { report, simDrill } = await simulateOffThread(wh, ruleset, { scale: 20, signal: request.signal }, null);
 */
export async function simulateOffThread(
  wh: Warehouse,
  proposed: Ruleset,
  options: Omit<WhatIfOptions, 'keepOutcomes'>,
  drillQueue: string | null,
): Promise<SimulationResult> {
  const plan = await prepareWhatIf(wh, proposed, options);
  options.signal?.throwIfAborted();
  inPool++;
  try {
    return (await simulationPool().run({ plan, drillQueue }, { signal: options.signal })) as SimulationResult;
  } finally {
    inPool--;
  }
}

/**
 * The intent stage's classifier (`classifyIntents` of @helpdesk/core) in a worker thread of the
 * pool: the same result, with the request thread free meanwhile. The server's syncs pass it to
 * the intent stage.
 *
 * @example
 * await labelIntentsStage(wh, { full: false, classify: classifyOffThread });
 */
export async function classifyOffThread(task: ClassifyTask): Promise<ClassifyResult> {
  inPool++;
  try {
    return (await simulationPool().run(task, { name: 'classifyIntents' })) as ClassifyResult;
  } finally {
    inPool--;
  }
}

/** The pool's threads and how many simulations it holds (queued or running): for tests and diagnostics. */
export function simulationThreads(): { threads: Worker[]; inPool: number } {
  return { threads: pool?.threads ?? [], inPool };
}

/** Ends the pool's threads (tests, shutdown); the next simulation starts a new pool. */
export async function closeSimulationPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
