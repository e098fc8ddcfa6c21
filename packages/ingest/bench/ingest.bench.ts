// `npm run bench -- ingest [--interactions N] [--skip-replica] [--skip-adapters] [--adapter-scale K]`: ingest throughput at scale.
// 5. Every other adapter over its own replica at a smaller size (adapters.bench.ts), same-run read_json ratios.
// 1. Writes a seeded Zendesk world as recorded API pages (1,000 records a page) plus the same
//    records as JSONL, once, into os.tmpdir() (cached by size and generator version).
// 2. File import: the real adapter and runner over the pages (`--from-dir`) into a fresh warehouse.
// 3. Native limit: DuckDB's own read_json over the JSONL (same records), in the same process.
// 4. Replica: the adapter over HTTP against a loopback replica (its own process) serving the pages.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Warehouse } from '@helpdesk/core';
import { runIngest, zendeskAdapter } from '../src/index.ts';
import { zendeskAccount } from '../replicas/zendesk-world.ts';
import { credentials } from '../test/support/credentials.ts';
import { adapterFigures, adapterNames } from './adapters.bench.ts';

const GENERATOR_VERSION = 1;
const PAGE = 1000;
/** Records per transaction (three batches are in flight at once: one committing, one staged, one read). */
const BATCH = 10_000;

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}
const log = (line: string) => process.stderr.write(`[ingest bench] ${line}\n`);

/** Writes pages and JSONL for `n` tickets; returns record counts. Reuses a finished folder. */
async function buildPages(n: number): Promise<{ dir: string; counts: Record<string, number> }> {
  const dir = join(tmpdir(), `helpdesk-ingest-bench-v${GENERATOR_VERSION}-${n}`);
  const done = join(dir, 'counts.json');
  if (existsSync(done)) return { dir, counts: JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(done, 'utf8'))) };
  rmSync(dir, { recursive: true, force: true });
  const pages = join(dir, 'pages');
  for (const s of ['groups', 'users', 'tickets', 'ticket_events', 'satisfaction_ratings']) mkdirSync(join(pages, s), { recursive: true });
  const jsonl = createWriteStream(join(dir, 'records.jsonl'));
  const writeLines = async (records: unknown[]) => {
    if (!jsonl.write(records.map((r) => JSON.stringify(r)).join('\n') + '\n')) await once(jsonl, 'drain');
  };
  const name = (k: number) => `${String(k).padStart(6, '0')}.json`;
  const { groups, agents, endUsers, tickets } = zendeskAccount(7, n);
  const counts: Record<string, number> = { groups: groups.length, users: 0, tickets: 0, ticket_events: 0, satisfaction_ratings: 0, events: 0 };
  writeFileSync(join(pages, 'groups', name(0)), JSON.stringify({ groups, meta: { has_more: false, after_cursor: null }, links: { next: null } }));
  await writeLines(groups);
  const users = [...agents, ...endUsers];
  for (let k = 0; k * PAGE < users.length; k++) {
    const page = users.slice(k * PAGE, (k + 1) * PAGE);
    const end = (k + 1) * PAGE >= users.length;
    writeFileSync(join(pages, 'users', name(k)), JSON.stringify({ users: page, after_cursor: `p${k + 1}`, after_url: `{origin}/api/v2/incremental/users/cursor.json?cursor=p${k + 1}`, end_of_stream: end }));
    await writeLines(page);
    counts.users += page.length;
  }
  // Histories stream out ticket by ticket; pages are flushed as they fill, so memory stays flat.
  const buffers = { tickets: [] as any[], ticket_events: [] as any[], satisfaction_ratings: [] as any[] };
  const pageNo = { tickets: 0, ticket_events: 0, satisfaction_ratings: 0 };
  const flush = async (stream: keyof typeof buffers, last: boolean) => {
    const records = buffers[stream];
    if (records.length === 0 && !last) return;
    const k = pageNo[stream]++;
    const next = `p${k + 1}`;
    const body = stream === 'tickets'
      ? { tickets: records, after_cursor: next, after_url: `{origin}/api/v2/incremental/tickets/cursor.json?cursor=${next}`, end_of_stream: last }
      : stream === 'ticket_events'
        ? { ticket_events: records, count: records.length, end_time: records.at(-1)?.timestamp ?? 0, end_of_stream: last, next_page: last ? null : `{origin}/api/v2/incremental/ticket_events.json?start_time=${records.at(-1)?.timestamp ?? 0}&page_file=${k + 1}` }
        : { satisfaction_ratings: records, meta: { has_more: !last, after_cursor: String(k + 1) }, links: { next: last ? null : `{origin}/api/v2/satisfaction_ratings.json?page[size]=100&page[after]=${k + 1}` } };
    writeFileSync(join(pages, stream, name(k)), JSON.stringify(body));
    await writeLines(records);
    counts[stream] += records.length;
    buffers[stream] = [];
  };
  for (const h of tickets()) {
    buffers.tickets.push(h.ticket);
    buffers.ticket_events.push(...h.audits);
    buffers.satisfaction_ratings.push(...h.ratings);
    counts.events += h.events;
    for (const s of Object.keys(buffers) as (keyof typeof buffers)[]) if (buffers[s].length >= PAGE) await flush(s, false);
    if (h.ticket.id % 100_000 === 0) log(`wrote ${h.ticket.id.toLocaleString('en')} tickets`);
  }
  for (const s of Object.keys(buffers) as (keyof typeof buffers)[]) await flush(s, true);
  jsonl.end();
  await once(jsonl, 'finish');
  writeFileSync(done, JSON.stringify(counts));
  return { dir, counts };
}

