// The cold half of the metrics bench, run by metrics.bench.ts in a process of its own so that
// nothing is in memory yet: no DuckDB instance, buffer pool, memoized result or loaded module state.
// Prints one JSON line: {openSeconds, cacheSeconds, scorecardSeconds, totalSeconds, cacheCpuSeconds, cpuSeconds, rows}.
// `node --import tsx bench/cold-scorecard.ts <warehouse> '<scorecard options as JSON>' [split]`
import { performance } from 'node:perf_hooks';
import { Warehouse } from '@helpdesk/core';
import { scorecard } from '../src/index.ts';
import { ensureMetricsCache } from '../src/facts-cache.ts';

const [path, optionsJson, split] = process.argv.slice(2);
const options = JSON.parse(optionsJson);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const c0 = cpu();
const t0 = performance.now();
const wh = await Warehouse.open(path);
const t1 = performance.now();
// With `split`, the cache check (and rebuild, after new data) is timed apart from the scorecard,
// which then runs the check again (one fingerprint query) and finds the cache valid.
if (split === 'split') await ensureMetricsCache(wh);
const t2 = performance.now();
const c2 = cpu();
const card = await scorecard(wh, options);
const t3 = performance.now();
wh.close();
console.log(JSON.stringify({
  openSeconds: (t1 - t0) / 1000,
  cacheSeconds: (t2 - t1) / 1000,
  scorecardSeconds: (t3 - t2) / 1000,
  totalSeconds: (t3 - t0) / 1000,
  // CPU time of this process (DuckDB's threads included): what the work costs, whatever else runs.
  cacheCpuSeconds: c2 - c0,
  cpuSeconds: cpu() - c0,
  rows: card.rows.length,
}));
