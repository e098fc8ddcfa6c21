import { error } from '@sveltejs/kit';
import { customerTimeline, metricsConfigOf, openCaseSla, readSettings, slaAtRiskHorizonSeconds } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
  const warehouse = await requireWarehouse();
  const view = await cached(`customerTimeline:${params.id}`, () => customerTimeline(warehouse, params.id));
  if (!view) error(404, { message: `No customer matches ${params.id} (identity resolution may not have run yet: \`helpdesk resolve\`).` });
  // The open cases' SLA under the settings in force, by the Today and SLA screens' rule (read on every request).
  const config = metricsConfigOf((await readSettings(warehouse)).settings);
  const sla = await openCaseSla(warehouse, String(view.customer.id), { config });
  return { view, sla, atRiskHours: slaAtRiskHorizonSeconds / 3600 };
};
