import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
// The metrics benchmark's SQL-built warehouse (realistic channel mix, CSAT, reopens, bot hand-offs,
// messages); reused rather than copied, until @helpdesk/demo-data exports buildDemoWarehouse.
import { buildSyntheticWarehouse } from '@helpdesk/metrics/bench/synthetic-warehouse';
import { consistencySummary, runPolicyChecks } from '../src/consistency.ts';
import { planSample } from '../src/plan-sample.ts';

/**
 * `npm run bench -- qa-sampling [--interactions N]`: sampling on a large warehouse.
 * Figures: build time, stratified (5 per agent over 30 days) and targeted (all eight targets,
 * sentiment included) sampling time, a SQL-only stratified draw in raw DuckDB for the ratio, and
 * every consistency check over every conversation of the warehouse (counted per channel in SQL),
 * with the cross-channel policy checks.
 */
export default async function run(args: string[]): Promise<{ figures: Record<string, number>; ratios: Record<string, number> }> {
  const at = args.indexOf('--interactions');
  const interactions = at >= 0 ? Number(args[at + 1]) : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-qa-bench-'));
  const wh = await Warehouse.open(join(dir, 'bench.duckdb'));
  try {
    let t = performance.now();
    await buildSyntheticWarehouse(wh, { interactions, days: 90, seed: 1 });
    const buildSeconds = (performance.now() - t) / 1000;
    const range = { from: '2024-02-01', to: '2024-03-01' };

    t = performance.now();
    const stratified = await planSample(wh, { strategy: { kind: 'stratified', by: 'agent', quota: 5 }, seed: 7, range });
    const stratifiedSeconds = (performance.now() - t) / 1000;

    t = performance.now();
    const targeted = await planSample(wh, {
      strategy: { kind: 'targeted', targets: ['low-csat', 'reopened', 'long-handle-time', 'failed-bot-handoff', 'repeat-contact', 'escalated', 'negative-sentiment-shift', 'duration-outlier'], size: 200 },
      seed: 7,
      range,
    });
    const targetedSeconds = (performance.now() - t) / 1000;

    // Raw DuckDB: the same quota drawn in one SQL statement, without signals, exclusions or reasons.
    t = performance.now();
    const raw = await wh.all<{ n: number }>(
      `SELECT count(*) AS n FROM (
         SELECT id FROM interactions
         WHERE created_at >= $1::TIMESTAMPTZ AND created_at < $2::TIMESTAMPTZ AND agent_id IS NOT NULL
         QUALIFY row_number() OVER (PARTITION BY agent_id ORDER BY hash(id, 7)) <= 5)`,
      ['2024-02-01T00:00:00Z', '2024-03-02T00:00:00Z'],
    );
    const rawSeconds = (performance.now() - t) / 1000;
    if (raw[0].n !== stratified.result.items.length) {
      throw new Error(`raw DuckDB drew ${raw[0].n} conversations, the sampler ${stratified.result.items.length}: quotas differ`);
    }
    // Every consistency check over every conversation, whatever its date: counted in SQL.
    t = performance.now();
    const whole = { start: '1970-01-01T00:00:00Z', end: '9999-01-01T00:00:00Z', asOf: '2024-04-01T00:00:00Z' };
    const checks = await consistencySummary(wh, whole, 'channel');
    await runPolicyChecks(wh, whole);
    const consistencySeconds = (performance.now() - t) / 1000;
    return {
      figures: {
        consistencyChecksSeconds: round(consistencySeconds),
        consistencyChecksApplied: checks.reduce((a, c) => a + c.checked, 0),
        consistencyChecksFailed: checks.reduce((a, c) => a + c.failed, 0),
        interactions,
        buildSeconds: round(buildSeconds),
        candidates: stratified.result.eligible + stratified.result.excluded.length,
        stratifiedSampleSize: stratified.result.items.length,
        stratifiedSeconds: round(stratifiedSeconds),
        targetedSampleSize: targeted.result.items.length,
        targetedSeconds: round(targetedSeconds),
        rawDuckdbStratifiedSeconds: round(rawSeconds),
      },
      ratios: { stratifiedVsRawDuckdb: round(stratifiedSeconds / rawSeconds) },
    };
  } finally {
    wh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
