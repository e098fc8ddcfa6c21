import { describe, expect, test } from 'vitest';
import { localHourAndWeekday, localToUtc, utcOffsetMinutes, utcToLocal, zones } from '../src/time-zones.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The reference: the platform's tz database through Intl. */
function intlOffsetMinutes(zone: string, utcMs: number): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(utcMs / 60_000) * 60_000) / 60_000);
}

describe('time zones without Intl', () => {
  test('the DST rules agree with the tz database for every hour of 2024 to 2027', () => {
    const mismatches: string[] = [];
    for (const zone of zones) {
      for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 3_600_000) {
        const expected = intlOffsetMinutes(zone, t);
        if (utcOffsetMinutes(zone, t) !== expected) mismatches.push(`${zone} ${new Date(t).toISOString()}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('a local wall-clock time converts to the UTC instant that shows it', () => {
    const wall = Date.UTC(2026, 9, 24, 9, 30); // Saturday 09:30 in Berlin, summer time
    const utc = localToUtc('Europe/Berlin', wall);
    expect(new Date(utc).toISOString()).toBe('2026-10-24T07:30:00.000Z');
    expect(utcToLocal('Europe/Berlin', utc)).toBe(wall);
    expect(localHourAndWeekday('Europe/Berlin', utc)).toEqual({ hour: 9, weekday: 6 });
    // One day later the clocks have gone back: 09:30 is 08:30 UTC.
    expect(new Date(localToUtc('Europe/Berlin', wall + 86_400_000)).toISOString()).toBe('2026-10-25T08:30:00.000Z');
    expect(new Date(localToUtc('America/New_York', Date.UTC(2026, 7, 3, 9))).toISOString()).toBe('2026-08-03T13:00:00.000Z');
  });
});
