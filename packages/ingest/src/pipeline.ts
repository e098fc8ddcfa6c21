import { applyDeferredWrites, readUntilWritten, resolveIdentities, threadCases, type MatcherConfig, type Warehouse } from '@helpdesk/core';
import type { RunResult } from './framework/runner.ts';

/**
 * The pipeline: the ONE place that declares what happens after data lands and in which order.
 * Every load (`helpdesk ingest`, a scheduled or on-demand sync in the server, the demo build, an
 * old warehouse opened for metrics) runs it:
 *
 *   ingest (each source, once) -> identity resolution (incremental) -> case threading -> intent -> facts refresh
 *
 * Each stage is logged in `pipeline_stages` with its timing, counts and error. Resolution and
 * threading each run in one transaction, so a failed stage leaves the last consistent state (the
 * screens, reading through other connections, never see half of it) and the stages after it are
 * logged as skipped with the reason.
 */
export const pipelineStages = ['ingest', 'resolve', 'thread', 'intent', 'facts'] as const;
export type PipelineStage = (typeof pipelineStages)[number];

/** DuckDB's checkpoint threshold while a pipeline runs (the ingest runner's for bulk loads). */
const deferredCheckpointThreshold = '256MB';

/** What started a pipeline run (shown in the run log). */
export type PipelineTrigger = 'ingest' | 'sync' | 'demo' | 'resolve' | 'open';

/** One source's ingest: a real run (its result goes in the log), or rows written another way (the demo's direct writer). */
export interface IngestStep {
  source: string;
  run: () => Promise<RunResult | { counts: Record<string, number> }>;
}

/**
 * The facts refresh: rebuilds what metrics derive from the warehouse and returns counts for the
 * log. Metrics own it (`refreshFacts` in @helpdesk/metrics); callers pass it in so that ingest
 * does not depend on metrics.
 */
export type FactsRefresh = (warehouse: Warehouse) => Promise<Record<string, unknown>>;

/**
 * The intent stage: labels the contacts whose source gave no intent (rules, then the text
 * classifier) and returns counts for the log. It reads the settings, which metrics own
 * (`labelIntentsStage` in @helpdesk/metrics); `full` relabels what it labelled before.
 */
export type IntentLabelling = (warehouse: Warehouse, options: { full: boolean }) => Promise<Record<string, unknown>>;

export interface PipelineOptions {
  warehouse: Warehouse;
  trigger: PipelineTrigger;
  /** The last stage (see FactsRefresh). */
  facts: FactsRefresh;
  /** The intent stage, before facts (see IntentLabelling); absent: not run and not logged. */
  intents?: IntentLabelling;
  /** The ingest stage: one step per source, run in this order. None: only the stages after it. */
  ingest?: IngestStep[];
  /** False (`--no-resolve`): stop after ingest; resolution, threading and facts are logged as skipped. */
  resolve?: boolean;
  /** Relink every contact and refit the model instead of matching new identities only. */
  fullResolve?: boolean;
  /** Matcher config for a refit (default: the warehouse config, or the last run's). */
  config?: MatcherConfig;
  /** Run the later stages even when no ingest step changed anything and nothing is unresolved. */
  force?: boolean;
  /** Clock for run ids and logged times (the demo's fixed end, so that a build is reproducible). */
  now?: () => Date;
  /** The run id (default `pipe-<time>`). */
  runId?: string;
  /** Called as each stage starts, e.g. `ingest zendesk`, `resolve`. */
  onStage?: (label: string) => void;
}

export interface StageRecord {
  seq: number;
  stage: PipelineStage;
  source: string | null;
  ingestRunId: string | null;
  startedAt: string;
  seconds: number;
  status: 'succeeded' | 'failed' | 'skipped';
  counts: Record<string, unknown>;
  error: string | null;
}

export interface PipelineResult {
  runId: string;
  trigger: PipelineTrigger;
  status: 'succeeded' | 'failed';
  /** The first failure, one line, naming its stage. */
  error: string | null;
  stages: StageRecord[];
  /** The ingest runs of this pipeline run, in order. */
  ingestRuns: RunResult[];
}

