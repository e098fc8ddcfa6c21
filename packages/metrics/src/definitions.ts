import { outcomeDefaults } from '@helpdesk/core';
import { defaultSlaPolicies, type SlaPolicy } from './metrics-config.ts';
import { kpis, registryVersion, type KpiDefinition } from './kpi-registry.ts';
import { sketchRelativeAccuracy } from './quantile-sketch.ts';
import { exactListLimit, rollupGap } from './rollup-sql.ts';

/**
 * The written definitions of every KPI, generated from the registry: the metrics README's table,
 * the dashboard's /definitions screen and `helpdesk metrics --list` all show this text, so what a
 * reader is told and what the SQL computes come from the same entry.
 */
export interface KpiDefinitionText {
  id: string;
  name: string;
  formula: string;
  /** inbound, outbound or both. */
  scope: string;
  /** Which interactions and statuses count. */
  counts: string;
  /** Every threshold with its `<` / `<=` edge. */
  edges: string;
  /** What the whole-range (total) row includes. */
  total: string;
  channels: string[];
  unit: string;
  direction: string;
  /** Where the number comes from (the daily rollup or the facts) and how precise it is there. */
  precision: string;
}

const directionWords = { lower_is_better: 'lower is better', higher_is_better: 'higher is better', neutral: 'neither' } as const;

function totalRow(k: KpiDefinition): string {
  if (k.compute.kind === 'derived') return 'Ranked among the rows of the same report; the total row has none.';
  return k.channels.length === 5
    ? 'Every channel: the total row is the union of the per-channel rows.'
    : `Only ${k.channels.join(', ')}: the total row is the union of those channels' rows.`;
}

/**
 * Whether the daily rollup (rollup-sql.ts) holds a KPI, and the error bound where its sketch answers.
 * A scorecard says which source it used (`source`) and which durations came from the sketch.
 */
function precisionOf(k: KpiDefinition): string {
  const c = k.compute;
  if (c.kind === 'stage') return `Computed by its own stage (${c.stage}), never from the daily rollup.`;
  if (c.kind === 'derived') return 'Ranked in TypeScript from the KPIs it is derived from, whichever source gave them.';
  if (c.kind === 'duration') {
    return `From the daily rollup (UTC days, calendar time) the mean is exact; the median and p90 are exact where every day cell of the row kept its values (at most ${exactListLimit}), else they come from a log-bucketed sketch (DDSketch) within ${sketchRelativeAccuracy * 100} % (relative) of the exact value, and the result lists the KPI under \`sketched\`. From the facts: exact.`;
  }
  const gap = rollupGap(k);
  if (gap) return `Always from the facts: ${gap}.`;
  if (c.kind === 'aggregate' && Object.values(c.rollup?.parts ?? {}).some((part) => part.kind === 'due')) {
    return 'Equal from the daily rollup and from the facts when every SLA policy counts calendar time: met and breached targets summed per day, and each target still waiting kept by the midnight from which it counts as breached, so a range counts it when it ends after that. Under a business-hours policy: from the facts.';
  }
  const sums = c.kind === 'aggregate' && Object.values(c.rollup?.parts ?? {}).some((part) => part.kind === 'sum');
  return sums
    ? 'Equal from the daily rollup and from the facts (sums of per-day parts), up to the rounding of a floating-point sum.'
    : 'Equal from the daily rollup and from the facts: counts summed per day.';
}

/**
 * One KPI's written definition.
 *
 * @example
 * kpiDefinitionText(kpi('service_level')).edges // 'Within: queue wait <= ...'
 */
export function kpiDefinitionText(k: KpiDefinition): KpiDefinitionText {
  return {
    id: k.id, name: k.name, formula: k.formula, scope: k.scope, counts: k.counts, edges: k.edges, total: totalRow(k),
    channels: [...k.channels], unit: k.unit, direction: directionWords[k.direction], precision: precisionOf(k),
  };
}

/** Every KPI's written definition, in registry order. */
export function kpiDefinitions(): KpiDefinitionText[] {
  return kpis.map(kpiDefinitionText);
}

const duration = (seconds: number) => (seconds % 86_400 === 0 ? `${seconds / 86_400} d` : seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`);

/** The default thresholds, SLA policies and calendars, one line each. */
export function defaultPolicies(): string[] {
  const d = outcomeDefaults;
  const policy = (p: SlaPolicy) =>
    `SLA policy \`${p.id}\` (priority ${p.priorities?.join(', ') ?? 'any'}): first reply ${p.firstReplySeconds ? `<= ${duration(p.firstReplySeconds)}` : 'none'}, resolution ${p.resolutionSeconds ? `<= ${duration(p.resolutionSeconds)}` : 'none'}, ${p.businessHours ? 'business' : 'calendar'} time.`;
  return [
    `Short abandon: a call abandoned in the queue after a wait < ${d.shortAbandonSeconds} s; an IVR hang-up is never one (it never reached the queue). Both are left out of the abandonment rate and the service level.`,
    `Service level: answered after a queue wait <= ${d.serviceLevelSeconds} s.`,
    `Repeat window: the next inbound contact of the same customer <= ${duration(d.repeatWindowSeconds)} after creation.`,
    `Self-service window: a contact <= ${duration(d.selfServiceWindowSeconds)} after the help-center session.`,
    `Callback SLA: completed <= ${duration(d.callbackSlaSeconds)} after the request.`,
    ...defaultSlaPolicies.map(policy),
    'SLA policies apply to inbound contacts; the first policy matching channel, priority and tier applies.',
    'Business-hours calendars: without configured calendars, each team works Monday to Friday 09:00-17:00 in its own time zone (no holidays); interactions without a team use the same hours in UTC.',
  ];
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * The README section: the table of every KPI and the default policies, as Markdown.
 *
 * @example
 * definitionsMarkdown().startsWith('| KPI |') // true
 */
export function definitionsMarkdown(): string {
  const rows = kpiDefinitions().map((d) =>
    `| \`${d.id}\` ${cell(d.name)} | ${d.channels.join(', ')} | ${d.scope} | ${cell(d.formula)} | ${cell(d.counts)} | ${cell(d.edges)} | ${cell(d.total)} | ${cell(d.precision)} |`,
  );
  return [
    `Registry version \`${registryVersion}\`.`,
    '',
    '| KPI | channels | direction | formula | what counts | edges | total row | source and precision |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Defaults (each can be changed in the metrics config):',
    '',
    ...defaultPolicies().map((line) => `- ${line}`),
  ].join('\n');
}

const start = '<!-- kpi-definitions:start -->';
const end = '<!-- kpi-definitions:end -->';

/** The generated section of a README (between its markers), or an error when the markers are missing. */
export function readmeDefinitions(readme: string): string {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README has no ${start} ... ${end} section`);
  return readme.slice(a + start.length, b).trim();
}

/** The README with its generated section replaced by `section`. */
export function readmeWithDefinitions(readme: string, section: string): string {
  readmeDefinitions(readme);
  return `${readme.slice(0, readme.indexOf(start) + start.length)}\n${section}\n${readme.slice(readme.indexOf(end))}`;
}
