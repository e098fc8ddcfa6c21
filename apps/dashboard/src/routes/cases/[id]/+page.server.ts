import { error } from '@sveltejs/kit';
import { caseView, metricsConfigOf, readSettings } from '@helpdesk/metrics';
import { holds } from '$lib/server/auth/guard';
import { cached } from '$lib/server/cache';
import { visibleRow, visibleRows } from '$lib/server/pii';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/** One case as a single timeline across channels, its customer and its outcome (the metrics' outcome reader). */
export const load: PageServerLoad = async ({ params, locals }) => {
  const warehouse = await requireWarehouse();
  // The outcome reader under the settings in force (its repeat window decides FCR).
  const config = metricsConfigOf((await readSettings(warehouse)).settings);
  const view = await cached(`caseView:${params.id}`, () => caseView(warehouse, params.id, { config }));
  if (!view) error(404, { message: `No case ${params.id} (case threading may not have run yet: \`helpdesk resolve\`).` });
  return {
    case: visibleRow(locals, 'customers', view.case),
    members: visibleRows(locals, 'interactions', view.members),
    moments: visibleRows(locals, 'events', view.moments),
    outcome: view.outcome,
    // The customer page needs contacts.read: others see the id without a link.
    customerLink: holds(locals, 'contacts.read'),
  };
};
