import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { error, fail } from '@sveltejs/kit';
import {
  checkRuleset,
  explainReplay,
  parseRuleset,
  replayRouting,
  RulesetError,
  type ReplayFilter,
  type WhatIfReport,
} from '@helpdesk/core';
import { readSettings } from '@helpdesk/metrics';
import { simulateOffThread } from '$lib/server/simulation-pool';
import type { SimulationDrill } from '$lib/server/simulation-task';
import { findRepoRoot, requireWarehouse } from '$lib/server/warehouse';
import { takeWorkSlot } from '$lib/server/work-slots';
import type { Actions, PageServerLoad } from './$types';

/**
 * The routing screen: pick a ruleset from data/rulesets (or upload one), see its static checks,
 * the replay against history with drill-down to the interactions, and the what-if comparison.
 * All logic is @helpdesk/core's; this file reads parameters and shapes the page data.
 */

const rulesetDir = () => join(findRepoRoot(), 'data', 'rulesets');
const maxUploadBytes = 512 * 1024;

function listRulesets(): string[] {
  try {
    return readdirSync(rulesetDir()).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
  } catch {
    return [];
  }
}

const drillKinds = ['queue', 'actualQueue', 'rule', 'disagree', 'misroutes'] as const;
type DrillKind = (typeof drillKinds)[number];

function drillFilter(kind: DrillKind, value: string | null): ReplayFilter {
  switch (kind) {
    case 'queue':
      return { queue: value ?? '' };
    case 'actualQueue':
      return { actualQueue: value ?? '' };
    case 'rule':
      return { rule: value ?? '' };
    case 'disagree':
      return { agree: false };
    case 'misroutes':
      return { transferred: true };
  }
}

async function analyze(text: string, source: string, params: URLSearchParams, work: { user?: string; signal?: AbortSignal } = {}) {
  let ruleset;
  try {
    ruleset = parseRuleset(text, source);
  } catch (reason) {
    if (reason instanceof RulesetError) return { source, issues: reason.issues, ok: false as const };
    throw reason;
  }
  const checks = checkRuleset(ruleset);
  const wh = await requireWarehouse();
  const replay = await replayRouting(wh, ruleset);
  const kind = params.get('drill') as DrillKind | null;
  const drill =
    kind && drillKinds.includes(kind)
      ? { kind, value: params.get('value'), rows: await explainReplay(wh, ruleset, {}, drillFilter(kind, params.get('value')), 100) }
      : null;
  let whatIf: WhatIfReport | null = null;
  let simDrill: SimulationDrill | null = null;
  if (params.get('simulate') === '1') {
    const scale = Number(params.get('scale') ?? '1');
    const seed = Number(params.get('seed') ?? '1');
    if (!(scale > 0 && scale <= 20) || !Number.isInteger(seed)) error(400, { message: 'scale must be above 0 and at most 20, and seed a whole number' });
    const simQueue = params.get('simQueue');
    // The service-level and short-abandon thresholds are the settings' (the scorecards' own).
    const { settings } = await readSettings(wh);
    // A simulation is heavy work: one of the person's slots, run in a worker thread (the request
    // thread stays free for everyone else), and stopped when the client goes away.
    const release = takeWorkSlot(work.user);
    try {
      ({ report: whatIf, simDrill } = await simulateOffThread(
        wh, ruleset, { scale, seed, serviceLevelSeconds: settings.serviceLevelSeconds, shortAbandonSeconds: settings.shortAbandonSeconds, signal: work.signal }, simQueue,
      ));
    } finally {
      release();
    }
  }
  return {
    ok: true as const,
    source,
    name: ruleset.name,
    rules: ruleset.rules.map((r) => ({ id: r.id, layer: r.layer, precedence: r.precedence, when: r.when, then: r.then })),
    checks,
    replay,
    drill,
    whatIf,
    simDrill,
  };
}

export const load: PageServerLoad = async ({ url, locals, request }) => {
  const rulesets = listRulesets();
  const selected = url.searchParams.get('rules') ?? rulesets[0] ?? null;
  if (selected === null) return { rulesets, selected, result: null };
  // Only a name from the list: never a path taken from the URL.
  if (!rulesets.includes(selected)) error(404, { message: `There is no ruleset "${selected}" in data/rulesets.` });
  const text = readFileSync(join(rulesetDir(), selected), 'utf8');
  return { rulesets, selected, result: await analyze(text, selected, url.searchParams, { user: locals.user?.id, signal: request.signal }) };
};

export const actions: Actions = {
  upload: async ({ request, locals }) => {
    const form = await request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { uploadError: 'Choose a YAML or JSON ruleset file.' });
    if (file.size > maxUploadBytes) return fail(400, { uploadError: `That file is ${Math.round(file.size / 1024)} KB; rulesets are at most 512 KB.` });
    const text = await file.text();
    return { uploaded: await analyze(text, file.name.replace(/[^\w.-]/g, '_'), new URLSearchParams({ simulate: '1' }), { user: locals.user?.id, signal: request.signal }) };
  },
};
