import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateIdentity, loadMatcherConfig, scoreAgainstTruth, Warehouse, type TruthScore } from '@helpdesk/core';
import type { Command } from '../command.ts';
import { CliError, UsageError, resolveUserPath, type CommandContext } from '../context.ts';

/** A dataset path as typed, else relative to the repository root (where `../shared/...` points). */
function datasetPath(ctx: CommandContext, path: string): string {
  const fromCwd = resolveUserPath(ctx.io, path);
  if (existsSync(fromCwd)) return fromCwd;
  const fromRoot = join(ctx.repoRoot, path);
  if (existsSync(fromRoot)) return fromRoot;
  throw new CliError(`${path} not found (looked in ${ctx.io.cwd} and the repository root)`);
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate identity resolution on a labelled record-linkage file',
  usage: 'helpdesk eval identity --demo [--db path] [--json]\n       helpdesk eval identity --dataset <csv> [--dataset <csv>] --id-column C (--truth-column T | --truth-pattern REGEX | --truth-file CSV) [--map column=kind ...] [--config FILE] [--json]',
  allowPositionals: true,
  options: {
    dataset: { type: 'string', multiple: true, description: 'labelled CSV; give two for a link between two files', valueName: 'csv' },
    'id-column': { type: 'string', description: 'record id column (A,B joins several)', valueName: 'C' },
    'truth-column': { type: 'string', description: 'column holding the true entity (dropped before matching)', valueName: 'T' },
    'truth-pattern': { type: 'string', description: "regex taking the entity key from the id column, e.g. 'rec-(\\d+)' for Febrl", valueName: 'REGEX' },
    'truth-file': { type: 'string', description: 'CSV with the id column(s) and the truth column (Senzing truth set)', valueName: 'csv' },
    map: { type: 'string', multiple: true, description: 'map a column to an identifier kind, e.g. --map given_name=first_name', valueName: 'column=kind' },
    config: { type: 'string', description: 'matcher config JSON (default packages/core/src/identity/configs/people-contact.json)', valueName: 'FILE' },
    seed: { type: 'string', description: 'seed of the row shuffle (default 7)', valueName: 'N' },
    demo: { type: 'boolean', description: 'score the resolved customers of a demo warehouse (--db) against the demo world\'s truth, by hard case' },
  },
  async run(ctx, values, positionals) {
    if (positionals[0] !== 'identity' || positionals.length !== 1) throw new UsageError('the only evaluation is `helpdesk eval identity ...`');
    if (values.demo === true) return evalDemo(ctx);
    const datasets = list(values.dataset).map((p) => datasetPath(ctx, p));
    if (datasets.length === 0) throw new UsageError('give --dataset <csv>');
    if (typeof values['id-column'] !== 'string') throw new UsageError('give --id-column');
    const map: Record<string, string> = {};
    for (const entry of list(values.map)) {
      const at = entry.lastIndexOf('=');
      if (at <= 0) throw new UsageError(`--map ${entry}: write column=kind`);
      map[entry.slice(0, at)] = entry.slice(at + 1);
    }
    const configPath = typeof values.config === 'string'
      ? datasetPath(ctx, values.config)
      : join(ctx.repoRoot, 'packages/core/src/identity/configs/people-contact.json');
    let config;
    try {
      config = loadMatcherConfig(configPath);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    if (values['truth-pattern'] !== undefined) {
      try {
        new RegExp(String(values['truth-pattern']));
      } catch {
        throw new UsageError(`--truth-pattern is not a valid regular expression: ${values['truth-pattern']}`);
      }
    }
    let result;
    try {
      result = await evaluateIdentity({
        datasets,
        idColumn: values['id-column'],
        truthColumn: typeof values['truth-column'] === 'string' ? values['truth-column'] : undefined,
        truthPattern: typeof values['truth-pattern'] === 'string' ? values['truth-pattern'] : undefined,
        truthFile: typeof values['truth-file'] === 'string' ? datasetPath(ctx, values['truth-file']) : undefined,
        map,
        config,
        seed: typeof values.seed === 'string' ? Number(values.seed) : undefined,
      });
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const { records, entities, pairwise, bcubed, seconds } = result;
    if (ctx.json) ctx.emit({ records, entities, pairwise, bcubed, seconds });
    else {
      const f = (x: number) => x.toFixed(4);
      ctx.say(`${records.toLocaleString('en')} records, ${entities.toLocaleString('en')} true entities, ${result.clusters.toLocaleString('en')} clusters found in ${seconds.toFixed(2)} s`);
      ctx.say(`  pairwise  precision ${f(pairwise.precision)}  recall ${f(pairwise.recall)}  F1 ${f(pairwise.f1)}`);
      ctx.say(`  B-cubed   precision ${f(bcubed.precision)}  recall ${f(bcubed.recall)}  F1 ${f(bcubed.f1)}`);
      ctx.say(`  pairs scored ${result.stats.pairsScored.toLocaleString('en')}, links ${result.stats.deterministicLinks} deterministic + ${result.stats.probabilisticLinks} probabilistic, prior ${result.model.prior.toExponential(3)}`);
    }
    return 0;
  },
};

/** `--demo`: the warehouse's customers as the pipeline resolved them, against the demo world's truth. */
async function evalDemo(ctx: CommandContext): Promise<number> {
  const wh = await Warehouse.open(ctx.db, { readOnly: true });
  let score: TruthScore;
  try {
    const [{ n }] = await wh.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'demo_truth' AND database_name = current_database()");
    if (n === 0) throw new CliError(`${ctx.db} is not a demo warehouse (no demo_truth table); build one with \`helpdesk demo\``);
    score = await scoreAgainstTruth(wh, 'demo_truth');
  } finally {
    wh.close();
  }
  if (ctx.json) ctx.emit(score);
  else {
    const f = (x: number) => x.toFixed(4);
    const h = score.hardCases;
    ctx.say(`${score.contacts.toLocaleString('en')} contact records of ${score.people.toLocaleString('en')} people -> ${score.customers.toLocaleString('en')} customers (${score.sharedRecords.toLocaleString('en')} records held by several people judged by the hub check only)`);
    ctx.say(`  pairwise  precision ${f(score.pairwise.precision)}  recall ${f(score.pairwise.recall)}  F1 ${f(score.pairwise.f1)}`);
    ctx.say(`  B-cubed   precision ${f(score.bcubed.precision)}  recall ${f(score.bcubed.recall)}  F1 ${f(score.bcubed.f1)}`);
    ctx.say(`  shared mailboxes      ${h.sharedMailboxes.merging} of ${h.sharedMailboxes.identifiers} merge different people`);
    ctx.say(`  shared phones         ${h.sharedPhones.merging} of ${h.sharedPhones.identifiers} merge different people (switchboards)`);
    for (const [label, c] of [['phone formats', h.phoneFormats], ['name typos', h.nameTypos], ['nicknames', h.nicknames], ['same-source doubles', h.sameSourceDuplicates]] as const) {
      ctx.say(`  ${label.padEnd(21)} recall ${f(c.recall)} over ${c.pairs.toLocaleString('en')} pairs`);
    }
  }
  return 0;
}
