import { Warehouse, channels } from '@helpdesk/core';
import { ensureResolved } from '@helpdesk/ingest';
import { aggregateSql, dimensions, grains, kpiDefinitionText, kpis, labelIntentsStage, loadMetricsConfig, refreshFacts, registryVersion, type KpiDefinition, type ScorecardResult } from '@helpdesk/metrics';
import type { Command } from '../command.ts';
import { MetricsFilterError, metricsRequest, runMetrics } from '../../lib/server/api/metrics-query.ts';
import { UsageError, resolveUserPath, type CommandContext } from '../context.ts';


/**
 * `helpdesk metrics`: the KPI scorecard from the registry of @helpdesk/metrics. This module only
 * parses flags and prints; every definition and number comes from the registry.
 */
export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'KPI scorecard per channel, team, agent or time grain, in calendar or business hours',
  usage: [
    'helpdesk metrics [--from YYYY-MM-DD --to YYYY-MM-DD] [--channel chat,email,...] [--by day|week|month|channel|team|agent|queue,...]',
    '                 [--kpi id,id] [--business-hours] [--tz Europe/Berlin] [--stat median|mean|p90] [--as-of 2024-03-05T09:00]',
    '                 [--config metrics.yaml] [--json]',
    '       helpdesk metrics --list [--json]',
  ].join('\n'),
  options: {
    from: { type: 'string', description: 'first local day of the range (default: 30 days before --to)', valueName: 'YYYY-MM-DD' },
    to: { type: 'string', description: 'last local day, inclusive (default: the day of the latest interaction)', valueName: 'YYYY-MM-DD' },
    channel: { type: 'string', description: `only these channels: ${channels.join(', ')}`, valueName: 'list' },
    by: { type: 'string', description: `group by (comma-separated): ${[...grains, ...dimensions].join(', ')}`, valueName: 'list' },
    kpi: { type: 'string', description: 'KPI ids (comma-separated); default all; see --list', valueName: 'list' },
    'business-hours': { type: 'boolean', description: 'durations in business time of each team or queue calendar' },
    tz: { type: 'string', description: 'reporting time zone for days, weeks and months (default UTC)', valueName: 'zone' },
    stat: { type: 'string', description: 'main value of a duration: median (default), mean or p90', valueName: 'name' },
    'as-of': { type: 'string', description: 'take the backlog at this time (local to --tz unless it has an offset)', valueName: 'time' },
    config: { type: 'string', description: 'YAML or JSON: calendars, SLA policies, costs, thresholds; overrides the warehouse\'s settings for this run', valueName: 'path' },
    list: { type: 'boolean', description: 'print the KPI registry: id, unit, direction, channels and formula' },
  },
  async run(ctx, values) {
    if (values.list) return list(ctx);
    let request;
    try {
      request = metricsRequest({
        from: values.from as string | undefined, to: values.to as string | undefined, channel: values.channel as string | undefined,
        by: values.by as string | undefined, kpi: values.kpi as string | undefined, businessHours: values['business-hours'] === true,
        tz: values.tz as string | undefined, stat: values.stat as string | undefined, asOf: values['as-of'] as string | undefined,
      });
    } catch (error) {
      if (error instanceof MetricsFilterError) throw new UsageError(error.message);
      throw error;
    }
    let config;
    try {
      config = typeof values.config === 'string' ? loadMetricsConfig(resolveUserPath(ctx.io, values.config)) : undefined;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }

    // Opened for writing: the sentiment cache may need filling, and a file from an older build migrating.
    const wh = await Warehouse.open(ctx.db);
    try {
      // Metrics read customer_id: a warehouse never resolved (an old file, --no-resolve) is resolved first.
      const resolved = await ensureResolved(wh, { facts: refreshFacts, intents: labelIntentsStage });
      if (resolved && !ctx.json) ctx.io.stderr.write(`helpdesk: the warehouse was not resolved; ran identity resolution and case threading first (pipeline run ${resolved.runId})\n`);
      let card: ScorecardResult;
      try {
        card = await runMetrics(wh, request, config);
      } catch (error) {
        if (error instanceof MetricsFilterError) throw new UsageError(error.message);
        throw error;
      }
      if (ctx.json) ctx.emit(card);
      else printCard(ctx, card);
      return 0;
    } finally {
      wh.close();
    }
  },
};

