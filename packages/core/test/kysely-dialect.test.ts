import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '../src/index.ts';

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
});
afterAll(() => wh.close());

describe('Kysely over DuckDB', () => {
  test('compiles to PostgreSQL-style placeholders that DuckDB accepts', () => {
    const compiled = wh.db.selectFrom('teams').select(['id', 'name']).where('name', '=', 'Billing').compile();
    expect(compiled.sql).toBe('select "id", "name" from "teams" where "name" = $1');
    expect(compiled.parameters).toEqual(['Billing']);
  });

  test('inserts, selects, updates and counts rows', async () => {
    await wh.db
      .insertInto('teams')
      .values([
        { id: 't1', name: 'Billing', time_zone: 'Europe/Berlin', source: 'test' },
        { id: 't2', name: 'Tech', time_zone: 'UTC', source: 'test' },
      ])
      .execute();
    const updated = await wh.db.updateTable('teams').set({ name: 'Billing EU' }).where('id', '=', 't1').executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    expect(await wh.db.selectFrom('teams').select(['id', 'name']).orderBy('id').execute()).toEqual([
      { id: 't1', name: 'Billing EU' },
      { id: 't2', name: 'Tech' },
    ]);
    // A one-row result whose only column is called `count` must come back (kysely-duckdb loses it).
    const counted = await wh.db.selectFrom('teams').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirst();
    expect(counted).toEqual({ count: 2 });
  });

  test('insert returning gives the inserted row', async () => {
    const row = await wh.db
      .insertInto('queues')
      .values({ id: 'q1', name: 'Chat EN', channel: 'chat', team_id: 't2', required_skills: ['billing', 'en'], language: 'en', source: 'test' })
      .returning(['id', 'required_skills'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 'q1', required_skills: ['billing', 'en'] });
  });

  test('a failed transaction leaves nothing behind', async () => {
    await expect(
      wh.db.transaction().execute(async (trx) => {
        await trx.insertInto('teams').values({ id: 't9', name: 'Temp', time_zone: 'UTC', source: 'test' }).execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await wh.db.selectFrom('teams').select('id').where('id', '=', 't9').execute()).toEqual([]);
  });

  test('timestamps and dates come back in UTC whatever the process time zone', async () => {
    expect(process.env.TZ).toBe('Asia/Kolkata');
    const row = await sql<{ t: string; d: string; b: number }>`
      SELECT TIMESTAMPTZ '2026-03-29 01:30:00+00' AS t, DATE '2026-03-29' AS d, 12345678901::BIGINT AS b`.execute(wh.db);
    expect(row.rows).toEqual([{ t: '2026-03-29T01:30:00.000Z', d: '2026-03-29', b: 12345678901 }]);
    // Hour-of-day in SQL is UTC too: 01:30 UTC is 07:00 in Kolkata, and must read as hour 1.
    expect(await wh.all("SELECT hour(TIMESTAMPTZ '2026-03-29 01:30:00+00') AS h")).toEqual([{ h: 1 }]);
  });

  test('streams a large result in chunks', async () => {
    await wh.run('CREATE TABLE numbers AS SELECT range::INTEGER AS i FROM range(5000)');
    const db = wh.db.withTables<{ numbers: { i: number } }>();
    let total = 0;
    let sum = 0;
    for await (const row of db.selectFrom('numbers').select('i').stream(1000)) {
      total += 1;
      sum += row.i;
    }
    expect(total).toBe(5000);
    expect(sum).toBe((4999 * 5000) / 2);
  });
});

describe('row conversion', () => {
  test('every common type comes back as plain JSON, nulls included, before and after 1970', async () => {
    const rows = await wh.all(`
      SELECT * FROM (VALUES
        (1::BIGINT, 'a', TIMESTAMPTZ '1969-12-31 23:59:59.9985+00', DATE '1969-12-31', 2.5::DOUBLE, true, ['x', NULL], 7::INTEGER, 1.25::DECIMAL(10,2)),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
      ) AS t(b, s, ts, d, f, ok, l, i, dec)`);
    expect(rows).toEqual([
      // 23:59:59.9985 floors to .998, never rounds up to the next second.
      { b: 1, s: 'a', ts: '1969-12-31T23:59:59.998Z', d: '1969-12-31', f: 2.5, ok: true, l: ['x', null], i: 7, dec: 1.25 },
      { b: null, s: null, ts: null, d: null, f: null, ok: null, l: null, i: null, dec: null },
    ]);
  });
});
