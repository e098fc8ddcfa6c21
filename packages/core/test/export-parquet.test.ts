import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Warehouse } from '../src/index.ts';
import { exportDataset } from '../src/export/index.ts';
import { buildExportFixture } from './export-fixture.ts';
import { readParquet, rowsChecksum } from './export-readers.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-export-parquet-');
let wh: Warehouse;
beforeAll(async () => {
  wh = await buildExportFixture(dir);
});
afterAll(() => wh?.close());

const interactionTimestamps = ['created_at', 'first_response_at', 'resolved_at', 'closed_at', 'updated_at', 'bot_handoff_at'];

describe('Parquet export', () => {
  test('reads back with hyparquet with the rows, types and values of the warehouse', async () => {
    const manifest = await exportDataset(wh, { dataset: 'interactions', format: 'parquet', outDir: join(dir, 'full'), pii: 'include' });
    const { rows, schema, metadata } = await readParquet(join(dir, 'full', 'interactions.parquet'));
    expect(rows.length).toBe(3000);
    expect(manifest.rowCount).toBe(3000);
    expect(metadata.row_groups.length).toBeGreaterThan(0);
    // Types as written in the file: zstd pages, UTC microsecond timestamps, UTF-8 strings, a list.
    expect(metadata.row_groups[0].columns.every((c) => c.meta_data?.codec === 'ZSTD')).toBe(true);
    const element = (name: string) => schema.children.find((c) => c.element.name === name)!.element;
    expect(element('created_at').type).toBe('INT64');
    expect(element('created_at').logical_type).toMatchObject({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
    expect(element('channel').type).toBe('BYTE_ARRAY');
    expect(element('csat_score').type).toBe('INT32');
    expect(element('bot_involved').type).toBe('BOOLEAN');
    expect(element('queue_wait_seconds').type).toBe('DOUBLE');
    expect(element('tags').converted_type).toBe('LIST');
    // Values: every exported column straight from the table, read by DuckDB's own row path.
    const names = manifest.schema.map((c) => c.name);
    const source = await wh.all(`SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM interactions`);
    expect(rowsChecksum(rows, names, interactionTimestamps)).toBe(rowsChecksum(source, names, interactionTimestamps));
  });

  test('from/to are inclusive UTC days and --channel keeps only that channel', async () => {
    // created_at = 2026-03-01 00:00Z + 37 min * i. 2026-03-02 is minutes [1440, 2880): i = 39 (1443) .. 77 (2849),
    // i.e. 39 rows; chat is i % 5 = 0: 40, 45, ..., 75 = 8 rows.
    const day = await exportDataset(wh, { dataset: 'interactions', format: 'parquet', outDir: join(dir, 'day'), filters: { from: '2026-03-02', to: '2026-03-02' } });
    expect(day.rowCount).toBe(39);
    const chat = await exportDataset(wh, {
      dataset: 'interactions', format: 'parquet', outDir: join(dir, 'chat'), filters: { from: '2026-03-02', to: '2026-03-02', channels: ['chat'] },
    });
    expect(chat.rowCount).toBe(8);
    const { rows } = await readParquet(join(dir, 'chat', 'interactions.parquet'));
    expect(rows.map((r) => r.id).sort()).toEqual([40, 45, 50, 55, 60, 65, 70, 75].map((i) => `zendesk:${i}`).sort());
  });

  test('Hive partitions by date and channel: one folder per UTC day and channel, rows add up and sit in their folder', async () => {
    const manifest = await exportDataset(wh, {
      dataset: 'events', format: 'parquet', outDir: join(dir, 'hive'), partitionBy: ['date', 'channel'],
      filters: { from: '2026-03-02', to: '2026-03-04', channels: ['chat', 'phone'] },
    });
    // Independent count: events of chat/phone interactions that occurred on 2026-03-02..04 UTC.
    const [{ n }] = await wh.all<{ n: number }>(`SELECT count(*) AS n FROM events e JOIN interactions i ON i.id = e.interaction_id
      WHERE i.channel IN ('chat', 'phone') AND e.occurred_at >= '2026-03-02 00:00:00+00' AND e.occurred_at < '2026-03-05 00:00:00+00'`);
    expect(manifest.rowCount).toBe(n);
    const root = join(dir, 'hive', 'events.parquet');
    expect(readdirSync(root).sort()).toEqual(['date=2026-03-02', 'date=2026-03-03', 'date=2026-03-04']);
    let total = 0;
    for (const file of manifest.files) {
      const match = /^events\.parquet\/date=(\d{4}-\d{2}-\d{2})\/channel=(chat|phone)\/[^/]+\.parquet$/.exec(file.path);
      expect(match, file.path).not.toBeNull();
      const { rows } = await readParquet(join(dir, 'hive', file.path));
      expect(rows.length).toBe(file.rows);
      total += rows.length;
      // Partition columns live in the path; every row's UTC day matches its folder.
      expect(rows.every((r) => (r.occurred_at as Date).toISOString().slice(0, 10) === match![1])).toBe(true);
      const ids = [...new Set(rows.map((r) => r.interaction_id as string))];
      const channels = await wh.all<{ channel: string }>("SELECT DISTINCT channel FROM interactions WHERE list_contains(string_split($1, '|'), id)", [ids.join('|')]);
      expect(channels.map((c) => c.channel)).toEqual([match![2]]);
    }
    expect(total).toBe(n);
    // The folder reads as one table with its partition columns restored.
    const [back] = await wh.all<{ n: number; channels: number }>(
      'SELECT count(*) AS n, count(DISTINCT channel) AS channels FROM read_parquet($1, hive_partitioning = true)',
      [join(root, '**', '*.parquet')],
    );
    expect(back).toEqual({ n, channels: 2 });
  });
});
