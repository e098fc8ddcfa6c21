import { BOOLEAN, DOUBLE, INTEGER, SMALLINT, UTINYINT, VARCHAR } from '@duckdb/node-api';
import { Warehouse } from '@helpdesk/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appendRows, appendTemp, Dictionary, StagedWriter, type Column } from '../src/warehouse-writer.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterAll(() => warehouse.close());

interface Sample {
  n: number;
  small: number;
  tiny: number;
  x: number;
  flag: boolean;
  label: string | null;
  maybe: number | null;
}

const sampleColumns: Column<Sample>[] = [
  { name: 'n', type: INTEGER, get: (r) => r.n },
  { name: 'small', type: SMALLINT, get: (r) => r.small },
  { name: 'tiny', type: UTINYINT, get: (r) => r.tiny },
  { name: 'x', type: DOUBLE, get: (r) => r.x },
  { name: 'flag', type: BOOLEAN, get: (r) => r.flag },
  { name: 'label', type: VARCHAR, get: (r) => r.label },
  { name: 'maybe', type: INTEGER, get: (r) => r.maybe },
];

describe('appending rows by chunks', () => {
  test('numbers, booleans, strings and NULLs arrive as given, across several chunks', async () => {
    await warehouse.run('CREATE TABLE sample (n INTEGER, small SMALLINT, tiny UTINYINT, x DOUBLE, flag BOOLEAN, label VARCHAR, maybe INTEGER)');
    // 5,000 rows: two full chunks of 2,048 and a partial one; NULL labels fall on every 7th row
    // (so in every byte of the validity mask) and a NULL number in the last chunk only.
    const rows: Sample[] = Array.from({ length: 5_000 }, (_, i) => ({
      n: i - 2_000_000,
      small: (i % 600) - 300,
      tiny: i % 256,
      x: i / 8,
      flag: i % 3 === 0,
      label: i % 7 === 0 ? null : i % 2 ? `odd ${i} ü` : 'a string longer than twelve bytes',
      maybe: i === 4_500 ? null : i,
    }));
    expect(await appendRows(warehouse, 'sample', sampleColumns, rows)).toBe(5_000);
    const [counts] = await warehouse.all<{ rows: number; labels: number; maybes: number; flags: number }>(
      'SELECT count(*)::INTEGER AS rows, count(label)::INTEGER AS labels, count(maybe)::INTEGER AS maybes, count(*) FILTER (flag)::INTEGER AS flags FROM sample');
    // 715 multiples of 7 below 5,000 (0 included); 1,667 multiples of 3.
    expect(counts).toEqual({ rows: 5_000, labels: 5_000 - 715, maybes: 4_999, flags: 1_667 });
    const picked = await warehouse.all('SELECT * FROM sample WHERE n IN (-2000000, -1999999, -1997952, -1995500) ORDER BY n');
    expect(picked).toEqual([
      { n: -2_000_000, small: -300, tiny: 0, x: 0, flag: true, label: null, maybe: 0 },
      { n: -1_999_999, small: -299, tiny: 1, x: 0.125, flag: false, label: 'odd 1 ü', maybe: 1 },
      // row 2,048: the first of the second chunk (2,048 = 3 * 600 + 248; 2,048 % 256 = 0; 2,048 % 3 = 2)
      { n: -1_997_952, small: -52, tiny: 0, x: 256, flag: false, label: 'a string longer than twelve bytes', maybe: 2_048 },
      // row 4,500: 4,500 = 7 * 600 + 300, 4,500 % 256 = 148, 4,500 % 7 = 6
      { n: -1_995_500, small: 0, tiny: 148, x: 562.5, flag: true, label: 'a string longer than twelve bytes', maybe: null },
    ]);
  });

  test('a number that does not fit its column is refused, not wrapped', async () => {
    await warehouse.run('CREATE TABLE tiny_only (tiny UTINYINT)');
    const columns: Column<{ tiny: number }>[] = [{ name: 'tiny', type: UTINYINT, get: (r) => r.tiny }];
    await expect(appendRows(warehouse, 'tiny_only', columns, [{ tiny: 256 }])).rejects.toThrow(/256/);
    await expect(appendRows(warehouse, 'tiny_only', columns, [{ tiny: 1.5 }])).rejects.toThrow(/1\.5/);
  });
});

