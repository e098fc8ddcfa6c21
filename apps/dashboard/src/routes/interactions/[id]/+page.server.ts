import { error } from '@sveltejs/kit';
import { interactionView } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { requireWarehouse } from '$lib/server/warehouse';
import { visibleRow, visibleRows } from '$lib/server/pii';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
  const warehouse = await requireWarehouse();
  const view = await cached(`interactionView:${params.id}`, () => interactionView(warehouse, params.id));
  if (!view) error(404, { message: `There is no interaction ${params.id}.` });
  // Readers without contacts.read (QA reviewers) get no caller numbers, in the page or its data.
  return { view: { ...view, interaction: visibleRow(locals, 'interactions', view.interaction), events: visibleRows(locals, 'events', view.events) } };
};
