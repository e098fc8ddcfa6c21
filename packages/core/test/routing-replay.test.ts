import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../src/database.ts';
import { compileRouting, ruleIdFor } from '../src/routing/compile-sql.ts';
import { explainReplay, replayRouting, routingFeatures, toRoutable } from '../src/routing/replay.ts';
import { routeInteraction } from '../src/routing/route-interaction.ts';
import { parseRuleset, rulesetFromObject } from '../src/routing/ruleset-load.ts';
import { actionFields } from '../src/routing/ruleset-schema.ts';
import { seededRandom, tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-routing-');
let fileNo = 0;

/** Loads fixture rows through a JSON file (test-only helper; table and columns are fixed literals). */
async function load(wh: Warehouse, table: string, columns: Record<string, string>, rows: object[]) {
  if (rows.length === 0) return;
  const file = join(dir, `${table}-${fileNo++}.json`);
  writeFileSync(file, JSON.stringify(rows));
  const spec = Object.entries(columns).map(([c, t]) => `'${c}': '${t}'`).join(', ');
  await wh.run(`INSERT INTO ${table} BY NAME SELECT * FROM read_json('${file}', format = 'array', columns = {${spec}})`);
}

const interactionColumns = {
  id: 'VARCHAR', source: 'VARCHAR', native_id: 'VARCHAR', channel: 'VARCHAR', contact_id: 'VARCHAR', priority: 'VARCHAR',
  language: 'VARCHAR', country: 'VARCHAR', intent: 'VARCHAR', tags: 'VARCHAR[]', subject: 'VARCHAR', status: 'VARCHAR',
  created_at: 'TIMESTAMPTZ', updated_at: 'TIMESTAMPTZ',
};
const decisionColumns = { id: 'VARCHAR', interaction_id: 'VARCHAR', seq: 'INTEGER', decided_at: 'TIMESTAMPTZ', queue_id: 'VARCHAR', source: 'VARCHAR' };
const attributeColumns = { contact_id: 'VARCHAR', attribute: 'VARCHAR', value: 'VARCHAR', valid_from: 'TIMESTAMPTZ', valid_to: 'TIMESTAMPTZ', source: 'VARCHAR' };

function interaction(n: number, fields: Partial<Record<keyof typeof interactionColumns, unknown>>) {
  const at = fields.created_at ?? `2026-03-0${1 + (n % 9)}T10:00:00Z`;
  return {
    id: `t:${n}`, source: 't', native_id: String(n), channel: 'chat', contact_id: `c:${n}`, priority: 'normal', language: 'en',
    country: 'DE', intent: null, tags: [], subject: null, status: 'solved', created_at: at, updated_at: at, ...fields,
  };
}

describe('replay against the actual routing', () => {
  let wh: Warehouse;
  const ruleset = parseRuleset(`
version: 1
name: replay-fixture
queues: [{ id: general, channel: chat }, { id: billing, channel: chat }, { id: gold-desk, channel: chat }]
layers:
  - name: intents
    precedence: 10
    rules:
      - { id: refunds, when: { intent: refund }, then: { queue: billing } }
  - name: tiers
    precedence: 20
    rules:
      - { id: gold, when: { tier: gold }, then: { queue: gold-desk } }
default: { queue: general }
`);

  beforeAll(async () => {
    wh = await Warehouse.open(join(dir, 'replay.duckdb'));
    // 6 interactions. Actual first queues / transfers:
    //  t:1 refund          -> billing                 replay billing   agree
    //  t:2 refund          -> general, then billing   replay billing   disagree, transfer the ruleset fixes
    //  t:3 other           -> general                 replay general   agree
    //  t:4 other           -> billing, then general   replay general   disagree, fixed
    //  t:5 other, gold on 03-05 (tier valid 03-04..03-06)   -> general   replay gold-desk  disagree
    //  t:6 other, same contact c:5 on 03-07 (tier expired)  -> general   replay general    agree
    //  t:7 no routing decision at all (not compared)                      replay general
    await load(wh, 'interactions', interactionColumns, [
      interaction(1, { intent: 'refund' }),
      interaction(2, { intent: 'refund' }),
      interaction(3, { intent: 'delivery' }),
      interaction(4, { intent: 'login' }),
      interaction(5, { contact_id: 'c:5', created_at: '2026-03-05T12:00:00Z' }),
      interaction(6, { contact_id: 'c:5', created_at: '2026-03-07T12:00:00Z' }),
      interaction(7, {}),
    ]);
    const d = (id: number, seq: number, queue: string) => ({
      id: `d:${id}:${seq}`, interaction_id: `t:${id}`, seq, decided_at: '2026-03-01T10:00:00Z', queue_id: queue, source: 't',
    });
    await load(wh, 'routing_decisions', decisionColumns, [
      d(1, 0, 'billing'), d(2, 0, 'general'), d(2, 1, 'billing'), d(3, 0, 'general'), d(4, 0, 'billing'), d(4, 1, 'general'),
      d(5, 0, 'general'), d(6, 0, 'general'),
    ]);
    await load(wh, 'customer_attributes', attributeColumns, [
      { contact_id: 'c:5', attribute: 'tier', value: 'gold', valid_from: '2026-03-04T00:00:00Z', valid_to: '2026-03-06T00:00:00Z', source: 'crm' },
      { contact_id: 'c:5', attribute: 'tier', value: 'silver', valid_from: '2026-03-06T00:00:00Z', valid_to: null, source: 'crm' },
    ]);
  });
  afterAll(() => wh?.close());

  it('agreement rate, misroutes and queue shifts are the hand-counted ones', async () => {
    const s = await replayRouting(wh, ruleset);
    expect(s.interactions).toBe(7);
    expect(s.compared).toBe(6);
    expect(s.agreed).toBe(3); // t:1, t:3, t:6
    expect(s.agreementRate).toBeCloseTo(3 / 6, 12);
    expect(s.misroutes).toEqual({ actual: 2, actualRate: 2 / 6, fixedByRuleset: 2, repeatedByRuleset: 0 });
    // actual first queues: general t2,t3,t5,t6 = 4; billing t1,t4 = 2. Replayed (compared or not):
    // billing t1,t2 = 2; general t3,t4,t6,t7 = 4; gold-desk t5 = 1.
    expect(s.queues).toEqual([
      { queue: 'billing', actual: 2, replayed: 2, shift: 0 },
      { queue: 'general', actual: 4, replayed: 4, shift: 0 },
      { queue: 'gold-desk', actual: 0, replayed: 1, shift: 1 },
    ]);
    expect(s.rules).toEqual([
      // t7 has no actual routing, so default decided 4 and compared 3 (t3, t4, t6).
      { rule: 'default', decided: 4, compared: 3, agreed: 2 },
      { rule: 'refunds', decided: 2, compared: 2, agreed: 1 },
      { rule: 'gold', decided: 1, compared: 1, agreed: 0 },
    ]);
  });

  it('the tier is read as it was at arrival, and a period restricts the replay', async () => {
    const s = await replayRouting(wh, ruleset, { from: '2026-03-05', to: '2026-03-06' });
    expect(s.interactions).toBe(2); // t:4 (fixture day 1 + 4 % 9 = 5) and t:5 arrived on 03-05
    expect(s.queues.find((q) => q.queue === 'gold-desk')?.replayed).toBe(1);
  });

  it('every replay number drills down to its interactions with the explanation', async () => {
    const rows = await explainReplay(wh, ruleset, {}, { agree: false });
    expect(rows.map((r) => r.id)).toEqual(['t:2', 't:4', 't:5']);
    const t5 = rows.find((r) => r.id === 't:5')!;
    expect(t5.explanation).toBe('queue gold-desk by gold (layer tiers, precedence 20)');
    expect(t5.actualFirstQueue).toBe('general');
    const transferred = await explainReplay(wh, ruleset, {}, { transferred: true, queue: 'billing' });
    expect(transferred.map((r) => r.id)).toEqual(['t:2']);
  });

  it('user values reach SQL only as parameters', () => {
    const evil = rulesetFromObject({
      version: 1, name: 'evil', queues: [{ id: 'q', channel: 'chat' }],
      layers: [{ name: 'l', precedence: 1, rules: [{ id: 'r', when: { intent: "x'); DROP TABLE interactions; --" }, then: { queue: 'q' } }] }],
    });
    const c = compileRouting(evil, { from: '2026-01-01' });
    expect(c.withSql).not.toContain('DROP');
    expect(c.conditions).toEqual(['intent IN ($2)']);
    expect(c.params).toEqual(['2026-01-01', "x'); DROP TABLE interactions; --"]);
  });
});

describe('the SQL cascade agrees with the reference interpreter', () => {
  let wh: Warehouse;
  const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const channels = ['chat', 'email', 'phone', 'social'] as const;
  const intents = ['refund', 'delivery', 'login', 'billing', null] as const;
  const languages = ['en', 'de', 'fr', null] as const;
  const countries = ['DE', 'FR', 'US', null] as const;
  const priorities = ['low', 'normal', 'high', 'urgent'] as const;
  const tags = ['angry', 'repeat', 'vip', 'bug'] as const;
  const words = ['Refund', 'late parcel', 'password', 'invoice', 'chargeback', null] as const;
  const tiers = ['gold', 'silver', 'bronze'] as const;

  beforeAll(async () => {
    wh = await Warehouse.open(join(dir, 'reference.duckdb'));
    // 1,500 random interactions from a fixed seed (mulberry32), with tier and VIP histories.
    const r = seededRandom(20260326);
    const rows = [];
    const attrs = [];
    for (let n = 0; n < 1500; n++) {
      const day = 1 + Math.floor(r() * 28);
      rows.push(
        interaction(n, {
          channel: pick(r, channels), intent: pick(r, intents), language: pick(r, languages), country: pick(r, countries),
          priority: pick(r, priorities), tags: tags.filter(() => r() < 0.25), subject: pick(r, words) === null ? null : `Re: ${pick(r, words)} #${n}`,
          contact_id: `c:${n % 300}`, created_at: `2026-02-${String(day).padStart(2, '0')}T${String(Math.floor(r() * 24)).padStart(2, '0')}:00:00Z`,
        }),
      );
    }
    for (let c = 0; c < 300; c++) {
      if (r() < 0.7) attrs.push({ contact_id: `c:${c}`, attribute: 'tier', value: pick(r, tiers), valid_from: '2026-01-01T00:00:00Z', valid_to: '2026-02-15T00:00:00Z', source: 'crm' });
      if (r() < 0.7) attrs.push({ contact_id: `c:${c}`, attribute: 'tier', value: pick(r, tiers), valid_from: '2026-02-15T00:00:00Z', valid_to: null, source: 'crm' });
      if (r() < 0.2) attrs.push({ contact_id: `c:${c}`, attribute: 'vip', value: 'true', valid_from: '2026-02-10T00:00:00Z', valid_to: null, source: 'crm' });
    }
    await load(wh, 'interactions', interactionColumns, rows);
    await load(wh, 'customer_attributes', attributeColumns, attrs);
  });
  afterAll(() => wh?.close());

  const condition = fc.record(
    {
      channel: fc.subarray([...channels], { minLength: 1 }),
      intent: fc.subarray(['refund', 'delivery', 'login', 'billing'], { minLength: 1 }),
      language: fc.subarray(['en', 'de', 'fr'], { minLength: 1 }),
      country: fc.subarray(['DE', 'FR', 'US'], { minLength: 1 }),
      priority: fc.subarray([...priorities], { minLength: 1 }),
      tags: fc.subarray([...tags], { minLength: 1 }),
      keywords: fc.subarray(['refund', 'PARCEL', 'pass', 'voice', 'charge'], { minLength: 1 }),
      tier: fc.subarray([...tiers], { minLength: 1 }),
      vip: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const action = fc
    .record(
      { queue: fc.constantFrom('q1', 'q2', 'q3'), priority: fc.constantFrom(...priorities), sla: fc.constantFrom('s1', 's2'), skills: fc.subarray(['a', 'b']) },
      { requiredKeys: [] },
    )
    .filter((a) => Object.keys(a).length > 0);
  const rulesetArb = fc
    .array(fc.record({ when: condition, then: action, precedence: fc.integer({ min: 0, max: 3 }), layer: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 12 })
    .map((rules) => ({
      version: 1,
      name: 'random',
      queues: ['q1', 'q2', 'q3'].map((id) => ({ id, channel: 'chat' })),
      slaPolicies: { s1: { firstResponseSeconds: 60 }, s2: { firstResponseSeconds: 600 } },
      layers: [0, 1, 2].map((l) => ({
        name: `layer-${l}`,
        precedence: l * 2,
        rules: rules.flatMap((rule, i) => (rule.layer === l ? [{ id: `r${i}`, when: rule.when, then: rule.then, precedence: rule.precedence * 2 }] : [])),
      })),
      default: { queue: 'q1' },
    }));

  it('on random rulesets over 1,500 random interactions, every field is decided by the same rule', async () => {
    await fc.assert(
      fc.asyncProperty(rulesetArb, async (file) => {
        const ruleset = rulesetFromObject(file);
        const rows = await routingFeatures(wh, ruleset);
        expect(rows).toHaveLength(1500);
        for (const row of rows) {
          const d = routeInteraction(ruleset, toRoutable(row));
          for (const field of actionFields) {
            const ix = (row as unknown as Record<string, number>)[`${field}_rule`];
            expect(ruleIdFor(ruleset, field, ix), `${field} of ${row.id}`).toBe(d.decidedBy[field]);
          }
        }
      }),
      { numRuns: 25, seed: 8 },
    );
  });
});
