import { registerBuiltinDatasets, registerKpiDatasets, type KpiSource } from '@helpdesk/core/export';
import { configFromSettings, dataExtent, kpis, registryVersion, scorecard } from '@helpdesk/metrics';

/**
 * The metrics registry as the export's KPI source. It lives in the app because core must not
 * import metrics (metrics imports core): the app, which depends on both, joins them. Used by the
 * `helpdesk export` CLI and the web server's export endpoint and screen alike.
 */
export const metricsKpiSource: KpiSource = {
  registryVersion,
  kpis: kpis
    .filter((k) => k.grains.includes('day') && k.dimensions.includes('channel') && k.compute.kind !== 'derived')
    .map((k) => ({ id: k.id, name: k.name, unit: k.unit, formula: k.formula })),
  async daily({ warehouse, filters, timeZone, businessHours }) {
    // Without --from/--to the table covers all data, not the scorecard's default 30 days.
    const extent = filters.from && filters.to ? null : await dataExtent(warehouse);
    const from = filters.from ?? extent?.first;
    const to = filters.to ?? extent?.last;
    if (!from || !to) return { rows: [], businessHoursCalendar: null };
    const ids = metricsKpiSource.kpis.map((k) => k.id);
    // The warehouse's settings (the manifest names their version): SLA policies, thresholds, calendars.
    const config = await configFromSettings(warehouse);
    const card = await scorecard(warehouse, { from, to, tz: timeZone, by: ['day', 'channel'], kpis: ids, businessHours, channels: filters.channels, config });
    const rows = card.rows.map((row) => Object.fromEntries([['day', row.day], ['channel', row.channel], ...ids.map((id) => [id, row[id] ?? null])]));
    // Without calendars in the settings, each team's business hours are Monday to Friday 09:00-17:00 in its zone.
    const calendar = config.calendars.length ? `settings calendars: ${config.calendars.map((c) => c.id).join(', ')}` : "default: Mon-Fri 09:00-17:00 in each team's time zone";
    return { rows, businessHoursCalendar: businessHours ? calendar : null };
  },
};

/**
 * Registers every export dataset: core's own and the daily KPI table (idempotent).
 *
 * @example
 * registerExportDatasets(); getDataset('kpi_daily');
 */
export function registerExportDatasets(): void {
  registerBuiltinDatasets();
  registerKpiDatasets(metricsKpiSource);
}
