import { z } from 'zod';

/**
 * Reporting days and day ranges. A day is a `YYYY-MM-DD` string and a range is inclusive at both
 * ends. For now every day is a UTC day: [day 00:00 UTC, next day 00:00 UTC). Reporting time zones
 * (a team's local day) come later and will change `dayRangeBounds`, not its callers.
 * Day arithmetic goes through `Date.UTC` only, so the process TZ can never shift a day.
 */
export const Day = z.iso.date();
export type Day = z.infer<typeof Day>;

/** An inclusive range of reporting days. */
export interface DayRange {
  from: string;
  to: string;
}

const MS_PER_DAY = 86_400_000;

function dayToUtcMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

/**
 * The day `n` days after `day` (before, when `n` is negative).
 *
 * @example
 * addDays('2024-02-28', 2) // '2024-03-01'
 */
export function addDays(day: string, n: number): string {
  return new Date(dayToUtcMs(day) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * How many days an inclusive range covers.
 *
 * @example
 * rangeLength({ from: '2024-03-01', to: '2024-03-01' }) // 1
 */
export function rangeLength(range: DayRange): number {
  return Math.round((dayToUtcMs(range.to) - dayToUtcMs(range.from)) / MS_PER_DAY) + 1;
}

/**
 * The instants bounding a range: `start` inclusive, `end` exclusive, as ISO-8601 UTC strings
 * ready to bind as TIMESTAMPTZ parameters.
 *
 * @example
 * dayRangeBounds({ from: '2024-03-10', to: '2024-03-12' })
 * // { start: '2024-03-10T00:00:00Z', end: '2024-03-13T00:00:00Z' }
 */
export function dayRangeBounds(range: DayRange): { start: string; end: string } {
  return { start: `${range.from}T00:00:00Z`, end: `${addDays(range.to, 1)}T00:00:00Z` };
}

/**
 * The last `days` days of data, ending on the day of the latest interaction. Anchored on the data
 * and not on the clock, because a warehouse (the demo one above all) can be fixed in time.
 * Returns null when the warehouse holds no interactions.
 *
 * @example
 * defaultRange({ first: '2024-01-01', last: '2024-03-31' }) // { from: '2024-03-02', to: '2024-03-31' }
 */
export function defaultRange(extent: { first: string | null; last: string | null }, days = 30): DayRange | null {
  if (!extent.last) return null;
  return { from: addDays(extent.last, -(days - 1)), to: extent.last };
}