/**
 * Runs the pipeline once and logs it. Never throws for a failed stage: the result (and the log)
 * says which stage failed and why. It throws only when the run log itself cannot be written.
 *
 * @example
 * const result = await runPipeline({ warehouse: wh, trigger: 'ingest', facts: refreshFacts, ingest: [{ source: 'zendesk', run: () => runIngest({ warehouse: wh, adapter, fromDir }) }] });
 * result.stages.map((s) => `${s.stage} ${s.status} ${s.seconds.toFixed(1)} s`);
 */
export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const wh = o.warehouse;
  const now = o.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const runId = o.runId ?? `pipe-${startedAt.replace(/[-:.TZ]/g, '')}-${Math.random().toString(36).slice(2, 8)}`;
  await wh.run(
    `UPDATE pipeline_runs SET status = 'failed', finished_at = $1::TIMESTAMPTZ, error = 'interrupted (the process stopped before finishing)' WHERE status = 'running'`,
    [startedAt],
  );
  await wh.run(`INSERT INTO pipeline_runs VALUES ($1, $2, $3::TIMESTAMPTZ, NULL, 'running', NULL)`, [runId, o.trigger, startedAt]);
  const stages: StageRecord[] = [];
  const ingestRuns: RunResult[] = [];
  let firstError: string | null = null;

  const log = async (record: Omit<StageRecord, 'seq'>) => {
    const row: StageRecord = { seq: stages.length + 1, ...record };
    stages.push(row);
    if (row.error && row.status === 'failed' && !firstError) firstError = `${label(row)}: ${row.error}`;
    await wh.run(`INSERT INTO pipeline_stages VALUES ($1, $2, $3, $4, $5, $6::TIMESTAMPTZ, $7, $8, $9::JSON, $10)`, [
      runId, row.seq, row.stage, row.source, row.ingestRunId, row.startedAt, row.seconds, row.status, JSON.stringify(row.counts), row.error,
    ]);
  };
  /** Times one stage; its function returns the counts, or throws the stage's failure. */
  const timed = async (stage: PipelineStage, work: () => Promise<Record<string, unknown>>, source: string | null = null) => {
    o.onStage?.(source ? `${stage} ${source}` : stage);
    const at = now().toISOString();
    const t0 = performance.now();
    try {
      const counts = await work();
      await log({ stage, source, ingestRunId: null, startedAt: at, seconds: elapsed(t0), status: 'succeeded', counts, error: null });
      return true;
    } catch (error) {
      await log({ stage, source, ingestRunId: null, startedAt: at, seconds: elapsed(t0), status: 'failed', counts: {}, error: oneLine(error) });
      return false;
    }
  };
  const skip = async (stage: PipelineStage, reason: string) =>
    log({ stage, source: null, ingestRunId: null, startedAt: now().toISOString(), seconds: 0, status: 'skipped', counts: {}, error: reason });

  // The WAL is checkpointed once, after the last stage, rather than by the ingest and by whichever
  // stage's commit crosses DuckDB's 16 MB threshold: a checkpoint rewrites the changed row groups
  // of the whole file (seconds at 200k interactions), and before the facts stage it only delays
  // the moment the screens show the new data.
  const [{ threshold }] = await wh.all<{ threshold: string }>("SELECT current_setting('checkpoint_threshold') AS threshold");
  await wh.run(`SET GLOBAL checkpoint_threshold = '${deferredCheckpointThreshold}'`);
  let status: 'succeeded' | 'failed';
  try {
    // 1. Ingest, each source once, in the order given.
    let changed = false;
    for (const step of o.ingest ?? []) {
      o.onStage?.(`ingest ${step.source}`);
      const at = now().toISOString();
      const t0 = performance.now();
      try {
        const result = await step.run();
        if ('counts' in result) {
          changed ||= Object.values(result.counts).some((n) => n > 0);
          await log({ stage: 'ingest', source: step.source, ingestRunId: null, startedAt: at, seconds: elapsed(t0), status: 'succeeded', counts: result.counts, error: null });
          continue;
        }
        ingestRuns.push(result);
        const counts = ingestCounts(result);
        changed ||= counts.inserted + counts.updated > 0;
        await log({
          stage: 'ingest', source: step.source, ingestRunId: result.runId, startedAt: at, seconds: elapsed(t0),
          status: result.status, counts, error: result.error,
        });
      } catch (error) {
        await log({ stage: 'ingest', source: step.source, ingestRunId: null, startedAt: at, seconds: elapsed(t0), status: 'failed', counts: {}, error: oneLine(error) });
      }
    }

    // 2-4. What depends on the whole warehouse, once per load. What an ingest committed before it
    // failed is consistent (whole pages) and is resolved like the rest.
    if (o.resolve === false) {
      for (const stage of ['resolve', 'thread', ...(o.intents ? ['intent' as const] : []), 'facts'] as const) {
        await skip(stage, 'skipped on request (--no-resolve); run `helpdesk resolve` before reading metrics');
      }
    } else if (!changed && !o.force && !o.fullResolve && (await resolutionState(wh)).resolved) {
      await skip('resolve', 'nothing new to resolve');
      await skip('thread', 'nothing new to thread');
      if (o.intents) await skip('intent', 'nothing new to label');
      await runFacts(timed);
    } else {
      const resolved = await timed('resolve', async () => {
        // What an interrupted run committed but had not copied into place yet comes first.
        await applyDeferredWrites(wh);
        const summary = await wh.atomically((tx) => resolveIdentities(tx, { full: o.fullResolve, config: o.config, now, deferWritesOver: deferResolveWritesOver }));
        // A relink too large to write in its own transaction left the big tables' writes to here.
        const deferred = await applyDeferredWrites(wh);
        if (deferred) summary.attributed = deferred.attributed;
        // The stage's own time is logged beside the counts.
        const { stages: _inner, seconds: _seconds, ...counts } = summary;
        return counts;
      });
      if (!resolved) {
        await skip('thread', 'identity resolution failed; cases are as before');
        if (o.intents) await skip('intent', 'identity resolution failed; intents are as before');
        await skip('facts', 'identity resolution failed; facts are as before');
      } else if (!(await timed('thread', async () => ({ ...(await wh.atomically((tx) => threadCases(tx, undefined, { full: o.fullResolve === true }))) })))) {
        if (o.intents) await skip('intent', 'case threading failed; intents are as before');
        await skip('facts', 'case threading failed; facts are as before');
      } else {
        // A failed labelling leaves the intents as they were; the facts still follow the rest.
        const intents = o.intents;
        if (intents) await timed('intent', () => intents(wh, { full: o.fullResolve === true }));
        await runFacts(timed);
      }
    }

    status = firstError ? 'failed' : 'succeeded';
    await wh.run(`UPDATE pipeline_runs SET finished_at = $2::TIMESTAMPTZ, status = $3, error = $4 WHERE id = $1`, [runId, now().toISOString(), status, firstError]);
  } finally {
    await wh.run('SET GLOBAL checkpoint_threshold = $1', [threshold]).catch(() => undefined);
    await wh.checkpoint().catch(() => undefined);
  }
  return { runId, trigger: o.trigger, status, error: firstError, stages, ingestRuns };

  async function runFacts(time: typeof timed) {
    await time('facts', () => o.facts(wh));
  }
}

