/**
 * The demo world: `buildDemoWarehouse` builds it in this thread, `buildDemoInWorker` in a worker
 * thread (memory of its own), `buildDemoByRoute` by the direct writer or through the adapters.
 */
export {
  buildDemoWarehouse, defaultChunkInteractions, defaultDemoHelpdesk, defaultDemoOptions, DemoNotResumableError, demoHelpdesks, generatorVersion, isDemoHelpdesk, type DemoHelpdesk, type DemoOptions, type DemoSummary,
} from './build-demo.ts';
export { buildDemoByRoute, buildDemoInWorker, defaultHeapLimitMb, type WorkerBuildOptions } from './demo-worker.ts';
export { routeDifferences, type RouteDifference } from './route-differences.ts';
