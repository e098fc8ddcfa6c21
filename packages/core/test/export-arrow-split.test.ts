import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '../src/index.ts';
import { exportDataset, fileSink, splitExportQuery, getDataset, registerBuiltinDatasets, writeArrow, exportKey, type ByteSink } from '../src/export/index.ts';
import { buildExportFixture, FIXTURE } from './export-fixture.ts';
import { arrowRows, hmac, readArrow, rowsChecksum } from './export-readers.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-export-split-');
let wh: Warehouse;
let writable: Warehouse;
beforeAll(async () => {
  // Exports split only on a read-only warehouse (split-export.ts); one writable copy checks that.
  (await buildExportFixture(dir)).close();
  wh = await Warehouse.open(join(dir, 'fixture.duckdb'), { readOnly: true });
  writable = await Warehouse.open(join(dir, 'writable.duckdb'));
  await writable.run(`ATTACH '${join(dir, 'fixture.duckdb')}' AS source (READ_ONLY)`);
  await writable.run('INSERT INTO events SELECT * FROM source.events');
  await writable.run('DETACH source');
  registerBuiltinDatasets();
});
afterAll(() => {
  wh?.close();
  writable?.close();
});

const TOTAL_EVENTS = FIXTURE.interactions * FIXTURE.eventsPerInteraction;
const columns = ['id', 'interaction_id', 'channel', 'seq', 'occurred_at', 'type', 'author_role', 'author_id', 'is_public', 'body', 'from_value', 'to_value', 'value_num'];
const timestamps = ['occurred_at'];
/** The events with their channel, written by hand (not by buildExportQuery): the rows a split export must reproduce. */
const eventsWhere = (where: string) => `SELECT e.id, e.interaction_id, i.channel, e.seq, e.occurred_at, e.type, e.author_role, e.author_id, e.is_public,
  e.body, e.from_value, e.to_value, e.value_num FROM events e JOIN interactions i ON i.id = e.interaction_id WHERE ${where}`;

/** What DuckDB itself says the rows are: their count and an order-free checksum of their values. */
async function expected(where: string) {
  const rows = await wh.all(eventsWhere(where));
  const [{ n }] = await wh.all<{ n: number }>(`SELECT count(*) AS n FROM (${eventsWhere(where)})`);
  return { count: Number(n), checksum: rowsChecksum(rows, columns, timestamps) };
}

let written = 0;
/** Writes `parts` (each a WHERE clause over events) as one Arrow export and reads it back. */
async function exportParts(format: 'file' | 'stream', wheres: string[], sql = eventsWhere('true')) {
  const path = join(dir, `parts-${written++}.${format === 'file' ? 'arrow' : 'arrows'}`);
  const result = await writeArrow(wh, sql, fileSink(path), { format, batchRows: 4096, parts: wheres.map(eventsWhere) });
  const table = readArrow(path);
  return { result, table, checksum: rowsChecksum(arrowRows(table), columns, timestamps) };
}

describe.each(['file', 'stream'] as const)('Arrow IPC %s from concurrent streams', (format) => {
  test('three parts of very unequal size (5 rows, 1 row, the rest) give exactly the rows of the whole query', async () => {
    const { result, table, checksum } = await exportParts(format, ['e.rowid < 5', 'e.rowid >= 5 AND e.rowid < 6', 'e.rowid >= 6']);
    const whole = await expected('true');
    expect(whole.count).toBe(TOTAL_EVENTS);
    expect(result.rows).toBe(whole.count);
    expect(table.numRows).toBe(whole.count);
    expect(checksum).toBe(whole.checksum);
    expect(table.batches.every((b) => b.numRows <= 4096)).toBe(true);
  });

  test('a result smaller than one DuckDB chunk, spread over parts of which one is empty', async () => {
    const wheres = ["e.seq = 0 AND i.channel = 'phone' AND e.rowid < 40", "e.seq = 0 AND i.channel = 'phone' AND e.rowid >= 40 AND e.rowid < 40", "e.seq = 0 AND i.channel = 'phone' AND e.rowid >= 40 AND e.rowid < 200"];
    const { result, table, checksum } = await exportParts(format, wheres);
    const whole = await expected("e.seq = 0 AND i.channel = 'phone' AND e.rowid < 200");
    expect(whole.count).toBeGreaterThan(0);
    expect(whole.count).toBeLessThan(2048);
    expect(result.rows).toBe(whole.count);
    expect(table.batches.length).toBe(1);
    expect(checksum).toBe(whole.checksum);
  });

  test('all parts empty: no rows, but the schema and one empty batch', async () => {
    const { result, table } = await exportParts(format, ['e.rowid < 0', 'e.rowid > 1e9']);
    expect(result.rows).toBe(0);
    expect(result.batches).toBe(1);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(columns);
  });
});

