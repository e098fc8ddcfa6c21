import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainReplay, loadRuleset, replayRouting, Warehouse } from '@helpdesk/core';
import { buildDemoWarehouse } from '@helpdesk/demo-data';
import { tempDir } from '../cli/run-cli.ts';

// The demo generator (data/, another workspace that depends on core) plants its routing in
// data/src/conversations/context.ts: `route` picks the queue, and `firstQueue` sends a quarter
// of the items that belong in a skill queue (billing, technical) to the general language queue
// first, to be transferred. data/rulesets/demo.yaml encodes `route`, so replaying the demo through
// it must agree with every first routing except those planted misroutes. The test lives
// here, beside the other cross-package tests, because core must not depend on data/.

const skillRules = new Set(['ivr-billing', 'intent-billing', 'intent-technical']);
const plantedMisrouteShare = 0.25;

describe('replay of the demo world through its own rules', () => {
  const dir = tempDir('helpdesk-routing-demo-');
  let wh: Warehouse;
  beforeAll(async () => {
    const path = join(dir, 'demo.duckdb');
    await buildDemoWarehouse(path, { seed: 42, interactions: 6000, days: 30 });
    // The generator routes on the CRM tier, which reaches an interaction through its resolved
    // customer: the build's pipeline has resolved identities.
    wh = await Warehouse.open(path, { readOnly: true });
  }, 120_000);
  afterAll(() => wh?.close());

  it('agrees with every first routing outside skill queues, and with about 75% inside them (the planted misroutes)', async () => {
    const rules = loadRuleset(fileURLToPath(new URL('../../data/rulesets/demo.yaml', import.meta.url)));
    const s = await replayRouting(wh, rules);
    expect(s.compared).toBeGreaterThan(1000);
    const skill = s.rules.filter((r) => skillRules.has(r.rule));
    const other = s.rules.filter((r) => !skillRules.has(r.rule) && r.rule !== '(none)' && r.rule !== 'default');
    const sum = (rows: typeof s.rules, k: 'compared' | 'agreed') => rows.reduce((n, r) => n + r[k], 0);
    const skillDecided = sum(skill, 'compared');
    const skillAgreement = sum(skill, 'agreed') / skillDecided;
    // Binomial standard error of the planted 0.75 at n items: sqrt(0.75 * 0.25 / n); allow 4 of them.
    const tolerance = 4 * Math.sqrt((plantedMisrouteShare * (1 - plantedMisrouteShare)) / skillDecided);
    expect(Math.abs(skillAgreement - (1 - plantedMisrouteShare))).toBeLessThan(tolerance);
    // The rest of the other inbound first routings agree except for VIP contacts whose CRM record
    // identity resolution did not join (its recall on the demo truth is about 0.84): the rules see
    // no tier and pick the language queue where the generator picked premium. Checked by listing
    // the disagreements with explainReplay below: each is a tier the two sides saw differently.
    expect(sum(other, 'agreed') / sum(other, 'compared')).toBeGreaterThan(0.97);
    // The premium queues as the vendor adapters name them (Intercom team, Aircall line, Zendesk group).
    const premium = new Set(['intercom:team:chat-premium', 'aircall:line:4105', 'zendesk:group:360001106']);
    for (const r of other.filter((x) => x.agreed < x.compared)) {
      const disagreements = await explainReplay(wh, rules, {}, { rule: r.rule, agree: false }, 1000);
      expect(disagreements).toHaveLength(r.compared - r.agreed);
      // Either the rules missed a VIP (actual premium queue) or saw one the generator did not (a VIP rule).
      for (const d of disagreements) {
        expect(premium.has(d.actualFirstQueue ?? '') || r.rule.startsWith('vip-'), `${d.id} (${r.rule}) went to ${d.actualFirstQueue}`).toBe(true);
      }
    }
    // Each planted misroute was transferred to where the rules send it directly.
    expect(s.misroutes.fixedByRuleset / s.misroutes.actual).toBeGreaterThan(0.95);
  });
});
