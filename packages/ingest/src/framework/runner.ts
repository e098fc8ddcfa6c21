import { randomUUID } from 'node:crypto';
import {
  AgentRecord, CustomerAttributeRecord, EventRecord, IdentityRecord, InteractionRecord, QueueRecord, TeamRecord,
  type Warehouse,
} from '@helpdesk/core';
import type { z } from 'zod';
import type { Adapter, CanonicalRows, PageRead, StreamSpec } from './adapter.ts';
import { commitBatch, resequenceEvents, type LandedRecord, type QuarantinedRecord } from './batch-writer.ts';
import { defaultEffects, type Effects } from './effects.ts';
import { IngestError } from './errors.ts';
import { describeZodError } from './options.ts';
import { listRecordedPages, readRecordedPage } from './recorded-pages.ts';

export type RunMode = 'incremental' | 'full' | 'file';

export interface StreamStats {
  fetched: number;
  /** Copies of a record seen again in the same batch (the same record on two pages). */
  duplicates: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  pages: number;
  retries: number;
  errors: number;
}

export interface RunOptions {
  warehouse: Warehouse;
  adapter: Adapter;
  /** Connection options, validated with the adapter's schema (unless reading recorded pages). */
  options?: unknown;
  /** Read recorded pages from this folder instead of the API. */
  fromDir?: string;
  /** ISO date; where a first incremental run starts. */
  since?: string | null;
  /** Ignore stored cursors and read everything again (rows merge, nothing doubles). */
  fullRefresh?: boolean;
  /** Records per transaction (whole pages are never split). */
  batchSize?: number;
  /** Only these streams. */
  streams?: string[];
  effects?: Partial<Effects>;
  onProgress?: (stream: string, stats: StreamStats) => void;
}

export interface RunResult {
  runId: string;
  source: string;
  mode: RunMode;
  status: 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string;
  stats: Record<string, StreamStats>;
  /** Pages of a recorded folder that hold no records, and why. */
  skippedPages: { file: string; reason: string }[];
  error: string | null;
}

const canonicalSchemas: Record<keyof CanonicalRows, z.ZodType> = {
  interactions: InteractionRecord, events: EventRecord, identities: IdentityRecord, agents: AgentRecord,
  teams: TeamRecord, queues: QueueRecord, customer_attributes: CustomerAttributeRecord,
};

/**
 * Runs one adapter into the warehouse: every stream in turn, page by page; each batch of whole
 * pages is validated, normalized and committed in one transaction together with the stream's
 * cursor, so a run killed at any moment resumes without losing or doubling a record.
 *
 * @example
 * const wh = await Warehouse.open('data/helpdesk.duckdb');
 * const result = await runIngest({ warehouse: wh, adapter: zendeskAdapter, options: { baseUrl, email, apiToken } });
 * console.log(result.status, result.stats.tickets.inserted);
 */
