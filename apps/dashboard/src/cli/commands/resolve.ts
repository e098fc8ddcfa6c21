import { loadMatcherConfig, resolveIdentities, threadCases, Warehouse } from '@helpdesk/core';
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
      const identity = await resolveIdentities(wh, { full: values.full === true, config });
      const cases = await threadCases(wh);
      if (ctx.json) ctx.emit({ db: ctx.db, ...identity, cases });
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
        ctx.say(`  cases                 ${cases.cases.toLocaleString('en')} (${cases.crossChannelCases.toLocaleString('en')} across channels; ${cases.explicitLinks.toLocaleString('en')} explicit and ${cases.inferredLinks.toLocaleString('en')} inferred links)`);
      }
      return 0;
    } finally {
      wh.close();
    }
  },
};
