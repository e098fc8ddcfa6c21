import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../src/index.ts';
import { ExportError, getDataset, registerBuiltinDatasets, streamDataset } from '../src/export/index.ts';
import { exportFilterConditions, parseExportFilters } from '../src/export/filters.ts';
import { buildExportFixture } from './export-fixture.ts';

/**
 * Export filters (the CLI's flags and the dashboard's export form): COPY cannot bind parameters,
 * so validated values are written into the SQL. Any input is either refused with one ExportError
 * line or becomes conditions made only of a calendar day and channel names; hostile values in a
 * real export change nothing in the warehouse and export nothing.
 */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom("2026-01-01' OR '1'='1", "'; DROP TABLE interactions; --", '2026-01-01\u0000', '2026-02-30', '2026-1-1', 'chat', "chat'", 'x'.repeat(100_000), '\uD800'),
);
const filterInput = fc.oneof(
  fc.record({ from: fc.oneof(hostile, fc.constant('2026-03-01')), to: fc.oneof(hostile, fc.constant('2026-03-09')), channels: fc.array(fc.oneof(hostile, fc.constantFrom('chat', 'email'))) }, { requiredKeys: [] }),
  fc.dictionary(hostile, hostile, { maxKeys: 3 }),
  fc.jsonValue(),
);
const safeCondition = /^(i\.)?[a-z_.]+ (>= TIMESTAMPTZ '\d{4}-\d\d-\d\d 00:00:00\+00'|< TIMESTAMPTZ '\d{4}-\d\d-\d\d 00:00:00\+00' \+ INTERVAL 1 DAY|IN \('(chat|email|phone|social|help_center)'(, '(chat|email|phone|social|help_center)')*\))$/;

const dir = mkdtempSync(join(tmpdir(), 'export-filters-'));
let wh: Warehouse;
beforeAll(async () => {
  registerBuiltinDatasets();
  wh = await buildExportFixture(dir);
});
afterAll(() => {
  wh.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fingerprint(): Promise<string> {
  const rows = await wh.all<{ t: string; n: number; h: string }>(
    `SELECT 'interactions' AS t, count(*) AS n, sum(hash(id, updated_at))::VARCHAR AS h FROM interactions
     UNION ALL SELECT 'events', count(*), sum(hash(id, body))::VARCHAR FROM events
     UNION ALL SELECT 'identities', count(*), sum(hash(id, value))::VARCHAR FROM identities ORDER BY 1`,
  );
  const tables = await wh.all<{ n: number }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main'");
  return JSON.stringify([rows, tables]);
}

describe('export filters', () => {
  it('any input is refused in one line or yields conditions of days and channel names only', () => {
    const dataset = getDataset('interactions');
    let accepted = 0;
    fc.assert(
      fc.property(filterInput, (input) => {
        let conditions: string[];
        try {
          conditions = exportFilterConditions(dataset, parseExportFilters(input));
        } catch (error) {
          expect(error).toBeInstanceOf(ExportError);
          expect((error as Error).message).toMatch(/^bad filter/);
          expect((error as Error).message).not.toContain('\n');
          return;
        }
        accepted++;
        for (const c of conditions) expect(c).toMatch(safeCondition);
      }),
      { numRuns: 500, seed: 41 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it('a hostile filter in a real export is refused, exports nothing and changes nothing', async () => {
    const before = await fingerprint();
    for (const filters of [{ from: "2026-01-01' OR '1'='1" }, { channels: ["chat') OR ('1'='1"] }, { to: '2026-03-01; DROP TABLE interactions' }, { channels: ['chat'], extra: "'" }]) {
      const out = new PassThrough();
      let bytes = 0;
      out.on('data', (c: Buffer) => (bytes += c.length));
      await expect(streamDataset(wh, { dataset: 'interactions', filters }, out)).rejects.toThrow(ExportError);
      expect(bytes).toBe(0);
    }
    expect(await fingerprint()).toBe(before);
    // The control: the same call with a valid filter exports rows (email is i % 5 = 1: 600 of 3,000).
    const out = new PassThrough();
    out.resume();
    expect((await streamDataset(wh, { dataset: 'interactions', filters: { channels: ['email'] } }, out)).rows).toBe(600);
  });
});
