import { Warehouse } from '@helpdesk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localWallClockSql } from '../src/reporting-time.ts';

/**
 * The wall-clock shortcut must equal DuckDB's own ICU conversion, `timezone(zone, t)` (an
 * independent implementation), at every instant, DST changes included.
 */
describe('local wall-clock time without ICU per row', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await Warehouse.open(':memory:');
  });
  afterAll(() => wh.close());

  // Berlin and New York change on different Sundays, Lord Howe by 30 minutes, Kolkata never,
  // Auckland (southern hemisphere) the other way round.
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Auckland'])(
    'equals timezone() every 7 minutes around the 2024 spring and autumn changes in %s',
    async (zone) => {
      for (const [start, end] of [['2024-03-01T00:00:00Z', '2024-04-15T00:00:00Z'], ['2024-09-20T00:00:00Z', '2024-11-10T00:00:00Z']]) {
        const local = localWallClockSql('t', zone, start, end);
        const [row] = await wh.all<{ differ: number; n: number }>(
          `SELECT count(*) FILTER (WHERE ${local} IS DISTINCT FROM timezone($1, t)) AS differ, count(*) AS n
           FROM range(CAST($2 AS TIMESTAMPTZ), CAST($3 AS TIMESTAMPTZ), INTERVAL 7 MINUTE) r(t)`,
          [zone, start, end],
        );
        expect(row.differ).toBe(0);
        expect(row.n).toBeGreaterThan(9000);
      }
    },
  );

  it('puts the instants either side of the Berlin spring change on their own local hours', async () => {
    // 2024-03-31 01:00 UTC: clocks go from 02:00 CET to 03:00 CEST, so 00:59:59 UTC is 01:59:59
    // local (+1 h) and 01:00:00 UTC is 03:00:00 local (+2 h).
    const local = localWallClockSql('t', 'Europe/Berlin', '2024-03-31T00:00:00Z', '2024-04-01T00:00:00Z');
    const rows = await wh.all<{ l: string }>(
      `SELECT strftime(${local}, '%H:%M:%S') AS l FROM (VALUES (TIMESTAMPTZ '2024-03-31 00:59:59+00'), (TIMESTAMPTZ '2024-03-31 01:00:00+00')) v(t)`,
    );
    expect(rows.map((r) => r.l)).toEqual(['01:59:59', '03:00:00']);
  });
});
