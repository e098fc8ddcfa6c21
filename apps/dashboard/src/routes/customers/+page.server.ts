import { redirect } from '@sveltejs/kit';
import { customerList, customerSortColumns, customerTimeline, type CustomerSort } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { visibleRows } from '$lib/server/pii';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/**
 * Find a customer by id, email, phone or contact id (a hit goes straight to the timeline); with no
 * query, the customer list: top 100 by the chosen sort, optionally VIP only.
 */
export const load: PageServerLoad = async ({ url, locals }) => {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const warehouse = await requireWarehouse();
  let notFound = false;
  if (q) {
    const view = await customerTimeline(warehouse, q);
    if (view) redirect(303, `/customers/${encodeURIComponent(String(view.customer.id))}`);
    notFound = true;
  }
  const sortParam = url.searchParams.get('sort') ?? 'contacts';
  const sort: CustomerSort = (customerSortColumns as readonly string[]).includes(sortParam) ? (sortParam as CustomerSort) : 'contacts';
  const vip = url.searchParams.get('vip') === '1';
  const list = await cached(`customerList:${sort}:${vip}`, () => customerList(warehouse, { sort, vip, limit: 100 }));
  return { q, notFound, sort, vip, total: list.total, rows: visibleRows(locals, 'customers', list.rows) };
};
