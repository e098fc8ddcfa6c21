import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../src/database.ts';
import { isReadStatement, writtenTable } from '../src/write-clock.ts';
import { readUntilWritten } from '../src/kept-reads.ts';
import { tempDir } from './helpers.ts';

describe('isReadStatement', () => {
  it('takes single queries for reads and anything else for a write', () => {
    for (const sql of [
      'SELECT 1',
      '  -- a comment\n/* and another */ select count(*) from interactions;',
      'FROM interactions LIMIT 1',
      'WITH x AS (SELECT 1 AS n) SELECT n FROM x',
      "SELECT * FROM t WHERE updated_at > now() AND note = 'resettle'",
    ]) expect(isReadStatement(sql), sql).toBe(true);
    for (const sql of [
      'INSERT INTO t VALUES (1)',
      'WITH x AS (SELECT 1 AS n) INSERT INTO t SELECT n FROM x',
      'WITH gone AS (SELECT 1) DELETE FROM t',
      'SELECT 1; DELETE FROM t',
      'CREATE TEMP TABLE x AS SELECT 1',
      'CHECKPOINT',
      "SET TimeZone = 'UTC'",
      'EXPLAIN ANALYZE INSERT INTO t VALUES (1)',
      '(SELECT 1)',
      '',
    ]) expect(isReadStatement(sql), sql).toBe(false);
  });
});

describe('writtenTable', () => {
  it('names the one table a plain INSERT, UPDATE, DELETE, TRUNCATE, CREATE or DROP TABLE writes, and no table for anything else', () => {
    expect(writtenTable('insert into "audit_log" ("id") values ($1)')).toBe('audit_log');
    expect(writtenTable('INSERT OR REPLACE INTO main.Warehouse_Meta (key, value) VALUES ($1, $2)')).toBe('warehouse_meta');
    expect(writtenTable('update "user_sessions" set "last_seen_at" = $1 where "id" = $2')).toBe('user_sessions');
    expect(writtenTable('/* c */ DELETE FROM interactions WHERE id IN (SELECT id FROM t)')).toBe('interactions');
    expect(writtenTable('CREATE OR REPLACE TEMP TABLE batch_raw AS SELECT * FROM interactions')).toBe('batch_raw');
    expect(writtenTable('create table if not exists "Kept" (n INTEGER)')).toBe('kept');
    expect(writtenTable('DROP TABLE IF EXISTS temp.main.stage_records')).toBe('stage_records');
    expect(writtenTable('TRUNCATE interactions')).toBe('interactions');
    for (const sql of ['ALTER TABLE t RENAME TO interactions', 'INSERT INTO a VALUES (1); DELETE FROM b', 'COMMIT', 'COPY t FROM \'x.csv\'', 'WITH x AS (SELECT 1) INSERT INTO t FROM x', 'CREATE VIEW v AS SELECT 1', 'DROP VIEW v', 'CHECKPOINT']) {
      expect(writtenTable(sql), sql).toBeNull();
    }
  });
});

