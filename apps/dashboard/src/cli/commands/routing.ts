import {
  checkRuleset,
  erlangC,
  formatIssue,
  loadRuleset,
  replayRouting,
  RulesetError,
  simulateWhatIf,
  Warehouse,
  type Period,
  type QueueStats,
  type Ruleset,
} from '@helpdesk/core';
import { readSettings } from '@helpdesk/metrics';
import type { Command } from '../command.ts';
import { UsageError, resolveUserPath, type CommandContext } from '../context.ts';

const subcommands = ['erlang', 'check', 'replay', 'simulate'] as const;
type Sub = (typeof subcommands)[number];
type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * `helpdesk routing <erlang|check|replay|simulate>`: Erlang C staffing figures, static checks of a
 * ruleset, replay of history through it, and the what-if queue simulation. The logic lives in
 * @helpdesk/core (src/routing); this module parses flags and prints.
 */
export const routingCommand: Command = {
  name: 'routing',
  summary: 'routing rules: Erlang C, static checks, replay against history, what-if simulation',
  usage: [
    'helpdesk routing erlang --calls N --interval-seconds S --aht S --agents N --target-seconds S [--json]',
    '       helpdesk routing check --rules FILE [--json]            (exit 1 when it finds a conflict, shadowed rule or gap)',
    '       helpdesk routing replay --rules FILE [--from DATE] [--to DATE] [--db path] [--json]',
    '       helpdesk routing simulate --rules FILE [--compare FILE] [--scale 1.2] [--seed N] [--from DATE] [--to DATE] [--db path] [--json]',
  ].join('\n'),
  allowPositionals: true,
  options: {
    calls: { type: 'string', description: 'erlang: contacts arriving in the interval', valueName: 'N' },
    'interval-seconds': { type: 'string', description: 'erlang: interval length in seconds (1800 = 30 min)', valueName: 'S' },
    aht: { type: 'string', description: 'erlang: average handle time in seconds', valueName: 'S' },
    agents: { type: 'string', description: 'erlang: agents staffed', valueName: 'N' },
    'target-seconds': { type: 'string', description: 'erlang: service-level target in seconds', valueName: 'S' },
    rules: { type: 'string', description: 'ruleset file (YAML or JSON); for simulate, the proposed one', valueName: 'FILE' },
    compare: { type: 'string', description: 'simulate: the current ruleset to compare with (default: the actual routing)', valueName: 'FILE' },
    from: { type: 'string', description: 'replay/simulate: first day (or instant), UTC, inclusive', valueName: 'DATE' },
    to: { type: 'string', description: 'replay/simulate: end day (or instant), UTC, exclusive', valueName: 'DATE' },
    scale: { type: 'string', description: 'simulate: multiply the arrivals (default 1)', valueName: 'X' },
    seed: { type: 'string', description: 'simulate: random seed (default 1); the same seed gives the same result', valueName: 'N' },
  },
  async run(ctx, values, positionals) {
    const [sub, ...extra] = positionals;
    if (!sub || !subcommands.includes(sub as Sub)) {
      throw new UsageError(`give one of ${subcommands.join(', ')}${sub ? ` (got "${sub}")` : ''}`);
    }
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    try {
      switch (sub as Sub) {
        case 'erlang':
          return erlang(ctx, values);
        case 'check':
          return check(ctx, values);
        case 'replay':
          return await replay(ctx, values);
        case 'simulate':
          return await simulate(ctx, values);
      }
    } catch (error) {
      if (error instanceof RulesetError) return reportRulesetError(ctx, error);
      if (error instanceof RangeError) throw new UsageError(error.message);
      throw error;
    }
  },
};

