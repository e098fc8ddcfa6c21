import { addDays, channelOverview, configFromSettings, dailyVolume, dataExtent, defaultRange, heatmap, kpiReport, overviewTotal, rangeLength } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { holds } from '$lib/server/auth/guard';
import { parseRangeParams } from '$lib/server/range-params';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

// The overview reads UTC days (metrics' dayRangeBounds); the screens with a reporting zone read local days.
export const load: PageServerLoad = async ({ url, locals }) => {
  const warehouse = await requireWarehouse();
  const extent = await cached('overview-extent', () => dataExtent(warehouse));
  // The default is the last 30 days of data, not of the clock: demo data is fixed in time. Only an
  // empty warehouse falls back to the clock, and then every range is empty anyway.
  const today = new Date().toISOString().slice(0, 10);
  const fallback = defaultRange(extent, 30) ?? { from: addDays(today, -29), to: today };
  const { range, input, problem } = parseRangeParams(url.searchParams, fallback);
  const [channels, total, daily] = await cached(`overview-base:${range.from}:${range.to}`, () =>
    Promise.all([channelOverview(warehouse, range), overviewTotal(warehouse, range), dailyVolume(warehouse, range)]),
  );
  // Headline KPIs against the period of equal length just before, and demand by hour and weekday.
  const days = rangeLength(range);
  const previous = { from: addDays(range.from, -days), to: addDays(range.from, -1) };
  const base = { tz: 'UTC', channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], businessHours: false };
  const headline = ['volume', 'first_response_time', 'time_to_resolution', 'fcr', 'csat'];
  const config = await configFromSettings(warehouse);
  const [current, before, demand] = await cached(`overview:${range.from}:${range.to}`, () =>
    Promise.all([
      kpiReport(warehouse, { filters: { ...base, ...range }, kpis: headline, by: ['channel'], config }),
      kpiReport(warehouse, { filters: { ...base, ...previous }, kpis: headline, by: ['channel'], config }),
      heatmap(warehouse, { ...base, ...range }),
    ]),
  );
  return {
    range, input, problem, extent, isDefaultRange: range.from === fallback.from && range.to === fallback.to, channels, total, daily,
    previous, kpis: { current, before, ids: headline }, demand, canSeeCustomers: holds(locals, 'contacts.read'),
  };
};
