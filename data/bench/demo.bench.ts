import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoInWorker } from '../src/index.ts';

/**
 * `npm run bench -- demo [--interactions N] [--seed N] [--via adapters|direct]`: builds the demo world
 * (default one million interactions, through the vendor adapters) into a temporary file, as
 * `helpdesk demo` does (on a worker thread of this process with a capped heap), and reports how
 * fast and how big. The runner adds peakRssMb (the whole process: worker and DuckDB included).
 * Figures: seconds, interactions, events, rowsPerSecond (all rows of all tables / seconds),
 * fileSizeMb, cpuSeconds (user + system of this process, DuckDB's threads included).
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
    const summary = await buildDemoInWorker(path, {
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
    return {
      figures: {
        seconds: summary.seconds,
        interactions: summary.interactions,
        events: summary.events,
        identities: summary.identities,
        rows,
        rowsPerSecond: Math.round(rows / summary.seconds),
        fileSizeMb: Math.round(statSync(path).size / 2 ** 20),
        cpuSeconds: Math.round((used.user + used.system) / 1e4) / 100,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      ratios: { interactionsPerSecond: Math.round(summary.interactions / summary.seconds) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function numberArg(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive whole number, got ${args[at + 1]}`);
  return value;
}
