import { kpiReportSets, type ScorecardRow } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

const shownColumns = ['volume', 'speed_index', 'quality_index', 'fast_but_failing', 'first_response_time', 'time_to_resolution', 'fcr', 'reopen_rate', 'repeat_contact_rate', 'csat'];
const pick = (row: ScorecardRow, keys: string[]): ScorecardRow => Object.fromEntries(keys.map((k) => [k, row[k] ?? null]));

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
    // One statement for both groupings (the facts stage is computed once); the indexes are balanced per grouping.
    [rows, trend] = await cached(cacheKey(url, 'balanced'), () =>
      kpiReportSets(ctx.warehouse, { filters: ctx.filters, kpis: ['volume', 'fast_but_failing'], sets: [[by], ['week']] }),
    );
  } catch (reason) {
    badRequest(reason);
  }
  const names = Object.fromEntries((by === 'team' ? ctx.options.teams : ctx.options.agents).map((o) => [o.id, o.name]));
  // Rows without a team or agent (bot-contained, abandoned) are not anyone's performance.
  const rated = rows
    .filter((r) => r[by] !== null)
    .map((r) => ({ ...pick(r, shownColumns), key: String(r[by]), name: names[String(r[by])] ?? String(r[by]) }) as ScorecardRow & { key: string; name: string });
  // Only the columns the page shows travel to the browser (hundreds of agents on a large warehouse).
  const weekly = trend.map((r) => pick(r, ['week', 'first_response_time', 'time_to_resolution', 'fcr', 'csat']));
  return { filters: ctx.filters, options: ctx.options, problems: ctx.problems, by, inputs, rows: rated, trend: weekly };
};
