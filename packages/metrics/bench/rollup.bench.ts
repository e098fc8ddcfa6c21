// `npm run bench -- rollup [--interactions N] [--seed N] [--warehouse FILE]`: the daily rollup
// (rollup-sql.ts) against the per-interaction facts on the demo warehouse (50k interactions by
// default, built once into the OS temp folder; --warehouse measures on a copy of a file). Figures:
// - rollupBuildSeconds / rollupCells / factsRows: a whole rebuild of the rollup, and its size
//   beside the facts cache it sums.
// - touchedDaysSeconds: refreshing the rows of 3 days only (what a sync touching 3 days costs).
// - <case>RollupSeconds / <case>FactsSeconds: median of 5 answers (no finished result reused) of
//   the same request from the rollup and from the facts cache, for the overview's KPIs per channel
//   over 30 days, and the scorecard's KPIs over the whole history per day x channel, per team, per
//   agent and in total.
// - sketchMaxRelativeErrorPct: the rollup rebuilt with every cell as a sketch (no exact lists), then
//   every median and p90 of those cases against the facts' exact value, the largest
//   |sketch - exact| / exact (exact > 0), in percent. The bound is 1 %. sketchedKpisDefault: duration KPIs whose
//   quantiles come from the sketch with the default rollup (cells keep up to 64 exact values).
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Warehouse } from '@helpdesk/core';
import { configFromSettings, ensureMetricsCache, refreshRollup, refreshSentiment, rollupKpis, scorecard, type ScorecardOptions } from '../src/index.ts';

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

async function warehouseFile(args: string[]): Promise<{ path: string; generator: string }> {
  const given = args.includes('--warehouse') ? args[args.indexOf('--warehouse') + 1] : undefined;
  if (given) {
    if (!existsSync(given) || existsSync(`${given}.wal`)) throw new Error(`${given} is missing or still being written (it has a .wal)`);
    const path = join(tmpdir(), `helpdesk-rollup-bench-copy-${basename(given)}`);
    copyFileSync(given, path);
    return { path, generator: `copy of ${given}` };
  }
  const interactions = option(args, 'interactions', 50_000);
  const seed = option(args, 'seed', 7);
  const path = join(tmpdir(), `helpdesk-rollup-bench-demo-s${seed}-n${interactions}.duckdb`);
  if (!existsSync(path)) {
    // A variable specifier: metrics does not depend on the demo generator, the bench borrows it.
    const name = '@helpdesk/demo-data';
    const { buildDemoWarehouse } = (await import(name)) as { buildDemoWarehouse: (path: string, o: object) => Promise<unknown> };
    const partial = `${path}.partial`;
    rmSync(partial, { force: true });
    rmSync(`${partial}.wal`, { force: true });
    console.log(`building ${path} ...`);
    await buildDemoWarehouse(partial, { seed, interactions });
    renameSync(partial, path);
  }
  return { path, generator: `demo ${interactions}` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, (performance.now() - t) / 1000];
}

export default async function run(args: string[]) {
  const { path, generator } = await warehouseFile(args);
  const wh = await Warehouse.open(path);
  try {
    await refreshSentiment(wh);
    const state = await ensureMetricsCache(wh);
    const config = await configFromSettings(wh);
    const [extent] = await wh.all<{ first: string; last: string }>(
      "SELECT strftime(min(created_at), '%Y-%m-%d') AS first, strftime(max(created_at), '%Y-%m-%d') AS last FROM interactions",
    );
    const [built, rollupBuildSeconds] = await timed(() => refreshRollup(wh, 'all', config, state.version));
    const [{ facts }] = await wh.all<{ facts: number }>('SELECT count(*)::INTEGER AS facts FROM metrics_cache_facts');
    const days = await wh.all<{ d: string }>("SELECT DISTINCT strftime(day, '%Y-%m-%d') AS d FROM metrics_cache_rollup ORDER BY d DESC LIMIT 3");
    const [, touchedDaysSeconds] = await timed(() => refreshRollup(wh, days.map((r) => r.d), config, state.version));

    const last30 = new Date(Date.parse(`${extent.last}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const scorecardKpis = rollupKpis.map((k) => k.id);
    const cases: Record<string, ScorecardOptions> = {
      overview: { from: last30, to: extent.last, by: ['channel'], kpis: ['volume', 'first_response_time', 'average_speed_of_answer'] },
      dayChannel: { from: extent.first, to: extent.last, by: ['day', 'channel'], kpis: scorecardKpis },
      team: { from: extent.first, to: extent.last, by: ['team'], kpis: scorecardKpis },
      agent: { from: extent.first, to: extent.last, by: ['agent'], kpis: scorecardKpis },
      total: { from: extent.first, to: extent.last, kpis: scorecardKpis },
    };
    const figures: Record<string, number | string> = {
      generator, interactions: facts, factsRows: facts, rollupCells: built.cells, rollupBuildSeconds, touchedDaysSeconds,
    };
    const ratios: Record<string, number> = {};
    let sketchedRowsDefault = 0;
    for (const [name, request] of Object.entries(cases)) {
      const rollupTimes: number[] = [];
      const factsTimes: number[] = [];
      for (let n = 0; n < 5; n++) {
        const [card, seconds] = await timed(() => scorecard(wh, { ...request, config, resultCache: false }));
        if (card.source !== 'rollup') throw new Error(`${name}: expected the rollup, got ${card.source} (${card.sourceReason})`);
        if (n === 0) sketchedRowsDefault += card.sketched.length;
        rollupTimes.push(seconds);
        factsTimes.push((await timed(() => scorecard(wh, { ...request, config, resultCache: false, rollup: false })))[1]);
      }
      figures[`${name}RollupSeconds`] = median(rollupTimes);
      figures[`${name}FactsSeconds`] = median(factsTimes);
      ratios[`${name}FactsOverRollup`] = median(factsTimes) / median(rollupTimes);
    }
    figures.sketchedKpisDefault = sketchedRowsDefault;

    // Every cell as a sketch: the worst case of the error against the facts' exact quantiles.
    await refreshRollup(wh, 'all', config, state.version, { exactLimit: 0 });
    let worst = 0;
    let compared = 0;
    const durations = rollupKpis.filter((k) => k.compute.kind === 'duration').map((k) => k.id);
    for (const request of Object.values(cases)) {
      const fromSketch = await scorecard(wh, { ...request, config, resultCache: false });
      const exact = await scorecard(wh, { ...request, config, resultCache: false, rollup: false });
      fromSketch.rows.forEach((row, i) => {
        for (const id of durations) {
          for (const key of [`${id}_median`, `${id}_p90`]) {
            const a = row[key];
            const b = exact.rows[i][key];
            if (typeof a !== 'number' || typeof b !== 'number' || b <= 0) continue;
            compared++;
            worst = Math.max(worst, Math.abs(a - b) / b);
          }
        }
      });
    }
    figures.sketchQuantilesCompared = compared;
    // In percent, so the report's three decimals show how close to the 1 % bound it comes.
    figures.sketchMaxRelativeErrorPct = worst * 100;
    await refreshRollup(wh, 'all', config, state.version);
    return { figures, ratios };
  } finally {
    wh.close();
  }
}
