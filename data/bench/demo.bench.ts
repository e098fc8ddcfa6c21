import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import { buildDemoByRoute } from '../src/index.ts';

/**
 * `npm run bench -- demo [--interactions N] [--seed N] [--via adapters|direct]`: builds the demo world
 * (default one million interactions, through the vendor adapters) into a temporary file as
 * `helpdesk demo` does (`buildDemoByRoute`: the adapters on a worker thread of this process with a
 * capped heap, the direct build on this thread), and reports how fast and how big. The runner adds
 * peakRssMb (the whole process: worker and DuckDB included).
 * Figures: seconds, interactions, events, rowsPerSecond (all rows of all tables / seconds),
 * fileSizeMb, cpuSeconds (user + system of this process, DuckDB's threads included).
 * Through the adapters also rawRecords and the landing floor (see `landingFloor`).
 * Ratios: interactionsPerSecond.
 */
export default async function run(args: string[]): Promise<{ figures: Record<string, number>; ratios: Record<string, number> }> {
  const interactions = numberArg(args, '--interactions', 1_000_000);
  const seed = numberArg(args, '--seed', 42);
  const viaAt = args.indexOf('--via');
  const via = viaAt < 0 ? 'adapters' : args[viaAt + 1];
  if (via !== 'adapters' && via !== 'direct') throw new Error(`--via takes adapters or direct, got ${via}`);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-demo-bench-'));
  const path = join(dir, 'demo.duckdb');
  try {
    const cpu = process.cpuUsage();
    let shown = 0;
    const summary = await buildDemoByRoute(path, {
      seed,
      interactions,
      via,
      onStage: (stage) => process.stderr.write(`demo: ${stage} (${elapsed()})\n`),
      onProgress: (done, total) => {
        const tenth = Math.floor((done / total) * 10);
        if (tenth > shown) {
          shown = tenth;
          process.stderr.write(`demo: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} interactions (${elapsed()})\n`);
        }
      },
    });
    const used = process.cpuUsage(cpu);
    const rows = Object.values(summary.tables).reduce((a, b) => a + b, 0);
    const fileSizeMb = Math.round(statSync(path).size / 2 ** 20);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const floor = via === 'adapters' ? await landingFloor(path, join(dir, 'floor.duckdb')) : null;
    if (floor) {
      process.stderr.write(`demo: DuckDB alone landing the build's ${floor.records.toLocaleString('en')} vendor records raw with their ledger rows: ${floor.seconds.toFixed(1)} s, ${floor.cpuSeconds.toFixed(1)} CPU s\n`);
    }
    return {
      figures: {
        seconds: summary.seconds,
        interactions: summary.interactions,
        events: summary.events,
        identities: summary.identities,
        rows,
        rowsPerSecond: Math.round(rows / summary.seconds),
        fileSizeMb,
        cpuSeconds: Math.round((used.user + used.system) / 1e4) / 100,
        peakRssMb,
        // The pipeline's stages after ingest (wall seconds).
        resolveSeconds: summary.stageSeconds.resolve,
        threadSeconds: summary.stageSeconds.thread,
        factsSeconds: summary.stageSeconds.facts,
        ...(floor && {
          rawRecords: floor.records,
          floorRawAndLedgerSeconds: round(floor.seconds),
          floorRawAndLedgerCpuSeconds: round(floor.cpuSeconds),
        }),
      },
      ratios: { interactionsPerSecond: Math.round(summary.interactions / summary.seconds) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What landing the build's vendor records costs DuckDB alone: its `raw_records` and `ingest_records`
 * copied into a fresh warehouse of the same schema (the ledger's primary key included), from
 * columns already in DuckDB, so nothing is parsed and none of our code runs; in transactions of
 * 245,760 records under the build's 512 MB memory limit (one transaction of millions of ledger
 * keys does not fit it). Any build through the adapters does this work on top of generating the
 * world and writing its canonical rows (what `--via direct` measures): together they bound it.
 */
async function landingFloor(built: string, fresh: string): Promise<{ records: number; seconds: number; cpuSeconds: number }> {
  const wh = await Warehouse.open(fresh, { memoryLimit: '512MB' });
  try {
    await wh.run(`ATTACH '${built.replaceAll("'", "''")}' AS built (READ_ONLY)`);
    const [{ raw, ends }] = await wh.all<{ raw: number; ends: number }>(
      'SELECT (SELECT count(*) FROM built.raw_records)::INTEGER AS raw, greatest((SELECT max(rowid) FROM built.raw_records), (SELECT max(rowid) FROM built.ingest_records))::INTEGER + 1 AS ends');
    const step = 245_760;
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let from = 0; from < ends; from += step) {
      await wh.transaction(async (c) => {
        for (const table of ['raw_records', 'ingest_records']) {
          await c.run(`INSERT INTO ${table} SELECT * FROM built.${table} WHERE rowid >= ${from} AND rowid < ${from + step}`);
        }
      });
    }
    await wh.checkpoint();
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const [{ copied }] = await wh.all<{ copied: number }>('SELECT count(*)::INTEGER AS copied FROM raw_records');
    if (copied !== raw) throw new Error(`the landing floor copied ${copied} of ${raw} raw records`);
    return { records: raw, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    wh.close();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

/** A positive whole-number flag of a bench (the demo-parity bench reads its flags the same way). */
export function numberArg(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive whole number, got ${args[at + 1]}`);
  return value;
}