describe('Warehouse.writeGeneration', () => {
  const dir = tempDir();
  const path = join(dir, 'clock.duckdb');
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await Warehouse.open(path);
    await wh.run('CREATE TABLE t (n INTEGER); CREATE TABLE other (n INTEGER)');
  });
  afterAll(() => wh.close());

  /** Runs `write` and says whether the generation moved (and was settled before and after). */
  async function moves(write: () => Promise<unknown>): Promise<boolean> {
    const before = wh.writeGeneration(['t']);
    expect(before).not.toBeNull();
    await write();
    const after = wh.writeGeneration(['t']);
    expect(after).not.toBeNull();
    return after !== before;
  }

  it('moves on a write through every path that can change data', async () => {
    const paths: Record<string, () => Promise<unknown>> = {
      all: () => wh.all('INSERT INTO t VALUES (1) RETURNING n'),
      run: () => wh.run('INSERT INTO t VALUES (2)'),
      runSeveral: () => wh.run('SELECT 1; INSERT INTO t VALUES (3)'),
      transaction: () => wh.transaction((c) => c.run('INSERT INTO t VALUES (4)')),
      atomically: () => wh.atomically((tx) => tx.run('UPDATE t SET n = n + 0 WHERE n = 4')),
      kysely: () => (wh.db as never as { insertInto: (t: string) => { values: (v: object) => { execute: () => Promise<unknown> } } })
        .insertInto('t').values({ n: 5 }).execute(),
      kyselyTransaction: () => wh.db.transaction().execute((trx) =>
        (trx as never as { deleteFrom: (t: string) => { where: (...a: unknown[]) => { execute: () => Promise<unknown> } } }).deleteFrom('t').where('n', '=', 5).execute()),
      appender: async () => {
        const { appender, close } = await wh.appender('t');
        appender.appendInteger(6);
        appender.endRow();
        close();
      },
      rawConnection: () => wh.withConnection((c) => c.runAndReadAll('DELETE FROM t WHERE n = 6')),
      prepared: () => wh.withConnection(async (c) => {
        const p = await c.prepare('INSERT INTO t VALUES ($1)');
        p.bindInteger(1, 7);
        await p.run();
      }),
      streamed: () => wh.withConnection(async (c) => (await c.stream('INSERT INTO t VALUES (8)')).fetchAllChunks()),
      extracted: () => wh.withConnection(async (c) => {
        const statements = await c.extractStatements('INSERT INTO t VALUES (9)');
        await (await statements.prepare(0)).run();
      }),
      view: () => wh.run('CREATE OR REPLACE VIEW v AS SELECT 1 AS n'),
    };
    const moved: Record<string, boolean> = {};
    for (const [name, write] of Object.entries(paths)) moved[name] = await moves(write);
    expect(moved).toEqual(Object.fromEntries(Object.keys(paths).map((name) => [name, true])));
    // Every write above landed: 1..9 less the deleted 5 and 6.
    expect((await wh.all<{ n: number }>('SELECT n FROM t ORDER BY n')).map((r) => r.n)).toEqual([1, 2, 3, 4, 7, 8, 9]);
  });

  it('stays still on reads through every path', async () => {
    const reads: Record<string, () => Promise<unknown>> = {
      all: () => wh.all('SELECT count(*) AS n FROM t'),
      withQuery: () => wh.all('WITH x AS (SELECT n FROM t) SELECT max(n) FROM x'),
      kysely: () => (wh.db as never as { selectFrom: (t: string) => { selectAll: () => { execute: () => Promise<unknown> } } }).selectFrom('t').selectAll().execute(),
      rawConnection: () => wh.withConnection((c) => c.runAndReadAll('SELECT * FROM t')),
      streamed: () => wh.withConnection(async (c) => (await c.stream('SELECT * FROM t')).fetchAllChunks()),
      prepared: () => wh.withConnection(async (c) => (await c.prepare('SELECT * FROM t WHERE n > 1')).run()),
    };
    for (const [name, read] of Object.entries(reads)) expect(await moves(read), name).toBe(false);
  });

  it('counts a write naming another table against that table only, and one naming none against all', async () => {
    const all = wh.writeGeneration();
    const ofT = wh.writeGeneration(['t']);
    await wh.run('INSERT INTO other VALUES (1)');
    await wh.run('CREATE OR REPLACE TEMP TABLE scratch AS SELECT n FROM t');
    expect(wh.writeGeneration(['t'])).toBe(ofT);
    await wh.db.transaction().execute(async () => undefined);
    const { appender, close } = await wh.appender('other');
    expect(wh.writeGeneration(['t'])).not.toBeNull();
    expect(wh.writeGeneration(['other'])).toBeNull();
    close();
    // The empty transaction's COMMIT names no table: it counts against t too, once.
    expect(wh.writeGeneration(['t'])).not.toBe(ofT);
    const afterCommit = wh.writeGeneration(['t']);
    const ofOther = wh.writeGeneration(['T', 'other']);
    await wh.run('INSERT INTO other VALUES (2)');
    await wh.withConnection(async (c) => (await c.prepare('DELETE FROM other WHERE n = 1')).run());
    expect(wh.writeGeneration(['t'])).toBe(afterCommit);
    expect(wh.writeGeneration(['T', 'other'])).not.toBe(ofOther);
    expect(wh.writeGeneration()).not.toBe(all);
  });

  it('is null while a write is landing: a statement runs, or an appender is open', async () => {
    await wh.withConnection(async (c) => {
      const running = c.run('INSERT INTO t SELECT range::INTEGER FROM range(100000, 100010)');
      expect(wh.writeGeneration(['t'])).toBeNull();
      await running;
      expect(wh.writeGeneration(['t'])).not.toBeNull();
    });
    const { appender, close } = await wh.appender('t');
    expect(wh.writeGeneration(['t'])).toBeNull();
    appender.appendInteger(10);
    appender.endRow();
    close();
    expect(wh.writeGeneration(['t'])).not.toBeNull();
  });

  it('is shared by every warehouse this process opens on the file, read-only ones included', async () => {
    // DuckDB lets one process open a file twice (another process is locked out): a write through
    // the second handle must move the first's generation.
    const second = await Warehouse.open(path);
    const reader = await Warehouse.open(path, { readOnly: true });
    try {
      const before = [wh.writeGeneration(['t']), reader.writeGeneration(['t'])];
      await second.run('INSERT INTO t VALUES (11)');
      expect(wh.writeGeneration(['t'])).not.toBe(before[0]);
      expect(reader.writeGeneration(['t'])).not.toBe(before[1]);
    } finally {
      reader.close();
      second.close();
    }
  });
});

describe('readUntilWritten', () => {
  it('reads once per generation of its tables, shares a read among concurrent callers, and keeps no failure', async () => {
    const wh = await Warehouse.open(':memory:');
    try {
      await wh.run('CREATE TABLE kept (n INTEGER); CREATE TABLE unrelated (n INTEGER); INSERT INTO kept VALUES (1)');
      let reads = 0;
      const read = () => readUntilWritten(wh, ['kept'], 'sum', async () => {
        reads++;
        return (await wh.all<{ s: number }>('SELECT sum(n)::INTEGER AS s FROM kept'))[0].s;
      });
      expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
      await wh.run('INSERT INTO unrelated VALUES (5)');
      expect(await read()).toBe(1);
      expect(reads).toBe(1);
      await wh.run('INSERT INTO kept VALUES (2)');
      expect(await read()).toBe(3);
      expect(reads).toBe(2);
      let fail = true;
      const flaky = () => readUntilWritten(wh, ['kept'], 'flaky', async () => {
        if (fail) throw new Error('no');
        return 'yes';
      });
      await expect(flaky()).rejects.toThrow('no');
      fail = false;
      expect(await flaky()).toBe('yes');
    } finally {
      wh.close();
    }
  });
});
