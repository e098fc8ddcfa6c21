import type { IntentClassifier, Warehouse } from '@helpdesk/core';
import { ingestScheduler, listRuns, type Effects, type IngestScheduler, type PipelineResult, type RunResult, type SourceStatus } from '@helpdesk/ingest';
import { labelIntentsStage, refreshFacts } from '@helpdesk/metrics';
import type { SourceDescription, SourcesConfig } from './sources-config.ts';

/**
 * The scheduler of the web server's configured sources, wired to the server's one warehouse.
 * Jobs run in the server process (DuckDB allows one process per file), one at a time; screens keep
 * reading through their own connections meanwhile (DuckDB's MVCC: readers see the last commit).
 * Free of SvelteKit imports so that tests drive it directly; `sources.ts` is the server's shell.
 */
export interface SourcesSchedulerOptions {
  config: SourcesConfig;
  warehouse: () => Promise<Warehouse>;
  /** After every finished run (e.g. forget cached screen data). */
  onResult?: (result: RunResult, pipeline: PipelineResult) => void;
  log?: (line: string) => void;
  effects?: Partial<Effects>;
  every?: (ms: number, fn: () => void) => () => void;
  /** Runs the intent stage's classifier (the server: a worker thread; default: in this thread). */
  classify?: IntentClassifier;
}

export function sourcesScheduler(o: SourcesSchedulerOptions): IngestScheduler {
  const log = o.log ?? (() => {});
  return ingestScheduler({
    warehouse: o.warehouse,
    sources: o.config.sources,
    effects: o.effects,
    every: o.every,
    facts: refreshFacts,
    intents: o.classify ? (wh, options) => labelIntentsStage(wh, { ...options, classify: o.classify }) : labelIntentsStage,
    onResult(result, pipeline) {
      log(`ingest ${result.source} ${result.mode} run ${result.runId}: ${result.status}${result.error ? ` (${result.error})` : ''}`);
      const after = pipeline.stages.filter((s) => s.stage !== 'ingest').map((s) => `${s.stage} ${s.status === 'succeeded' ? `${s.seconds.toFixed(1)} s` : s.status}`);
      log(`pipeline ${pipeline.runId}: ${pipeline.status}; ${after.join(', ')}${pipeline.error ? ` (${pipeline.error})` : ''}`);
      o.onResult?.(result, pipeline);
    },
    onError: (source, message) => log(`ingest ${source}: could not run: ${message}`),
  });
}

/**
 * Whether a finished sync changed what the screens show: an ingest that wrote or removed records,
 * a resolution, threading or labelling that ran, or facts that moved on some day. A sync that
 * found nothing new (most scheduled ones) leaves the screens' cached results standing, instead of
 * making every open screen recompute at once.
 *
 * @example
 * onResult: (result, pipeline) => { if (syncChangedData(pipeline)) clearCache(); }
 */
export function syncChangedData(pipeline: PipelineResult): boolean {
  const wrote = pipeline.ingestRuns.some((run) => Object.values(run.stats).some((s) => s.inserted + s.updated + s.deleted + s.quarantined > 0));
  const derived = pipeline.stages.some((s) => (s.stage === 'resolve' || s.stage === 'thread' || s.stage === 'intent') && s.status !== 'skipped');
  const facts = pipeline.stages.find((s) => s.stage === 'facts');
  // A facts stage that did not succeed, or says nothing of the days it touched, may have changed anything.
  const factsMoved = !facts || facts.status !== 'succeeded' || (facts.counts.touchedDays ?? 'all') !== 0;
  return wrote || derived || factsMoved;
}

export type SyncOutcome =
  | { ok: true; source: string; state: 'queued' | 'running'; message: string }
  | { ok: false; status: 404 | 409; source: string; message: string };

/**
 * "Sync now": starts the source's job unless one is already queued or running, which the person
 * is told instead (one job at a time per source). Does not wait for the run.
 *
 * @example
 * requestSync(scheduler, 'zendesk') // { ok: true, state: 'running', message: 'Sync of zendesk started.' }
 */
export function requestSync(scheduler: IngestScheduler, source: string): SyncOutcome {
  const status = scheduler.status().find((s) => s.name === source);
  if (!status) return { ok: false, status: 404, source, message: `There is no configured source named "${printable(source)}".` };
  if (status.state !== 'idle') {
    const what = status.state === 'running' ? `is already syncing (since ${clock(status.since!)})` : `is already waiting for its turn (asked at ${clock(status.since!)})`;
    return { ok: false, status: 409, source, message: `${source} ${what}; one job at a time per source, so nothing new was started.` };
  }
  // Failures are in the run log (or the status's `last`); nobody awaits this promise.
  scheduler.runNow(source).catch(() => undefined);
  const state = scheduler.status().find((s) => s.name === source)!.state as 'queued' | 'running';
  return {
    ok: true, source, state,
    message: state === 'queued' ? `Sync of ${source} queued: it starts when the running job of another source finishes.` : `Sync of ${source} started.`,
  };
}

type RunLogEntry = Awaited<ReturnType<typeof listRuns>>[number];

export interface SourceView extends SourceStatus {
  options: Record<string, unknown>;
  /** The newest runs of this source from the run log (any process: CLI runs too). */
  runs: RunLogEntry[];
}

/** What the Sources screen shows: each configured source, its state, schedule and last runs. */
export async function sourcesView(scheduler: IngestScheduler, described: SourceDescription[], warehouse: Warehouse, runsPerSource = 10): Promise<SourceView[]> {
  const views: SourceView[] = [];
  for (const status of scheduler.status()) {
    const runs = await listRuns(warehouse, { source: status.name, limit: runsPerSource });
    views.push({ ...status, options: described.find((d) => d.name === status.name)?.options ?? {}, runs });
  }
  return views;
}

const clock = (iso: string) => `${iso.slice(11, 19)} UTC`;
const printable = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}...` : text).replace(/[^\x20-\x7e]/g, '?');
