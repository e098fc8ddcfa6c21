import { env } from '$env/dynamic/private';
import type { IngestScheduler } from '@helpdesk/ingest';
import { queueAlerts } from './alerts/server';
import { clearCache } from './cache';
import { classifyOffThread } from './simulation-pool';
import { loadSourcesConfig, type SourcesConfig } from './sources-config';
import { sourcesScheduler, syncChangedData } from './sources-scheduler';
import { findRepoRoot, getWarehouse } from './warehouse';

/**
 * The server's scheduled sources: configuration read once at start-up, one scheduler per process.
 * A bad configuration does not stop the server (the screens still work): it is logged in one line
 * and shown on the Sources screen. `helpdesk serve` checks it before starting, and refuses.
 */
interface Holder {
  config: SourcesConfig | null;
  error: string | null;
  scheduler: IngestScheduler | null;
}

// On globalThis so that `vite dev` re-evaluating this module does not start a second scheduler.
const holderKey = Symbol.for('helpdesk.dashboard.sources');
const globals = globalThis as typeof globalThis & { [holderKey]?: Holder };

/** Reads the configuration and starts the schedule; called once when the server starts. */
export function startSources(): Holder {
  if (globals[holderKey]) return globals[holderKey];
  const holder: Holder = (globals[holderKey] = { config: null, error: null, scheduler: null });
  try {
    holder.config = loadSourcesConfig(env, findRepoRoot());
  } catch (error) {
    holder.error = (error as Error).message;
    console.error(holder.error);
    return holder;
  }
  holder.scheduler = sourcesScheduler({
    config: holder.config,
    warehouse: getWarehouse,
    // The classifier is seconds of JavaScript per sync: off the thread that answers requests.
    classify: classifyOffThread,
    // Screens cache their data for a minute; after a sync that changed data they must show it, and alerts look again.
    onResult: (_result, pipeline) => {
      if (syncChangedData(pipeline)) clearCache();
      void queueAlerts('sync');
    },
    log: (line) => console.log(line),
  });
  holder.scheduler.start();
  if (holder.config.sources.length) {
    console.log(`scheduled syncs: ${holder.config.described.map((d) => `${d.name} every ${d.everyMinutes} min`).join(', ')}`);
  }
  process.once('sveltekit:shutdown', () => holder.scheduler?.stop());
  return holder;
}

/** The running sources state (starting it if the server's init did not). */
export function sources(): Holder {
  return globals[holderKey] ?? startSources();
}