describe('dictionary codes', () => {
  test('1-based in order of first appearance; NULL and values past the limit are code 0 and travel as text', () => {
    const rules = new Dictionary(2);
    const input = ['b', 'a', 'b', null, 'c', 'a', 'c'];
    expect(input.map((v) => rules.code(v))).toEqual([1, 2, 1, 0, 0, 2, 0]);
    expect(input.map((v) => rules.text(v))).toEqual([null, null, null, null, 'c', null, 'c']);
    expect(rules.values).toEqual(['b', 'a']);
  });

  test('a staged table rebuilds the strings from codes and text', async () => {
    await warehouse.run('CREATE TABLE decisions (id VARCHAR, rule VARCHAR)');
    const rules = new Dictionary(2);
    const writer = await StagedWriter.open<{ n: number; rule: string | null }>(warehouse, {
      table: 'decisions',
      lookups: { rules: rules.values },
      stage: [
        { name: 'n', type: INTEGER, get: (r) => r.n },
        { name: 'rule', type: SMALLINT, get: (r) => rules.code(r.rule) },
        { name: 'rule_text', type: VARCHAR, get: (r) => rules.text(r.rule) },
      ],
      select: [['id', "'d' || n"], ['rule', 'coalesce($rules[rule], rule_text)']],
    });
    for (const [n, rule] of [[1, 'vip'], [2, 'language-de'], [3, 'vip'], [4, null], [5, 'overflow']] as const) writer.write({ n, rule });
    expect(await writer.close()).toBe(5);
    expect(await warehouse.all('SELECT id, rule FROM decisions ORDER BY rowid')).toEqual([
      { id: 'd1', rule: 'vip' }, { id: 'd2', rule: 'language-de' }, { id: 'd3', rule: 'vip' }, { id: 'd4', rule: null }, { id: 'd5', rule: 'overflow' },
    ]);
  });

  test('a staged table with a sort key lands each batch in key order', async () => {
    await warehouse.run('CREATE TABLE keyed (id VARCHAR PRIMARY KEY, n INTEGER)');
    const writer = await StagedWriter.open<{ n: number }>(warehouse, {
      table: 'keyed',
      orderBy: 'id',
      lookups: {},
      stage: [{ name: 'n', type: INTEGER, get: (r) => r.n }],
      select: [['id', "'k' || n"], ['n', 'n']],
    });
    for (const n of [3, 10, 1, 22, 2]) writer.write({ n });
    expect(await writer.close()).toBe(5);
    // As strings: k1 < k10 < k2 < k22 < k3.
    expect((await warehouse.all<{ id: string }>('SELECT id FROM keyed ORDER BY rowid')).map((r) => r.id)).toEqual(['k1', 'k10', 'k2', 'k22', 'k3']);
  });
});

describe('temporary tables filled by an appender', () => {
  test('rows and NULLs arrive in order, usable inside the transaction that wrote them', async () => {
    await warehouse.run('CREATE TABLE patched (id VARCHAR, score INTEGER, note VARCHAR)');
    await warehouse.run("INSERT INTO patched VALUES ('a', 1, 'old'), ('b', 2, 'old'), ('c', 3, 'old')");
    const columns: Column<{ id: string; score: number | null; note: string | null }>[] = [
      { name: 'id', type: VARCHAR, get: (r) => r.id },
      { name: 'score', type: INTEGER, get: (r) => r.score },
      { name: 'note', type: VARCHAR, get: (r) => r.note },
    ];
    await warehouse.transaction(async (c) => {
      await appendTemp(c, 'patches', columns, [{ id: 'c', score: null, note: 'new' }, { id: 'a', score: 9, note: null }]);
      await c.run('UPDATE patched SET score = coalesce(p.score, patched.score), note = coalesce(p.note, patched.note) FROM patches p WHERE patched.id = p.id');
      expect((await c.runAndReadAll('SELECT id, score, note FROM patches ORDER BY rowid')).getRowObjectsJS()).toEqual([
        { id: 'c', score: null, note: 'new' }, { id: 'a', score: 9, note: null },
      ]);
    });
    expect(await warehouse.all('SELECT * FROM patched ORDER BY id')).toEqual([
      { id: 'a', score: 9, note: 'old' }, { id: 'b', score: 2, note: 'old' }, { id: 'c', score: 3, note: 'new' },
    ]);
  });
});