function sqlOf(def: KpiDefinition): string {
  if (def.compute.kind === 'stage') return `(${def.compute.stage} stage, see packages/metrics/src/${def.compute.stage}.ts)`;
  if (def.compute.kind === 'derived') return `(derived in TypeScript from ${def.compute.from.join(', ')})`;
  return aggregateSql(def).join(',\n');
}

function list(ctx: CommandContext): number {
  if (ctx.json) {
    ctx.emit({ registryVersion, kpis: kpis.map((k) => ({ ...k, compute: undefined, sql: sqlOf(k), precision: kpiDefinitionText(k).precision })) });
    return 0;
  }
  ctx.say(`KPI registry version ${registryVersion} (${kpis.length} KPIs)\n`);
  for (const k of kpis) {
    ctx.say(`${k.id}  ${k.name}  [${k.unit}, ${k.direction.replace(/_/g, ' ')}]  channels: ${k.channels.join(', ')}`);
    ctx.say(`    ${k.formula}`);
    ctx.say(`    direction: ${k.scope}. Counts: ${k.counts} Edges: ${k.edges}`);
    ctx.say(`    source: ${kpiDefinitionText(k).precision}`);
  }
  return 0;
}

function format(value: string | number | null, unit: string | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  switch (unit) {
    case 'seconds':
      return duration(value);
    case 'ratio':
      return `${(value * 100).toFixed(1)} %`;
    case 'currency':
      return value.toFixed(2);
    case 'count':
      return Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(2);
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (Math.abs(s) < 120) return `${s} s`;
  if (Math.abs(s) < 7200) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (Math.abs(s) < 172800) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${(s / 86400).toFixed(1)} d`;
}

function printCard(ctx: CommandContext, card: ScorecardResult): void {
  const f = card.filters;
  ctx.say(`KPI registry ${card.registryVersion}; ${f.from} to ${f.to} (${f.tz})${f.channels ? `; channels ${f.channels.join(', ')}` : ''}${f.businessHours ? '; business hours' : ''}; durations: ${f.stat}`);
  ctx.say(`source: ${card.source} (${card.sourceReason})${card.sketched.length ? `; median and p90 of ${card.sketched.join(', ')} from the sketch, within 1 %` : ''}`);
  const units = new Map<string, string>(kpis.map((k) => [k.id, k.unit]));
  units.set('concurrency_peak', 'count');
  const label = (row: Record<string, unknown>) => f.by.map((b) => `${b} ${row[b] ?? '-'}`).join(', ') || 'all';
  for (const row of card.rows) {
    ctx.say(`\n${label(row)}`);
    for (const id of f.kpis) {
      const value = row[id];
      if (value === null || value === undefined) continue;
      const extra = units.get(id) === 'seconds' ? `  (median ${format(row[`${id}_median`] ?? null, 'seconds')}, mean ${format(row[`${id}_mean`] ?? null, 'seconds')}, p90 ${format(row[`${id}_p90`] ?? null, 'seconds')})` : '';
      const ages = id === 'backlog' ? `  (0-1 d ${row.backlog_0_1d}, 1-3 d ${row.backlog_1_3d}, 3-7 d ${row.backlog_3_7d}, 7-14 d ${row.backlog_7_14d}, >14 d ${row.backlog_over_14d})` : '';
      const peak = id === 'concurrency' ? `  (peak ${row.concurrency_peak})` : '';
      ctx.say(`  ${id.padEnd(28)} ${format(value, units.get(id)).padStart(12)}${extra}${ages}${peak}`);
    }
  }
  if (card.rows.length === 0) ctx.say('\nno interactions in this range');
}
