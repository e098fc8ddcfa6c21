/** Builds a demo warehouse in its own process (used to prove the output ignores the process time zone). */
import { buildDemoWarehouse } from '../src/index.ts';

const [path, seed, interactions] = process.argv.slice(2);
await buildDemoWarehouse(path, { seed: Number(seed), interactions: Number(interactions) });
