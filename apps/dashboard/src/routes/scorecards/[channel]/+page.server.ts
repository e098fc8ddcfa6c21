import { error } from '@sveltejs/kit';
import { breakdownGroups, kpiReportSetsWithSource, kpis, resolveTarget, targetStatus, type BreakdownGroup, type ScorecardRow } from '@helpdesk/metrics';
import { channelIds, type ChannelId } from '$lib/filters';
import { cached } from '$lib/server/cache';
import { badRequest, cacheKey, screenContext } from '$lib/server/screen';
import type { PageServerLoad } from './$types';

/**
 * A channel's scorecard: each KPI the registry defines for the channel, with its target colour,
 * its distribution, a daily trend, per-team and per-agent tables and one more breakdown chosen with
 * `?by=` (priority, customer tier, intent, outcome, language, country or queue). Stage and derived KPIs
 * (backlog, concurrency, the balanced indexes) have their own screens.
 */
export const load: PageServerLoad = async ({ params, url }) => {
  if (!(channelIds as readonly string[]).includes(params.channel)) error(404, { message: `There is no channel "${params.channel}"; choose one of ${channelIds.join(', ')}.` });
  const channel = params.channel as ChannelId;
  const ctx = await screenContext(url);
  const filters = { ...ctx.filters, channels: [channel] };
  const defs = kpis.filter((k) => (k.channels as readonly string[]).includes(channel) && k.compute.kind !== 'stage' && k.compute.kind !== 'derived');
  const ids = defs.map((k) => k.id);
  const askedBy = url.searchParams.get('by');
  const by: BreakdownGroup = (breakdownGroups as readonly string[]).includes(askedBy ?? '') ? (askedBy as BreakdownGroup) : 'priority';
  let total, trend, teams, agents, breakdown, report;
  try {
    // One statement for the five groupings: the facts stage is computed once (or the daily rollup
    // answers, when every filter and grouping is one of its dimensions).
    report = await cached(cacheKey(url, `scorecard:${channel}`, ['trend']), () =>
      kpiReportSetsWithSource(ctx.warehouse, { filters, kpis: ids, sets: [[], ['day'], ['team'], ['agent'], [by]], config: ctx.config }),
    );
    [total, trend, teams, agents, breakdown] = report.sets;
  } catch (reason) {
    badRequest(reason);
  }
  // The team and agent tables show volume and the first eight other KPIs; only those travel to the
  // browser (a million-interaction warehouse has hundreds of agents), each with its target colour.
  const shown = ids.filter((id) => id !== 'volume').slice(0, 8);
  const targets = ctx.settings.settings.targets;
  const slim = (rows: ScorecardRow[], kind: 'team' | 'agent' | BreakdownGroup, names: Record<string, string>, none: string) =>
    rows.map((r) => {
      const key = r[kind] === null ? '' : String(r[kind]);
      const out: ScorecardRow = { key, name: key ? (names[key] ?? key) : none, volume: r.volume };
      const status: Record<string, string> = {};
      for (const id of shown) {
        out[id] = r[id] ?? null;
        // A team's own target wins over the channel's (settings: targets per team or queue).
        status[id] = targetStatus(id, (r[id] as number | null) ?? null, targets, { channel, team: kind === 'team' ? key || null : null });
      }
      return { ...out, status } as ScorecardRow & { status: Record<string, string> };
    });
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
    source: { source: report.source, reason: report.sourceReason, sketched: report.sketched },
    settingsVersion: ctx.settings.version,
    kpis: defs.map((k) => ({
      id: k.id, name: k.name, unit: k.unit, direction: resolveTarget(targets, k.id, { channel })?.direction ?? k.direction, formula: k.formula, duration: k.compute.kind === 'duration',
      value: (row[k.id] as number | null) ?? null,
      median: (row[`${k.id}_median`] as number | null) ?? null,
      p90: (row[`${k.id}_p90`] as number | null) ?? null,
      mean: (row[`${k.id}_mean`] as number | null) ?? null,
      target: resolveTarget(targets, k.id, { channel })?.target ?? null,
      status: targetStatus(k.id, (row[k.id] as number | null) ?? null, targets, { channel }),
    })),
    trend,
    shown,
    teams: slim(teams, 'team', names.team, '(no team)'),
    agents: slim(agents, 'agent', names.agent, '(no agent: bot or abandoned)'),
    by,
    breakdownGroups: [...breakdownGroups],
    breakdown: slim(breakdown, by, by === 'queue' ? Object.fromEntries(ctx.options.queues.map((q) => [q.id, q.name])) : {}, '(none)'),
  };
};
