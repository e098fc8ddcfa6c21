import { kpiReportSets, type ScorecardRow } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

const shownColumns = ['channel', 'volume', 'speed_index', 'quality_index', 'qa_in_quality_index', 'qa_score', 'qa_reviews', 'fast_but_failing', 'first_response_time', 'time_to_resolution', 'fcr', 'reopen_rate', 'repeat_contact_rate', 'csat'];
const pick = (row: ScorecardRow, keys: string[]): ScorecardRow => Object.fromEntries(keys.map((k) => [k, row[k] ?? null]));

const inputs = ['first_response_time', 'time_to_resolution', 'fcr', 'reopen_rate', 'repeat_contact_rate', 'csat', 'qa_score'];

/**
 * Balanced speed versus resolution for leadership: the registry's speed and quality indexes per
 * team or agent on each channel (percentile ranks among the rows of the same channel, so an email
 * agent's hours are never ranked against a chat agent's seconds), the QA score where it has
 * enough reviews to count, the fast-but-failing flags, and the weekly trend of the speed and
 * quality inputs for the whole selection.
 */
export const load: PageServerLoad = async ({ url }) => {
  const ctx = await screenContext(url);
  const by = url.searchParams.get('by') === 'team' ? 'team' : 'agent';
  // The rows of a few hundred agents travel as one JSON string, built once per cache window:
  // SvelteKit's devalue serializes value by value, which queued requests under 20 clients.
  let payload: string;
  try {
    payload = await cached(cacheKey(url, 'balanced-payload'), async () => {
      // One statement for both groupings (the facts stage is computed once); the indexes are balanced per grouping.
      const [rows, trend] = await kpiReportSets(ctx.warehouse, { filters: ctx.filters, kpis: ['volume', 'fast_but_failing'], sets: [[by, 'channel'], ['week']], config: ctx.config });
      const names = Object.fromEntries((by === 'team' ? ctx.options.teams : ctx.options.agents).map((o) => [o.id, o.name]));
      // Rows without a team or agent (bot-contained, abandoned) are not anyone's performance.
      const rated = rows
        .filter((r) => r[by] !== null)
        .map((r) => ({ ...pick(r, shownColumns), key: `${r[by]}:${r.channel}`, id: String(r[by]), name: names[String(r[by])] ?? String(r[by]) }));
      // Only the columns the page shows travel to the browser.
      const weekly = trend.map((r) => pick(r, ['week', 'first_response_time', 'time_to_resolution', 'fcr', 'csat']));
      // Rows as arrays under one header (no key repeated per row), numbers to 6 significant digits.
      const round = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v);
      const columns = [...shownColumns, 'key', 'id', 'name'];
      const values = rated.map((r) => columns.map((c) => round((r as Record<string, unknown>)[c])));
      return JSON.stringify({ columns, values, trend: weekly });
    });
  } catch (reason) {
    badRequest(reason);
  }
  return { filters: ctx.filters, options: ctx.options, problems: ctx.problems, by, inputs, payload };
};
