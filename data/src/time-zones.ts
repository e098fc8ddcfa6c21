/**
 * Wall-clock arithmetic for the few zones the demo operation lives in. Arrivals follow local
 * business hours, yet storage is UTC, so every local time is converted here with the published
 * daylight-saving rules instead of Intl: the output must not depend on the ICU build of the machine.
 * (The tests check these rules against Intl for every hour of several years.)
 */
export const zones = ['Europe/Berlin', 'Europe/Paris', 'Europe/Vienna', 'Europe/Zurich', 'Europe/London', 'America/New_York'] as const;
export type Zone = (typeof zones)[number];

const HOUR = 3_600_000;
const DAY = 86_400_000;

const standardOffsetMinutes: Record<Zone, number> = {
  'Europe/Berlin': 60,
  'Europe/Paris': 60,
  'Europe/Vienna': 60,
  'Europe/Zurich': 60,
  'Europe/London': 0,
  'America/New_York': -300,
};

/** The UTC offset in minutes of `zone` at the instant `utcMs`. */
export function utcOffsetMinutes(zone: Zone, utcMs: number): number {
  const standard = standardOffsetMinutes[zone];
  const [start, end] = daylightSaving(zone === 'America/New_York' ? 'us' : 'eu', utcMs);
  return utcMs >= start && utcMs < end ? standard + 60 : standard;
}

const dstCache = new Map<number, [number, number]>();

/** Start and end (UTC) of daylight saving time in the year of `utcMs`, cached per rule and year. */
function daylightSaving(rule: 'eu' | 'us', utcMs: number): [number, number] {
  // Cached per 61-day block (a Date is only built on a miss). A block straddling New Year may hold
  // the neighbouring year's span, which gives the same answer there: both say winter time.
  const key = Math.floor(utcMs / (DAY * 61)) * 2 + (rule === 'us' ? 1 : 0);
  let span = dstCache.get(key);
  if (!span) {
    const year = new Date(utcMs).getUTCFullYear();
    span = rule === 'us'
      // US rule since 2007: second Sunday in March 02:00 EST to first Sunday in November 02:00 EDT.
      ? [nthSundayUtc(year, 2, 2) + 2 * HOUR + 5 * HOUR, nthSundayUtc(year, 10, 1) + 2 * HOUR + 4 * HOUR]
      // EU rule since 1996: last Sunday in March 01:00 UTC to last Sunday in October 01:00 UTC, all zones at once.
      : [lastSundayUtc(year, 2) + HOUR, lastSundayUtc(year, 9) + HOUR];
    dstCache.set(key, span);
  }
  return span;
}

/**
 * The UTC instant of a local wall-clock time, given as milliseconds as if the wall clock were UTC.
 * A time skipped by the spring change maps one hour later; an ambiguous autumn time maps to its
 * second occurrence. Either is fine for arrivals: they only need to land near the intended hour.
 */
export function localToUtc(zone: Zone, wallMs: number): number {
  const guess = wallMs - utcOffsetMinutes(zone, wallMs) * 60_000;
  return wallMs - utcOffsetMinutes(zone, guess) * 60_000;
}

/** The local wall clock of `utcMs` in `zone`, as milliseconds as if it were UTC. */
export function utcToLocal(zone: Zone, utcMs: number): number {
  return utcMs + utcOffsetMinutes(zone, utcMs) * 60_000;
}

/** Local hour (0-23) and weekday (0 = Sunday, as DuckDB's dayofweek) of an instant. */
export function localHourAndWeekday(zone: Zone, utcMs: number): { hour: number; weekday: number } {
  const wall = utcToLocal(zone, utcMs);
  return { hour: Math.floor(wall / HOUR) % 24, weekday: weekdayOfWall(wall) };
}

/** Weekday of a wall-clock millisecond value: 1970-01-01 was a Thursday. */
export function weekdayOfWall(wallMs: number): number {
  return (Math.floor(wallMs / DAY) + 4) % 7;
}

function lastSundayUtc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0);
  return lastDay - weekdayOfWall(lastDay) * DAY;
}

function nthSundayUtc(year: number, month: number, n: number): number {
  const first = Date.UTC(year, month, 1);
  const firstSunday = first + ((7 - weekdayOfWall(first)) % 7) * DAY;
  return firstSunday + (n - 1) * 7 * DAY;
}
