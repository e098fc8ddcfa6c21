// `npm run bench -- adapters [--adapter intercom|salesforce|twilio] [--scale K]`: per-adapter
// throughput over HTTP for the issue-4 API adapters (the Zendesk path is the `ingest` suite).
// For each adapter: its replica serves a seeded world from its own process (as a vendor would), the
// real adapter and runner pull it into a fresh warehouse, and the same vendor records written as
// JSONL are loaded by DuckDB's own read_json (the ceiling for loading them at all).
// Sizes (x K): intercom 1,000 conversations (one GET each, as the API requires), salesforce
// 10,000 contacts (+2,000 accounts) and 5,000 cases with their history, emails, comments, chats,
// users and queues (the case streams' rate is reported on its own), twilio 5,000 parent calls (about 8,000 call records and 20,000 TaskRouter events).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Warehouse } from '@helpdesk/core';
import { adapterByName, runIngest } from '../src/index.ts';
import { salesforceWorld, twilioWorld } from '../replicas/index.ts';
import { intercomWorld } from '../replicas/intercom-world.ts';
import { credentials, credentialsOf } from '../test/support/credentials.ts';

const log = (line: string) => process.stderr.write(`[adapters bench] ${line}\n`);
const SEED = 7;

/**
 * Each adapter: its replica's size at scale 1 and the vendor records of that world (for read_json);
 * `part` names a group of streams read after `after` whose own rate is reported too (from the
 * moment the `after` stream's last batch committed to the end of the run, its stages included).
 */
const plans: Record<string, { size: number; records: (size: number) => unknown[]; part?: { name: string; after: string; streams: string[] } }> = {
  intercom: { size: 1000, records: (n) => { const w = intercomWorld({ seed: SEED, conversations: n }); return [...w.admins, ...w.teams, ...w.contacts, ...w.conversations]; } },
  salesforce: {
    size: 10_000,
    records: (n) => {
      const w = salesforceWorld({ seed: SEED, contacts: n });
      return [...w.accounts, ...w.contacts, ...w.users, ...w.groups, ...w.cases, ...w.caseHistory, ...w.emailMessages, ...w.caseComments, ...w.chatTranscripts];
    },
    part: { name: 'CaseStreams', after: 'contacts', streams: ['users', 'groups', 'cases', 'case_history', 'email_messages', 'case_comments', 'chat_transcripts'] },
  },
  twilio: {
    size: 5000,
    records: (n) => {
      const w = twilioWorld({ seed: SEED, calls: n, accountSid: credentials.twilio.accountSid, workspaceSid: credentials.twilio.workspaceSid });
      return [...w.taskQueues, ...w.calls, ...w.events];
    },
  },
};

async function startServe(kind: string, size: number): Promise<{ url: string; stop: () => void }> {
  const serve = fileURLToPath(new URL('../replicas/serve.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', serve, kind, String(SEED), String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const m = /replica (\S+)/.exec(d);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`${kind} replica exited ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

/** The adapters measured here (Zendesk has its own 1M run in ingest.bench.ts). */
export const adapterNames = (): string[] => Object.keys(plans);

/** One adapter's figures: records, seconds and rates over HTTP, and read_json of the same records. */
export async function adapterFigures(name: string, scale: number, dir: string): Promise<{ figures: Record<string, number>; ratio: number }> {
  const plan = plans[name];
  const size = Math.max(1, Math.round(plan.size * scale));
  const replica = await startServe(name, size);
  let wh = await Warehouse.open(join(dir, `${name}.duckdb`), { memoryLimit: '600MB' });
  let seconds: number;
  let fetched: number;
  let interactions: number;
  const partFigures: Record<string, number> = {};
  try {
    const start = performance.now();
    let afterDone = start;
    const onProgress = plan.part ? (stream: string) => { if (stream === plan.part!.after) afterDone = performance.now(); } : undefined;
    const run = await runIngest({ warehouse: wh, adapter: adapterByName(name), options: { baseUrl: replica.url, ...credentialsOf(name) }, onProgress });
    const end = performance.now();
    seconds = (end - start) / 1000;
    if (run.status !== 'succeeded') throw new Error(`${name} run failed: ${run.error}`);
    fetched = Object.values(run.stats).reduce((a, s) => a + s.fetched, 0);
    if (plan.part) {
      const partRecords = plan.part.streams.reduce((a, st) => a + (run.stats[st]?.fetched ?? 0), 0);
      const partSeconds = (end - afterDone) / 1000;
      partFigures[`${name}${plan.part.name}Records`] = partRecords;
      partFigures[`${name}${plan.part.name}Seconds`] = round(partSeconds);
      partFigures[`${name}${plan.part.name}RecordsPerSecond`] = Math.round(partRecords / partSeconds);
      for (const st of plan.part.streams) partFigures[`${name}_${st}Records`] = run.stats[st]?.fetched ?? 0;
      log(`${name} ${plan.part.streams.join(', ')}: ${partRecords.toLocaleString('en')} records in ${partSeconds.toFixed(1)} s`);
    }
    interactions = (await wh.all<{ n: number }>('SELECT count(*) AS n FROM interactions'))[0].n;
  } finally {
    replica.stop();
    wh.close();
  }
  log(`${name}: ${fetched.toLocaleString('en')} records in ${seconds.toFixed(1)} s (${interactions.toLocaleString('en')} interactions)`);

  const jsonl = join(dir, `${name}.jsonl`);
  const records = plan.records(size);
  writeFileSync(jsonl, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  wh = await Warehouse.open(join(dir, `${name}-native.duckdb`), { memoryLimit: '600MB' });
  let nativeSeconds: number;
  try {
    const start = performance.now();
    await wh.run(`CREATE TABLE native_records AS SELECT * FROM read_json('${jsonl.replaceAll("'", "''")}', format = 'newline_delimited', union_by_name = true, maximum_object_size = 67108864)`);
    nativeSeconds = (performance.now() - start) / 1000;
  } finally {
    wh.close();
  }
  const rate = fetched / seconds;
  const nativeRate = records.length / nativeSeconds;
  return {
    figures: {
      [`${name}Records`]: fetched,
      [`${name}Interactions`]: interactions,
      [`${name}Seconds`]: round(seconds),
      [`${name}RecordsPerSecond`]: Math.round(rate),
      [`${name}NativeReadJsonSeconds`]: round(nativeSeconds),
      ...partFigures,
    },
    ratio: round(rate / nativeRate, 4),
  };
}

export default async function run(args: string[]) {
  const only = args.includes('--adapter') ? args[args.indexOf('--adapter') + 1] : undefined;
  if (only && !plans[only]) throw new Error(`--adapter must be one of ${Object.keys(plans).join(', ')}`);
  const scale = args.includes('--scale') ? Number(args[args.indexOf('--scale') + 1]) : 1;
  const dir = mkdtempSync(join(tmpdir(), 'adapters-bench-'));
  const figures: Record<string, number> = {};
  const ratios: Record<string, number> = {};
  try {
    for (const name of only ? [only] : Object.keys(plans)) {
      const r = await adapterFigures(name, scale, dir);
      Object.assign(figures, r.figures);
      ratios[`${name}VsNative`] = r.ratio;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { figures, ratios };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
