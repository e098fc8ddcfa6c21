import { randomInt } from 'node:crypto';
import { Warehouse } from '@helpdesk/core';
import {
  planSample,
  QaError,
  CalibrationStore,
  qaStores,
  ReportStore,
  scoreGroupings,
  targetNames,
  type ScoreGrouping,
  type Strategy,
  type TargetName,
} from '@helpdesk/qa-sampler';
import { intOption, type Command } from '../command.ts';
import { CliError, UsageError, type CommandContext } from '../context.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * `helpdesk qa sample|scores|calibration`: scheduled sampling and QA read-outs on the warehouse
 * file. The engine is @helpdesk/qa-sampler; this module only parses flags and prints.
 */
export const qaCommand: Command = {
  name: 'qa',
  summary: 'QA: draw a fair sample, show IQS with confidence intervals, calibration agreement',
  usage: [
    'helpdesk qa sample --strategy random|stratified|targeted [--per-agent N | --per-agent-week N | --per-channel N | --per-team N | --size N | --margin P]',
    '                   [--targets low-csat,reopened,...] [--from YYYY-MM-DD --to YYYY-MM-DD] [--seed N] [--min-seconds S]',
    '                   [--on-leave AGENT:FROM:TO ...] [--include-reviewed] [--assign R1,R2 [--blind]] [--dry-run] [--json]',
    '       helpdesk qa scores [--by agent|team|channel] [--json]',
    '       helpdesk qa calibration SESSION [--json]',
  ].join('\n'),
  allowPositionals: true,
  options: {
    strategy: { type: 'string', description: 'sample: random, stratified or targeted', valueName: 'name' },
    'per-agent': { type: 'string', description: 'stratified: conversations per agent', valueName: 'N' },
    'per-agent-week': { type: 'string', description: 'stratified: conversations per agent per ISO week (UTC)', valueName: 'N' },
    'per-channel': { type: 'string', description: 'stratified: conversations per channel', valueName: 'N' },
    'per-team': { type: 'string', description: 'stratified: conversations per team', valueName: 'N' },
    margin: { type: 'string', description: 'stratified per agent: size each agent\'s sample for a ±P point 95 % interval on IQS', valueName: 'P' },
    size: { type: 'string', description: 'random/targeted: sample size (default 50)', valueName: 'N' },
    targets: { type: 'string', description: `targeted: comma-separated, of ${targetNames.join(', ')} (default all)`, valueName: 'list' },
    from: { type: 'string', description: 'first day (UTC) of conversations to sample; default: the last 7 days of data', valueName: 'YYYY-MM-DD' },
    to: { type: 'string', description: 'last day (UTC), inclusive', valueName: 'YYYY-MM-DD' },
    seed: { type: 'string', description: 'random seed; the same seed on the same data gives the same sample (default: a fresh one, printed)', valueName: 'N' },
    'min-seconds': { type: 'string', description: 'exclude conversations with a shorter handle time', valueName: 'S' },
    'on-leave': { type: 'string', multiple: true, description: 'exclude an agent\'s conversations in a leave, AGENT:FROM:TO (days, inclusive)', valueName: 'spec' },
    'include-reviewed': { type: 'boolean', description: 'keep conversations that already have a review or assignment' },
    assign: { type: 'string', description: 'assign the stored sample to these reviewers (comma-separated), balanced, no self-review', valueName: 'list' },
    blind: { type: 'boolean', description: 'with --assign: blind reviews (agent identity and other reviews hidden)' },
    'dry-run': { type: 'boolean', description: 'preview the sample without storing it' },
    by: { type: 'string', description: 'scores: group by agent, team or channel (default agent)', valueName: 'key' },
  },
  async run(ctx, values, positionals) {
    const [sub, ...rest] = positionals;
    try {
      switch (sub) {
        case 'sample':
          if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
          return await sample(ctx, values);
        case 'scores':
          if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
          return await scores(ctx, values);
        case 'calibration':
          if (rest.length !== 1) throw new UsageError('give exactly one calibration session id: helpdesk qa calibration SESSION');
          return await calibration(ctx, rest[0]);
        default:
          throw new UsageError(sub ? `unknown qa command "${sub}"; use sample, scores or calibration` : 'say what to do: helpdesk qa sample|scores|calibration');
      }
    } catch (error) {
      // Engine input errors are the user's to fix: one line, no stack.
      if (error instanceof QaError) throw new CliError(error.message);
      throw error;
    }
  },
};

const day = /^\d{4}-\d{2}-\d{2}$/;

