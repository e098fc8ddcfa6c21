import { randomUUID } from 'node:crypto';
import type { Warehouse } from '@helpdesk/core';
import type { Adapter, PageRead, ReadContext, StreamSpec } from './adapter.ts';
import { prepareBatch, type BatchInput } from './batch-preparation.ts';
import { commitStaged, resequenceEvents, stageBatch, type BatchCounts } from './batch-writer.ts';
import { withCommitLanes } from './commit-lanes.ts';
import { defaultEffects, type Effects } from './effects.ts';
import type { HttpClient } from './http-client.ts';
import { IngestError } from './errors.ts';
import { describeZodError } from './options.ts';
import { RecordedFolder } from './recorded-folder.ts';

export type RunMode = 'incremental' | 'full' | 'file';

export interface StreamStats {
  fetched: number;
  /** Copies of a record seen again in the same batch (the same record on two pages). */
  duplicates: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  /** Interactions the vendor reports deleted (removed from the warehouse, or never landed). */
  deleted: number;
  /** Source rows left out by the source's own rule (a mapping's `exclude`), never written. */
  excluded: number;
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
  /** False: the run's writes are left in the WAL for the caller to checkpoint (the pipeline does, after its last stage). */
  checkpoint?: boolean;
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
  // every few batches and was most of the commit time. Rows not yet checkpointed are held in
  // DuckDB's memory, though, so a bulk import of gigabytes checkpoints every 256 MB of WAL.
  const [{ threshold }] = await wh.all<{ threshold: string }>("SELECT current_setting('checkpoint_threshold') AS threshold");
  await wh.run("SET GLOBAL checkpoint_threshold = '256MB'");
  const stats: Record<string, StreamStats> = {};
  const skippedPages: RunResult['skippedPages'] = [];
  let error: string | null = null;
  const http = run.fromDir || !adapter.http ? undefined : adapter.http(options, effects);
  try {
    const streams = adapter.streams.filter((s) => !run.streams || run.streams.includes(s.name));
    for (const stream of streams) checkStreamSpec(adapter.name, stream);
    const folder = run.fromDir ? await RecordedFolder.open(run.fromDir, streams) : undefined;
    // Batches go through two lanes (commit-lanes.ts): the next batch is prepared and staged while
    // DuckDB commits this one; commits stay in order.
    await withCommitLanes(wh, async (lanes) => {
      for (const stream of streams) {
        const s: StreamStats = (stats[stream.name] = { fetched: 0, duplicates: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0, deleted: 0, excluded: 0, pages: 0, retries: 0, errors: 0 });
        const stateKey = run.fromDir ? `${stream.name}@file` : stream.name;
        const state = run.fullRefresh ? null : await loadState(wh, adapter.name, stateKey);
        const pages: AsyncIterable<PageRead> = folder
          ? folder.pagesOf(stream, state)
          : stream.read(readContext(adapter.name, { options, http, state, from: resumeFrom(stream, state), since: run.since ?? null, effects }));
        let buffer: PageRead[] = [];
        let buffered = 0;
        let checkpoint: string | undefined;
        const flush = async () => {
          if (buffer.length === 0 && checkpoint === undefined) return;
          const input: BatchInput = {
            runId, source: adapter.name, stream, pages: buffer, checkpoint, stateKey, now: effects.now,
            options: (options ?? run.options ?? {}) as Record<string, unknown>,
          };
          buffer = [];
          buffered = 0;
          checkpoint = undefined;
          await lanes.submit((connection, inOrder) => (async () => {
            let prepared = await prepareBatch(input, true);
            s.duplicates += prepared.duplicates;
            let counts: BatchCounts;
            try {
              const staged = await stageBatch(connection, prepared.batch);
              await inOrder;
              counts = await commitStaged(connection, staged);
            } catch (error) {
              await inOrder;
              // Page texts DuckDB could not cut the records out of (a list of another length
              // than JSON.parse saw, an escape it refuses): write the batch once more with each
              // payload serialised here. A second failure is the run's error.
              if (prepared.batch.pages.length === 0) throw error;
              prepared = await prepareBatch(input, false);
              counts = await commitStaged(connection, await stageBatch(connection, prepared.batch));
            }
            // Counted only after the commit, so the run log never claims rows a rollback removed.
            s.inserted += counts.inserted;
            s.updated += counts.updated;
            s.unchanged += counts.unchanged;
            s.quarantined += counts.quarantined;
            s.deleted += counts.deleted;
            s.excluded += prepared.excluded;
            run.onProgress?.(stream.name, { ...s });
          })());
        };
        const retriesBefore = http?.stats.retries ?? 0;
        for await (const page of pages) {
          s.pages++;
          s.fetched += page.records.length;
          if (http) s.retries = http.stats.retries - retriesBefore;
          buffer.push(page);
          buffered += page.records.length;
          if (page.checkpoint !== undefined) checkpoint = page.checkpoint;
          if (buffered >= (run.batchSize ?? 2000)) await flush();
        }
        await flush();
        await lanes.committed();
        if (http) s.retries = http.stats.retries - retriesBefore;
      }
    });
    if (folder) skippedPages.push(...(await folder.unclaimed(adapter)));
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
  if (run.checkpoint !== false) await wh.checkpoint().catch(() => undefined);
  const finishedAt = new Date(effects.now()).toISOString();
  const status = error ? 'failed' : 'succeeded';
  const errorCount = http?.stats.errors.length ?? 0;
  const logged = { streams: stats, requests: http?.stats.requests ?? 0, transientErrors: errorCount, skippedPages };
  await wh.run(`UPDATE ingest_runs SET finished_at = $2::TIMESTAMPTZ, status = $3, stats = $4::JSON, error = $5 WHERE id = $1`, [
    runId, finishedAt, status, JSON.stringify(logged), error,
  ]);
  return { runId, source: adapter.name, mode, status, startedAt, finishedAt, stats, skippedPages, error };
}

/**
 * Where a stream's incremental read resumes: its committed cursor moved back by the declared
 * look-back, in the cursor's own format (a whole second of Unix time, milliseconds, or ISO-8601
 * UTC); null when nothing is committed.
 *
 * @example
 * resumeFrom({ ...stream, cursorFormat: 'unix-seconds', lookBackSeconds: 60 }, '1700000060') // '1700000000'
 */
export function resumeFrom(stream: Pick<StreamSpec, 'name' | 'cursorFormat' | 'lookBackSeconds'>, state: string | null): string | null {
  if (state === null || stream.lookBackSeconds === 0) return state;
  const back = stream.lookBackSeconds;
  switch (stream.cursorFormat) {
    case 'unix-seconds':
      return String(Math.max(0, Number(state) - back));
    case 'unix-ms':
      return String(Math.max(0, Number(state) - back * 1000));
    case 'iso':
      return new Date(Math.max(0, Date.parse(state) - back * 1000)).toISOString();
    default:
      throw new IngestError(`stream ${stream.name}: a look-back needs a time cursor, not "${stream.cursorFormat}"`, 'options');
  }
}

/** A stream's declaration must be one the runner can apply: a look-back needs a time cursor, a cursor field must be a field of the schema. */
function checkStreamSpec(source: string, stream: StreamSpec): void {
  const where = `${source} stream ${stream.name}`;
  const timeCursor = stream.cursorFormat === 'unix-seconds' || stream.cursorFormat === 'unix-ms' || stream.cursorFormat === 'iso';
  if (!Number.isFinite(stream.lookBackSeconds) || stream.lookBackSeconds < 0) throw new IngestError(`${where}: lookBackSeconds must be zero or more`, 'options');
  if (stream.lookBackSeconds > 0 && !timeCursor) throw new IngestError(`${where}: a look-back needs a time cursor, not "${stream.cursorFormat}"`, 'options');
  if (timeCursor && !stream.cursorField) throw new IngestError(`${where}: a time cursor names the record field it is read from (cursorField)`, 'options');
  // A nested field (`properties.hs_lastmodifieddate`) is checked by its top-level member.
  const shape = (stream.schema as { shape?: Record<string, unknown> }).shape;
  if (stream.cursorField && shape && !(stream.cursorField.split('.')[0] in shape)) {
    throw new IngestError(`${where}: the cursor field ${stream.cursorField} is not a field of the stream's schema`, 'options');
  }
}

/** The read context; a file source has no HTTP client, and a stream that reaches for one is a bug said plainly. */
function readContext<O>(source: string, ctx: Omit<ReadContext<O>, 'http'> & { http: HttpClient | undefined }): ReadContext<O> {
  const { http, ...rest } = ctx;
  if (http) return { ...rest, http };
  return Object.defineProperty(rest, 'http', {
    get: () => {
      throw new IngestError(`${source} is a file source: it has no HTTP client`, 'options');
    },
  }) as ReadContext<O>;
}

async function loadState(wh: Warehouse, source: string, stream: string): Promise<string | null> {
  const rows = await wh.all<{ cursor: string | null }>('SELECT cursor FROM ingest_state WHERE source = $1 AND stream = $2', [source, stream]);
  return rows[0]?.cursor ?? null;
}
