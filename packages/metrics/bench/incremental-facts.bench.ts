// `npm run bench -- incremental-facts [--warehouse FILE] [--interactions N] [--syncs 100,10000]`: the
// metrics cache brought up to date after a sync, incrementally against a full rebuild, on a copy of
// FILE (a demo warehouse) or on a synthetic warehouse of N interactions (default 1,000,000). Figures:
// - fullSeconds: every metrics_cache_* table rebuilt, inputs hashed (what every change cost before);
//   backlogFullSeconds / loadFullSeconds: the backlog spans and chat load segments built alone;
// - noChangeSeconds: a refresh with nothing changed (hashing the warehouse's inputs and comparing
//   them is the floor of every incremental refresh);
// - per sync size S (copies of S existing interactions, a day later, same customers, with their
//   events): syncS_seconds (the refresh, incremental unless over 30 % is affected),
//   syncS_affected (fact rows recomputed), syncS_touchedDays, syncS_mode (1 incremental, 0 full).
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Warehouse } from '@helpdesk/core';
import { backlogSpansSql } from '../src/backlog.ts';
import { concurrencySegmentsSql } from '../src/concurrency.ts';
import { refreshMetricsCache } from '../src/facts-cache.ts';
import { buildSyntheticWarehouse } from './synthetic-warehouse.ts';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function seconds<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const result = await fn();
  return [(performance.now() - t) / 1000, result];
}

/** A sync of `n` interactions: copies of existing ones a day later, for the same customers, with their events. */
const syncSql = (n: number, round: number) => `
CREATE OR REPLACE TEMP TABLE bench_sync AS SELECT id AS old_id, 'bench${round}:' || id AS id FROM interactions ORDER BY hash(id, ${round}) LIMIT ${n};
INSERT INTO interactions SELECT i.* REPLACE (s.id AS id, s.id AS native_id, i.created_at + INTERVAL 1 DAY AS created_at,
  i.updated_at + INTERVAL 1 DAY AS updated_at, i.first_response_at + INTERVAL 1 DAY AS first_response_at,
  i.resolved_at + INTERVAL 1 DAY AS resolved_at, i.closed_at + INTERVAL 1 DAY AS closed_at)
FROM interactions i JOIN bench_sync s ON s.old_id = i.id;
INSERT INTO events SELECT e.* REPLACE ('bench${round}:' || e.id AS id, s.id AS interaction_id, e.occurred_at + INTERVAL 1 DAY AS occurred_at)
FROM events e JOIN bench_sync s ON s.old_id = e.interaction_id;
DROP TABLE bench_sync;`;

export default async function run(args: string[]) {
  const given = option(args, 'warehouse');
  const interactions = Number(option(args, 'interactions') ?? 1_000_000);
  const syncs = (option(args, 'syncs') ?? '100,10000').split(',').map(Number);
  const path = join(tmpdir(), `helpdesk-incremental-facts-bench-${process.pid}.duckdb`);
  let source = given;
  if (!source) {
    source = join(tmpdir(), `helpdesk-incremental-facts-synthetic-n${interactions}.duckdb`);
    if (!existsSync(source)) {
      const wh = await Warehouse.open(source);
      await buildSyntheticWarehouse(wh, { interactions, days: 365, seed: 1 });
      wh.close();
    }
  }
  copyFileSync(source, path);
  const wh = await Warehouse.open(path);
  const figures: Record<string, number> = {};
  try {
    // A first full build makes the cache and its inputs; the second is the figure.
    await refreshMetricsCache(wh, { full: true });
    [figures.fullSeconds] = await seconds(() => refreshMetricsCache(wh, { full: true }));
    const [{ n }] = await wh.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM interactions');
    figures.interactions = n;
    [figures.backlogFullSeconds] = await seconds(() => wh.run(`CREATE OR REPLACE TEMP TABLE bench_backlog AS ${backlogSpansSql}`));
    [figures.loadFullSeconds] = await seconds(() => wh.run(`CREATE OR REPLACE TEMP TABLE bench_load AS ${concurrencySegmentsSql}`));
    [figures.noChangeSeconds] = await seconds(() => refreshMetricsCache(wh));
    for (const [round, size] of syncs.entries()) {
      await wh.run(syncSql(size, round + 1));
      const [s, report] = await seconds(() => refreshMetricsCache(wh));
      figures[`sync${size}_seconds`] = s;
      figures[`sync${size}_mode`] = report.mode === 'incremental' ? 1 : 0;
      figures[`sync${size}_changed`] = report.changed ?? size;
      figures[`sync${size}_affected`] = report.affected ?? report.facts;
      figures[`sync${size}_touchedDays`] = report.touchedDays === 'all' ? -1 : report.touchedDays.length;
      console.log(`sync of ${size}: ${report.mode}${report.reason ? ` (${report.reason})` : ''} in ${s.toFixed(2)} s, ${figures[`sync${size}_affected`]} rows recomputed`);
    }
  } finally {
    wh.close();
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
  }
  return { figures, ratios: Object.fromEntries(syncs.map((size) => [`fullOverSync${size}`, figures.fullSeconds / figures[`sync${size}_seconds`]])) };
}