/**
 * Identifiers above which a full relink writes the customer ids of `identities`,
 * `customer_attributes` and `interactions` in committed slices after its transaction instead of
 * inside it (see applyDeferredWrites): a million identifiers' updates take about 90 MB that
 * DuckDB cannot spill until the transaction ends.
 */
const deferResolveWritesOver = 1_000_000;

/** Whether identity resolution is up to date: no identity (outside quarantine) lacks a customer, no interaction lacks a case. */
export async function resolutionState(wh: Warehouse): Promise<{ resolved: boolean; unresolvedIdentities: number; unthreadedInteractions: number; everResolved: boolean }> {
  const [row] = await wh.all<{ identities: number; interactions: number; runs: number }>(`SELECT
    (SELECT count(*) FROM identities i WHERE i.customer_id IS NULL AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.id = 'identity:' || i.id))::INTEGER AS identities,
    (SELECT count(*) FROM interactions WHERE case_id IS NULL)::INTEGER AS interactions,
    (SELECT count(*) FROM identity_runs)::INTEGER AS runs`);
  return {
    resolved: row.identities === 0 && row.interactions === 0,
    unresolvedIdentities: row.identities,
    unthreadedInteractions: row.interactions,
    everResolved: row.runs > 0,
  };
}

/**
 * For a warehouse about to be read for metrics: runs the stages after ingest when it was never
 * resolved (an old file, or `--no-resolve`), so metrics never read a weaker customer key. A
 * read-only warehouse cannot be resolved: the one-line error says what to run.
 *
 * @example
 * await ensureResolved(wh, { facts: refreshFacts }); // null when nothing was needed, else the pipeline run
 */
