import { error } from '@sveltejs/kit';
import { interactionView } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
  const warehouse = await requireWarehouse();
  const view = await cached(`interactionView:${params.id}`, () => interactionView(warehouse, params.id));
  if (!view) error(404, { message: `There is no interaction ${params.id}.` });
  return { view };
};
