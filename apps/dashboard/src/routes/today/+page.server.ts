import { today } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

/**
 * The day so far. Cached for 30 s only: the page is reloaded by supervisors all day and the data
 * moves with every scheduled sync.
 */
export const load: PageServerLoad = async ({ url }) => {
  const ctx = await screenContext(url);
  let data;
  try {
    data = await cached(cacheKey(url, 'today'), () => today(ctx.warehouse, ctx.filters, { config: ctx.config }), 30_000);
  } catch (reason) {
    badRequest(reason);
  }
  return { filters: ctx.filters, options: ctx.options, problems: ctx.problems, today: data };
};
