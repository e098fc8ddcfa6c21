import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { WarehouseError } from '@helpdesk/core';
import { buildDemoWarehouse, type DemoOptions, type DemoSummary } from './build-demo.ts';

export interface WorkerBuildOptions extends DemoOptions {
  /** Old-generation heap cap of the worker in MB (default 640). Past it the build fails with an out-of-memory error. */
  heapLimitMb?: number;
}

type Message =
  | { kind: 'stage'; stage: string }
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; summary: DemoSummary }
  | { kind: 'failed'; name: string; message: string; code?: string; stack?: string };

export const defaultHeapLimitMb = 640;

/**
 * Builds the demo warehouse on a worker thread of this process whose JavaScript heap is capped.
 *
 * Why: V8 sizes its heap by the machine's memory (a 4 GB limit here) and, while the adapters churn
 * through millions of short-lived vendor records, let garbage pile up before collecting it, and
 * beside DuckDB that pushed a million-interaction build past its memory budget (README). A worker's
 * `resourceLimits` bound the heap without flags on the command line, and the build's memory is
 * still this process's (what `npm run bench -- demo` reports as peak RSS).
 *
 * Progress callbacks are relayed from the worker; errors come back with their message (and a
 * WarehouseError as one, so the CLI still prints its one-line explanation).
 */
export function buildDemoInWorker(path: string, options: WorkerBuildOptions = {}): Promise<DemoSummary> {
  const { onStage, onProgress, heapLimitMb = defaultHeapLimitMb, ...plain } = options;
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(new URL('./demo-worker-entry.mjs', import.meta.url), {
      workerData: { demoBuild: true, path, options: plain },
      execArgv: [],
      // 48 MB of young generation gives the worker the main thread's 16 MB semi-spaces (checked here).
      resourceLimits: { maxOldGenerationSizeMb: heapLimitMb, maxYoungGenerationSizeMb: 48 },
    });
    worker.on('message', (message: Message) => {
      if (message.kind === 'stage') onStage?.(message.stage);
      else if (message.kind === 'progress') onProgress?.(message.done, message.total);
      else if (message.kind === 'done') {
        settled = true;
        resolve(message.summary);
      } else {
        settled = true;
        reject(rebuildError(message));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new Error(`the demo build ran out of memory (its JavaScript heap is capped at ${heapLimitMb} MB)`, { cause: error })
        : error);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the demo build's worker stopped (exit code ${code}) before it finished`));
    });
  });
}

/**
 * How `helpdesk demo` and `npm run bench -- demo` build: through the adapters on the capped worker
 * above; the direct build on this thread, because it makes little garbage and the cap's extra
 * collections only cost it time (the figures are in the README).
 */
export function buildDemoByRoute(path: string, options: WorkerBuildOptions = {}): Promise<DemoSummary> {
  if (options.via === 'direct') {
    const { heapLimitMb: _unused, ...direct } = options;
    return buildDemoWarehouse(path, direct);
  }
  return buildDemoInWorker(path, options);
}

function rebuildError(failure: Extract<Message, { kind: 'failed' }>): Error {
  const error = failure.name === 'WarehouseError' && failure.code
    ? new WarehouseError(failure.message, failure.code as WarehouseError['code'])
    : Object.assign(new Error(failure.message), { name: failure.name });
  if (failure.stack) error.stack = failure.stack;
  return error;
}

// The worker's side: build, reporting stages and progress (at most every percent) to the parent.
if (!isMainThread && parentPort && (workerData as { demoBuild?: unknown } | null)?.demoBuild === true) {
  const port = parentPort;
  const { path, options } = workerData as { path: string; options: DemoOptions };
  try {
    const summary = await buildDemoWarehouse(path, {
      ...options,
      onStage: (stage) => port.postMessage({ kind: 'stage', stage } satisfies Message),
      onProgress: (done, total) => port.postMessage({ kind: 'progress', done, total } satisfies Message),
    });
    port.postMessage({ kind: 'done', summary } satisfies Message);
  } catch (error) {
    const e = error as Error & { code?: string };
    port.postMessage({ kind: 'failed', name: e?.name ?? 'Error', message: e?.message ?? String(error), code: e?.code, stack: e?.stack } satisfies Message);
  }
}
