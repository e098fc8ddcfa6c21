import { redirect } from '@sveltejs/kit';
import { customerTimeline } from '@helpdesk/metrics';
import { holds } from '$lib/server/auth/guard';
import { cached } from '$lib/server/cache';
import { customerListQuery, loadCustomerList } from '$lib/server/customer-list';
import { visibleRows } from '$lib/server/pii';
import { cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

/**
 * Find a customer by id, email, phone or contact id (a hit goes straight to the timeline); with no
 * query, the customer list: top 100 by the chosen sort, optionally VIP only and/or repeat
 * contacters of the window (the screens' from/to days, default the last 30 days of data).
 */
export const load: PageServerLoad = async ({ url, locals }) => {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const ctx = await screenContext(url);
  const warehouse = ctx.warehouse;
  let notFound = false;
  if (q) {
    const view = await customerTimeline(warehouse, q);
    if (view) redirect(303, `/customers/${encodeURIComponent(String(view.customer.id))}`);
    notFound = true;
  }
  const query = customerListQuery(url.searchParams, { from: ctx.filters.from, to: ctx.filters.to, tz: ctx.filters.tz });
  const list = await cached(cacheKey(url, 'customerList', ['q']), () => loadCustomerList(warehouse, query, ctx.config, 100));
  return {
    q, notFound, sort: query.sort, vip: query.vip, repeat: query.repeat, window: query.window, problems: ctx.problems,
    total: list.total, rows: visibleRows(locals, 'customers', list.rows),
    // The CSV follows the exports' rules: export.data to download, export.pii for names, emails and phones.
    csv: holds(locals, 'export.data') ? { pii: holds(locals, 'export.pii') } : null,
  };
};
