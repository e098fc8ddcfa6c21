import { kpiReport, type ScorecardRow } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

const inputs = ['first_response_time', 'time_to_resolution', 'fcr', 'reopen_rate', 'repeat_contact_rate', 'csat', 'qa_score'];

/**
 * Balanced speed versus resolution for leadership: the registry's speed and quality indexes per
 * team or agent (percentile ranks within this report), the fast-but-failing flags, and the weekly
 * trend of the speed and quality inputs for the whole selection.
 */
export const load: PageServerLoad = async ({ url }) => {
  const ctx = await screenContext(url);
  const by = url.searchParams.get('by') === 'team' ? 'team' : 'agent';
  let rows, trend;
  try {
    [rows, trend] = await cached(cacheKey(url, 'balanced'), () =>
      Promise.all([
        kpiReport(ctx.warehouse, { filters: ctx.filters, kpis: ['volume', 'fast_but_failing'], by: [by] }),
        kpiReport(ctx.warehouse, { filters: ctx.filters, kpis: ['first_response_time', 'time_to_resolution', 'fcr', 'csat'], by: ['week'] }),
      ]),
    );
  } catch (reason) {
    badRequest(reason);
  }
  const names = Object.fromEntries((by === 'team' ? ctx.options.teams : ctx.options.agents).map((o) => [o.id, o.name]));
  // Rows without a team or agent (bot-contained, abandoned) are not anyone's performance.
  const rated = rows
    .filter((r) => r[by] !== null)
    .map((r) => ({ ...r, key: String(r[by]), name: names[String(r[by])] ?? String(r[by]) }) as ScorecardRow & { key: string; name: string });
  return { filters: ctx.filters, options: ctx.options, problems: ctx.problems, by, inputs, rows: rated, trend };
};