/** Logs each stream's committed records now and then, with the rate so far (a long run shows where it is). */
function progress(label: string, startedAt: () => number) {
  let logged = 0;
  const done: Record<string, number> = {};
  return (stream: string, s: { inserted: number; updated: number; unchanged: number; quarantined: number; fetched: number }) => {
    done[stream] = s.inserted + s.updated + s.unchanged + s.quarantined;
    const total = Object.values(done).reduce((a, b) => a + b, 0);
    if (total - logged < 250_000) return;
    logged = total;
    const seconds = (performance.now() - startedAt()) / 1000;
    log(`${label} ${stream}: ${total.toLocaleString('en')} records committed in ${seconds.toFixed(0)} s (${Math.round(total / seconds).toLocaleString('en')}/s, rss ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB, load ${loadavg()[0].toFixed(1)})`);
  };
}

async function freshWarehouse(path: string, memoryLimit = '900MB'): Promise<Warehouse> {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  rmSync(`${path}.tmp`, { recursive: true, force: true });
  // A memory cap keeps DuckDB's buffer pool inside the 1.5 GB budget of the whole process.
  return Warehouse.open(path, { memoryLimit });
}
/** Our imports also hold batches in JavaScript, so their DuckDB gets less of the budget than read_json's. */
const IMPORT_MEMORY = '640MB';

export default async function run(args: string[]) {
  const n = arg(args, 'interactions', 1_000_000);
  const t0 = Date.now();
  const loadAtStart = loadavg()[0];
  const { dir, counts } = await buildPages(n);
  const records = counts.groups + counts.users + counts.tickets + counts.ticket_events + counts.satisfaction_ratings;
  log(`pages ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

  // 1. File import through the real adapter and runner.
  const dbFile = join(dir, 'file-import.duckdb');
  let wh = await freshWarehouse(dbFile, IMPORT_MEMORY);
  let start = performance.now();
  const fileRun = await runIngest({ warehouse: wh, adapter: zendeskAdapter, fromDir: join(dir, 'pages'), batchSize: BATCH,
    onProgress: progress('file', () => start) });
  const fileSeconds = (performance.now() - start) / 1000;
  if (fileRun.status !== 'succeeded') throw new Error(`file import failed: ${fileRun.error}`);
  const [landed] = await wh.all<{ i: number; e: number }>('SELECT (SELECT count(*) FROM interactions) AS i, (SELECT count(*) FROM events) AS e');
  wh.close();
  log(`file import: ${fileSeconds.toFixed(1)} s, ${landed.i} interactions, ${landed.e} events`);

  // 2. DuckDB's native read_json over the same records (the ceiling for loading them at all).
  wh = await freshWarehouse(join(dir, 'native.duckdb'));
  start = performance.now();
  await wh.run(`CREATE TABLE native_records AS SELECT * FROM read_json('${join(dir, 'records.jsonl').replaceAll("'", "''")}', format = 'newline_delimited', union_by_name = true)`);
  const nativeSeconds = (performance.now() - start) / 1000;
  const [native] = await wh.all<{ n: number }>('SELECT count(*) AS n FROM native_records');
  wh.close();
  log(`native read_json: ${nativeSeconds.toFixed(1)} s, ${native.n} records`);
  const floor = await landingFloor(dir);
  log(`DuckDB alone landing the same records raw: ${floor.rawSeconds.toFixed(1)} s; raw and ledger: ${floor.rawAndLedgerSeconds.toFixed(1)} s`);

  // 3. Over HTTP against the replica serving the same pages from its own process.
  let replicaSeconds = NaN;
  let replicaInteractions = 0;
  if (!args.includes('--skip-replica')) {
    const serve = fileURLToPath(new URL('../replicas/serve.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', serve, 'zendesk-recorded', join(dir, 'pages')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          const m = /replica (\S+)/.exec(d);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`replica exited ${code}`)));
      });
      wh = await freshWarehouse(join(dir, 'replica.duckdb'), IMPORT_MEMORY);
      start = performance.now();
      const httpRun = await runIngest({ warehouse: wh, adapter: zendeskAdapter, batchSize: BATCH, options: { baseUrl: url, ...credentials.zendesk, concurrency: 2 },
        onProgress: progress('replica', () => start) });
      replicaSeconds = (performance.now() - start) / 1000;
      if (httpRun.status !== 'succeeded') throw new Error(`replica run failed: ${httpRun.error}`);
      replicaInteractions = (await wh.all<{ n: number }>('SELECT count(*) AS n FROM interactions'))[0].n;
      wh.close();
      log(`replica: ${replicaSeconds.toFixed(1)} s, ${replicaInteractions} interactions`);
    } finally {
      child.kill();
    }
  }
  for (const f of ['file-import.duckdb', 'native.duckdb', 'replica.duckdb']) rmSync(join(dir, f), { force: true });

  // 4. The other adapters, each over its own replica (Intercom, HubSpot, Aircall, Salesforce, Twilio).
  const adapterRatios: Record<string, number> = {};
  const perAdapter: Record<string, number> = {};
  if (!args.includes('--skip-adapters')) {
    const adaptersDir = join(dir, 'adapters');
    mkdirSync(adaptersDir, { recursive: true });
    try {
      for (const name of adapterNames()) {
        const r = await adapterFigures(name, arg(args, 'adapter-scale', 1), adaptersDir);
        Object.assign(perAdapter, r.figures);
        adapterRatios[`${name}VsNative`] = r.ratio;
      }
    } finally {
      rmSync(adaptersDir, { recursive: true, force: true });
    }
  }

  const fileRate = records / fileSeconds;
  const nativeRate = native.n / nativeSeconds;
  return {
    figures: {
      interactions: counts.tickets,
      nativeRawLandingSeconds: round(floor.rawSeconds),
      nativeRawAndLedgerSeconds: round(floor.rawAndLedgerSeconds),
      events: landed.e,
      vendorRecords: records,
      fileImportSeconds: round(fileSeconds),
      fileRecordsPerSecond: Math.round(fileRate),
      fileInteractionsPerSecond: Math.round(counts.tickets / fileSeconds),
      nativeReadJsonSeconds: round(nativeSeconds),
      nativeRecordsPerSecond: Math.round(nativeRate),
      replicaSeconds: round(replicaSeconds),
      replicaInteractionsPerSecond: Math.round(replicaInteractions / replicaSeconds) || 0,
      // The machine is shared: the 1-minute load average when the suite started and ended.
      loadAverageStart: round(loadAtStart),
      loadAverageEnd: round(loadavg()[0]),
      ...perAdapter,
    },
    ratios: {
      fileVsNative: round(fileRate / nativeRate, 4),
      // The best fileVsNative any importer could reach that keeps each raw payload (as the issue
      // asks), and one that also keeps the ledger exactly-once needs: DuckDB doing only that.
      rawLandingCeiling: round(nativeSeconds / floor.rawSeconds, 4),
      rawAndLedgerCeiling: round(nativeSeconds / floor.rawAndLedgerSeconds, 4),
      ...adapterRatios,
    },
  };
}

