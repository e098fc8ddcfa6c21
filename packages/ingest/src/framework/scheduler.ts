import type { Warehouse } from '@helpdesk/core';
import type { Adapter } from './adapter.ts';
import { defaultEffects, type Effects } from './effects.ts';
import { runPipeline, type FactsRefresh, type IntentLabelling, type PipelineResult } from '../pipeline.ts';
import { runIngest, type RunResult } from './runner.ts';

export interface ScheduledSource {
  adapter: Adapter;
  options: unknown;
  /** Minutes between incremental runs (default 5). */
  everyMinutes?: number;
}

export interface SchedulerOptions {
  /** The warehouse, or how to get it (the web server opens its file lazily). */
  warehouse: Warehouse | (() => Promise<Warehouse>);
  sources: ScheduledSource[];
  effects?: Partial<Effects>;
  /** Timer, injectable for tests; returns a cancel function. */
  every?: (ms: number, fn: () => void) => () => void;
  /** After each job: the ingest run, and the pipeline run it was the first stage of. */
  onResult?: (result: RunResult, pipeline: PipelineResult) => void;
  /** The pipeline's facts stage (see pipeline.ts). */
  facts: FactsRefresh;
  /** The pipeline's intent stage (see pipeline.ts). */
  intents?: IntentLabelling;
  /** A job that could not run at all (bad options, warehouse not openable): one line. */
  onError?: (source: string, message: string) => void;
}

/** Where a source stands, for a status screen. Times are ISO-8601 UTC. */
export interface SourceStatus {
  name: string;
  everyMinutes: number;
  /** `queued`: asked for while another source's job holds the warehouse. */
  state: 'idle' | 'queued' | 'running';
  /** When the current job was asked for (queued) or started (running). */
  since: string | null;
  /** The next scheduled run, once the scheduler is started. */
  nextRunAt: string | null;
  /** The last job that finished in this process: its run id and status, or why it could not run. */
  last: {
    runId: string | null; status: 'succeeded' | 'failed'; finishedAt: string; error: string | null;
    /** The pipeline run (ingest, resolution, threading, facts) the sync was part of. */
    pipeline?: { runId: string; status: 'succeeded' | 'failed'; error: string | null };
  } | null;
}

/**
 * Runs configured sources incrementally on a schedule and on demand, one job at a time per
 * source: a request while that source is queued or running joins that job instead of starting a
 * second one. Jobs of different sources run one after another too: they share the warehouse's
 * write path (event re-sequencing touches every source's events), and DuckDB refuses conflicting
 * concurrent writers. Results land in the run log like any run. Meant for the web server, which
 * owns the warehouse.
 *
 * @example
 * const scheduler = ingestScheduler({ warehouse, facts: refreshFacts, sources: [{ adapter: zendeskAdapter, options, everyMinutes: 5 }] });
 * scheduler.start();
 * await scheduler.runNow('zendesk');   // from the web app's "sync now"
 * scheduler.stop();
 */
export function ingestScheduler(o: SchedulerOptions) {
  const effects = defaultEffects(o.effects);
  const iso = (ms: number) => new Date(ms).toISOString();
  const jobs = new Map<string, { promise: Promise<RunResult>; state: 'queued' | 'running'; since: number }>();
  const last = new Map<string, SourceStatus['last']>();
  const nextAt = new Map<string, number>();
  const cancels: (() => void)[] = [];
  // The tail of the one queue every job waits in; never rejects.
  let tail: Promise<unknown> = Promise.resolve();
  const every = o.every ?? ((ms, fn) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    return () => clearInterval(t);
  });
  const warehouse = typeof o.warehouse === 'function' ? o.warehouse : () => Promise.resolve(o.warehouse as Warehouse);
  const sourceOf = (name: string) => o.sources.find((s) => s.adapter.name === name);

  function runNow(name: string): Promise<RunResult> {
    const source = sourceOf(name);
    if (!source) return Promise.reject(new Error(`no scheduled source "${name}"`));
    const current = jobs.get(name);
    if (current) return current.promise;
    let logged = false;
    // With no other job queued or running it starts at once (after a microtask): say so now.
    const job = { state: (jobs.size === 0 ? 'running' : 'queued') as 'queued' | 'running', since: effects.now(), promise: undefined as unknown as Promise<RunResult> };
    job.promise = tail
      .then(async () => {
        job.state = 'running';
        job.since = effects.now();
        const wh = await warehouse();
        // Every sync is a pipeline run (packages/ingest/src/pipeline.ts): this source, then resolution, threading, facts.
        const pipeline = await runPipeline({
          warehouse: wh, trigger: 'sync', facts: o.facts, intents: o.intents,
          ingest: [{ source: name, run: () => runIngest({ warehouse: wh, adapter: source.adapter, options: source.options, effects: o.effects, checkpoint: false }) }],
        });
        const result = pipeline.ingestRuns[0];
        if (!result) throw new Error(pipeline.stages[0]?.error ?? pipeline.error ?? 'the sync did not start');
        logged = true;
        last.set(name, {
          runId: result.runId, status: pipeline.status, finishedAt: result.finishedAt, error: result.error ?? pipeline.error,
          pipeline: { runId: pipeline.runId, status: pipeline.status, error: pipeline.error },
        });
        o.onResult?.(result, pipeline);
        return result;
      })
      .catch((error: unknown) => {
        // Thrown before the run was logged (options, warehouse): remembered here, since the run log cannot say it.
        const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        if (!logged) {
          last.set(name, { runId: null, status: 'failed', finishedAt: iso(effects.now()), error: message });
          o.onError?.(name, message);
        }
        throw error;
      })
      .finally(() => jobs.delete(name));
    tail = job.promise.catch(() => undefined);
    jobs.set(name, job);
    return job.promise;
  }

  function status(): SourceStatus[] {
    return o.sources.map((s) => {
      const name = s.adapter.name;
      const job = jobs.get(name);
      const next = nextAt.get(name);
      return {
        name,
        everyMinutes: s.everyMinutes ?? 5,
        state: job?.state ?? 'idle',
        since: job ? iso(job.since) : null,
        nextRunAt: next === undefined ? null : iso(next),
        last: last.get(name) ?? null,
      };
    });
  }

  return {
    runNow,
    /** True while the source's job is queued or running. */
    isRunning: (name: string) => jobs.has(name),
    status,
    start() {
      for (const s of o.sources) {
        const name = s.adapter.name;
        const ms = (s.everyMinutes ?? 5) * 60_000;
        nextAt.set(name, effects.now() + ms);
        cancels.push(
          every(ms, () => {
            nextAt.set(name, effects.now() + ms);
            void runNow(name).catch(() => undefined);
          }),
        );
      }
    },
    stop() {
      for (const c of cancels.splice(0)) c();
      nextAt.clear();
    },
    /** Resolves when no job is queued or running (at shutdown, before closing the warehouse). */
    async idle(): Promise<void> {
      while (jobs.size) await Promise.allSettled([...jobs.values()].map((j) => j.promise));
    },
  };
}

export type IngestScheduler = ReturnType<typeof ingestScheduler>;
