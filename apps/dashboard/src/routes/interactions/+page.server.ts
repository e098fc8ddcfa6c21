import { interactionList, kpi as kpiDef, listSortColumns, type ListSort } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import { holds } from '$lib/server/auth/guard';
import { visibleRows } from '$lib/server/pii';
import type { PageServerLoad } from './$types';

const pageSize = 50;

/** The drill-down list: the interactions behind a KPI (or all), with the same filters, paged and sorted by the server. */
export const load: PageServerLoad = async ({ url, locals }) => {
  const ctx = await screenContext(url);
  const requestedKpi = url.searchParams.get('kpi');
  const problems = [...ctx.problems];
  let kpi: string | null = null;
  if (requestedKpi) {
    try {
      kpi = kpiDef(requestedKpi).id;
    } catch {
      problems.push(`Ignored kpi "${requestedKpi.slice(0, 60)}": there is no such KPI; listing every interaction.`);
    }
  }
  const sortParam = url.searchParams.get('sort') ?? 'created_at';
  const sort: ListSort = (listSortColumns as readonly string[]).includes(sortParam) ? (sortParam as ListSort) : 'created_at';
  const desc = url.searchParams.get('dir') !== 'asc';
  const page = Math.max(1, Math.min(1_000_000, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
  let list;
  try {
    list = await cached(cacheKey(url, 'list'), () => interactionList(ctx.warehouse, { filters: ctx.filters, kpi, sort, desc, page, pageSize, config: ctx.config }));
  } catch (reason) {
    badRequest(reason);
  }
  // A subject line is free text the customer wrote: only roles that may read messages see it (the catalogue says so).
  list = { ...list, rows: visibleRows(locals, 'interactions', list.rows) };
  return { filters: ctx.filters, options: ctx.options, problems, kpi, sort, desc, list, canOpen: holds(locals, 'messages.read'), canSeeCustomers: holds(locals, 'contacts.read') };
};