/**
 * What landing the JSONL costs DuckDB alone, with none of our code in the way: each record's raw
 * JSON into `raw_records` (as the issue requires every fetched record to land), then the same plus
 * one ledger row per record (the primary-keyed table that makes re-runs exactly-once). No parsing
 * into canonical rows at all, so these are floors for any importer, and `read_json` over the same
 * file divided by them is the ceiling of `fileVsNative`. Each on a fresh warehouse of the real schema.
 */
async function landingFloor(dir: string): Promise<{ rawSeconds: number; rawAndLedgerSeconds: number }> {
  const jsonl = `read_ndjson_objects('${join(dir, 'records.jsonl').replaceAll("'", "''")}')`;
  const timedOn = async (file: string, sql: string) => {
    const wh = await freshWarehouse(join(dir, file));
    try {
      const start = performance.now();
      await wh.run(sql);
      return (performance.now() - start) / 1000;
    } finally {
      wh.close();
      rmSync(join(dir, file), { force: true });
      rmSync(join(dir, `${file}.wal`), { force: true });
    }
  };
  const rawSeconds = await timedOn('floor-raw.duckdb',
    `INSERT INTO raw_records SELECT 'zendesk', 'records', coalesce(json->>'id', ''), now(), 'floor', json FROM ${jsonl}`);
  // Native ids repeat across streams (ticket 7, user 7), so the ledger key adds the line number.
  const rawAndLedgerSeconds = await timedOn('floor-ledger.duckdb', `BEGIN TRANSACTION;
    CREATE TEMP TABLE lines AS SELECT json, coalesce(json->>'id', '') || ':' || row_number() OVER () AS native_id FROM ${jsonl};
    INSERT INTO raw_records SELECT 'zendesk', 'records', native_id, now(), 'floor', json FROM lines;
    INSERT INTO ingest_records SELECT 'zendesk', 'records', native_id, coalesce(json->>'updated_at', ''), 'floor' FROM lines;
    COMMIT`);
  return { rawSeconds, rawAndLedgerSeconds };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
