import { channels, type Channel, type Warehouse } from '@helpdesk/core';
import { dayRangeBounds, rangeLength, addDays, type DayRange } from './reporting-time.ts';
import { scorecard } from './kpi-scorecard.ts';

/**
 * The overview KPIs: interaction volume and median first response per channel.
 *
 * A KPI is defined once, in the registry (kpi-registry.ts): the overview does not define its own first
 * response but reads the registry's figures through `scorecard`, so that it agrees with the chat
 * scorecard and every other screen. Over interactions whose `created_at` falls in the range's UTC days:
 * - interactions: the registry's `volume` (how many were created). Neither good nor bad; it is load.
 * - median first response (seconds, lower is better), per channel:
 *   - chat, email, social: the median of the registry's `first_response_time` (from the customer's
 *     first message, or the bot hand-off when that is later, to the first public reply by a human
 *     agent; interactions without such a reply are left out and show in the count only);
 *   - phone: the median of the registry's `average_speed_of_answer` (queue wait of answered calls),
 *     the phone's first response;
 *   - help_center: none (null).
 *   Null when no interaction of the channel has one.
 * - the total's median first response is always null (shown as "—"): a median cannot be combined
 *   from channel medians, and the channels measure different things (phone is speed of answer),
 *   so one median over all of them would be neither KPI.
 */
export interface ChannelOverviewRow {
  channel: Channel;
  interactions: number;
  medianFirstResponseSeconds: number | null;
}

export interface OverviewTotal {
  interactions: number;
  /** Always null: see the definitions above (no median over different KPIs). */
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

// $1 = range start (inclusive), $2 = range end (exclusive), both UTC instants.
const overviewTotalSql = /* sql */ `
SELECT count(*) AS interactions
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

/** The registry KPI giving each channel's first response; channels not listed have none. */
const firstResponseKpi: Partial<Record<Channel, 'first_response_time' | 'average_speed_of_answer'>> = {
  chat: 'first_response_time',
  email: 'first_response_time',
  social: 'first_response_time',
  phone: 'average_speed_of_answer',
};

/**
 * Interactions and median first response per channel for a range of UTC days, from the registry
 * (see the definitions above: phone's first response is its speed of answer). Every channel
 * appears, in the canonical order, with 0 and null when it had no interactions.
 *
 * @example
 * await channelOverview(warehouse, { from: '2024-03-01', to: '2024-03-31' });
 * // [{ channel: 'chat', interactions: 812, medianFirstResponseSeconds: 94.5 }, ...]
 */
export async function channelOverview(warehouse: Warehouse, range: DayRange): Promise<ChannelOverviewRow[]> {
  const card = await scorecard(warehouse, {
    from: range.from,
    to: range.to,
    by: ['channel'],
    kpis: ['volume', 'first_response_time', 'average_speed_of_answer'],
    tz: 'UTC',
  });
  const byChannel = new Map(card.rows.map((row) => [row.channel as Channel, row]));
  return channels.map((channel) => {
    const row = byChannel.get(channel);
    const kpi = firstResponseKpi[channel];
    const median = row && kpi ? row[`${kpi}_median`] : null;
    return {
      channel,
      interactions: Number(row?.volume ?? 0),
      medianFirstResponseSeconds: typeof median === 'number' ? median : null,
    };
  });
}

/**
 * The interactions over all channels together. The median first response is always null: a
 * median cannot be combined from the channel medians, and chat/email/social first response and
 * phone speed of answer are different KPIs, so there is no single median to show ("—").
 *
 * @example
 * await overviewTotal(warehouse, { from: '2024-03-01', to: '2024-03-31' });
 * // { interactions: 4120, medianFirstResponseSeconds: null }
 */
export async function overviewTotal(warehouse: Warehouse, range: DayRange): Promise<OverviewTotal> {
  const { start, end } = dayRangeBounds(range);
  const [row] = await warehouse.all<{ interactions: number }>(overviewTotalSql, [start, end]);
  return { interactions: row?.interactions ?? 0, medianFirstResponseSeconds: null };
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
