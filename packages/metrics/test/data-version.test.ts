import type { Warehouse } from '@helpdesk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMetricsCache, scorecard } from '../src/index.ts';
import { Scenario } from './scenario.ts';

/** The data version is read from the warehouse only when something was written since it was last read. */
describe('the data version between writes', () => {
  let s: Scenario;
  let fingerprintQueries = 0;
  beforeAll(async () => {
    s = await Scenario.open();
    await s.interaction({ id: 'c1', channel: 'chat', created_at: '2024-03-04T09:00:00Z' });
    // Counts the fingerprint's statement (the only one holding its identity hash) among all the warehouse runs.
    // `this`, not s.wh: a transaction's view of the warehouse inherits the spy and must keep its own connection.
    const all = s.wh.all;
    s.wh.all = function (this: Warehouse, sql: string, params?: never) {
      if (sql.includes('AS identity_customers')) fingerprintQueries++;
      return all.call(this, sql, params);
    } as Warehouse['all'];
  });
  afterAll(() => s.close());

  /** The version as the fingerprint's SQL gives it now: through a handle on the same connections that has never read it. */
  const sqlVersion = async () => (await ensureMetricsCache(Object.create(s.wh) as Warehouse)).version;

  it('is not read again while nothing is written, however many requests ask', async () => {
    // The first call builds the cache, a write of its own: the second reads the version once more.
    await ensureMetricsCache(s.wh);
    const first = await ensureMetricsCache(s.wh);
    const after = fingerprintQueries;
    const again = await Promise.all([1, 2, 3].map(() => ensureMetricsCache(s.wh)));
    await scorecard(s.wh, { from: '2024-03-04', to: '2024-03-04', kpis: ['volume'], resultCache: false });
    expect((await ensureMetricsCache(s.wh)).version).toBe(first.version);
    expect(again.map((state) => state.version)).toEqual([first.version, first.version, first.version]);
    expect(fingerprintQueries).toBe(after);
  });

  it('is not read again after a write to a table it does not read (a sign-in, an audit entry)', async () => {
    await ensureMetricsCache(s.wh);
    const reads = fingerprintQueries;
    await s.wh.db.insertInto('audit_log').values({ id: 'a1', occurred_at: '2024-03-04T09:00:00Z', action: 'interaction.view' } as never).execute();
    await s.wh.run("UPDATE audit_log SET target = '/interactions/c1' WHERE id = 'a1'");
    await ensureMetricsCache(s.wh);
    expect(fingerprintQueries).toBe(reads);
  });

  it('is read again after a write through each path, and equals what the SQL gives', async () => {
    const writes: Record<string, () => Promise<unknown>> = {
      run: () => s.wh.run("UPDATE interactions SET updated_at = TIMESTAMPTZ '2024-03-05 00:00:00Z' WHERE id = 'c1'"),
      all: () => s.wh.all("UPDATE interactions SET updated_at = TIMESTAMPTZ '2024-03-06 00:00:00Z' WHERE id = 'c1' RETURNING id"),
      kysely: () => s.wh.db.insertInto('teams').values({ id: 't-kysely', name: 'K', time_zone: 'UTC', source: 'test' }).execute(),
      transaction: () => s.wh.transaction((c) => c.run("UPDATE teams SET time_zone = 'Europe/Berlin' WHERE id = 't-kysely'")),
      atomically: () => s.wh.atomically((tx) => tx.run("DELETE FROM teams WHERE id = 't-kysely'")),
      appender: async () => {
        const { appender, close } = await s.wh.appender('teams');
        for (const value of ['t-appended', 'A', 'UTC', 'test']) appender.appendVarchar(value);
        appender.endRow();
        close();
      },
      rawConnection: () => s.wh.withConnection((c) => c.run("UPDATE teams SET time_zone = 'Asia/Tokyo' WHERE id = 't-appended'")),
    };
    for (const [name, write] of Object.entries(writes)) {
      const before = (await ensureMetricsCache(s.wh)).version;
      const reads = fingerprintQueries;
      await write();
      const now = (await ensureMetricsCache(s.wh)).version;
      expect(now, name).not.toBe(before);
      expect(fingerprintQueries - reads, name).toBe(1);
      expect(now, name).toBe(await sqlVersion());
    }
  });
});
