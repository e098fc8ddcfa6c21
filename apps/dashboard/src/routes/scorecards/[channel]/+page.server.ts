import { error } from '@sveltejs/kit';
import { defaultKpiTargets, kpiReport, kpis, targetStatus, type ScorecardRow } from '@helpdesk/metrics';
import { channelIds, type ChannelId } from '$lib/filters';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

/**
 * A channel's scorecard: each KPI the registry defines for the channel, with its target colour,
 * its distribution, a daily trend and per-team and per-agent tables. Stage and derived KPIs
 * (backlog, concurrency, the balanced indexes) have their own screens.
 */
export const load: PageServerLoad = async ({ params, url }) => {
  if (!(channelIds as readonly string[]).includes(params.channel)) error(404, { message: `There is no channel "${params.channel}"; choose one of ${channelIds.join(', ')}.` });
  const channel = params.channel as ChannelId;
  const ctx = await screenContext(url);
  const filters = { ...ctx.filters, channels: [channel] };
  const defs = kpis.filter((k) => (k.channels as readonly string[]).includes(channel) && k.compute.kind !== 'stage' && k.compute.kind !== 'derived');
  const ids = defs.map((k) => k.id);
  const run = (by: Array<'day' | 'team' | 'agent'>) => kpiReport(ctx.warehouse, { filters, kpis: ids, by });
  let total, trend, teams, agents;
  try {
    [total, trend, teams, agents] = await cached(cacheKey(url, `scorecard:${channel}`), () => Promise.all([run([]), run(['day']), run(['team']), run(['agent'])]));
  } catch (reason) {
    badRequest(reason);
  }
  const requested = url.searchParams.get('trend');
  const trendKpi = ids.includes(requested ?? '') ? requested! : (ids.find((id) => id !== 'volume') ?? 'volume');
  const names = {
    team: Object.fromEntries(ctx.options.teams.map((t) => [t.id, t.name])),
    agent: Object.fromEntries(ctx.options.agents.map((a) => [a.id, a.name])),
  };
  const row = total[0] ?? {};
  return {
    channel,
    filters: ctx.filters,
    problems: ctx.problems,
    options: ctx.options,
    trendKpi,
    kpis: defs.map((k) => ({
      id: k.id, name: k.name, unit: k.unit, direction: k.direction, formula: k.formula, duration: k.compute.kind === 'duration',
      value: (row[k.id] as number | null) ?? null,
      median: (row[`${k.id}_median`] as number | null) ?? null,
      p90: (row[`${k.id}_p90`] as number | null) ?? null,
      mean: (row[`${k.id}_mean`] as number | null) ?? null,
      target: defaultKpiTargets[k.id]?.target ?? null,
      status: targetStatus(k.id, (row[k.id] as number | null) ?? null),
    })),
    trend,
    teams: teams.map((r) => ({ ...r, name: r.team ? (names.team[String(r.team)] ?? String(r.team)) : '(no team)' }) as ScorecardRow),
    agents: agents.map((r) => ({ ...r, name: r.agent ? (names.agent[String(r.agent)] ?? String(r.agent)) : '(no agent: bot or abandoned)' }) as ScorecardRow),
    statuses: Object.fromEntries(
      [...teams.map((r) => ['team', r] as const), ...agents.map((r) => ['agent', r] as const)].flatMap(([kind, r]) =>
        ids.map((id) => [`${kind}:${r[kind] ?? ''}:${id}`, targetStatus(id, (r[id] as number | null) ?? null)]),
      ),
    ),
  };
};
