import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Grain } from './kpi-registry.ts';

/**
 * Reporting time: days, weeks and months are read in the chosen reporting zone, never in UTC by
 * accident. Storage is UTC, so a local day becomes two UTC instants here (luxon) and SQL buckets
 * use `timezone(zone, created_at)`, the local wall-clock time of each instant.
 */

/** Checks an IANA zone name, throwing a clear message for a bad one. */
export function assertZone(zone: string): string {
  if (!DateTime.local().setZone(zone).isValid) throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin)`);
  return zone;
}

/**
 * The UTC instants bounding local days `from`..`to` (inclusive) in `zone`.
 *
 * @example
 * localRangeBounds('2024-03-31', '2024-03-31', 'Europe/Berlin')
 * // { start: '2024-03-30T23:00:00.000Z', end: '2024-03-31T22:00:00.000Z' } (a 23-hour day)
 */
export function localRangeBounds(from: string, to: string, zone: string): { start: string; end: string } {
  const a = DateTime.fromISO(from, { zone });
  const b = DateTime.fromISO(to, { zone });
  if (!a.isValid || !b.isValid) throw new Error(`bad date range ${from}..${to}: days are YYYY-MM-DD`);
  if (b < a) throw new Error(`bad date range: --to ${to} is before --from ${from}`);
  return { start: a.startOf('day').toUTC().toISO()!, end: b.plus({ days: 1 }).startOf('day').toUTC().toISO()! };
}

/**
 * SQL for the start of the bucket of `column` in `zoneParam` ($n) at a grain, as a local
 * TIMESTAMP. Grouping by this is cheap; `bucketLabelSql` formats the few grouped values after.
 */
export function bucketStartSql(grain: Grain, column: string, zoneParam: string): string {
  // ISO weeks start on Monday, which is what date_trunc('week') gives.
  return `date_trunc('${grain}', timezone(${zoneParam}, ${column}))`;
}

/**
 * SQL for the local wall-clock time (a TIMESTAMP) of `column` in `zone`, for instants around
 * [start, end): the instant plus the zone's UTC offset, with the offset changes (DST) found by
 * luxon and written as a CASE over epoch microseconds. It equals `timezone(zone, column)` and costs
 * a tenth of it, because ICU is not asked once per row. Outside the window (a day either side),
 * the offset of the nearest edge applies.
 *
 * @example
 * localWallClockSql('created_at', 'UTC', start, end) // 'make_timestamp(epoch_us(created_at) + 0)'
 */
export function localWallClockSql(column: string, zone: string, start: string, end: string): string {
  const from = Date.parse(start) - 86_400_000;
  const to = Date.parse(end) + 86_400_000;
  const offsetUs = (ms: number) => DateTime.fromMillis(ms, { zone }).offset * 60_000_000;
  const steps: Array<{ at: number; offset: number }> = [];
  let current = offsetUs(from);
  for (let day = from; day < to; day += 86_400_000) {
    const next = Math.min(day + 86_400_000, to);
    if (offsetUs(next) === current) continue;
    // The first second of the new offset, by bisection (offsets change on whole seconds).
    let lo = day;
    let hi = next;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offsetUs(mid) === current) lo = mid;
      else hi = mid;
    }
    steps.push({ at: Math.ceil(hi / 1000) * 1_000_000, offset: offsetUs(next) });
    current = offsetUs(next);
  }
  const first = offsetUs(from);
  const us = `epoch_us(${column})`;
  if (steps.length === 0) return `make_timestamp(${us} + ${first})`;
  const cases = [`WHEN ${us} < ${steps[0].at} THEN ${first}`];
  steps.forEach((step, n) => {
    if (n + 1 < steps.length) cases.push(`WHEN ${us} < ${steps[n + 1].at} THEN ${step.offset}`);
  });
  return `make_timestamp(${us} + CASE ${cases.join(' ')} ELSE ${steps[steps.length - 1].offset} END)`;
}

/** SQL for the bucket label of `column` (formatting every row: prefer bucketStartSql for big groupings). */
export function bucketSql(grain: Grain, column: string, zoneParam: string): string {
  return bucketLabelSql(grain, bucketStartSql(grain, column, zoneParam));
}

/** The label of a bucket start: `2024-03-04` (day, week), `2024-03` (month), `2024-03-04T09:00` (hour). */
export function bucketLabelSql(grain: Grain, bucket: string): string {
  const format = grain === 'hour' ? '%Y-%m-%dT%H:00' : grain === 'month' ? '%Y-%m' : '%Y-%m-%d';
  return `strftime(${bucket}, '${format}')`;
}

/**
 * Every bucket of a grain that overlaps [start, end), with the label SQL gives it and the instant
 * it ends (capped at `end`): the points at which the backlog is taken.
 *
 * @example
 * bucketEnds('day', '2024-03-30T23:00:00Z', '2024-04-01T22:00:00Z', 'Europe/Berlin')
 * // [{ label: '2024-03-31', at: '2024-03-31T22:00:00.000Z' }, { label: '2024-04-01', at: '2024-04-01T22:00:00.000Z' }]
 */
export function bucketEnds(grain: Grain, start: string, end: string, zone: string): Array<{ label: string; at: string }> {
  const unit = grain === 'day' ? 'day' : grain;
  const stop = DateTime.fromISO(end, { zone: 'utc' }).toMillis();
  const out: Array<{ label: string; at: string }> = [];
  let cursor = DateTime.fromISO(start, { zone: 'utc' }).setZone(zone).startOf(unit === 'week' ? 'week' : unit);
  while (cursor.toMillis() < stop) {
    const next = cursor.plus({ [`${unit}s`]: 1 });
    const label =
      grain === 'hour' ? cursor.toFormat("yyyy-LL-dd'T'HH':00'") : grain === 'month' ? cursor.toFormat('yyyy-LL') : cursor.toISODate()!;
    out.push({ label, at: new Date(Math.min(next.toMillis(), stop)).toISOString() });
    cursor = next;
  }
  return out;
}

/*
 * Reporting days and day ranges. A day is a `YYYY-MM-DD` string and a range is inclusive at both
 * ends. Day arithmetic goes through `Date.UTC` only, so the process TZ can never shift a day.
 * `dayRangeBounds` reads a range as UTC days (the overview's); a range in a reporting zone is
 * `localRangeBounds`.
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