function strategyFrom(values: Values): Strategy {
  const name = values.strategy;
  const quotas = (['per-agent', 'per-agent-week', 'per-channel', 'per-team'] as const).filter((k) => values[k] !== undefined);
  if (name === 'stratified') {
    if (values.margin !== undefined) {
      if (quotas.length) throw new UsageError('give either --margin or a --per-... quota, not both');
      return { kind: 'stratified', by: 'agent', quota: 0 };
    }
    if (quotas.length !== 1) throw new UsageError('stratified sampling needs one of --per-agent, --per-agent-week, --per-channel, --per-team');
    const by = ({ 'per-agent': 'agent', 'per-agent-week': 'agent-week', 'per-channel': 'channel', 'per-team': 'team' } as const)[quotas[0]];
    return { kind: 'stratified', by, quota: intOption(values, quotas[0], 0, 1) };
  }
  if (quotas.length || values.margin !== undefined) throw new UsageError('--per-... and --margin go with --strategy stratified');
  if (name === 'random') return { kind: 'random', size: intOption(values, 'size', 50, 1) };
  if (name === 'targeted') {
    const targets = typeof values.targets === 'string' ? values.targets.split(',').map((t) => t.trim()).filter(Boolean) : [...targetNames];
    const unknown = targets.filter((t) => !(targetNames as readonly string[]).includes(t));
    if (unknown.length) throw new UsageError(`unknown target "${unknown[0]}"; targets are ${targetNames.join(', ')}`);
    return { kind: 'targeted', targets: targets as TargetName[], size: intOption(values, 'size', 50, 1) };
  }
  throw new UsageError(name === undefined ? '--strategy is required (random, stratified or targeted)' : `unknown strategy "${name}"; use random, stratified or targeted`);
}

function leavesFrom(values: Values) {
  const specs = (values['on-leave'] as string[] | undefined) ?? [];
  return specs.map((spec) => {
    const [agentId, from, to] = spec.split(/:(?=\d{4}-)/);
    if (!agentId || !day.test(from ?? '') || !day.test(to ?? '')) throw new UsageError(`--on-leave wants AGENT:YYYY-MM-DD:YYYY-MM-DD, got "${spec}"`);
    // A leave's last day is inclusive: the exclusion runs to the next midnight UTC.
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
    return { agentId, from: `${from}T00:00:00.000Z`, to: end };
  });
}

async function sample(ctx: CommandContext, values: Values): Promise<number> {
  const strategy = strategyFrom(values);
  for (const key of ['from', 'to'] as const) {
    if (values[key] !== undefined && !day.test(String(values[key]))) throw new UsageError(`--${key} must be a day as YYYY-MM-DD, got "${values[key]}"`);
  }
  if ((values.from === undefined) !== (values.to === undefined)) throw new UsageError('give both --from and --to, or neither (the last 7 days of data)');
  const dryRun = values['dry-run'] === true;
  if (dryRun && values.assign !== undefined) throw new UsageError('--assign stores assignments; it cannot go with --dry-run');
  if (values.blind && values.assign === undefined) throw new UsageError('--blind goes with --assign');
  const seed = values.seed === undefined ? randomInt(2 ** 31) : intOption(values, 'seed', 0);
  const margin = values.margin === undefined ? undefined : Number(values.margin);
  if (margin !== undefined && !(margin > 0)) throw new UsageError(`--margin must be a positive number of points, got "${values.margin}"`);

  const wh = await Warehouse.open(ctx.db, { readOnly: dryRun });
  try {
    const { range, bounds, result } = await planSample(wh, {
      strategy,
      seed,
      range: values.from ? { from: String(values.from), to: String(values.to) } : undefined,
      margin,
      minHandleSeconds: values['min-seconds'] === undefined ? undefined : intOption(values, 'min-seconds', 0),
      agentsOnLeave: leavesFrom(values),
      includeReviewed: values['include-reviewed'] === true,
    });
    let sampleId: string | null = null;
    let assigned = 0;
    if (!dryRun) {
      const qa = qaStores(wh);
      const reviewers = typeof values.assign === 'string' ? values.assign.split(',').map((r) => r.trim()).filter(Boolean) : [];
      if (values.assign !== undefined && reviewers.length === 0) throw new UsageError('--assign needs reviewer ids, e.g. --assign r1,r2');
      // Check before storing anything, so a sample is never left half assigned.
      if (reviewers.length) await qa.scorecards.forInteractions(result.items.map((i) => i.interactionId));
      sampleId = await qa.samples.save({ strategy: strategy.kind, seed, params: { ...strategy, margin, range }, range: bounds, result });
      if (reviewers.length && result.items.length) {
        assigned = (await qa.assignments.assignSample(sampleId, { reviewers, seed, blind: values.blind === true })).length;
      }
    }
    if (ctx.json) {
      ctx.emit({ strategy: strategy.kind, seed, items: result.items.map(({ interactionId, agentId, channel, reason }) => ({ interactionId, agentId, channel, reason })) });
      return 0;
    }
    ctx.say(`${dryRun ? 'Preview of a' : 'Drew a'} ${strategy.kind} sample (seed ${seed}) from ${range ? `${range.from} to ${range.to}` : 'an empty warehouse'}:`);
    ctx.say(`  ${result.items.length} conversations from ${result.eligible} eligible; ${result.excluded.length} excluded`);
    for (const [reason, n] of countBy(result.excluded.map((e) => e.reason.replace(/ \(.*\)$/, '')))) ctx.say(`    ${n} ${reason}`);
    for (const s of result.shortfalls) ctx.say(`  note: ${s.stratum} had only ${s.picked} of the quota ${s.quota}`);
    for (const item of result.items) ctx.say(`  ${item.interactionId.padEnd(24)} ${(item.agentId ?? '-').padEnd(22)} ${item.channel.padEnd(8)} ${item.reason}`);
    if (sampleId) ctx.say(`Stored as ${sampleId}${assigned ? `, ${assigned} assignments made` : ''}.`);
    return 0;
  } finally {
    wh.close();
  }
}

