// Worker thread entry of `buildDemoInWorker` (demo-worker.ts). Workspace packages ship TypeScript
// source, so the worker registers tsx's loader itself, as the `helpdesk` command does: hooks
// registered on the parent thread do not reach a worker.
import { register } from 'tsx/esm/api';

register();
await import('./demo-worker.ts');
