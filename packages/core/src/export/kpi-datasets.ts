import { channels } from '../records.ts';
import type { Dataset, DatasetColumn } from './dataset.ts';
import type { ExportFilters } from './filters.ts';
import type { Warehouse } from '../database.ts';
import { ExportError, listDatasets, registerDataset } from './dataset-registry.ts';
import { createTempTable, insertRows } from './temp-tables.ts';

/**
 * What the KPI dataset needs from the metrics registry. Core must not import @helpdesk/metrics
 * (metrics imports core), so the app that has both passes this in: the dashboard's CLI and web
 * server call `registerKpiDatasets` with an adapter over `scorecard` and `kpis`. Dependencies stay
 * one-way (apps -> metrics -> core, apps -> core).
 */
export interface KpiSource {
  /** Stamped in the manifest: which definitions the numbers follow. */
  registryVersion: string;
  /** KPIs that can be cut by day and channel, in scorecard order. */
  kpis: readonly { id: string; name: string; unit: string; formula: string }[];
  /**
   * One row per reporting day and channel (`day` as `YYYY-MM-DD`, `channel`, then each KPI id)
   * for the filters' days (inclusive; all data when absent), in `timeZone`.
   */
  daily(request: { warehouse: Warehouse; filters: ExportFilters; timeZone: string; businessHours: boolean }): Promise<{
    rows: Record<string, string | number | null>[];
    /** The business-hours calendar used, described for the manifest (null: calendar hours). */
    businessHoursCalendar: string | null;
  }>;
}

const unitText: Record<string, string> = { ratio: 'fraction 0..1', seconds: 'seconds, median' };

/**
 * The daily KPI table: every KPI of the registry that can be cut by day and channel, one row per
 * reporting day and channel, computed by the metrics package's scorecard (so a number here equals
 * the one on the scorecard screen) into a temp table the export then reads.
 *
 * @example
 * registerDataset(kpiDailyDataset({ registryVersion, kpis, daily: (r) => ... }));
 */
export function kpiDailyDataset(source: KpiSource): Dataset {
  const kpiColumns: DatasetColumn[] = source.kpis.map((k) => ({
    name: k.id, type: 'DOUBLE', sql: `k."${k.id}"`,
    meaning: `${k.name} (${unitText[k.unit] ?? k.unit}): ${k.formula}`,
  }));
  const columns: DatasetColumn[] = [
    { name: 'day', type: 'DATE', sql: 'k.day', meaning: 'reporting day in the reporting time zone (option tz)' },
    { name: 'channel', type: 'VARCHAR', sql: 'k.channel', values: channels, meaning: 'channel' },
    ...kpiColumns,
  ];
  const table = columns.map((c) => ({ name: c.name, type: c.type }));
  return {
    name: 'kpi_daily',
    description: `Daily KPI table from the metrics registry (version ${source.registryVersion}): one row per reporting day and channel, one column per KPI.`,
    from: 'temp.export_kpi_daily k',
    // The scorecard already limits the days; --from/--to are reporting days, not UTC instants.
    periodInPrepare: true,
    // The screens' own cap: a year and a day.
    maxPeriodDays: 366,
    channelColumn: 'k.channel',
    options: {
      tz: 'reporting time zone (IANA), e.g. Europe/Berlin',
      business_hours: 'true: durations in business hours of each team calendar',
    },
    optionDefaults: { tz: 'UTC', business_hours: 'false' },
    columns,
    async prepare({ connection, warehouse, filters, options }) {
      if (!['true', 'false'].includes(options.business_hours)) throw new ExportError(`option business_hours must be true or false, got "${options.business_hours}"`);
      const businessHours = options.business_hours === 'true';
      const { rows, businessHoursCalendar } = await source.daily({ warehouse, filters, timeZone: options.tz, businessHours });
      await createTempTable(connection, 'export_kpi_daily', table);
      await insertRows(connection, 'export_kpi_daily', table, rows);
      return {
        context: { metricRegistryVersion: source.registryVersion, reportingTimeZone: options.tz, businessHoursCalendar: businessHours ? businessHoursCalendar : null },
      };
    },
  };
}

/**
 * Registers `kpi_daily` over a metrics source once (later calls keep the first: the CLI and the
 * web server may both call it in one process).
 *
 * @example
 * registerKpiDatasets(metricsKpiSource); // from apps/dashboard/src/lib/server/export-datasets.ts
 */
export function registerKpiDatasets(source: KpiSource): void {
  if (listDatasets().some((d) => d.name === 'kpi_daily')) return;
  registerDataset(kpiDailyDataset(source));
}
