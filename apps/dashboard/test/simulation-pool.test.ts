import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareWhatIf, rulesetFromObject, runWhatIfPlan, simulateWhatIf, Warehouse, type OutcomeRow } from '@helpdesk/core';
import { closeSimulationPool, simulateOffThread, simulationThreads } from '$lib/server/simulation-pool';
import { loopLag } from './support/loop-lag.ts';

// Routing simulations run in a worker thread of the web server's pool: the same report as in the
// calling thread, the event loop free meanwhile, and a cancel that ends the thread mid-run.
// Times here are relative to the simulation's own duration on this machine, never absolute.

const dir = mkdtempSync(join(tmpdir(), 'simulation-pool-'));
let wh: Warehouse;

// Refunds go to a small billing team with the skill; everything else to general, most of whose
// agents work a Berlin day shift (so the plan carries shift calendars too).
const ruleset = rulesetFromObject({
  version: 1,
  name: 'refunds-to-billing',
  queues: [
    { id: 'general', channel: 'phone', agents: [{ count: 150, shift: { days: [1, 2, 3, 4, 5], start: 7, end: 19, timeZone: 'Europe/Berlin' } }, { count: 40 }] },
    { id: 'billing', channel: 'phone', agents: [{ count: 40, skills: ['billing'] }] },
  ],
  layers: [{ name: 'intents', precedence: 10, rules: [{ id: 'refunds', when: { intent: 'refund' }, then: { queue: 'billing', skills: ['billing'] } }] }],
  default: { queue: 'general' },
});
// Big enough that the simulation itself takes a noticeable while: 3,000 calls x 20 = 60,000 contacts.
const options = { seed: 4, scale: 20 };

beforeAll(async () => {
  wh = await Warehouse.open(join(dir, 'w.duckdb'));
  // Monday 2026-01-05, 3,000 calls from 06:00 UTC, one every 14.4 s; every 4th a refund, every
  // 10th abandoned in the queue after 40 s (so patience is known), talk 120-360 s.
  await wh.run(`INSERT INTO interactions BY NAME
    SELECT 'p:' || n AS id, 'p' AS source, n::VARCHAR AS native_id, 'phone' AS channel, 'normal' AS priority, 'en' AS language,
           CASE WHEN n % 4 = 0 THEN 'refund' ELSE 'delivery' END AS intent, n % 10 = 3 AS abandoned,
           CASE WHEN abandoned THEN 'abandoned' ELSE 'solved' END AS status,
           TIMESTAMPTZ '2026-01-05 06:00:00+00' + to_milliseconds(n * 14400) AS created_at, created_at AS updated_at,
           'general' AS queue_id, CASE WHEN NOT abandoned THEN 'a:1' END AS agent_id,
           CASE WHEN NOT abandoned THEN 120 + (n % 5) * 60 END AS talk_seconds,
           CASE WHEN abandoned THEN 40 ELSE 0 END AS queue_wait_seconds, CASE WHEN abandoned THEN 'queue' END AS abandon_stage
    FROM range(3000) t(n)`);
  const [row] = await wh.all<{ n: number; refunds: number; abandoned: number }>(
    "SELECT count(*)::INTEGER AS n, count(*) FILTER (intent = 'refund')::INTEGER AS refunds, count(*) FILTER (abandoned)::INTEGER AS abandoned FROM interactions",
  );
  expect(row).toEqual({ n: 3000, refunds: 750, abandoned: 300 });
});

afterAll(async () => {
  await closeSimulationPool();
  wh?.close();
  rmSync(dir, { recursive: true, force: true });
});

const withoutTime = <T extends { seconds: number }>(r: T) => ({ ...r, seconds: 0 });

describe('routing simulations in the worker pool', () => {
  it('gives the report simulateWhatIf gives in this thread, and cuts the drill-down in the worker', async () => {
    const here = await simulateWhatIf(wh, ruleset, { ...options, keepOutcomes: true });
    const { report, simDrill } = await simulateOffThread(wh, ruleset, options, 'billing');
    const { outcomes, ...hereReport } = here;
    expect(withoutTime(report)).toEqual(withoutTime(hereReport));
    expect(report.contacts).toBeGreaterThan(58_000); // 3,000 x 20 (whole copies only)
    // The drill-down, worked from the in-thread outcomes: billing's contacts, slowest first, 100 at most.
    const slowest = (rows: OutcomeRow[]) => rows.filter((o) => o.queue === 'billing').sort((a, b) => b.waitSeconds - a.waitSeconds).slice(0, 100);
    expect(simDrill!.proposed.map((o) => o.waitSeconds)).toEqual(slowest(outcomes!.proposed).map((o) => o.waitSeconds));
    expect(simDrill!.proposed).toHaveLength(100);
    // The actual routing sent every call to general: no billing contacts on that side.
    expect(simDrill!.current).toEqual([]);
  });

  it('keeps the event loop answering while the simulation runs, which the same plan in this thread does not', async () => {
    const plan = await prepareWhatIf(wh, ruleset, options);
    // The yardstick: the plan run in this thread holds the loop for (nearly) all of its run.
    const inThread = await loopLag(async () => {
      await new Promise((r) => setTimeout(r, 20));
      runWhatIfPlan(plan);
    });
    expect(inThread.lagMs).toBeGreaterThan((inThread.ms - 20) * 0.8);
    const offThread = await loopLag(() => simulateOffThread(wh, ruleset, options, null));
    // In the worker the timer keeps firing: its worst delay is a small part of one run's time
    // (the warehouse reads and the copy of the plan still happen in this thread).
    expect(offThread.lagMs).toBeLessThan(inThread.ms / 4);
  });

  it('cancels mid-simulation: the run rejects at once, its thread ends, and the pool runs the next one', async () => {
    // Warm the pool (its thread loaded) and time one run, so the cancel lands inside the simulation.
    const warm = await loopLag(() => simulateOffThread(wh, ruleset, options, null));
    const plan = await prepareWhatIf(wh, ruleset, options);
    const simulationMs = warm.ms - plan.preparedSeconds * 1000;
    const abort = new AbortController();
    const running = simulateOffThread(wh, ruleset, { ...options, signal: abort.signal }, null);
    const outcome = running.then(() => 'finished', (e: Error) => e.name);
    // Once the task is in the worker (the warehouse reads done), wait a third of a simulation, then cancel.
    // (The pool's thread is warm and idle, so a task handed to it starts at once.)
    while (simulationThreads().inPool === 0) await new Promise((r) => setTimeout(r, 2));
    const { threads } = simulationThreads();
    expect(threads).toHaveLength(1);
    const exited = new Promise((r) => threads[0].once('exit', r));
    await new Promise((r) => setTimeout(r, simulationMs / 3));
    const cancelledAt = performance.now();
    abort.abort();
    expect(await outcome).toBe('AbortError');
    // Rejected well before the simulation could have ended, and the thread running it is gone.
    expect(performance.now() - cancelledAt).toBeLessThan(simulationMs / 2);
    await exited;
    const again = await simulateOffThread(wh, ruleset, { ...options, seed: 5 }, null);
    expect(again.report.contacts).toBeGreaterThan(58_000);
  });
});
