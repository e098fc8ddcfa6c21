import type { Warehouse } from '@helpdesk/core';
import type { Adapter } from './adapter.ts';
import type { Effects } from './effects.ts';
import { runIngest, type RunResult } from './runner.ts';

export interface ScheduledSource {
  adapter: Adapter;
  options: unknown;
  /** Minutes between incremental runs (default 5). */
  everyMinutes?: number;
}

export interface SchedulerOptions {
  warehouse: Warehouse;
  sources: ScheduledSource[];
  effects?: Partial<Effects>;
  /** Timer, injectable for tests; returns a cancel function. */
  every?: (ms: number, fn: () => void) => () => void;
  onResult?: (result: RunResult) => void;
}

/**
 * Runs configured sources incrementally on a schedule and on demand, one job at a time per
 * source: a request while that source runs joins the running job instead of starting a second one.
 * Results land in the run log like any run. Meant for the web server, which owns the warehouse.
 *
 * @example
 * const scheduler = ingestScheduler({ warehouse, sources: [{ adapter: zendeskAdapter, options, everyMinutes: 5 }] });
 * scheduler.start();
 * await scheduler.runNow('zendesk');   // from the web app's "sync now"
 * scheduler.stop();
 */
export function ingestScheduler(o: SchedulerOptions) {
  const running = new Map<string, Promise<RunResult>>();
  const cancels: (() => void)[] = [];
  const every = o.every ?? ((ms, fn) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    return () => clearInterval(t);
  });
  function runNow(name: string): Promise<RunResult> {
    const source = o.sources.find((s) => s.adapter.name === name);
    if (!source) return Promise.reject(new Error(`no scheduled source "${name}"`));
    const current = running.get(name);
    if (current) return current;
    const job = runIngest({ warehouse: o.warehouse, adapter: source.adapter, options: source.options, effects: o.effects })
      .then((result) => {
        o.onResult?.(result);
        return result;
      })
      .finally(() => running.delete(name));
    running.set(name, job);
    return job;
  }
  return {
    runNow,
    isRunning: (name: string) => running.has(name),
    start() {
      for (const s of o.sources) cancels.push(every((s.everyMinutes ?? 5) * 60_000, () => void runNow(s.adapter.name).catch(() => undefined)));
    },
    stop() {
      for (const c of cancels.splice(0)) c();
    },
  };
}