export async function runIngest(run: RunOptions): Promise<RunResult> {
  const { warehouse: wh, adapter } = run;
  const effects = defaultEffects(run.effects);
  const mode: RunMode = run.fromDir ? 'file' : run.fullRefresh ? 'full' : 'incremental';
  let options: unknown = undefined;
  if (!run.fromDir) {
    const parsed = adapter.options.safeParse(run.options ?? {});
    if (!parsed.success) throw new IngestError(`${adapter.name} options: ${describeZodError(parsed.error, adapter.optionMeta)}`, 'options');
    options = parsed.data;
  }
  const runId = `${adapter.name}-${new Date(effects.now()).toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date(effects.now()).toISOString();
  // One job at a time per source: a run still marked running was killed; say so in the log.
  await wh.run(
    `UPDATE ingest_runs SET status = 'failed', finished_at = $2::TIMESTAMPTZ, error = 'interrupted (the process stopped before finishing)'
     WHERE source = $1 AND status = 'running'`,
    [adapter.name, startedAt],
  );
  await wh.run(`INSERT INTO ingest_runs VALUES ($1, $2, $3, $4::TIMESTAMPTZ, NULL, 'running', '{}', NULL)`, [runId, adapter.name, mode, startedAt]);

  // Bulk loading: DuckDB's automatic checkpoint (every 16 MB of WAL by default) rewrote the file
  // every few batches and was most of the commit time; checkpoint once at the end instead.
  const [{ threshold }] = await wh.all<{ threshold: string }>("SELECT current_setting('checkpoint_threshold') AS threshold");
  await wh.run("SET GLOBAL checkpoint_threshold = '1GB'");
  const stats: Record<string, StreamStats> = {};
  const skippedPages: RunResult['skippedPages'] = [];
  let error: string | null = null;
  const http = run.fromDir ? undefined : adapter.http(options, effects);
  try {
    const streams = adapter.streams.filter((s) => !run.streams || run.streams.includes(s.name));
    // Recorded pages are read lazily, one file at a time. When files sit in folders named after
    // streams, a stream reads only its folder; otherwise each stream looks at every file.
    let files: string[] | undefined;
    const claimed = new Set<string>();
    if (run.fromDir) {
      files = await listRecordedPages(run.fromDir);
    }
    const byFolder = files?.some((f) => streams.some((s) => f.startsWith(`${s.name}/`))) ?? false;
    const filesOf = (stream: StreamSpec) => (byFolder ? files!.filter((f) => f.startsWith(`${stream.name}/`)) : files!);
    const ownerOfBadFile = (file: string) => streams.find((x) => file.startsWith(`${x.name}/`)) ?? streams[0];
    for (const stream of streams) {
      const s: StreamStats = (stats[stream.name] = { fetched: 0, duplicates: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0, pages: 0, retries: 0, errors: 0 });
      const stateKey = run.fromDir ? `${stream.name}@file` : stream.name;
      const state = run.fullRefresh ? null : await loadState(wh, adapter.name, stateKey);
      const pages: AsyncIterable<PageRead> = files
        ? recordedPagesOf(stream, run.fromDir!, filesOf(stream), state, claimed, (file) => ownerOfBadFile(file) === stream)
        : stream.read({ options, http: http!, state, since: run.since ?? null, effects });
      let buffer: unknown[] = [];
      let checkpoint: string | undefined;
      let bufferQuarantine: QuarantinedRecord[] = [];
      const flush = async () => {
        if (buffer.length === 0 && bufferQuarantine.length === 0 && checkpoint === undefined) return;
        await commitRecords(wh, { runId, source: adapter.name, stream, records: buffer, extraQuarantine: bufferQuarantine, checkpoint, stateKey, stats: s, now: effects.now, options: (options ?? run.options ?? {}) as Record<string, unknown> });
        buffer = [];
        bufferQuarantine = [];
        checkpoint = undefined;
        run.onProgress?.(stream.name, { ...s });
      };
      const retriesBefore = http?.stats.retries ?? 0;
      for await (const page of pages) {
        s.pages++;
        s.fetched += page.records.length;
        if (http) s.retries = http.stats.retries - retriesBefore;
        buffer.push(...page.records);
        if (page.quarantine) bufferQuarantine.push(...page.quarantine);
        if (page.checkpoint !== undefined) checkpoint = page.checkpoint;
        if (buffer.length >= (run.batchSize ?? 2000)) await flush();
      }
      await flush();
      if (http) s.retries = http.stats.retries - retriesBefore;
    }
    if (files) {
      // Files no stream took: say why (the adapter knows its non-record pages), never drop silently.
      for (const file of files.filter((f) => !claimed.has(f) && !(byFolder && streams.some((s) => f.startsWith(`${s.name}/`))))) {
        const page = await readRecordedPage(run.fromDir!, file);
        if (page.error) continue;
        skippedPages.push({ file, reason: adapter.explainNonRecordPage?.(page.body, file) ?? `${file}: no stream of this adapter recognises the page` });
      }
    }
    // Events committed with provisional numbers (this run's, or a killed run's) get their final seq.
    await wh.transaction((c) => resequenceEvents(c));
    const changed = Object.values(stats).some((st) => st.inserted + st.updated > 0);
    for (const stage of changed ? (adapter.stages ?? []) : []) {
      try {
        await wh.transaction((c) => c.run(stage.sql).then(() => undefined));
      } catch (e) {
        throw new IngestError(`stage ${stage.name} failed: ${(e as Error).message.split('\n')[0]}`, 'payload');
      }
    }
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    effects.log('error', error);
  }
  await wh.run('SET GLOBAL checkpoint_threshold = $1', [threshold]).catch(() => undefined);
  await wh.checkpoint().catch(() => undefined);
  const finishedAt = new Date(effects.now()).toISOString();
  const status = error ? 'failed' : 'succeeded';
  const errorCount = http?.stats.errors.length ?? 0;
  const logged = { streams: stats, requests: http?.stats.requests ?? 0, transientErrors: errorCount, skippedPages };
  await wh.run(`UPDATE ingest_runs SET finished_at = $2::TIMESTAMPTZ, status = $3, stats = $4::JSON, error = $5 WHERE id = $1`, [
    runId, finishedAt, status, JSON.stringify(logged), error,
  ]);
  return { runId, source: adapter.name, mode, status, startedAt, finishedAt, stats, skippedPages, error };
}

async function loadState(wh: Warehouse, source: string, stream: string): Promise<string | null> {
  const rows = await wh.all<{ cursor: string | null }>('SELECT cursor FROM ingest_state WHERE source = $1 AND stream = $2', [source, stream]);
  return rows[0]?.cursor ?? null;
}

/** Recorded pages of one stream in file-name order, resuming after the committed file. */
async function* recordedPagesOf(
  stream: StreamSpec, dir: string, files: string[], state: string | null, claimed: Set<string>, ownsBadFile: (file: string) => boolean,
): AsyncIterable<PageRead> {
  for (const file of files) {
    if (state !== null && file <= state) {
      claimed.add(file);
      continue;
    }
    const page = await readRecordedPage(dir, file);
    if (page.error) {
      // A page file that is not JSON is quarantined once, with its text: by the stream its folder
      // is named after, else by the first stream.
      if (!ownsBadFile(file)) continue;
      claimed.add(file);
      yield { records: [], checkpoint: file, quarantine: [{ nativeId: null, reason: `${file}: ${page.error}`, payload: page.text }] };
      continue;
    }
    const records = stream.recordsOfPage(page.body);
    if (records === undefined) continue;
    claimed.add(file);
    yield { records, checkpoint: file };
  }
}

interface CommitInput {
  runId: string;
  source: string;
  stream: StreamSpec;
  records: unknown[];
  extraQuarantine: QuarantinedRecord[];
  checkpoint: string | undefined;
  stateKey: string;
  stats: StreamStats;
  now: () => number;
  options: Record<string, unknown>;
}

/**
 * Validates, de-duplicates, classifies against the ledger and normalizes one batch, then commits
 * it. Within a batch the highest version of a record wins (the same record on two pages, or a
 * record updated between two pages); across batches the ledger does the same.
 */
async function commitRecords(wh: Warehouse, input: CommitInput): Promise<void> {
  const { stream, stats } = input;
  const quarantined: QuarantinedRecord[] = [...input.extraQuarantine];
  const latest = new Map<string, { record: any; version: string; raw: unknown }>();
  for (const raw of input.records) {
    const parsed = stream.schema.safeParse(raw);
    if (!parsed.success) {
      quarantined.push({ nativeId: guessId(raw, stream.primaryKey), reason: `${stream.name}: ${describeZodError(parsed.error)}`, payload: JSON.stringify(raw) });
      continue;
    }
    const id = stream.nativeId(parsed.data);
    const version = stream.version(parsed.data);
    const seen = latest.get(id);
    if (seen) stats.duplicates++;
    if (!seen || isNewer(stream, version, seen.version)) latest.set(id, { record: parsed.data, version, raw });
  }
  const known = new Map<string, string>();
  if (latest.size) {
    const rows = await wh.all<{ native_id: string; version: string }>(
      'SELECT native_id, version FROM ingest_records WHERE source = $1 AND stream = $2 AND native_id IN (SELECT unnest(from_json($3, \'["VARCHAR"]\')))',
      [input.source, stream.name, JSON.stringify([...latest.keys()])],
    );
    for (const r of rows) known.set(r.native_id, r.version);
  }
  const landed: LandedRecord[] = [];
  for (const [id, { record, version, raw }] of latest) {
    const before = known.get(id);
    if (before !== undefined && (before === version || !isNewer(stream, version, before))) {
      stats.unchanged++;
      continue;
    }
    let rows: CanonicalRows;
    try {
      rows = stream.normalize(record, input.options);
      for (const [table, list] of Object.entries(rows) as [keyof CanonicalRows, unknown[]][]) {
        for (const row of list ?? []) {
          const check = canonicalSchemas[table].safeParse(row);
          if (!check.success) throw new Error(`normalized ${table} row is invalid: ${describeZodError(check.error)}`);
        }
      }
    } catch (e) {
      quarantined.push({ nativeId: id, reason: `${stream.name}: ${(e as Error).message}`, payload: JSON.stringify(raw) });
      continue;
    }
    landed.push({ nativeId: id, version, payload: raw, rows, isUpdate: before !== undefined });
  }
  await wh.transaction((connection) =>
    commitBatch(connection, {
      runId: input.runId, source: input.source, stream: stream.name, fetchedAt: new Date(input.now()).toISOString(),
      landed, quarantined, checkpoint: input.checkpoint, stateKey: input.stateKey,
    }),
  );
  // Counted only after the commit, so the run log never claims rows a rollback removed.
  for (const l of landed) l.isUpdate ? stats.updated++ : stats.inserted++;
  stats.quarantined += quarantined.length;
}

function isNewer(stream: StreamSpec, candidate: string, than: string): boolean {
  return stream.versionOrder === 'time' ? candidate > than : candidate !== than;
}

function guessId(raw: unknown, key: string): string | null {
  const value = (raw as Record<string, unknown> | null)?.[key];
  return value === undefined || value === null ? null : String(value);
}
