// `npm run bench -- routing [--interactions N] [--sim-interactions N]`: replay of 1M synthetic
// interactions through a 50-rule ruleset (goal < 5 s) and a 90-day what-if simulation at demo
// scale, 50,000 interactions (goal < 15 s). Synthetic data is made in SQL from hashes of the row
// number, so it is the same on every run and needs no demo generator (core must not import data/).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../src/database.ts';
import { replayRouting } from '../src/routing/replay.ts';
import { rulesetFromObject } from '../src/routing/ruleset-load.ts';
import { simulateWhatIf } from '../src/routing/what-if.ts';

const intents = ['refund', 'delivery_delay', 'login_problem', 'billing', 'cancellation', 'product_question', 'damaged_item', 'order_change', 'payment_failed', 'promo_code'];
const languages = ['de', 'en', 'fr'];
const countries = ['DE', 'GB', 'FR', 'US', 'AT', 'CH'];
const channels = ['phone', 'chat', 'email', 'social'];

/** A uniform [0, 1) from the row number and a salt: deterministic, no RNG state in SQL. */
const u = (salt: string) => `((hash(i, '${salt}') % 1000000)::DOUBLE / 1000000)`;
const pickSql = (values: string[], salt: string) => `([${values.map((v) => `'${v}'`).join(', ')}])[1 + floor(${u(salt)} * ${values.length})::INTEGER]`;

export async function synthesize(wh: Warehouse, n: number, days: number) {
  await wh.run(`
    INSERT INTO interactions (id, source, native_id, channel, contact_id, priority, language, country, intent, tags, subject, status,
      created_at, updated_at, queue_id, agent_id, talk_seconds, hold_seconds, wrap_up_seconds, queue_wait_seconds, abandon_stage, first_response_at, resolved_at)
    SELECT 'b:' || i, 'b', i::VARCHAR, ch, 'c:' || (hash(i, 'contact') % ${Math.max(1, Math.floor(n / 5))}), ${pickSql(['low', 'normal', 'normal', 'high', 'urgent'], 'prio')},
      lang, ${pickSql(countries, 'country')}, ${pickSql(intents, 'intent')},
      CASE WHEN ${u('tag')} < 0.1 THEN ['angry'] WHEN ${u('tag')} < 0.15 THEN ['repeat', 'vip'] ELSE [] END,
      CASE WHEN ${u('subj')} < 0.05 THEN 'Chargeback threatened' WHEN ${u('subj')} < 0.1 THEN 'Where is my parcel' ELSE 'Order question' END,
      CASE WHEN abandoned THEN 'abandoned' ELSE 'solved' END,
      arrived, arrived, 'q-' || ch || '-' || lang, CASE WHEN abandoned THEN NULL ELSE 'a:1' END,
      CASE WHEN ch = 'phone' AND NOT abandoned THEN 30 - ln(1 - ${u('talk')}) * 240 END,
      CASE WHEN ch = 'phone' AND NOT abandoned THEN 10 END, CASE WHEN ch = 'phone' AND NOT abandoned THEN 30 END,
      CASE WHEN ch IN ('phone', 'chat') THEN -ln(1 - ${u('wait')}) * 40 END,
      CASE WHEN abandoned THEN CASE WHEN ch = 'phone' THEN 'queue' ELSE 'chat_queue' END END,
      CASE WHEN ch = 'chat' AND NOT abandoned THEN arrived + INTERVAL 1 MINUTE END,
      CASE WHEN ch = 'chat' AND NOT abandoned THEN arrived + to_seconds((120 - ln(1 - ${u('chat')}) * 480)::BIGINT) END
    FROM (
      SELECT i, ${pickSql(channels, 'channel')} AS ch, ${pickSql(languages, 'lang')} AS lang,
        ${u('abandon')} < 0.07 AS abandoned,
        -- 90 days, arrivals between 06:00 and 20:00 UTC, busier around midday (sum of two uniforms)
        TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_days(floor(${u('day')} * ${days})::INTEGER)
          + to_seconds(floor(6 * 3600 + (${u('h1')} + ${u('h2')}) * 7 * 3600)::BIGINT) AS arrived
      FROM range(${n}) t(i)
    )`);
  await wh.run(`
    INSERT INTO routing_decisions (id, interaction_id, seq, decided_at, queue_id, source)
    SELECT id || ':0', id, 0, created_at, queue_id, 'b' FROM interactions;
    INSERT INTO routing_decisions (id, interaction_id, seq, decided_at, queue_id, source)
    SELECT id || ':1', id, 1, created_at + INTERVAL 5 MINUTE, 'q-' || channel || '-en', 'b' FROM interactions WHERE hash(id, 'transfer') % 100 < 8;
    INSERT INTO customer_attributes (contact_id, attribute, value, valid_from, valid_to, source)
    SELECT DISTINCT contact_id, 'tier', CASE WHEN hash(contact_id) % 10 = 0 THEN 'gold' WHEN hash(contact_id) % 10 < 4 THEN 'silver' ELSE 'bronze' END,
      TIMESTAMPTZ '2025-01-01 00:00:00+00', NULL, 'b' FROM interactions;
    INSERT INTO customer_attributes (contact_id, attribute, value, valid_from, valid_to, source)
    SELECT DISTINCT contact_id, 'vip', 'true', TIMESTAMPTZ '2026-02-01 00:00:00+00', NULL, 'b' FROM interactions WHERE hash(contact_id, 'vip') % 50 = 0;
  `);
}

