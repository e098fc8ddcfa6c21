import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Warehouse } from '../src/index.ts';
import {
  ExportError, exportDataset, getDataset, listDatasets, parseExportFilters, registerBuiltinDatasets, registerDataset, schemaMarkdown,
  type ExportManifest,
} from '../src/export/index.ts';
import { buildExportFixture } from './export-fixture.ts';
import { readParquet } from './export-readers.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-export-manifest-');
let wh: Warehouse;
beforeAll(async () => {
  wh = await buildExportFixture(dir);
});
afterAll(() => wh?.close());

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('export manifest', () => {
  test('lists every file with its size and SHA-256, the row count, filters, PII, time basis and context', async () => {
    const out = join(dir, 'm1');
    const returned = await exportDataset(wh, {
      dataset: 'interactions', format: 'parquet', outDir: out, partitionBy: ['channel'], filters: { channels: ['chat', 'email'] },
      context: { metricRegistryVersion: 'metrics@7', reportingTimeZone: 'Europe/Berlin', businessHoursCalendar: 'de-standard' },
      now: () => new Date('2026-05-01T12:00:00Z'),
    });
    const manifest = JSON.parse(readFileSync(join(out, 'interactions.parquet.manifest.json'), 'utf8')) as ExportManifest;
    expect(manifest).toEqual(JSON.parse(JSON.stringify(returned)));
    // chat and email are i % 5 = 0 and 1: 2 x 600 rows.
    expect(manifest.rowCount).toBe(1200);
    expect(manifest.files.map((f) => f.path)).toEqual(['interactions.parquet/channel=chat/data_0.parquet', 'interactions.parquet/channel=email/data_0.parquet']);
    for (const file of manifest.files) {
      const path = join(out, file.path);
      expect(file.sha256).toBe(sha256(path));
      expect(file.bytes).toBe(statSync(path).size);
      expect(file.rows).toBe((await readParquet(path)).rows.length);
    }
    expect(manifest.files.reduce((n, f) => n + (f.rows ?? 0), 0)).toBe(1200);
    expect(manifest).toMatchObject({
      dataset: 'interactions', format: 'parquet', compression: 'zstd', partitionBy: ['channel'],
      filters: { channels: ['chat', 'email'] }, metricRegistryVersion: 'metrics@7', reportingTimeZone: 'Europe/Berlin',
      businessHoursCalendar: 'de-standard', createdAt: '2026-05-01T12:00:00.000Z',
      pii: { mode: 'redact', columns: { contact_id: 'hashed', subject: 'redacted' } },
    });
    expect(manifest.schema.find((c) => c.name === 'created_at')).toMatchObject({ type: 'TIMESTAMPTZ', pii: 'none', treatment: 'included' });
    expect(manifest.schema.find((c) => c.name === 'channel')!.type).toBe('VARCHAR (one of chat, email, phone, social, help_center)');
  });

  test('names the settings version its numbers were computed with (0 before anything was saved)', async () => {
    const before = await exportDataset(wh, { dataset: 'cases', format: 'csv', outDir: join(dir, 's0') });
    expect(before.settingsVersion).toBe(0);
    await wh.run(
      `INSERT INTO settings_versions VALUES (1, now(), 'a@x', 'admin', 'cli', 's', '[]', '{}'), (2, now(), 'a@x', 'admin', 'cli', 's', '[]', '{}')`,
    );
    try {
      const after = await exportDataset(wh, { dataset: 'cases', format: 'csv', outDir: join(dir, 's2') });
      expect(after.settingsVersion).toBe(2);
    } finally {
      await wh.run('DELETE FROM settings_versions');
    }
  });

  test('an Arrow manifest checksums exactly the bytes on disk', async () => {
    const out = join(dir, 'm2');
    const manifest = await exportDataset(wh, { dataset: 'events', format: 'arrow-stream', outDir: out });
    expect(manifest.files).toHaveLength(1);
    expect(manifest.files[0].sha256).toBe(sha256(join(out, 'events.arrows')));
    expect(manifest.files[0].bytes).toBe(statSync(join(out, 'events.arrows')).size);
    expect(manifest.files[0].rows).toBe(12_000);
  });

  test('an earlier export is kept unless overwrite is asked for, then replaced', async () => {
    const out = join(dir, 'm3');
    await exportDataset(wh, { dataset: 'cases', format: 'csv', outDir: out, partitionBy: ['date'] });
    await expect(exportDataset(wh, { dataset: 'cases', format: 'csv', outDir: out, partitionBy: ['date'] })).rejects.toThrow(/already exists; pass --force/);
    const again = await exportDataset(wh, { dataset: 'cases', format: 'csv', outDir: out, partitionBy: ['date'], filters: { to: '2026-03-01' }, overwrite: true });
    // Cases open every 9 hours from 2026-03-01 00:00Z: 00:00, 09:00 and 18:00 fall on March 1st.
    expect(again.rowCount).toBe(3);
    expect(readdirSync(join(out, 'cases.csv'))).toEqual(['date=2026-03-01']);
  });

  test('a failed export leaves no file behind', async () => {
    registerBuiltinDatasets();
    if (!listDatasets().some((d) => d.name === 'test_intervals')) {
      registerDataset({
        name: 'test_intervals', description: 'a column type Arrow export does not write', from: 'range(3) t(n)',
        columns: [{ name: 'span', type: 'INTERVAL', sql: 'to_days(CAST(n AS INTEGER))', meaning: 'an interval' }],
      });
    }
    const out = join(dir, 'm4');
    await expect(exportDataset(wh, { dataset: 'test_intervals', format: 'arrow', outDir: out })).rejects.toThrow(/INTERVAL.*cast it/);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('dataset registry and filters', () => {
  test('another package can register a dataset and export it; clashes and bad names are refused', async () => {
    registerBuiltinDatasets();
    registerDataset({
      name: 'kpi_test_daily', description: 'interactions per UTC day and channel', from: 'interactions i', timeColumn: 'i.created_at', channelColumn: 'i.channel',
      columns: [
        { name: 'id', type: 'VARCHAR', sql: 'i.id', meaning: 'interaction' },
        { name: 'email_seen', type: 'VARCHAR', sql: "'x@example.com'", pii: 'email', meaning: 'a PII column' },
      ],
    });
    expect(() => registerDataset({ ...getDataset('cases') })).toThrow(/already registered/);
    expect(() => registerDataset({ ...getDataset('cases'), name: 'Bad Name' })).toThrow(/snake_case/);
    const manifest = await exportDataset(wh, { dataset: 'kpi_test_daily', format: 'parquet', outDir: join(dir, 'kpi'), filters: { channels: ['phone'] } });
    expect(manifest.rowCount).toBe(600);
    const { rows } = await readParquet(join(dir, 'kpi', 'kpi_test_daily.parquet'));
    expect(new Set(rows.map((r) => r.email_seen))).toEqual(new Set(['[redacted]']));
  });

  test("the README's export schema tables are the generated ones", () => {
    registerBuiltinDatasets();
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of ['interactions', 'events', 'customers', 'cases']) expect(readme).toContain(schemaMarkdown(getDataset(name)));
  });

  test('the schema docs are generated from the dataset definition', () => {
    registerBuiltinDatasets();
    const doc = schemaMarkdown(getDataset('events'));
    expect(doc.split('\n').slice(0, 2)).toEqual(['| column | type | meaning | PII |', '|---|---|---|---|']);
    expect(doc).toContain('| body | VARCHAR | message text | text |');
    expect(doc.split('\n')).toHaveLength(2 + 13);
  });

  test.each([
    [{ from: '2026-02-30' }, /not a calendar date/],
    [{ from: "2026-01-01' OR 1=1 --" }, /YYYY-MM-DD/],
    [{ channels: ['fax'] }, /channels/],
    [{ from: '2026-03-02', to: '2026-03-01' }, /must not be after/],
    [{ since: '2026-01-01' }, /since|unrecognized/i],
  ])('bad filters get a clear error: %j', (filters, message) => {
    expect(() => parseExportFilters(filters)).toThrow(ExportError);
    expect(() => parseExportFilters(filters)).toThrow(message);
  });

  test('a channel filter or partition on a dataset without channels is refused', async () => {
    await expect(exportDataset(wh, { dataset: 'cases', format: 'parquet', outDir: join(dir, 'x'), filters: { channels: ['chat'] } })).rejects.toThrow(/no channel/);
    await expect(exportDataset(wh, { dataset: 'cases', format: 'parquet', outDir: join(dir, 'x'), partitionBy: ['channel'] })).rejects.toThrow(/no channel/);
    await expect(exportDataset(wh, { dataset: 'events', format: 'arrow', outDir: join(dir, 'x'), partitionBy: ['date'] })).rejects.toThrow(/parquet and csv/);
    await expect(exportDataset(wh, { dataset: 'nope', format: 'arrow', outDir: join(dir, 'x') })).rejects.toThrow(/unknown dataset "nope"; known: .*cases/);
    expect(existsSync(join(dir, 'x', 'cases.parquet'))).toBe(false);
  });
});
