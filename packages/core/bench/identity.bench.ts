// `npm run bench -- identity [--records N] [--sync-records N] [--no-demo]`: identity resolution of N
// synthetic contact records (default 1,000,000, about 2.8 identifiers each) on this machine, in
// full, then incrementally after a sync of `--sync-records` more (default 10,000). Goals: the full
// run under 60 s and 4 GB peak RSS, the incremental one under 10 s.
// Records are made in SQL from hashes of the row number (seeded, the same on every run): people
// seen as 1-4 contact records with name typos, case and plus-tag variants of their email, phones
// in E.164 or national format, and a few planted switchboard numbers shared by many people.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../src/database.ts';
import { resolveIdentities } from '../src/identity/resolve.ts';
import { pairwiseScores } from '../src/identity/metrics.ts';
import { scoreAgainstTruth } from '../src/identity/truth-score.ts';

const syllables = ['an', 'be', 'ca', 'do', 'el', 'fa', 'gi', 'ha', 'io', 'ja', 'ke', 'li', 'ma', 'no', 'ol', 'pa', 'ra', 'si', 'ta', 'vi', 'wo', 'ya', 'zu', 'mor', 'len', 'dra', 'kov', 'sen', 'tin', 'ber'];
const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
/** A uniform [0, 1) from the person or contact number and a salt. */
const u = (col: string, salt: string) => `((hash(${col}, '${salt}') % 1000003)::DOUBLE / 1000003)`;
const syl = (col: string, salt: string) => `(${list(syllables)})[1 + floor(${u(col, salt)} * ${syllables.length})::INTEGER]`;

/**
 * Contact records `from` .. `from + records - 1` into `identities` (and `bench_contacts`, the truth).
 * The first batch (`from` 0) holds 0.6 people per record; a later batch (a sync) has half its
 * records from people of the first batch and half from new people.
 */
export async function synthesize(wh: Warehouse, records: number, from = 0, firstBatch = records): Promise<void> {
  await wh.run('CREATE OR REPLACE MACRO cap(x) AS upper(left(x, 1)) || substr(x, 2)');
  const people = Math.round(firstBatch * 0.6);
  const person = from === 0
    ? `CASE WHEN range < ${people} THEN range ELSE hash(range, 'person') % ${people} END`
    : `CASE WHEN range % 2 = 0 THEN ${people} + range ELSE hash(range, 'person') % ${people} END`;
  await wh.run(`CREATE OR REPLACE TABLE bench_batch AS
    WITH c AS (SELECT range AS c, ${person} AS p FROM range(${from}, ${from + records}))
    SELECT c, p, 'src' || (c % 4) || ':contact:' || c AS contact_id,
      ${syl('p', 'f1')} || ${syl('p', 'f2')} AS first, ${syl('p', 's1')} || ${syl('p', 's2')} || ${syl('p', 's3')} AS last,
      ${u('c', 'typo')} < 0.1 AS typo, ${u('c', 'email')} < 0.8 AS has_email, ${u('c', 'phone')} < 0.6 AS has_phone, ${u('c', 'dob')} < 0.4 AS has_dob,
      ${u('c', 'style')} AS style, (200 + hash(p, 'area') % 700)::VARCHAR AS area, (200 + hash(p, 'exch') % 700)::VARCHAR AS exch,
      lpad((hash(p, 'line') % 10000)::VARCHAR, 4, '0') AS line
    FROM c`);
  await wh.run('CREATE TABLE IF NOT EXISTS bench_contacts AS SELECT * FROM bench_batch LIMIT 0');
  await wh.run('INSERT INTO bench_contacts SELECT * FROM bench_batch');
  const at = "TIMESTAMPTZ '2026-01-05 10:00:00+00'";
  await wh.run(`INSERT INTO identities (id, contact_id, source, kind, raw_value, value, verified, customer_id, first_seen_at, last_seen_at)
    SELECT contact_id || ':name', contact_id, split_part(contact_id, ':', 1), 'name', v, v, false, NULL, ${at}, ${at} FROM (
      SELECT contact_id, cap(CASE WHEN typo THEN left(first, 2) || 'e' || substr(first, 4) ELSE first END) || ' ' || cap(last) AS v FROM bench_batch)
    UNION ALL
    SELECT contact_id || ':email', contact_id, split_part(contact_id, ':', 1), 'email', v, v, style < 0.3, NULL, ${at}, ${at} FROM (
      SELECT contact_id, style, CASE WHEN style < 0.2 THEN upper(e) WHEN style < 0.3 THEN replace(e, '@', '+shop@') ELSE e END AS v
      FROM (SELECT *, first || '.' || last || (p % 97) || '@' || (['mail.com', 'example.org', 'post.net', 'inbox.io'])[(1 + p % 4)::INTEGER] AS e FROM bench_batch WHERE has_email))
    UNION ALL
    SELECT contact_id || ':phone', contact_id, split_part(contact_id, ':', 1), 'phone', v, v, false, NULL, ${at}, ${at} FROM (
      SELECT contact_id, CASE
        -- Every 5,000th contact calls through one of 20 company switchboards.
        WHEN c % 5000 = 0 THEN '+1 800 555 ' || lpad((c % 20)::VARCHAR, 4, '0')
        WHEN style < 0.5 THEN '+1' || area || exch || line ELSE '(' || area || ') ' || exch || '-' || line END AS v
      FROM bench_batch WHERE has_phone)
    UNION ALL
    SELECT contact_id || ':dob', contact_id, split_part(contact_id, ':', 1), 'dob', v, v, false, NULL, ${at}, ${at} FROM (
      SELECT contact_id, strftime(DATE '1940-01-01' + (hash(p, 'dob') % 22000)::INTEGER, '%Y-%m-%d') AS v FROM bench_batch WHERE has_dob)`);
}