/** 50 rules over five layers, touching every condition kind, with queues per channel and language. */
function benchRuleset(name: string, staffing: number) {
  const queues = channels.flatMap((ch) =>
    [...languages.map((l) => `q-${ch}-${l}`), `q-${ch}-billing`, `q-${ch}-vip`].map((id) => ({
      id,
      channel: ch,
      agents: [
        { count: Math.max(1, Math.round(staffing * (id.endsWith('-de') ? 2 : 1))), concurrency: ch === 'chat' ? 3 : 1, skills: ['billing', 'technical'], shift: { days: [1, 2, 3, 4, 5], start: 7, end: 21, timeZone: 'Europe/Berlin' } },
        { count: 1, concurrency: ch === 'chat' ? 3 : 1, skills: ['billing', 'technical'], shift: { days: [0, 6], start: 9, end: 17, timeZone: 'Europe/Berlin' } },
      ],
    })),
  );
  const rules: { layer: number; rule: object }[] = [];
  let n = 0;
  for (const ch of channels) for (const lang of languages) rules.push({ layer: 2, rule: { id: `r${n++}`, when: { channel: ch, language: lang }, then: { queue: `q-${ch}-${lang}` } } });
  for (const ch of channels) rules.push({ layer: 0, rule: { id: `r${n++}`, when: { channel: ch, intent: ['refund', 'billing', 'payment_failed'] }, then: { queue: `q-${ch}-billing`, skills: ['billing'] } } });
  for (const intent of intents) rules.push({ layer: 0, rule: { id: `r${n++}`, when: { intent }, then: { sla: intent === 'damaged_item' ? 'fast' : 'standard' } } });
  for (const p of ['high', 'urgent']) rules.push({ layer: 1, rule: { id: `r${n++}`, when: { priority: p }, then: { sla: 'fast' } } });
  for (const c of countries) rules.push({ layer: 2, rule: { id: `r${n++}`, when: { country: c, channel: 'email' }, then: { priority: 'normal' } } });
  for (const ch of channels) rules.push({ layer: 3, rule: { id: `r${n++}`, when: { channel: ch, vip: true }, then: { queue: `q-${ch}-vip`, sla: 'fast' } } });
  rules.push({ layer: 3, rule: { id: `r${n++}`, when: { tier: 'gold' }, then: { priority: 'high', sla: 'fast' } } });
  rules.push({ layer: 3, rule: { id: `r${n++}`, when: { tier: ['gold', 'silver'], tags: 'repeat' }, then: { priority: 'urgent' } } });
  rules.push({ layer: 1, rule: { id: `r${n++}`, when: { keywords: ['chargeback', 'lawyer'] }, then: { priority: 'urgent' } } });
  rules.push({ layer: 1, rule: { id: `r${n++}`, when: { keywords: 'parcel', channel: ['chat', 'social'] }, then: { skills: ['technical'] } } });
  rules.push({ layer: 1, rule: { id: `r${n++}`, when: { tags: 'angry' }, then: { priority: 'high' } } });
  while (n < 50) rules.push({ layer: 0, rule: { id: `r${n++}`, when: { intent: intents[n % intents.length], language: languages[n % 3], priority: 'low' }, then: { priority: 'normal' } } });
  const layerNames = ['intents', 'priority', 'language', 'vip'];
  return rulesetFromObject(
    {
      version: 1,
      name,
      queues,
      slaPolicies: { standard: { firstResponseSeconds: 120 }, fast: { firstResponseSeconds: 30 } },
      layers: layerNames.map((layer, i) => ({ name: layer, precedence: (i + 1) * 10, rules: rules.filter((r) => r.layer === i).map((r) => r.rule) })),
      default: { queue: 'q-email-en', sla: 'standard' },
    },
    name,
  );
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export default async function run(args: string[]) {
  const replayN = option(args, 'interactions', 1_000_000);
  const simN = option(args, 'sim-interactions', 50_000);
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-routing-bench-'));
  try {
    const ruleset = benchRuleset('bench-50', 2);
    if (ruleset.rules.length !== 50) throw new Error(`expected 50 rules, got ${ruleset.rules.length}`);

    const big = await Warehouse.open(join(dir, 'replay.duckdb'));
    let t = performance.now();
    await synthesize(big, replayN, 90);
    const synthesizeSeconds = (performance.now() - t) / 1000;
    console.log(`synthesized ${replayN.toLocaleString('en')} interactions in ${synthesizeSeconds.toFixed(1)} s`);
    // Raw DuckDB on the same data: the same first/last-routing join and group-by, without the rules.
    t = performance.now();
    await big.all(`WITH a AS (SELECT interaction_id, arg_min(queue_id, seq) AS f, arg_max(queue_id, seq) AS l, max(seq) > 0 AS tr FROM routing_decisions GROUP BY 1)
      SELECT i.channel, a.f, a.l, a.tr, count(*) FROM interactions i LEFT JOIN a ON a.interaction_id = i.id GROUP BY ALL`);
    const rawSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const replay = await replayRouting(big, ruleset);
    const replaySeconds = (performance.now() - t) / 1000;
    console.log(`replay: ${replaySeconds.toFixed(2)} s, agreement ${(replay.agreementRate! * 100).toFixed(1)}%, raw join ${rawSeconds.toFixed(2)} s`);
    big.close();

    const small = await Warehouse.open(join(dir, 'simulate.duckdb'));
    await synthesize(small, simN, 90);
    const current = benchRuleset('bench-current', 2);
    const proposed = benchRuleset('bench-proposed', 3);
    t = performance.now();
    const sim = await simulateWhatIf(small, proposed, { current, seed: 1 });
    const simulateSeconds = (performance.now() - t) / 1000;
    console.log(`simulate: ${simulateSeconds.toFixed(2)} s for ${sim.contacts.toLocaleString('en')} phone and chat contacts over 90 days, two scenarios`);
    small.close();

    return {
      figures: {
        replayInteractions: replay.interactions,
        replayRules: ruleset.rules.length,
        replaySeconds,
        replayRowsPerSecond: Math.round(replay.interactions / replaySeconds),
        rawJoinSeconds: rawSeconds,
        simulateInteractions: simN,
        simulateContacts: sim.contacts,
        simulateSeconds,
      },
      ratios: { replayVsRawJoin: replaySeconds / rawSeconds },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
