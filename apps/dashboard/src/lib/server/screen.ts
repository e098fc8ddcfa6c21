import { error } from '@sveltejs/kit';
import type { Warehouse } from '@helpdesk/core';
import { filterOptions, metricsConfigOf, readSettings, type FilterOptions, type MetricsConfig, type StoredSettings } from '@helpdesk/metrics';
import { parseScreenFilters, type Filters } from '$lib/filters';
import { cached } from './cache';
import { requireWarehouse } from './warehouse';

export interface ScreenContext {
  warehouse: Warehouse;
  filters: Filters;
  problems: string[];
  options: FilterOptions;
  /** The default filters (last 30 days of data, UTC), for the reset link. */
  defaults: Filters;
  /** The settings in force (targets, SLA policies, calendars, thresholds), read on every request. */
  settings: StoredSettings;
  /** Their metrics part, for every KPI computation of the screen. */
  config: MetricsConfig;
}

const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * What every screen's load starts with: the warehouse, the filters from the URL (defaults: the
 * last 30 days of data, not of the clock, because demo data is fixed in time), and the values the
 * filter bar offers.
 */
export async function screenContext(url: URL): Promise<ScreenContext> {
  const warehouse = await requireWarehouse();
  const options = await cached('filter-options', () => filterOptions(warehouse));
  const last = options.extent.last ?? new Date().toISOString().slice(0, 10);
  const defaults: Filters = {
    from: shiftDay(last, -29), to: last, tz: 'UTC', businessHours: false,
    channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], priorities: [], countries: [], outcomes: [],
  };
  const { filters, problems } = parseScreenFilters(url.searchParams, defaults);
  // One small query: a change on the Settings screen shows on the next request.
  const settings = await readSettings(warehouse);
  return { warehouse, filters, problems, options, defaults, settings, config: metricsConfigOf(settings.settings) };
}

/** Turns a metrics error about the request (a bad as-of, an unknown KPI) into a 400 with its one line. */
export function badRequest(reason: unknown): never {
  const message = reason instanceof Error ? reason.message.split('\n')[0] : String(reason);
  error(400, { message });
}

/**
 * A cache key for a screen's data: the path and the sorted query. Saving settings clears the
 * cache (the settings screen does), so a key needs no settings version.
 */
export function cacheKey(url: URL, name: string, ignore: string[] = []): string {
  const q = new URLSearchParams(url.searchParams);
  // Parameters that only change the presentation (e.g. which KPI the trend draws) share one entry.
  for (const name of ['x-sveltekit-invalidated', ...ignore]) q.delete(name);
  q.sort();
  return `${name}?${q.toString()}`;
}
