import { ageBuckets, backlogHistory } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

/** Email backlog by age bucket at the end of each day, and at any past moment (`as_of`, local time in the reporting zone). */
export const load: PageServerLoad = async ({ url }) => {
  const ctx = await screenContext(url);
  const raw = url.searchParams.get('as_of')?.trim() || null;
  const problems = [...ctx.problems];
  let asOf = raw && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(raw) ? raw : null;
  if (raw && !asOf) problems.push(`Ignored as of "${raw.slice(0, 40)}": use a date and time such as 2026-10-20T09:00.`);
  let history;
  try {
    history = await cached(cacheKey(url, 'backlog'), () => backlogHistory(ctx.warehouse, ctx.filters, asOf));
  } catch (reason) {
    badRequest(reason);
  }
  return { filters: ctx.filters, options: ctx.options, problems, asOf, history, buckets: ageBuckets };
};