function numberOption(values: Values, name: string, options: { required?: boolean; integer?: boolean; fallback?: number } = {}): number {
  const raw = values[name];
  if (raw === undefined) {
    if (options.required || options.fallback === undefined) throw new UsageError(`--${name} is required`);
    return options.fallback;
  }
  const n = Number(String(raw).replace(/_/g, ''));
  if (String(raw).trim() === '' || !Number.isFinite(n) || n < 0 || (options.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be a ${options.integer ? 'whole ' : ''}number >= 0, got "${raw}"`);
  }
  return n;
}

function periodOption(values: Values): Period {
  const period: Period = {};
  for (const key of ['from', 'to'] as const) {
    const raw = values[key];
    if (raw === undefined) continue;
    // A date or an ISO instant; a bare date is read as UTC midnight (storage is UTC).
    if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) || Number.isNaN(Date.parse(raw))) {
      throw new UsageError(`--${key} must be a date like 2026-03-01 or an ISO instant, got "${raw}"`);
    }
    period[key] = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw;
  }
  if (period.from && period.to && Date.parse(period.from) >= Date.parse(period.to)) throw new UsageError('--from must be before --to');
  return period;
}

function rulesOption(ctx: CommandContext, values: Values, name = 'rules'): Ruleset {
  const raw = values[name];
  if (typeof raw !== 'string') throw new UsageError(`--${name} FILE is required`);
  return loadRuleset(resolveUserPath(ctx.io, raw));
}

function reportRulesetError(ctx: CommandContext, error: RulesetError): number {
  if (ctx.json) ctx.emit({ ok: false, ruleset: error.source, issues: error.issues });
  for (const issue of error.issues) ctx.io.stderr.write(`helpdesk routing: ${formatIssue(error.source, issue)}\n`);
  return 1;
}

function erlang(ctx: CommandContext, values: Values): number {
  const r = erlangC({
    calls: numberOption(values, 'calls', { required: true }),
    intervalSeconds: numberOption(values, 'interval-seconds', { required: true }),
    ahtSeconds: numberOption(values, 'aht', { required: true }),
    agents: numberOption(values, 'agents', { required: true, integer: true }),
    targetSeconds: numberOption(values, 'target-seconds', { required: true }),
  });
  // JSON has no Infinity: an overloaded queue's ASA is null.
  const out = { pWait: r.pWait, serviceLevel: r.serviceLevel, asa: Number.isFinite(r.asa) ? r.asa : null, occupancy: r.occupancy };
  if (ctx.json) ctx.emit(out);
  else {
    ctx.say(`traffic        ${r.trafficErlangs.toFixed(3)} Erlangs`);
    ctx.say(`P(wait)        ${pct(r.pWait)}`);
    ctx.say(`service level  ${pct(r.serviceLevel)} answered within ${values['target-seconds']} s`);
    ctx.say(`ASA            ${out.asa === null ? 'unbounded (more traffic than agents)' : `${out.asa.toFixed(2)} s`}`);
    ctx.say(`occupancy      ${pct(r.occupancy)}`);
  }
  return 0;
}

function check(ctx: CommandContext, values: Values): number {
  const ruleset = rulesOption(ctx, values);
  const result = checkRuleset(ruleset);
  const findings = result.conflicts.length + result.shadowed.length + result.gaps.length;
  if (ctx.json) ctx.emit({ ok: findings === 0, ruleset: ruleset.name, rules: ruleset.rules.length, ...result });
  else {
    ctx.say(`${ruleset.source} (${ruleset.name}): ${ruleset.rules.length} rules, ${result.kindsChecked} kinds of interaction checked`);
    ctx.say(`  conflicts: ${result.conflicts.length}`);
    for (const c of result.conflicts) ctx.say(`    ${c.message}`);
    ctx.say(`  shadowed rules: ${result.shadowed.length}`);
    for (const s of result.shadowed) ctx.say(`    ${s.message}`);
    ctx.say(`  gaps: ${result.gaps.length}`);
    for (const g of result.gaps.slice(0, 30)) ctx.say(`    ${g.message}`);
    if (result.gaps.length > 30) ctx.say(`    ... and ${result.gaps.length - 30} more (see --json)`);
    if (findings === 0) ctx.say('  no problems found');
  }
  return findings === 0 ? 0 : 1;
}

async function replay(ctx: CommandContext, values: Values): Promise<number> {
  const ruleset = rulesOption(ctx, values);
  const period = periodOption(values);
  const wh = await Warehouse.open(ctx.db, { readOnly: true });
  try {
    const s = await replayRouting(wh, ruleset, period);
    if (ctx.json) ctx.emit(s);
    else {
      ctx.say(`replay of ${s.interactions.toLocaleString('en')} interactions through ${ruleset.name} (${s.seconds.toFixed(2)} s)`);
      ctx.say(`  agreement with the actual first routing: ${s.agreementRate === null ? '-' : pct(s.agreementRate)} (${s.agreed.toLocaleString('en')} of ${s.compared.toLocaleString('en')})`);
      ctx.say(`  misroutes (transferred after the first routing): ${s.misroutes.actual.toLocaleString('en')} (${s.misroutes.actualRate === null ? '-' : pct(s.misroutes.actualRate)});` +
        ` the ruleset sends ${s.misroutes.fixedByRuleset.toLocaleString('en')} straight to their final queue, repeats ${s.misroutes.repeatedByRuleset.toLocaleString('en')}`);
      if (s.unrouted) ctx.say(`  routed to no queue (no rule, no default): ${s.unrouted.toLocaleString('en')}`);
      ctx.say(`  ${'queue'.padEnd(24)} ${'actual'.padStart(9)} ${'replayed'.padStart(9)} ${'shift'.padStart(8)}`);
      for (const q of s.queues) ctx.say(`  ${q.queue.padEnd(24)} ${fmtInt(q.actual)} ${fmtInt(q.replayed)} ${signed(q.shift).padStart(8)}`);
    }
    return 0;
  } finally {
    wh.close();
  }
}

async function simulate(ctx: CommandContext, values: Values): Promise<number> {
  const proposed = rulesOption(ctx, values);
  const current = values.compare === undefined ? undefined : rulesOption(ctx, values, 'compare');
  const period = periodOption(values);
  const scale = numberOption(values, 'scale', { fallback: 1 });
  const seed = numberOption(values, 'seed', { fallback: 1, integer: true });
  const wh = await Warehouse.open(ctx.db, { readOnly: true });
  try {
    // The service-level and short-abandon thresholds are the stored settings' (the scorecards' own).
    const { settings } = await readSettings(wh);
    const report = await simulateWhatIf(wh, proposed, {
      current, period, scale, seed, serviceLevelSeconds: settings.serviceLevelSeconds, shortAbandonSeconds: settings.shortAbandonSeconds,
    });
    if (ctx.json) ctx.emit(report);
    else {
      ctx.say(`what-if: ${report.proposed} (proposed) vs ${report.current} (current), ${report.contacts.toLocaleString('en')} contacts, scale ${scale}, seed ${seed} (${report.seconds.toFixed(2)} s)`);
      ctx.say(`  patience from history: ${Object.entries(report.patienceSeconds).map(([c, p]) => `${c} ${p === null ? 'none abandoned' : `${p.toFixed(0)} s`}`).join(', ')}`);
      ctx.say(`  ${'queue'.padEnd(22)} ${'offered'.padStart(15)} ${'ASA s'.padStart(15)} ${'service lvl'.padStart(15)} ${'abandon'.padStart(15)} ${'occupancy'.padStart(15)} ${'SLA met'.padStart(15)}`);
      for (const q of report.queues) {
        const cell = (m: keyof QueueStats, f: (v: number) => string) =>
          `${q.current?.[m] == null ? '-' : f(q.current[m] as number)} > ${q.proposed?.[m] == null ? '-' : f(q.proposed[m] as number)}`.padStart(15);
        const staffing = q.staffed.proposed ? '' : ' (no agents)';
        ctx.say(`  ${(q.queue + staffing).padEnd(22)} ${cell('offered', (v) => String(v))} ${cell('asa', (v) => v.toFixed(0))} ${cell('serviceLevel', pct0)} ${cell('abandonmentRate', pct0)} ${cell('occupancy', pct0)} ${cell('slaAchievement', pct0)}`);
      }
    }
    return 0;
  } finally {
    wh.close();
  }
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const pct0 = (v: number) => `${(v * 100).toFixed(0)}%`;
const fmtInt = (n: number) => n.toLocaleString('en').padStart(9);
const signed = (n: number) => (n > 0 ? `+${n.toLocaleString('en')}` : n.toLocaleString('en'));
