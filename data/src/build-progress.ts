import type { Warehouse } from '@helpdesk/core';

/**
 * Where a direct demo build has got to, kept in the warehouse it builds (table
 * `demo_build_progress`, one row), so that a build stopped by anything (SIGKILL included) continues
 * from its last complete step instead of starting over. The generator is seeded: a chunk of
 * interactions is regenerated exactly, so only what was written matters.
 *
 * Steps in order: `staff` (teams, agents, queues), `chunk` (interactions written up to
 * `slots_done`, each chunk's rows of every table committed before the row is updated),
 * `interactions` (all of them), `people` (identities, attributes, truth), `pipeline` (resolve,
 * thread, intents, facts). The table is dropped when the build finishes: a finished warehouse holds
 * only the demo's rows.
 */
export type BuildStep = 'staff' | 'chunk' | 'interactions' | 'people' | 'pipeline';

export interface BuildProgress {
  /** What is being built (`buildKey`); a file built with other options is not continued. */
  key: string;
  step: BuildStep;
  /** Interactions (slots, in creation order) whose rows are all committed. */
  slotsDone: number;
}

const steps: readonly BuildStep[] = ['staff', 'chunk', 'interactions', 'people', 'pipeline'];

/** Whether `progress` has passed `step` (finished it). */
export function passed(progress: BuildProgress | null, step: BuildStep): boolean {
  return progress !== null && steps.indexOf(progress.step) >= steps.indexOf(step);
}

/** The options that decide a build's rows, as one comparable string. */
export function buildKey(o: { generatorVersion: string; seed: number; interactions: number; days: number; end: string; chunk: number }): string {
  return JSON.stringify({ generator: o.generatorVersion, seed: o.seed, interactions: o.interactions, days: o.days, end: o.end, chunk: o.chunk });
}

const tableSql = 'CREATE TABLE IF NOT EXISTS demo_build_progress (key VARCHAR NOT NULL, step VARCHAR NOT NULL, slots_done BIGINT NOT NULL)';

/** The progress of an unfinished build in this warehouse, or null (none was started, or it finished). */
export async function readProgress(warehouse: Warehouse): Promise<BuildProgress | null> {
  const [table] = await warehouse.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'demo_build_progress' AND table_schema = 'main'");
  if (table.n === 0) return null;
  const [row] = await warehouse.all<{ key: string; step: BuildStep; slots_done: number }>('SELECT key, step, slots_done::DOUBLE AS slots_done FROM demo_build_progress');
  return row ? { key: row.key, step: row.step, slotsDone: row.slots_done } : null;
}

/** Records that the build has finished `progress.step` (call it only once that step's rows are committed). */
export async function saveProgress(warehouse: Warehouse, progress: BuildProgress): Promise<void> {
  await warehouse.atomically(async (tx) => {
    await tx.run(tableSql);
    await tx.run('DELETE FROM demo_build_progress');
    await tx.run('INSERT INTO demo_build_progress VALUES ($1, $2, $3)', [progress.key, progress.step, progress.slotsDone]);
  });
}

export async function dropProgress(warehouse: Warehouse): Promise<void> {
  await warehouse.run('DROP TABLE IF EXISTS demo_build_progress');
}

/**
 * A test's stand-in for a power cut: with HELPDESK_DEMO_KILL_AFTER=<point> in the environment the
 * process kills itself with SIGKILL at that point, so nothing is closed or flushed. Points: a step
 * right after it is recorded (`staff`, `people`, `pipeline`, `chunk:<n>` for the n-th chunk), or
 * `flush:<n>`, inside the n-th chunk's checkpoint once its interactions are committed and before
 * its events are (a chunk half written).
 */
export function killPointReached(point: string): boolean {
  return process.env.HELPDESK_DEMO_KILL_AFTER === point;
}
