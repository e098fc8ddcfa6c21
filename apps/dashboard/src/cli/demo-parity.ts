import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import { buildDemoByRoute, defaultDemoOptions, routeDifferences } from '@helpdesk/demo-data';
import { kpis, scorecard } from '@helpdesk/metrics';

/**
 * Parity of the two demo routes: the same seed built `--via direct` (the generator writes canonical
 * rows) and `--via adapters` (the world's vendor pages through the real adapters) must be the same
 * world. Every KPI of the registry is computed per channel on both over the whole period; each
 * (KPI, channel) is equal (both empty, or within 0.5 % of the larger), explained (listed with its
 * reason in @helpdesk/demo-data's `routeDifferences`; a derived rank KPI also when one of its inputs
 * is explained in some row), or unexplained.
 */
export const parityTolerance = 0.005;

export interface ParityRow {
  kpi: string;
  channel: string;
  direct: number | null;
  adapters: number | null;
  verdict: 'equal' | 'explained' | 'unexplained';
  reason?: string;
}

export interface ParityReport {
  kpisCompared: number;
  equal: number;
  explained: number;
  unexplained: number;
  rows: ParityRow[];
}

/** Equal within the tolerance, relative to the larger magnitude; two empty values are equal. */
export function withinTolerance(a: number | null, b: number | null, tolerance = parityTolerance): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Compares every KPI per channel on two warehouses over [from, to] (local days, UTC).
 *
 * @example
 * const report = await compareRoutes(direct, adapters, { from: '2026-08-03', to: '2026-10-31' });
 */
export async function compareRoutes(direct: Warehouse, adapters: Warehouse, range: { from: string; to: string }): Promise<ParityReport> {
  const ids = kpis.map((k) => k.id);
  const card = (wh: Warehouse) => scorecard(wh, { ...range, by: ['channel'], kpis: ids, resultCache: false });
  const [a, b] = [await card(direct), await card(adapters)];
  const rowOf = (rows: typeof a.rows, channel: string) => rows.find((r) => r.channel === channel);
  const rows: ParityRow[] = [];
  for (const k of kpis) {
    for (const channel of k.channels) {
      const value = (r: Record<string, unknown> | undefined) => (typeof r?.[k.id] === 'number' ? (r[k.id] as number) : null);
      const [x, y] = [value(rowOf(a.rows, channel)), value(rowOf(b.rows, channel))];
      if (withinTolerance(x, y)) {
        rows.push({ kpi: k.id, channel, direct: x, adapters: y, verdict: 'equal' });
        continue;
      }
      const known = routeDifferences.find((d) => d.kpi === k.id && (d.channel === undefined || d.channel === channel));
      // A derived KPI ranks the rows of the report: an input explained in any row moves every rank.
      const inputs = k.compute.kind === 'derived' ? k.compute.from : [];
      const movedInputs = [...new Set(rows.filter((r) => inputs.includes(r.kpi) && r.verdict === 'explained').map((r) => r.kpi))];
      const reason = known?.reason ?? (movedInputs.length ? `Ranked among the channels' rows: its inputs ${movedInputs.join(', ')} differ for the listed reasons.` : undefined);
      rows.push({ kpi: k.id, channel, direct: x, adapters: y, verdict: reason ? 'explained' : 'unexplained', reason });
    }
  }
  const count = (v: ParityRow['verdict']) => rows.filter((r) => r.verdict === v).length;
  return { kpisCompared: rows.length, equal: count('equal'), explained: count('explained'), unexplained: count('unexplained'), rows };
}

/** The first and last whole day of a demo built with these options. */
export function demoDays(options: { days?: number; end?: string }): { from: string; to: string } {
  const end = Date.parse(options.end ?? defaultDemoOptions.end);
  const days = options.days ?? defaultDemoOptions.days;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(end - days * 86_400_000), to: day(end - 86_400_000) };
}

/**
 * Builds the same seed both ways into a temporary folder and compares them; the folder is removed.
 * `onStage` reports progress ("direct", "adapters", "compare").
 */
export async function demoParity(options: { seed?: number; interactions: number; days?: number; onStage?: (stage: string) => void }): Promise<ParityReport & { seconds: { direct: number; adapters: number; compare: number } }> {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-parity-'));
  try {
    const build = { seed: options.seed ?? defaultDemoOptions.seed, interactions: options.interactions, days: options.days ?? defaultDemoOptions.days };
    const timed = async (stage: string, fn: () => Promise<unknown>) => {
      options.onStage?.(stage);
      const t = performance.now();
      await fn();
      return (performance.now() - t) / 1000;
    };
    const direct = await timed('direct', () => buildDemoByRoute(join(dir, 'direct.duckdb'), { ...build, via: 'direct' }));
    const adapters = await timed('adapters', () => buildDemoByRoute(join(dir, 'adapters.duckdb'), { ...build, via: 'adapters' }));
    const a = await Warehouse.open(join(dir, 'direct.duckdb'));
    const b = await Warehouse.open(join(dir, 'adapters.duckdb'));
    try {
      let report: ParityReport | undefined;
      const compare = await timed('compare', async () => {
        report = await compareRoutes(a, b, demoDays(build));
      });
      return { ...report!, seconds: { direct, adapters, compare } };
    } finally {
      a.close();
      b.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