describe('split exports', () => {
  test.each(['arrow', 'arrow-stream'] as const)('%s with three streams equals the warehouse, as with one', async (format) => {
    const file = format === 'arrow' ? 'events.arrow' : 'events.arrows';
    const split = await exportDataset(wh, { dataset: 'events', format, outDir: join(dir, `split-${format}`), pii: 'include', batchRows: 4096, streams: 3 });
    const single = await exportDataset(wh, { dataset: 'events', format, outDir: join(dir, `single-${format}`), pii: 'include', batchRows: 4096, streams: 1 });
    const whole = await expected('true');
    expect(split.rowCount).toBe(whole.count);
    expect(single.rowCount).toBe(whole.count);
    expect(rowsChecksum(arrowRows(readArrow(join(dir, `split-${format}`, file))), columns, timestamps)).toBe(whole.checksum);
    expect(rowsChecksum(arrowRows(readArrow(join(dir, `single-${format}`, file))), columns, timestamps)).toBe(whole.checksum);
  });

  test('the rowid ranges cover every row once, with open ends', async () => {
    const parts = await splitExportQuery(wh, getDataset('events'), { filters: {}, pii: 'include', key: exportKey() }, 3);
    expect(parts).toHaveLength(3);
    // 12,000 rowids in thirds.
    expect(parts![0]).toMatch(/WHERE e\.rowid < 4000$/);
    expect(parts![1]).toMatch(/WHERE e\.rowid >= 4000 AND e\.rowid < 8000$/);
    expect(parts![2]).toMatch(/WHERE e\.rowid >= 8000$/);
    expect(await splitExportQuery(wh, getDataset('events'), { filters: {}, pii: 'include', key: exportKey() }, 1)).toBeUndefined();
    // A writable warehouse could commit between the parts' snapshots.
    expect(await writable.all('SELECT count(*)::INTEGER AS n FROM events')).toEqual([{ n: TOTAL_EVENTS }]);
    expect(await splitExportQuery(writable, getDataset('events'), { filters: {}, pii: 'include', key: exportKey() }, 3)).toBeUndefined();
    await expect(splitExportQuery(wh, getDataset('events'), { filters: {}, pii: 'include', key: exportKey() }, 0)).rejects.toThrow(/streams/);
  });

  test('hashed PII columns are the HMAC of the source value in every part (each part hashes its own rows\' values)', async () => {
    const key = 'split-test-key';
    await exportDataset(wh, { dataset: 'events', format: 'arrow', outDir: join(dir, 'hashed'), pii: 'hash', key, streams: 3 });
    const exported = arrowRows(readArrow(join(dir, 'hashed', 'events.arrow')));
    // Customers' author ids are hashed (node:crypto here), everyone else's kept as stored.
    const source = await wh.all<{ id: string; author_role: string; author_id: string | null }>('SELECT id, author_role, author_id FROM events');
    const want = new Map(source.map((r) => [r.id, r.author_role === 'customer' && r.author_id !== null ? hmac(key, r.author_id) : r.author_id]));
    expect(exported.length).toBe(want.size);
    for (const row of exported) expect(row.author_id).toBe(want.get(row.id as string));
  });

  test('with a given connection the parts are ignored: its temp tables are visible to it alone', async () => {
    await wh.withConnection(async (connection) => {
      await connection.run('CREATE OR REPLACE TEMP TABLE split_probe AS SELECT range AS n FROM range(5000)');
      const path = join(dir, 'given.arrow');
      const result = await writeArrow(wh, 'SELECT n FROM split_probe', fileSink(path), {
        format: 'file', connection, parts: ['SELECT n FROM split_probe WHERE n < 10', 'SELECT n FROM split_probe WHERE n >= 10'],
      });
      expect(result.rows).toBe(5000);
      const values = readArrow(path).getChild('n')!.toArray() as BigInt64Array;
      expect(values.reduce((a, b) => a + b, 0n)).toBe(BigInt((4999 * 5000) / 2));
      await connection.run('DROP TABLE split_probe');
    });
  });

  test('a sink that fails stops every stream, and the warehouse exports again afterwards', async () => {
    let writes = 0;
    const failing: ByteSink = {
      consumesSynchronously: true,
      async write() {
        if (++writes === 2) throw new Error('disk full');
      },
      async end() {
        return { bytes: 0, sha256: '' };
      },
      abort() {},
    };
    await expect(writeArrow(wh, eventsWhere('true'), failing, { format: 'stream', batchRows: 2048, parts: [eventsWhere('e.rowid < 6000'), eventsWhere('e.rowid >= 6000')] }))
      .rejects.toThrow('disk full');
    const { result, checksum } = await exportParts('file', ['e.rowid < 6000', 'e.rowid >= 6000']);
    expect(result.rows).toBe(TOTAL_EVENTS);
    expect(checksum).toBe((await expected('true')).checksum);
  });
});

describe('text copying', () => {
  test('long, inline, empty and null strings in any sequence keep their bytes and order', async () => {
    // Row i's text, built by JavaScript below as well: lengths cycle through 0..40 (inline up to
    // 12 bytes, longer ones behind pointers, which DuckDB lays out one after another), some NULL.
    const n = 5000;
    const path = join(dir, 'texts.arrow');
    await writeArrow(wh, `SELECT i, CASE WHEN i % 7 = 3 THEN NULL ELSE repeat(chr(CAST(97 + i % 26 AS INTEGER)), i % 41) || CASE WHEN i % 5 = 0 THEN 'é' ELSE '' END END AS t
      FROM range(${n}) r(i) ORDER BY i`, fileSink(path), { format: 'file', batchRows: 4096 });
    const table = readArrow(path);
    const texts = table.getChild('t')!.toArray() as (string | null)[];
    const want = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? null : String.fromCharCode(97 + (i % 26)).repeat(i % 41) + (i % 5 === 0 ? 'é' : '')));
    expect(table.numRows).toBe(n);
    expect([...texts]).toEqual(want);
  });
});
