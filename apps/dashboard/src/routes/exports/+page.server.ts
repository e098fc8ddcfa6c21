import { describeColumns, listDatasets, registerBuiltinDatasets } from '@helpdesk/core/export';
import type { PageServerLoad } from './$types';

/** The export registry as plain data for the Exports screen (the download itself is /api/export). */
export const load: PageServerLoad = async () => {
  registerBuiltinDatasets();
  return {
    datasets: listDatasets().map((d) => ({
      name: d.name,
      description: d.description,
      hasTime: !!d.timeColumn,
      hasChannel: !!d.channelColumn,
      columns: describeColumns(d),
    })),
  };
};