const flag = (args: string[], name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : undefined;
};

export default async function run(args: string[]): Promise<{ figures: Record<string, number>; ratios: Record<string, number> }> {
  const records = flag(args, '--records') ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-identity-bench-'));
  const wh = await Warehouse.open(join(dir, 'bench.duckdb'), { memoryLimit: '3GB' });
  try {
    let t = performance.now();
    await synthesize(wh, records);
    const generateSeconds = (performance.now() - t) / 1000;
    const [{ identities }] = await wh.all<{ identities: number }>('SELECT count(*)::INTEGER AS identities FROM identities');
    console.log(`generated ${records.toLocaleString('en')} contact records, ${identities.toLocaleString('en')} identifiers in ${generateSeconds.toFixed(1)} s`);

    // Baseline: raw DuckDB grouping of exact identifier values, the least any resolver must do.
    t = performance.now();
    await wh.run('CREATE TEMP TABLE baseline AS SELECT kind, lower(raw_value) AS v, min(contact_id) AS root, count(*) AS n FROM identities GROUP BY ALL');
    const baselineSeconds = (performance.now() - t) / 1000;

    t = performance.now();
    // CPU time (this process: Node plus DuckDB's worker threads), to read the wall time against a shared machine.
    const cpu = process.cpuUsage();
    const summary = await resolveIdentities(wh, { full: true });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    for (const s of summary.stages) console.log(`  ${s.name.padEnd(34)} ${s.seconds.toFixed(2)} s`);

    // A sync: new contact records, half of them people already known (they must join their
    // customers), half new people, resolved incrementally against the warehouse.
    const syncRecords = flag(args, '--sync-records') ?? 10_000;
    await synthesize(wh, syncRecords, records, records);
    t = performance.now();
    const incCpu = process.cpuUsage();
    const inc = await resolveIdentities(wh, {});
    const incrementalSeconds = (performance.now() - t) / 1000;
    const incUsed = process.cpuUsage(incCpu);
    const incrementalCpuSeconds = (incUsed.user + incUsed.system) / 1e6;
    console.log(`incremental after ${syncRecords.toLocaleString('en')} new records: ${incrementalSeconds.toFixed(2)} s (${inc.mode}, ${JSON.stringify(inc.touched)})`);
    for (const s of inc.stages) console.log(`  ${s.name.padEnd(34)} ${s.seconds.toFixed(2)} s`);

    const rows = await wh.all<{ p: number; customer_id: string }>(
      'SELECT c.p, any_value(i.customer_id) AS customer_id FROM bench_contacts c JOIN identities i USING (contact_id) GROUP BY c.c, c.p');
    const scores = pairwiseScores(rows.map((r) => r.customer_id), rows.map((r) => String(r.p)));
    const demo = args.includes('--no-demo') ? {} : await demoFigures(dir);
    return {
      figures: {
        ...demo,
        records, identities, seconds, cpuSeconds, generateSeconds,
        customers: summary.customers, pairsScored: summary.pairsScored,
        deterministicLinks: summary.deterministicLinks, probabilisticLinks: summary.probabilisticLinks, hubs: summary.hubs,
        precision: scores.precision, recall: scores.recall, f1: scores.f1,
        syncRecords, incrementalSeconds, incrementalCpuSeconds, incrementalPairsScored: inc.pairsScored,
        incrementalDirtyRecords: inc.touched?.dirty ?? NaN, incrementalNeighbourhood: inc.touched?.neighbourhood ?? NaN,
        incrementalClustered: inc.touched?.clustered ?? NaN,
        ...Object.fromEntries(inc.stages.map((s) => [`incremental: ${s.name}`, s.seconds])),
      },
      ratios: { vsExactGroupBy: seconds / baselineSeconds, recordsPerSecond: records / seconds },
    };
  } finally {
    wh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Identity quality on omnichannel data: a 20,000-interaction demo world, resolved by its build's
 * pipeline, scored against the world's truth (`demo_truth`), overall and per planted hard case.
 */
async function demoFigures(dir: string): Promise<Record<string, number>> {
  const { buildDemoWarehouse } = await import('@helpdesk/demo-data');
  const path = join(dir, 'demo.duckdb');
  await buildDemoWarehouse(path, { seed: 42, interactions: 20_000 });
  const wh = await Warehouse.open(path, { readOnly: true });
  try {
    const s = await scoreAgainstTruth(wh, 'demo_truth');
    const h = s.hardCases;
    return {
      demoPairwiseF1: s.pairwise.f1, demoPrecision: s.pairwise.precision, demoRecall: s.pairwise.recall,
      demoBcubedF1: s.bcubed.f1, demoBcubedPrecision: s.bcubed.precision, demoBcubedRecall: s.bcubed.recall,
      demoSharedMailboxesMerging: h.sharedMailboxes.merging, demoSharedMailboxes: h.sharedMailboxes.identifiers,
      demoSwitchboardsMerging: h.sharedPhones.merging, demoSwitchboards: h.sharedPhones.identifiers,
      demoPhoneFormatsRecall: h.phoneFormats.recall, demoNameTyposRecall: h.nameTypos.recall,
      demoNicknamesRecall: h.nicknames.recall, demoSameSourceDoublesRecall: h.sameSourceDuplicates.recall,
    };
  } finally {
    wh.close();
  }
}
