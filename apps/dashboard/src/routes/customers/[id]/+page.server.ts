import { error } from '@sveltejs/kit';
import { customerTimeline } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
  const warehouse = await requireWarehouse();
  const view = await cached(`customerTimeline:${params.id}`, () => customerTimeline(warehouse, params.id));
  if (!view) error(404, { message: `No customer matches ${params.id} (identity resolution may not have run yet: \`helpdesk resolve\`).` });
  return { view };
};
