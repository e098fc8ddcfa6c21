// A thread of the simulation pool (simulation-pool.ts, piscina): it runs what-if simulations so
// that the web server's request thread stays free while one computes. Plain JavaScript because
// the pool loads it by path, outside Vite's bundle; the workspace packages ship TypeScript
// source, so the thread reads them through tsx's loader, as the `helpdesk` command does.
import { register } from 'tsx/esm/api';

register();
const { default: runSimulationTask } = await import('./simulation-task.ts');

export default runSimulationTask;
