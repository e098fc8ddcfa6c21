/**
 * Builds (or continues) a direct demo build in its own process, so that the test can stop it with
 * SIGKILL at a chosen step (HELPDESK_DEMO_KILL_AFTER) as a power cut would.
 */
import { buildDemoWarehouse } from '../src/index.ts';

const [path, seed, interactions, chunk] = process.argv.slice(2);
await buildDemoWarehouse(path, { seed: Number(seed), interactions: Number(interactions), chunkInteractions: Number(chunk), via: 'direct', resume: true });
