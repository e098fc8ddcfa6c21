import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { Type, TimeUnit, tableFromIPC, type Dictionary, type List, type Timestamp } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Warehouse } from '../src/index.ts';
import { exportDataset, streamDataset } from '../src/export/index.ts';
import { buildExportFixture } from './export-fixture.ts';
import { arrowRows, readArrow, rowsChecksum } from './export-readers.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-export-arrow-');
let wh: Warehouse;
beforeAll(async () => {
  wh = await buildExportFixture(dir);
});
afterAll(() => wh?.close());

const eventColumns = ['id', 'interaction_id', 'channel', 'seq', 'occurred_at', 'type', 'author_role', 'author_id', 'is_public', 'body', 'from_value', 'to_value', 'value_num'];
const eventsSource = (where = '') => `SELECT e.id, e.interaction_id, i.channel, e.seq, e.occurred_at, e.type, e.author_role, e.author_id, e.is_public,
  e.body, e.from_value, e.to_value, e.value_num FROM events e JOIN interactions i ON i.id = e.interaction_id ${where}`;

describe('Arrow IPC export', () => {
  test.each([
    ['arrow', 'events.arrow'],
    ['arrow-stream', 'events.arrows'],
  ] as const)('%s reads back with apache-arrow: rows, batches, types and values equal the warehouse', async (format, file) => {
    const manifest = await exportDataset(wh, { dataset: 'events', format, outDir: join(dir, format), pii: 'include', batchRows: 4096 });
    const table = readArrow(join(dir, format, file));
    // 3,000 interactions x 4 events = 12,000 rows, in batches of at most 4,096: at least 3.
    expect(table.numRows).toBe(12_000);
    expect(manifest.rowCount).toBe(12_000);
    expect(table.batches.length).toBeGreaterThanOrEqual(3);
    expect(table.batches.every((b) => b.numRows <= 4096)).toBe(true);
    const field = (name: string) => table.schema.fields.find((f) => f.name === name)!;
    expect(field('type').type.typeId).toBe(Type.Dictionary);
    expect((field('type').type as Dictionary).indices.bitWidth).toBe(8);
    expect(field('occurred_at').type.typeId).toBe(Type.Timestamp);
    expect((field('occurred_at').type as Timestamp).unit).toBe(TimeUnit.MICROSECOND);
    expect((field('occurred_at').type as Timestamp).timezone).toBe('UTC');
    expect(field('seq').type.typeId).toBe(Type.Int);
    expect(field('is_public').type.typeId).toBe(Type.Bool);
    expect(field('value_num').type.typeId).toBe(Type.Float);
    expect(field('body').type.typeId).toBe(Type.Utf8);
    const source = await wh.all(eventsSource());
    expect(rowsChecksum(arrowRows(table), eventColumns, ['occurred_at'])).toBe(rowsChecksum(source, eventColumns, ['occurred_at']));
  });

  test('rows a filter leaves in partial DuckDB chunks keep their nulls, booleans and strings in place', async () => {
    // A filter makes chunks of odd sizes, so validity bits and booleans land at unaligned bit offsets.
    const manifest = await exportDataset(wh, {
      dataset: 'events', format: 'arrow', outDir: join(dir, 'partial'), pii: 'include', batchRows: 4096,
      filters: { channels: ['phone', 'social'], from: '2026-03-03' },
    });
    const source = await wh.all(eventsSource(`WHERE i.channel IN ('phone', 'social') AND e.occurred_at >= '2026-03-03 00:00:00+00'`));
    expect(manifest.rowCount).toBe(source.length);
    const rows = arrowRows(readArrow(join(dir, 'partial', 'events.arrow')));
    expect(rowsChecksum(rows, eventColumns, ['occurred_at'])).toBe(rowsChecksum(source, eventColumns, ['occurred_at']));
  });

  test('interactions keep lists of tags (with null items) and every timestamp', async () => {
    await exportDataset(wh, { dataset: 'interactions', format: 'arrow', outDir: join(dir, 'lists'), pii: 'include', batchRows: 4096 });
    const table = readArrow(join(dir, 'lists', 'interactions.arrow'));
    const tags = table.schema.fields.find((f) => f.name === 'tags')!.type as List;
    expect(tags.typeId).toBe(Type.List);
    expect(tags.children[0].type.typeId).toBe(Type.Utf8);
    const names = table.schema.fields.map((f) => f.name);
    const ts = ['created_at', 'first_response_at', 'resolved_at', 'closed_at', 'updated_at', 'bot_handoff_at'];
    const source = await wh.all(`SELECT ${names.join(', ')} FROM interactions`);
    expect(rowsChecksum(arrowRows(table), names, ts)).toBe(rowsChecksum(source, names, ts));
    // zendesk:2 is i = 2: tags ['x', NULL]; zendesk:3: one 35-byte tag (beyond DuckDB's 12-byte inline strings).
    const byId = new Map(arrowRows(table).map((r) => [r.id, r]));
    expect(byId.get('aircall:2')!.tags).toEqual(['x', null]);
    expect(byId.get('zendesk:3')!.tags).toEqual(['a-very-long-tag-value-beyond-twelve']);
    expect(byId.get('zendesk:0')!.tags).toEqual([]);
  });

  test('an empty result still carries the schema', async () => {
    const manifest = await exportDataset(wh, { dataset: 'cases', format: 'arrow', outDir: join(dir, 'empty'), filters: { from: '2030-01-01' } });
    const table = readArrow(join(dir, 'empty', 'cases.arrow'));
    expect(manifest.rowCount).toBe(0);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(manifest.schema.map((c) => c.name));
  });

  test('streamDataset writes an Arrow IPC stream into any writable, e.g. an HTTP response', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const result = await streamDataset(wh, { dataset: 'interactions', filters: { channels: ['email'] } }, out);
    const table = tableFromIPC(Buffer.concat(chunks));
    // Email is i % 5 = 1: 3,000 / 5 = 600 interactions.
    expect(result.rows).toBe(600);
    expect(table.numRows).toBe(600);
    expect(new Set(table.getChild('channel')!.toArray())).toEqual(new Set(['email']));
  });
});
