import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { buildDemoByRoute, routeDifferences } from '@helpdesk/demo-data';
import { compareRoutes, demoDays, withinTolerance, type ParityReport } from '@helpdesk/dashboard/cli/demo-parity';
import { tempDir } from '../cli/run-cli.ts';

/**
 * The same seed built `--via direct` and `--via adapters` at 20,000 interactions is the same world:
 * every KPI per channel is equal within 0.5 %, or differs for a reason listed in
 * data/src/route-differences.ts (information the vendor's records do not carry).
 */
describe('demo parity of the direct and adapter routes (20k interactions)', () => {
  const dir = tempDir('helpdesk-parity-');
  let direct: Warehouse;
  let adapters: Warehouse;
  let report: ParityReport;
  beforeAll(async () => {
    const options = { seed: 42, interactions: 20_000 };
    await buildDemoByRoute(join(dir, 'direct.duckdb'), { ...options, via: 'direct' });
    await buildDemoByRoute(join(dir, 'adapters.duckdb'), { ...options, via: 'adapters' });
    direct = await Warehouse.open(join(dir, 'direct.duckdb'), { readOnly: true });
    adapters = await Warehouse.open(join(dir, 'adapters.duckdb'), { readOnly: true });
    report = await compareRoutes(direct, adapters, demoDays({}));
  }, 900_000);
  afterAll(() => {
    direct?.close();
    adapters?.close();
  });

  it('the tolerance is 0.5 % of the larger value, and two empty values are equal', () => {
    expect(withinTolerance(200, 201)).toBe(true); // 1 <= 0.005 x 201 = 1.005
    expect(withinTolerance(200, 201.1)).toBe(false); // 1.1 > 1.0055
    expect(withinTolerance(null, null)).toBe(true);
    expect(withinTolerance(0, null)).toBe(false);
  });

  it('every KPI per channel is equal or differs for a listed reason', () => {
    // 86 (KPI, channel) pairs: each KPI of the registry once per channel it is defined on.
    expect(report.kpisCompared).toBe(report.rows.length);
    expect(report.kpisCompared).toBeGreaterThan(80);
    expect(report.rows.filter((r) => r.verdict === 'unexplained').map((r) => `${r.kpi}/${r.channel}: ${r.direct} vs ${r.adapters}`)).toEqual([]);
    // Most pairs are equal and carry values (not two empty numbers).
    expect(report.rows.filter((r) => r.verdict === 'equal' && r.direct !== null).length).toBeGreaterThan(55);
    for (const r of report.rows.filter((x) => x.verdict === 'explained')) expect(r.reason, `${r.kpi}/${r.channel}`).toBeTruthy();
    // A listed reason that explains nothing any more is stale and must be removed from the list.
    // (Per reason, not per entry: a reason may cover KPIs that differ only at some sizes.)
    for (const reason of new Set(routeDifferences.map((d) => d.reason))) {
      expect(report.rows.some((r) => r.verdict === 'explained' && r.reason === reason), reason.slice(0, 60)).toBe(true);
    }
  });

  it('the extra phone abandons through the adapters are exactly the callers who chose a callback', async () => {
    // Counted independently in SQL on the direct warehouse: inbound calls not abandoned that requested a callback.
    const [chose] = await direct.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM interactions WHERE channel = 'phone' AND direction = 'inbound' AND NOT abandoned AND callback_requested AND created_at >= '2026-08-03' AND created_at < '2026-11-01'",
    );
    const row = report.rows.find((r) => r.kpi === 'abandoned' && r.channel === 'phone')!;
    expect(chose.n).toBeGreaterThan(0);
    expect(row.adapters! - row.direct!).toBe(chose.n);
  });
});
