import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset, type Ruleset } from '@helpdesk/core';
import { readiness } from '@helpdesk/metrics';
import { cached } from '$lib/server/cache';
import { badRequest, screenContext } from '$lib/server/screen';
import { findRepoRoot } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/**
 * The readiness screen: the guide's five criteria for adding a channel (routing, knowledge,
 * integrations, staffing, metrics), per channel, each green/amber/red with its evidence and the
 * threshold from Settings. The ruleset in force is a file of data/rulesets named in Settings.
 */
export const load: PageServerLoad = async ({ url }) => {
  const ctx = await screenContext(url);
  const file = ctx.settings.settings.readiness.ruleset;
  let ruleset: Ruleset | null = null;
  let rulesetProblem: string | null = null;
  try {
    // Only a plain file name of data/rulesets, never a path.
    if (!/^[\w.-]+\.(ya?ml|json)$/i.test(file)) throw new Error(`"${file}" is not a ruleset file name`);
    ruleset = parseRuleset(readFileSync(join(findRepoRoot(), 'data', 'rulesets', file), 'utf8'), file);
  } catch (reason) {
    rulesetProblem = (reason as Error).message.split('\n')[0];
  }
  let result;
  try {
    result = await cached(`readiness:${ctx.settings.version}`, () => readiness(ctx.warehouse, ctx.settings.settings, ruleset), 60_000);
  } catch (reason) {
    badRequest(reason);
  }
  return { readiness: result, rulesetFile: file, rulesetProblem, settingsVersion: ctx.settings.version };
};
