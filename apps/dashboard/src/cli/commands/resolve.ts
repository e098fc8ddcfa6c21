import { loadMatcherConfig, Warehouse, type CaseSummary, type ResolveSummary } from '@helpdesk/core';
import { runPipeline } from '@helpdesk/ingest';
import { labelIntentsStage, refreshFacts } from '@helpdesk/metrics';
import type { Command } from '../command.ts';
import { CliError, displayPath, resolveUserPath } from '../context.ts';

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'resolve identities into customers (incremental unless --full) and thread cases across channels',
  usage: 'helpdesk resolve [--full] [--config FILE] [--db path] [--json]',
  options: {
    full: { type: 'boolean', description: 'relink every contact and refit the model (default: match only new identities)' },
    config: { type: 'string', description: 'matcher config JSON (default packages/core/src/identity/configs/warehouse.json)', valueName: 'FILE' },
  },
  async run(ctx, values) {
    let config;
    if (typeof values.config === 'string') {
      try {
        config = loadMatcherConfig(resolveUserPath(ctx.io, values.config));
      } catch (error) {
        throw new CliError((error as Error).message);
      }
    }
    const wh = await Warehouse.open(ctx.db);
    try {
      // The pipeline's stages after ingest (packages/ingest/src/pipeline.ts), run even when nothing changed.
      const pipeline = await runPipeline({ warehouse: wh, trigger: 'resolve', facts: refreshFacts, intents: labelIntentsStage, force: true, fullResolve: values.full === true, config });
      if (pipeline.status === 'failed') throw new CliError(pipeline.error ?? 'the pipeline failed');
      const identity = pipeline.stages.find((s) => s.stage === 'resolve')!.counts as unknown as Omit<ResolveSummary, 'stages'>;
      const cases = pipeline.stages.find((s) => s.stage === 'thread')!.counts as unknown as CaseSummary;
      const seconds = Object.fromEntries(pipeline.stages.map((s) => [s.stage, s.seconds]));
      if (ctx.json) ctx.emit({ db: ctx.db, ...identity, cases, pipeline: { runId: pipeline.runId, stages: pipeline.stages } });
      else {
        ctx.say(`${displayPath(ctx, ctx.db)}: ${identity.mode} identity resolution in ${identity.seconds.toFixed(1)} s`);
        ctx.say(`  contacts              ${identity.contacts.toLocaleString('en')} (${identity.newContacts.toLocaleString('en')} new)`);
        ctx.say(`  customers             ${identity.customers.toLocaleString('en')}`);
        ctx.say(`  clusters formed       ${identity.clustersFormed.toLocaleString('en')}`);
        ctx.say(`  merges                ${identity.merges.toLocaleString('en')}`);
        ctx.say(`  splits                ${identity.splits.toLocaleString('en')}`);
        ctx.say(`  pairs scored          ${identity.pairsScored.toLocaleString('en')}`);
        ctx.say(`  links                 ${identity.deterministicLinks.toLocaleString('en')} deterministic, ${identity.probabilisticLinks.toLocaleString('en')} probabilistic`);
        ctx.say(`  hub identifiers       ${identity.hubs.toLocaleString('en')} (link nobody on their own)`);
        if (identity.quarantined) ctx.say(`  quarantined           ${identity.quarantined.toLocaleString('en')} identifiers that could not be normalized (see the quarantine table)`);
        ctx.say(`  cases                 ${cases.cases.toLocaleString('en')} (${cases.crossChannelCases.toLocaleString('en')} across channels; ${cases.explicitLinks.toLocaleString('en')} explicit and ${cases.inferredLinks.toLocaleString('en')} inferred links) in ${seconds.thread.toFixed(1)} s`);
        ctx.say(`  facts refresh         ${seconds.facts.toFixed(1)} s`);
      }
      return 0;
    } finally {
      wh.close();
    }
  },
};
