import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { businessClockSql } from '../src/business-clock-sql.ts';
import { CalendarSpec, businessClock, openIntervals } from '../src/index.ts';

// The business clock comes from DuckDB; the per-day luxon loop (openIntervals + businessClock)
// is the independent reference it must equal, row for row, over zones with and without
// daylight saving, holidays, split and overlapping shifts, shifts to midnight and shifts whose
// start does not exist on the spring-forward day.

const weekday: Array<[string, string]> = [['09:00', '17:00']];
const calendars = [
  CalendarSpec.parse({ id: 'berlin', timeZone: 'Europe/Berlin', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday }, holidays: { country: 'DE' }, closedDates: ['2024-12-27'] }),
  // Overlapping and touching shifts merge; 18:00-24:00 touches the next day's 00:00-06:00.
  CalendarSpec.parse({
    id: 'new-york', timeZone: 'America/New_York',
    weekly: { mon: [['08:00', '12:00'], ['11:00', '14:00']], tue: [['18:00', '24:00']], wed: [['00:00', '06:00'], ['06:00', '09:00']], sat: [['10:00', '13:00']] },
    holidays: { country: 'US', state: 'NY' },
  }),
  // 02:30 does not exist on the spring-forward Sundays of Berlin and New York.
  CalendarSpec.parse({ id: 'night', timeZone: 'Europe/Berlin', weekly: { sun: [['02:30', '05:00'], ['01:00', '02:15']] } }),
  CalendarSpec.parse({ id: 'night-ny', timeZone: 'America/New_York', weekly: { sun: [['02:30', '04:00']] } }),
  // Southern hemisphere, a half-hour daylight-saving shift, and a zone without daylight saving.
  CalendarSpec.parse({ id: 'lord-howe', timeZone: 'Australia/Lord_Howe', weekly: { sun: [['01:00', '03:00']], mon: weekday, fri: [['00:00', '24:00']] } }),
  CalendarSpec.parse({ id: 'kolkata', timeZone: 'Asia/Kolkata', weekly: { mon: weekday, thu: weekday, sun: [] } }),
  CalendarSpec.parse({ id: 'closed', timeZone: 'UTC', weekly: {} }),
];

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
});
afterAll(() => wh?.close());

const reference = (specs: CalendarSpec[], from: string, to: string) => specs.flatMap((spec) => businessClock(spec.id, openIntervals(spec, from, to)));

describe('the business clock computed in DuckDB', () => {
  it('equals the per-day reference over two years of daylight-saving changes and holidays', async () => {
    const expected = reference(calendars, '2024-01-01', '2025-12-31');
    // Every calendar that opens at all is in it (the comparison is not over an empty list).
    expect(new Set(expected.map((r) => r.calendar_id))).toEqual(new Set(['berlin', 'new-york', 'night', 'night-ny', 'lord-howe', 'kolkata']));
    expect(await businessClockSql(wh, calendars, '2024-01-01', '2025-12-31')).toEqual(expected);
  });

  it('keeps 09:00-17:00 local across the Berlin spring change and merges touching shifts', async () => {
    const rows = await businessClockSql(wh, calendars, '2024-03-29', '2024-04-03');
    const berlin = rows.filter((r) => r.calendar_id === 'berlin');
    // Good Friday (03-29) and Easter Monday (04-01) are closed; Tuesday 04-02 is 09:00 CEST = 07:00 UTC.
    expect(berlin.map((r) => r.start_at)).toEqual(['2024-04-02T07:00:00.000Z', '2024-04-03T07:00:00.000Z']);
    expect(berlin.map((r) => r.open_before)).toEqual([0, 8 * 3600]);
    // New York, Tuesday 04-02 18:00 EDT (22:00 UTC) to Wednesday 09:00 EDT (13:00 UTC): one interval of 15 h.
    const ny = rows.filter((r) => r.calendar_id === 'new-york' && r.start_at >= '2024-04-02');
    expect(ny[0]).toMatchObject({ start_at: '2024-04-02T22:00:00.000Z', end_at: '2024-04-03T13:00:00.000Z' });
  });

  it('moves a start inside the spring-forward gap forward, as the reference does', async () => {
    // Sunday 2024-03-31, Berlin: 02:30 does not exist; it reads as 03:30 CEST = 01:30 UTC.
    const rows = (await businessClockSql(wh, calendars, '2024-03-31', '2024-03-31')).filter((r) => r.calendar_id === 'night');
    expect(rows.map((r) => [r.start_at, r.end_at])).toEqual([
      ['2024-03-31T00:00:00.000Z', '2024-03-31T01:15:00.000Z'], // 01:00 CET to 02:15 (also nonexistent: 03:15 CEST)
      ['2024-03-31T01:30:00.000Z', '2024-03-31T03:00:00.000Z'], // 02:30 (03:30 CEST) to 05:00 CEST
    ]);
    expect(rows).toEqual(reference(calendars, '2024-03-31', '2024-03-31').filter((r) => r.calendar_id === 'night'));
  });

  it('returns nothing for no calendars and for a calendar that never opens', async () => {
    expect(await businessClockSql(wh, [], '2024-01-01', '2024-12-31')).toEqual([]);
    expect(await businessClockSql(wh, [calendars[6]], '2024-01-01', '2024-12-31')).toEqual([]);
  });
});
