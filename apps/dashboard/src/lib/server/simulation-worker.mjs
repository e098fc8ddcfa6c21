// A thread of the simulation pool (simulation-pool.ts, piscina): it runs what-if simulations, and
// a sync's intent classifier (the named export), so that the web server's request thread stays
// free while one computes. Plain JavaScript because
// the pool loads it by path, outside Vite's bundle; the workspace packages ship TypeScript
// source, so the thread reads them through tsx's loader, as the `helpdesk` command does.
import { register } from 'tsx/esm/api';

register();
const { default: runSimulationTask } = await import('./simulation-task.ts');
// The classifier alone (no DuckDB): the warehouse reads and writes stay in the server's thread.
const { classifyIntents } = await import('@helpdesk/core/intent-classify');

export default runSimulationTask;
export { classifyIntents };