export async function ensureResolved(wh: Warehouse, options: { facts: FactsRefresh; intents?: IntentLabelling; now?: () => Date }): Promise<PipelineResult | null> {
  const state = await resolutionState(wh);
  if (state.resolved) return null;
  if (wh.readOnly) throw new Error(unresolvedMessage(state));
  const result = await runPipeline({ warehouse: wh, trigger: 'open', facts: options.facts, intents: options.intents, now: options.now });
  if (result.status === 'failed') throw new Error(`resolving the warehouse before reading it failed: ${result.error}`);
  return result;
}

/** One line for a warehouse that was never resolved. */
export function unresolvedMessage(state: { unresolvedIdentities: number; unthreadedInteractions: number }): string {
  return `this warehouse is not resolved (${state.unresolvedIdentities.toLocaleString('en')} identities without a customer, ${state.unthreadedInteractions.toLocaleString('en')} interactions without a case): run \`helpdesk resolve\` first`;
}

/** Pipeline runs with their stages, newest first (for `helpdesk runs` and the Sources / Data health screens). */
export interface PipelineRunEntry {
  id: string;
  trigger: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  stages: { seq: number; stage: string; source: string | null; ingest_run_id: string | null; seconds: number | null; status: string; counts: Record<string, unknown>; error: string | null }[];
}

export async function listPipelineRuns(wh: Warehouse, { limit = 20 }: { limit?: number } = {}): Promise<PipelineRunEntry[]> {
  // The Data health and Sources screens ask on every request: read again only after the log was written.
  // A copy for each caller: what one does to it must not reach the next.
  return structuredClone(await readUntilWritten(wh, ['pipeline_runs', 'pipeline_stages'], `pipeline-runs:${limit}`, () => readPipelineRuns(wh, limit)));
}

async function readPipelineRuns(wh: Warehouse, limit: number): Promise<PipelineRunEntry[]> {
  const runs = await wh.all<Omit<PipelineRunEntry, 'stages'>>(
    `SELECT id, trigger, status, started_at, finished_at, error FROM pipeline_runs ORDER BY started_at DESC, id DESC LIMIT $1`, [limit]);
  if (runs.length === 0) return [];
  const stages = await wh.all<PipelineRunEntry['stages'][number] & { run_id: string; counts: string | null }>(
    `SELECT run_id, seq, stage, source, ingest_run_id, seconds, status, counts::VARCHAR AS counts, error FROM pipeline_stages
     WHERE run_id IN (SELECT id FROM pipeline_runs ORDER BY started_at DESC, id DESC LIMIT $1) ORDER BY run_id, seq`, [limit]);
  return runs.map((r) => ({
    ...r,
    stages: stages.filter((s) => s.run_id === r.id).map(({ run_id: _id, counts, ...s }) => ({ ...s, counts: counts ? JSON.parse(counts) : {} })),
  }));
}

function ingestCounts(result: RunResult) {
  const totals = { fetched: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0 };
  for (const s of Object.values(result.stats)) {
    totals.fetched += s.fetched;
    totals.inserted += s.inserted;
    totals.updated += s.updated;
    totals.unchanged += s.unchanged;
    totals.quarantined += s.quarantined;
  }
  return totals;
}

function label(row: StageRecord): string {
  const names: Record<PipelineStage, string> = { ingest: 'ingest', resolve: 'identity resolution', thread: 'case threading', intent: 'intent labelling', facts: 'facts refresh' };
  return row.source ? `${names[row.stage]} of ${row.source}` : names[row.stage];
}

const elapsed = (t0: number) => Math.round(performance.now() - t0) / 1000;
const oneLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];
