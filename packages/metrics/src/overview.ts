import { channels, type Channel, type Warehouse } from '@helpdesk/core';
import { dayRangeBounds, rangeLength, addDays, type DayRange } from './day-range.ts';

/**
 * The overview KPIs: interaction volume and median first response per channel.
 *
 * Definitions (all over interactions whose `created_at` falls in the range's UTC days):
 * - interactions: how many were created. Higher is neither good nor bad; it is load.
 * - median first response (seconds, lower is better): the median of
 *   `first_response_at - created_at` over those with a first response; interactions never
 *   answered are left out (and show in the count only). Null when none was answered.
 */
export interface ChannelOverviewRow {
  channel: Channel;
  interactions: number;
  medianFirstResponseSeconds: number | null;
}

export interface OverviewTotal {
  interactions: number;
  medianFirstResponseSeconds: number | null;
}

export interface DailyVolumeRow {
  /** `YYYY-MM-DD`, a UTC day. */
  day: string;
  channel: Channel;
  interactions: number;
}

export interface DataExtent {
  /** The UTC day of the earliest interaction, or null when there are none. */
  first: string | null;
  /** The UTC day of the latest interaction, or null when there are none. */
  last: string | null;
}

// $1 = range start (inclusive), $2 = range end (exclusive), both UTC instants. The difference is
// taken in whole microseconds before dividing, so that 230.045 s stays 230.045 and not 230.04500000003.
const channelOverviewSql = /* sql */ `
SELECT
  channel,
  count(*) AS interactions,
  quantile_cont((epoch_us(first_response_at) - epoch_us(created_at)) / 1e6, 0.5) AS median_first_response_seconds
FROM interactions
WHERE created_at >= CAST($1 AS TIMESTAMPTZ) AND created_at < CAST($2 AS TIMESTAMPTZ)
GROUP BY channel
`;

const overviewTotalSql = /* sql */ `
SELECT
  count(*) AS interactions,
  quantile_cont((epoch_us(first_response_at) - epoch_us(created_at)) / 1e6, 0.5) AS median_first_response_seconds
FROM interactions
WHERE created_at >= CAST($1 AS TIMESTAMPTZ) AND created_at < CAST($2 AS TIMESTAMPTZ)
`;

// timezone('UTC', ts) gives the UTC wall-clock time, so the day never depends on the session zone.
const dailyVolumeSql = /* sql */ `
SELECT
  CAST(CAST(timezone('UTC', created_at) AS DATE) AS VARCHAR) AS day,
  channel,
  count(*) AS interactions
FROM interactions
WHERE created_at >= CAST($1 AS TIMESTAMPTZ) AND created_at < CAST($2 AS TIMESTAMPTZ)
GROUP BY ALL
`;

const dataExtentSql = /* sql */ `
SELECT
  CAST(CAST(timezone('UTC', min(created_at)) AS DATE) AS VARCHAR) AS first_day,
  CAST(CAST(timezone('UTC', max(created_at)) AS DATE) AS VARCHAR) AS last_day
FROM interactions
`;

interface MedianRow {
  interactions: number;
  median_first_response_seconds: number | null;
}

/**
 * Interactions and median first response per channel for a range of UTC days. Every channel
 * appears, in the canonical order, with 0 and null when it had no interactions.
 *
 * @example
 * await channelOverview(warehouse, { from: '2024-03-01', to: '2024-03-31' });
 * // [{ channel: 'chat', interactions: 812, medianFirstResponseSeconds: 94.5 }, ...]
 */
export async function channelOverview(warehouse: Warehouse, range: DayRange): Promise<ChannelOverviewRow[]> {
  const { start, end } = dayRangeBounds(range);
  const rows = await warehouse.all<MedianRow & { channel: Channel }>(channelOverviewSql, [start, end]);
  const byChannel = new Map(rows.map((row) => [row.channel, row]));
  return channels.map((channel) => {
    const row = byChannel.get(channel);
    return {
      channel,
      interactions: row?.interactions ?? 0,
      medianFirstResponseSeconds: row?.median_first_response_seconds ?? null,
    };
  });
}

/**
 * The same figures over all channels together. The total median is the median of all first
 * responses, not a mean of the channel medians.
 *
 * @example
 * await overviewTotal(warehouse, { from: '2024-03-01', to: '2024-03-31' });
 * // { interactions: 4120, medianFirstResponseSeconds: 1830 }
 */
export async function overviewTotal(warehouse: Warehouse, range: DayRange): Promise<OverviewTotal> {
  const { start, end } = dayRangeBounds(range);
  const [row] = await warehouse.all<MedianRow>(overviewTotalSql, [start, end]);
  return { interactions: row?.interactions ?? 0, medianFirstResponseSeconds: row?.median_first_response_seconds ?? null };
}

/**
 * Interactions created per UTC day and channel. The result is dense: one row for every day of the
 * range and every channel, 0 where nothing happened, so that a chart draws quiet days at zero
 * instead of joining the points around them. Ordered by day, then canonical channel order.
 *
 * @example
 * await dailyVolume(warehouse, { from: '2024-03-01', to: '2024-03-02' });
 * // [{ day: '2024-03-01', channel: 'chat', interactions: 31 }, ... 10 rows]
 */
export async function dailyVolume(warehouse: Warehouse, range: DayRange): Promise<DailyVolumeRow[]> {
  const { start, end } = dayRangeBounds(range);
  const rows = await warehouse.all<DailyVolumeRow>(dailyVolumeSql, [start, end]);
  const counts = new Map(rows.map((row) => [`${row.day}|${row.channel}`, row.interactions]));
  const result: DailyVolumeRow[] = [];
  const days = rangeLength(range);
  for (let i = 0; i < days; i++) {
    const day = addDays(range.from, i);
    for (const channel of channels) result.push({ day, channel, interactions: counts.get(`${day}|${channel}`) ?? 0 });
  }
  return result;
}

/**
 * The first and last UTC day holding an interaction; both null for an empty warehouse.
 *
 * @example
 * await dataExtent(warehouse); // { first: '2024-01-01', last: '2024-03-31' }
 */
export async function dataExtent(warehouse: Warehouse): Promise<DataExtent> {
  const [row] = await warehouse.all<{ first_day: string | null; last_day: string | null }>(dataExtentSql);
  return { first: row?.first_day ?? null, last: row?.last_day ?? null };
}
