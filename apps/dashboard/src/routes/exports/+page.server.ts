import { describeColumns, listDatasets } from '@helpdesk/core/export';
import { holds } from '$lib/server/auth/guard';
import { registerExportDatasets } from '$lib/server/export-datasets';
import type { PageServerLoad } from './$types';

/** The export registry as plain data for the Exports screen (the download itself is /api/export). */
export const load: PageServerLoad = async ({ locals }) => {
  registerExportDatasets();
  return {
    // Only roles holding export.pii are offered PII as stored (the endpoint checks again).
    mayIncludePii: holds(locals, 'export.pii'),
    datasets: listDatasets().map((d) => ({
      name: d.name,
      description: d.description,
      // Computed datasets (KPI table, simulation) take --from/--to as the period they compute.
      hasTime: !!d.timeColumn || !!d.periodInPrepare,
      hasTimeZone: !!d.options && 'tz' in d.options,
      // Options naming a server file (a routing ruleset) cannot come from a URL: CLI only.
      cliOnly: Object.keys(d.options ?? {}).some((o) => (o === 'ruleset' || o === 'current') && d.optionDefaults?.[o] === undefined),
      options: d.options ?? {},
      hasChannel: !!d.channelColumn,
      columns: describeColumns(d),
    })),
  };
};
