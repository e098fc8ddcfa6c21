/**
 * Builds a demo warehouse in its own process (used to prove the output ignores the process time
 * zone), on a worker thread as `helpdesk demo` does, so the twin also proves that the worker's
 * build equals the one on the main thread.
 */
import { buildDemoInWorker } from '../src/index.ts';

const [path, seed, interactions] = process.argv.slice(2);
await buildDemoInWorker(path, { seed: Number(seed), interactions: Number(interactions) });
