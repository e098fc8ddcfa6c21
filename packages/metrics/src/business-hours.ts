import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * Business-hours calendars: a weekly schedule (several shifts a day allowed), an IANA time zone,
 * public holidays from `date-holidays` (a maintained holiday library, so we never keep our own
 * list of Easter dates) and custom closed dates. Local wall-clock times go through luxon only, so
 * a daylight-saving change shifts the UTC instants of a shift, never its local hours.
 */
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

const clock = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a time is HH:MM (24:00 allowed)');
const zone = z.string().refine((name) => DateTime.local().setZone(name).isValid, { message: 'not an IANA time zone' });

export const CalendarSpec = z.object({
  id: z.string().min(1),
  timeZone: zone,
  /** Open shifts per weekday as [start, end) local times; a day missing from the map is closed. */
  weekly: z.partialRecord(z.enum(weekdays), z.array(z.tuple([clock, clock]))),
  /** Public holidays of this country (and optional state) close the whole day. */
  holidays: z.object({ country: z.string().length(2), state: z.string().optional() }).optional(),
  /** Extra closed local days (company holidays), `YYYY-MM-DD`. */
  closedDates: z.array(z.iso.date()).default([]),
});
export type CalendarSpec = z.infer<typeof CalendarSpec>;

/** One open interval of a calendar, as UTC instants (ISO-8601). */
export interface OpenInterval {
  start: string;
  end: string;
}

/**
 * The local days of `cal` closed by public holidays or custom dates in the given years.
 *
 * @example
 * closedDays({ id: 'de', timeZone: 'Europe/Berlin', weekly: {}, holidays: { country: 'DE' }, closedDates: [] }, [2024])
 * // Set { '2024-01-01', '2024-03-29', ... }
 */
export function closedDays(cal: CalendarSpec, years: number[]): Set<string> {
  const closed = new Set(cal.closedDates);
  if (cal.holidays) {
    const hd = cal.holidays.state ? new Holidays(cal.holidays.country, cal.holidays.state) : new Holidays(cal.holidays.country);
    for (const year of years) {
      // Only 'public' holidays close the desk; 'bank', 'school' and 'observance' days do not.
      for (const h of hd.getHolidays(year) || []) if (h.type === 'public') closed.add(h.date.slice(0, 10));
    }
  }
  return closed;
}

/**
 * The open intervals of a calendar between two local days (inclusive), as UTC instants, sorted
 * and merged. Shifts are read in the calendar's zone on each day, so across a DST change a
 * 09:00-17:00 shift stays 09:00-17:00 local and moves by an hour in UTC.
 *
 * @example
 * openIntervals({ id: 'b', timeZone: 'Europe/Berlin', weekly: { mon: [['09:00', '12:00']] }, closedDates: [] }, '2024-03-25', '2024-03-25')
 * // [{ start: '2024-03-25T08:00:00.000Z', end: '2024-03-25T11:00:00.000Z' }]
 */
export function openIntervals(cal: CalendarSpec, fromDay: string, toDay: string): OpenInterval[] {
  const first = DateTime.fromISO(fromDay, { zone: cal.timeZone });
  const last = DateTime.fromISO(toDay, { zone: cal.timeZone });
  if (!first.isValid || !last.isValid) throw new Error(`openIntervals: bad day range ${fromDay}..${toDay}`);
  const years: number[] = [];
  for (let y = first.year; y <= last.year; y++) years.push(y);
  const closed = closedDays(cal, years);
  const out: Array<{ s: number; e: number }> = [];
  for (let day = first; day <= last; day = day.plus({ days: 1 })) {
    const iso = day.toISODate()!;
    if (closed.has(iso)) continue;
    const shifts = cal.weekly[weekdays[day.weekday - 1]] ?? [];
    for (const [from, to] of shifts) {
      const s = localInstant(iso, from, cal.timeZone);
      const e = localInstant(iso, to, cal.timeZone);
      if (e > s) out.push({ s, e });
    }
  }
  out.sort((a, b) => a.s - b.s);
  const merged: Array<{ s: number; e: number }> = [];
  for (const iv of out) {
    const prev = merged[merged.length - 1];
    if (prev && iv.s <= prev.e) prev.e = Math.max(prev.e, iv.e);
    else merged.push({ ...iv });
  }
  return merged.map((iv) => ({ start: new Date(iv.s).toISOString(), end: new Date(iv.e).toISOString() }));
}

function localInstant(day: string, hhmm: string, zoneName: string): number {
  if (hhmm === '24:00') return DateTime.fromISO(day, { zone: zoneName }).plus({ days: 1 }).toMillis();
  // A wall time that does not exist (inside a spring-forward gap) is moved forward by luxon.
  return DateTime.fromISO(`${day}T${hhmm}`, { zone: zoneName }).toMillis();
}

/** A calendar's intervals with the open seconds before each one: the "business clock". */
export interface ClockRow {
  calendar_id: string;
  start_at: string;
  end_at: string;
  open_before: number;
}

/**
 * Business-clock rows for SQL: for each interval, the open seconds of the calendar before it.
 * The business seconds between two instants are then clock(b) - clock(a), where
 * clock(t) = open_before + clamp(t - start_at, 0, end_at - start_at) of the last interval
 * starting at or before t (an ASOF join), which is exact and needs no per-day loop in SQL.
 *
 * @example
 * businessClock('c', [{ start: '2024-01-01T09:00:00Z', end: '2024-01-01T17:00:00Z' }, { start: '2024-01-02T09:00:00Z', end: '2024-01-02T17:00:00Z' }])
 * // [{ ..., open_before: 0 }, { ..., open_before: 28800 }]
 */
export function businessClock(calendarId: string, intervals: OpenInterval[]): ClockRow[] {
  let before = 0;
  return intervals.map((iv) => {
    const row = { calendar_id: calendarId, start_at: iv.start, end_at: iv.end, open_before: before };
    before += (Date.parse(iv.end) - Date.parse(iv.start)) / 1000;
    return row;
  });
}

/**
 * Business seconds between two instants under a list of intervals: the plain reference
 * implementation the SQL version is tested against.
 *
 * @example
 * businessSecondsBetween(intervals, '2024-01-01T16:00:00Z', '2024-01-02T10:00:00Z') // 7200
 */
export function businessSecondsBetween(intervals: OpenInterval[], from: string, to: string): number {
  const a = Date.parse(from);
  const b = Date.parse(to);
  let total = 0;
  for (const iv of intervals) {
    const s = Math.max(a, Date.parse(iv.start));
    const e = Math.min(b, Date.parse(iv.end));
    if (e > s) total += (e - s) / 1000;
  }
  return total;
}

/** The default calendar for a team: Monday to Friday 09:00-17:00 in the team's own zone. */
export function defaultTeamCalendar(teamId: string, timeZone: string): CalendarSpec {
  const day: Array<[string, string]> = [['09:00', '17:00']];
  return CalendarSpec.parse({ id: `team:${teamId}`, timeZone, weekly: { mon: day, tue: day, wed: day, thu: day, fri: day } });
}
