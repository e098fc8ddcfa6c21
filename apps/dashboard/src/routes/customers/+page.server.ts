import { redirect } from '@sveltejs/kit';
import { customerTimeline } from '@helpdesk/metrics';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/** Find a customer by id, email, phone or contact id; a hit goes straight to the timeline. */
export const load: PageServerLoad = async ({ url }) => {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  if (!q) return { q, notFound: false };
  const warehouse = await requireWarehouse();
  const view = await customerTimeline(warehouse, q);
  if (view) redirect(303, `/customers/${encodeURIComponent(String(view.customer.id))}`);
  return { q, notFound: true };
};
