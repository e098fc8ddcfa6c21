import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import { agentColumns, metaColumns, queueColumns, stagedTables, teamColumns, truthTablesSql } from './table-specs.ts';
import { appendRows, StagedWriter, type StagedTable } from './warehouse-writer.ts';
import { World } from './world.ts';

export interface DemoOptions {
  /** 32-bit unsigned integer; the same seed (and options) always gives the same warehouse. Default 42. */
  seed?: number;
  /** Number of interactions, exactly. Default 50,000. */
  interactions?: number;
  /** Length of the simulated period in days. Default 90. */
  days?: number;
  /** End of the period (exclusive), fixed so that output never depends on the clock. Default 2026-11-01T00:00:00Z. */
  end?: string;
  /** Called as interactions are generated: (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  seed: number;
  interactions: number;
  events: number;
  identities: number;
  agents: number;
  /** Wall-clock build time (reported only; never written into the warehouse). */
  seconds: number;
  /** Rows written per table. */
  tables: Record<string, number>;
}

/** Bumped whenever the same seed starts producing different rows. */
export const generatorVersion = '1.0.0';

export const defaultDemoOptions = { seed: 42, interactions: 50_000, days: 90, end: '2026-11-01T00:00:00Z' } as const;

/**
 * Builds the seeded demo world into a fresh warehouse file at `path` (an existing file and its WAL
 * are deleted first, missing folders created), checkpoints and closes it.
 *
 * @example
 * const summary = await buildDemoWarehouse('data/demo.duckdb', { seed: 7, interactions: 20_000 });
 * console.log(`${summary.interactions} interactions, ${summary.events} events in ${summary.seconds}s`);
 */
export async function buildDemoWarehouse(path: string, options: DemoOptions = {}): Promise<DemoSummary> {
  const seed = options.seed ?? defaultDemoOptions.seed;
  const interactions = options.interactions ?? defaultDemoOptions.interactions;
  const days = options.days ?? defaultDemoOptions.days;
  const end = options.end ?? defaultDemoOptions.end;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  if (!Number.isInteger(interactions) || interactions < 1) throw new RangeError(`interactions must be a whole number of at least 1, got ${interactions}`);
  const started = performance.now();
  const world = new World({ seed, interactions, days, end });
  const specs = stagedTables(world.staff);

  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  // A memory limit keeps the million-interaction build under 2 GB: DuckDB spills instead of caching everything.
  const warehouse = await Warehouse.open(path, { memoryLimit: '1GB' });
  const tables: Record<string, number> = {};
  // Writers still open if something fails: their pooled connections are handed back before closing.
  const open = new Set<{ abort(): void }>();
  const stage = async <R>(spec: StagedTable<R>) => {
    const writer = await StagedWriter.open(warehouse, spec);
    open.add(writer);
    return writer;
  };
  const finish = async <R>(writer: StagedWriter<R>) => {
    open.delete(writer);
    return writer.close();
  };
  try {
    // FSST string compression (plain and dictionary+FSST) costs about 40% of the insert CPU of the
    // message bodies for files about 30% smaller; a demo build favours speed. The setting lives in
    // this DuckDB instance only: later writers of the file compress as they like.
    await warehouse.run("SET GLOBAL disabled_compression_methods = 'fsst,dict_fsst'");
    await warehouse.run(truthTablesSql);
    tables.teams = await appendRows(warehouse, 'teams', teamColumns, world.staff.teams);
    tables.agents = await appendRows(warehouse, 'agents', agentColumns, world.staff.agents);
    tables.queues = await appendRows(warehouse, 'queues', queueColumns, world.staff.queues);

    // Interactions stream out in creation order, each with its events and routing decisions.
    const interactionsOut = await stage(specs.interactions);
    const eventsOut = await stage(specs.events);
    const routingOut = await stage(specs.routing);
    const casesOut = await stage(specs.truthCases);
    const streams = [interactionsOut, eventsOut, routingOut, casesOut];
    const total = world.plan.count;
    const step = Math.max(1, Math.floor(total / 100));
    for (let slot = 0; slot < total; slot++) {
      const { conversation, truth } = world.conversation(slot);
      interactionsOut.write(conversation.interaction);
      for (const event of conversation.events) eventsOut.write(event);
      for (const decision of conversation.routing) routingOut.write(decision);
      casesOut.write(truth);
      for (const stream of streams) if (stream.full) await stream.rotate();
      if (options.onProgress && (slot + 1) % step === 0) options.onProgress(slot + 1, total);
    }
    tables.interactions = await finish(interactionsOut);
    tables.events = await finish(eventsOut);
    tables.routing_decisions = await finish(routingOut);
    tables.demo_truth_cases = await finish(casesOut);

    // Then the people: every source record they were seen under, their CRM tiers, and the truth.
    const identitiesOut = await stage(specs.identities);
    const attributesOut = await stage(specs.customerAttributes);
    const truthOut = await stage(specs.truthContacts);
    const people = [identitiesOut, attributesOut, truthOut];
    for (let p = 0; p < world.plan.population.size; p++) {
      const rows = world.personRows(p);
      for (const row of rows.identities) identitiesOut.write(row);
      for (const row of rows.attributes) attributesOut.write(row);
      for (const row of rows.truth) truthOut.write(row);
      for (const stream of people) if (stream.full) await stream.rotate();
    }
    for (const row of world.switchboardRows()) identitiesOut.write(row);
    tables.identities = await finish(identitiesOut);
    tables.customer_attributes = await finish(attributesOut);
    tables.demo_truth = await finish(truthOut);

    const meta = [
      { key: 'demo.generator_version', value: generatorVersion },
      { key: 'demo.seed', value: String(seed) },
      { key: 'demo.interactions', value: String(interactions) },
      { key: 'demo.days', value: String(days) },
      { key: 'demo.end', value: new Date(world.window.endMs).toISOString() },
    ];
    tables.warehouse_meta = await appendRows(warehouse, 'warehouse_meta', metaColumns, meta);
    await warehouse.run('DETACH DATABASE IF EXISTS demo_stage');
    await warehouse.checkpoint();
    options.onProgress?.(total, total);
  } finally {
    for (const writer of open) writer.abort();
    warehouse.close();
  }
  return {
    seed,
    interactions: tables.interactions,
    events: tables.events,
    identities: tables.identities,
    agents: tables.agents,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    tables,
  };
}