function countBy(keys: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts];
}

async function scores(ctx: CommandContext, values: Values): Promise<number> {
  const by = (values.by ?? 'agent') as ScoreGrouping;
  if (!scoreGroupings.includes(by)) throw new UsageError(`--by must be agent, team or channel, got "${values.by}"`);
  const wh = await Warehouse.open(ctx.db, { readOnly: true });
  try {
    const report = await new ReportStore(wh).scores({ by });
    if (ctx.json) {
      ctx.emit(report);
      return 0;
    }
    if (report.rows.length === 0) {
      ctx.say('No reviews yet.');
      return 0;
    }
    const f = (n: number | null, digits = 1) => (n === null ? '-' : n.toFixed(digits));
    ctx.say(`${by.padEnd(24)} reviews    IQS   95% CI          pass   CSAT  repeat   FCR`);
    for (const r of report.rows) {
      const ci = r.low === null ? '-' : `${f(r.low)}-${f(r.high)}`;
      ctx.say(
        `${r.key.padEnd(24)} ${String(r.reviews).padStart(7)} ${f(r.iqs).padStart(6)}   ${ci.padEnd(13)} ${f(r.passRate, 0).padStart(5)}% ${f(r.outcomes.csat, 0).padStart(5)}% ${f(r.outcomes.repeatContactRate, 0).padStart(6)}% ${f(r.outcomes.fcrRate, 0).padStart(4)}%${r.warning ? `  ! ${r.warning}` : ''}`,
      );
    }
    ctx.say(`Correlation of review score with CSAT: ${f(report.correlation.scoreVsCsat, 2)}, with first-contact resolution: ${f(report.correlation.scoreVsFcr, 2)}`);
    if (report.warning) ctx.say(`Warning: ${report.warning}; their order is not meaningful.`);
    return 0;
  } finally {
    wh.close();
  }
}

async function calibration(ctx: CommandContext, sessionId: string): Promise<number> {
  const wh = await Warehouse.open(ctx.db, { readOnly: true });
  try {
    const report = await new CalibrationStore(wh).report(sessionId);
    if (ctx.json) {
      ctx.emit(report);
      return 0;
    }
    const f = (n: number | null, digits = 3) => (n === null ? '-' : n.toFixed(digits));
    ctx.say(`Calibration "${report.session.name}" (${report.session.id}): ${report.submitted} of ${report.expected} reviews in, scorecard ${report.session.scorecardId} v${report.session.scorecardVersion}`);
    ctx.say(`category                 alpha (ordinal)  kappa (2 raters)  conversations`);
    for (const c of report.categories) ctx.say(`${c.name.padEnd(24)} ${f(c.alpha).padStart(15)}  ${f(c.kappa).padStart(16)}  ${String(c.pairableConversations).padStart(13)}`);
    ctx.say(`review score alpha (interval): ${f(report.scoreAlpha)}`);
    ctx.say('reviewer                 deviation from consensus (mean / mean absolute, points)');
    for (const d of report.deviations) ctx.say(`${d.reviewerId.padEnd(24)} ${f(d.meanDeviation, 1).padStart(6)} / ${f(d.meanAbsoluteDeviation, 1)}`);
    return 0;
  } finally {
    wh.close();
  }
}
