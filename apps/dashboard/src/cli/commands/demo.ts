import { existsSync } from 'node:fs';
import { buildDemoByRoute, defaultDemoHelpdesk, DemoNotResumableError, demoHelpdesks, isDemoHelpdesk, type DemoHelpdesk } from '@helpdesk/demo-data';
import { Warehouse, WarehouseError } from '@helpdesk/core';
import { intOption, type Command } from '../command.ts';
import { CliError, displayPath, type CommandContext } from '../context.ts';
import { progressBar } from '../progress.ts';
import { demoParity } from '../demo-parity.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'build the seeded demo warehouse (a realistic omnichannel support operation)',
  usage: `helpdesk demo [--seed N] [--interactions N] [--days N] [--via adapters|direct] [--helpdesk ${Object.keys(demoHelpdesks).join('|')}] [--force] [--db path] [--json]\n       helpdesk demo --check-parity [--seed N] [--interactions N] [--days N] [--json]`,
  options: {
    seed: { type: 'string', description: 'random seed; the same seed gives the same warehouse (default 42)', valueName: 'N' },
    interactions: { type: 'string', description: 'number of interactions (default 50000)', valueName: 'N' },
    days: { type: 'string', description: 'days of history (default 90)', valueName: 'N' },
    via: { type: 'string', description: 'adapters: load the world through the vendor adapters, as a real sync would (default); direct: write canonical rows (faster)', valueName: 'MODE' },
    helpdesk: { type: 'string', description: `where email and social tickets come from, through its adapter: ${demoHelpdeskChoices()}`, valueName: 'NAME' },
    force: { type: 'boolean', description: 'replace the file if it exists' },
    'check-parity': { type: 'boolean', description: 'build the seed both ways in a temporary folder and compare every KPI per channel (equal within 0.5 %, or a listed reason); exit 1 on an unexplained difference' },
  },
  async run(ctx, values) {
    const seed = intOption(values, 'seed', 42);
    const interactions = intOption(values, 'interactions', 50_000, 1);
    const days = intOption(values, 'days', 90, 1);
    const via = values.via ?? 'adapters';
    if (via !== 'adapters' && via !== 'direct') throw new CliError(`--via must be adapters or direct, got ${JSON.stringify(via)}`);
    if (values['check-parity']) return checkParity(ctx, { seed, interactions, days });
    const helpdesk = demoHelpdeskOption(values.helpdesk, '--helpdesk');
    if (!demoHelpdesks[helpdesk].direct && via === 'direct') {
      throw new CliError(`--helpdesk ${helpdesk} loads tickets through the ${demoHelpdesks[helpdesk].label} adapter: it needs --via adapters`);
    }
    const exists = existsSync(ctx.db) && !values.force;
    const refuse = () => new CliError(`${displayPath(ctx, ctx.db)} already exists; pass --force to replace it`);
    // A direct build records its progress in the file: the same command run again after an
    // interruption continues it (a finished or foreign file is still refused).
    if (exists && via !== 'direct') throw refuse();
    let summary;
    try {
      summary = await buildDemo(ctx, { seed, interactions, days, via, helpdesk, resume: exists });
    } catch (error) {
      if (error instanceof DemoNotResumableError) throw refuse();
      throw error;
    }
    if (ctx.json) ctx.emit({ db: ctx.db, ...summary });
    else {
      ctx.say(`Built ${displayPath(ctx, ctx.db)} in ${summary.seconds.toFixed(1)} s (seed ${summary.seed}):`);
      for (const [table, rows] of Object.entries(summary.tables)) ctx.say(`  ${table.padEnd(22)} ${rows.toLocaleString('en')}`);
    }
    return 0;
  },
};

async function checkParity(ctx: CommandContext, options: { seed: number; interactions: number; days: number }): Promise<number> {
  const report = await demoParity({ ...options, onStage: (stage) => { if (!ctx.json) ctx.say(`building ${stage}...`); } });
  if (ctx.json) ctx.emit(report);
  else {
    for (const r of report.rows.filter((x) => x.verdict !== 'equal')) {
      ctx.say(`${r.verdict.padEnd(11)} ${`${r.kpi}/${r.channel}`.padEnd(36)} direct ${r.direct ?? '-'}  adapters ${r.adapters ?? '-'}${r.reason ? `\n            ${r.reason}` : ''}`);
    }
    ctx.say(`${report.kpisCompared} KPIs per channel compared: ${report.equal} equal, ${report.explained} explained, ${report.unexplained} unexplained`);
  }
  return report.unexplained === 0 ? 0 : 1;
}

/** Builds the demo into ctx.db, refusing to touch a file another process holds open. */
/** A `--helpdesk` value: one of the demo's helpdesks (the demo generator's list), the default when absent. */
export function demoHelpdeskOption(value: unknown, flag: string): DemoHelpdesk {
  if (value === undefined) return defaultDemoHelpdesk;
  if (!isDemoHelpdesk(value)) throw new CliError(`${flag} must be ${Object.keys(demoHelpdesks).join(' or ')}, got ${JSON.stringify(value)}`);
  return value;
}

/** The demo generator's helpdesks for help text: `zendesk (default; tickets) or ...`. */
function demoHelpdeskChoices(): string {
  return Object.entries(demoHelpdesks)
    .map(([name, h]) => `${name} (${name === defaultDemoHelpdesk ? 'default; ' : ''}${h.tickets})`)
    .join(' or ');
}

/** How messages name a demo helpdesk. */
export const demoHelpdeskLabel = (helpdesk: DemoHelpdesk) => demoHelpdesks[helpdesk].label;

export async function buildDemo(ctx: CommandContext, options: { seed: number; interactions: number; days: number; via?: 'adapters' | 'direct'; helpdesk?: DemoHelpdesk; resume?: boolean }) {
  if (existsSync(ctx.db)) await assertNotInUse(ctx.db);
  const progress = progressBar(ctx.io, 'demo', !ctx.json);
  try {
    // Through the adapters on a worker thread with a capped heap (data/src/demo-worker.ts): within 2 GB at a million interactions.
    return await buildDemoByRoute(ctx.db, {
      ...options,
      onProgress: (done, total) => progress.update(done, total),
      onStage: (stage) => progress.stage(stage),
    });
  } finally {
    progress.stop();
  }
}

async function assertNotInUse(path: string): Promise<void> {
  try {
    (await Warehouse.open(path)).close();
  } catch (error) {
    // A damaged or foreign file may be replaced (the user asked for --force); a locked one may not.
    if (error instanceof WarehouseError && error.code === 'locked') throw error;
  }
}
