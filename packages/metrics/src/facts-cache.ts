import { readUntilWritten, type Warehouse } from '@helpdesk/core';
import { refreshCacheTables, type FactsRefreshReport } from './facts-delta.ts';
import { factsCacheTable } from './facts-sql.ts';
import { registryVersion } from './kpi-registry.ts';
import { refreshRollup, rollupTable } from './rollup-sql.ts';
import { configFromSettings } from './settings.ts';

/**
 * The metrics cache: the config-independent per-interaction facts, the open spans of the email
 * backlog and the per-agent chat load segments, materialized in tables prefixed `metrics_cache_`
 * so that a warm scorecard only aggregates. They are derived data, brought up to date whenever the
 * warehouse fingerprint below changes (incrementally where they can be, see facts-delta.ts), and
 * never part of the public table contract.
 *
 * The fingerprint covers what the KPIs read: row counts and latest change of interactions and
 * events, the resolved customers (a hash over customer_id, so identity resolution invalidates it),
 * CRM tier intervals, sentiment, NPS and QA reviews, and the registry version. Adapters replace an
 * interaction's events together with the interaction (bumping updated_at), which this detects;
 * an in-place edit of one event that changes neither the count nor the latest time would not be.
 */
const fingerprintSql = /* sql */ `
SELECT
  (SELECT count(*) FROM interactions) AS interactions,
  (SELECT max(updated_at) FROM interactions) AS interactions_updated,
  (SELECT sum(hash(coalesce(customer_id, '')) % 1000000007) FROM interactions) AS customers,
  (SELECT count(*) FROM events) AS events,
  (SELECT max(occurred_at) FROM events) AS events_latest,
  (SELECT count(*) FROM identities) AS identities,
  (SELECT sum(hash(coalesce(customer_id, ''), value) % 1000000007) FROM identities) AS identity_customers,
  -- Integer hash sums only: a parallel sum of doubles can differ in its last bits from run to run.
  (SELECT count(*) || '/' || coalesce(sum(hash(contact_id, customer_id, attribute, value, valid_from, valid_to) % 1000000007), 0) FROM customer_attributes) AS attributes,
  (SELECT count(*) FROM interaction_sentiment) AS sentiment,
  (SELECT count(*) || '/' || coalesce(max(responded_at)::VARCHAR, '') FROM nps_responses) AS nps,
  (SELECT count(*) || '/' || coalesce(max(updated_at)::VARCHAR, '') FROM qa_reviews) AS qa,
  (SELECT count(*) FROM agents) AS agents,
  -- Default business-hours calendars follow each team's time zone.
  (SELECT count(*) || '/' || coalesce(sum(hash(id, time_zone) % 1000000007), 0) FROM teams) AS teams,
  -- Identities identity resolution has not placed (outside quarantine): the customer key would be wrong.
  (SELECT count(*) FROM identities i WHERE i.customer_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.id = 'identity:' || i.id))::INTEGER AS unresolved
`;

const metaKey = 'metrics_cache_fingerprint';

/** What the cache and the result memo know about the warehouse: its data version, and whether the cache tables match it. */
export interface MetricsCacheState {
  /** The fingerprint of everything the KPIs read; equal versions mean equal scorecards. */
  version: string;
  /** True when the metrics_cache_* tables hold the derived data of this version (writable warehouses). */
  cached: boolean;
  /**
   * The reporting days whose fact rows this call changed (new, gone or different): UTC dates
   * (YYYY-MM-DD) of the rows' created_at, `[]` when the cache was already up to date, 'all' after a full rebuild; undefined
   * when nothing was written (a read-only warehouse, or a load awaiting resolution). Tables derived
   * from the facts per day refresh these days only.
   */
  touchedDays?: string[] | 'all';
  /** How this call brought the cache up to date, when it wrote it (see FactsRefreshReport). */
  refresh?: FactsRefreshReport;
}

/**
 * Makes sure the cache matches the warehouse, rebuilding it when not, and returns the data
 * version. A read-only warehouse cannot hold a cache: `cached` is false and the scorecard
 * computes everything in its statement.
 *
 * @example
 * const { version, cached } = await ensureMetricsCache(warehouse); // cached: read metrics_cache_facts
 */
export async function ensureMetricsCache(warehouse: Warehouse, options: { wait?: boolean } = {}): Promise<MetricsCacheState> {
  const serving = !options.wait && lastFactsServed.has(warehouse);
  const running = inFlight.get(warehouse);
  if (running) {
    // A refresh is under way (a sync's facts stage): a server keeps answering from the facts it
    // last recorded, which stay readable while the refresh's transaction runs.
    if (serving) {
      const stored = await storedVersion(warehouse);
      if (stored !== undefined) return { version: stored, cached: true };
    }
    if (!options.wait) return running;
    // The pipeline's stage waits for it, then checks again: it may have started before the last change.
    await running.catch(() => undefined);
    return ensureMetricsCache(warehouse, options);
  }
  // Concurrent requests share one check and one refresh instead of racing.
  const check: Promise<MetricsCacheState> = refresh(warehouse, serving)
    .then(({ state, behind }) => {
      if (behind) track(warehouse, behind);
      return state;
    })
    .finally(() => {
      if (inFlight.get(warehouse) === check) inFlight.delete(warehouse);
    });
  inFlight.set(warehouse, check);
  return check;
}

/** Makes a refresh running beside the requests the one that later callers share (or wait for). */
function track(warehouse: Warehouse, behind: Promise<MetricsCacheState>): void {
  const shared: Promise<MetricsCacheState> = behind
    .catch((error: unknown) => {
      // Nobody awaits it but the next caller: the server's log says why the screens stay behind.
      console.error(`metrics cache refresh failed: ${(error as Error).message}`);
      throw error;
    })
    .finally(() => {
      if (inFlight.get(warehouse) === shared) inFlight.delete(warehouse);
    });
  shared.catch(() => undefined);
  inFlight.set(warehouse, shared);
}

const lastFactsServed = new WeakSet<Warehouse>();

/**
 * The web server's choice for its warehouse: a request never waits for the metrics cache to be
 * refreshed once it holds facts. While a refresh runs (a sync's facts stage), and when a request
 * finds the cache behind the data, the request answers from the facts last recorded and the
 * refresh goes on (or starts) beside it; the screens show the new data when it ends, as they do
 * after their own short result cache. The CLI and the pipeline's facts stage keep waiting.
 *
 * @example
 * serveLastFactsWhileRefreshing(warehouse); // in the server, once, after opening the file
 */
export function serveLastFactsWhileRefreshing(warehouse: Warehouse): void {
  lastFactsServed.add(warehouse);
}

/** Whether the warehouse's requests answer from the last facts instead of waiting (serveLastFactsWhileRefreshing). */
export function servesLastFacts(warehouse: Warehouse): boolean {
  return lastFactsServed.has(warehouse);
}

/** Whether a refresh of the metrics cache is running now (a request answering meanwhile reads the facts last recorded). */
export function metricsCacheRefreshing(warehouse: Warehouse): boolean {
  return inFlight.has(warehouse);
}

async function storedVersion(warehouse: Warehouse): Promise<string | undefined> {
  if (warehouse.readOnly) return undefined;
  return (await warehouse.all<{ value: string }>('SELECT value FROM warehouse_meta WHERE key = $1', [metaKey]))[0]?.value;
}

/**
 * Metrics read the resolved customer (customer-key.ts) and never fall back to a weaker key: a
 * warehouse with identities that resolution has not placed is refused in one line. The pipeline
 * (packages/ingest) resolves after every load and when an old file is opened by the CLI or server.
 */
export class UnresolvedWarehouseError extends Error {
  constructor(readonly unresolved: number) {
    super(`this warehouse is not resolved (${unresolved.toLocaleString('en')} identities without a customer): run \`helpdesk resolve\` before reading metrics`);
    this.name = 'UnresolvedWarehouseError';
  }
}

const inFlight = new WeakMap<Warehouse, Promise<MetricsCacheState>>();

/** The cache's state for a caller, and a refresh left running when `serving` answered from the last facts. */
async function refresh(warehouse: Warehouse, serving: boolean): Promise<{ state: MetricsCacheState; behind?: Promise<MetricsCacheState> }> {
  const { row, stored } = await versionInputs(warehouse);
  if (Number(row.unresolved) > 0) {
    // A sync commits its load before resolution places the new identities: until the pipeline's
    // facts stage runs, the screens keep the facts of the last resolved state (built only from
    // resolved data) instead of failing. With no such facts the warehouse was never resolved.
    if (stored) return { state: { version: stored.value, cached: true } };
    throw new UnresolvedWarehouseError(Number(row.unresolved));
  }
  const version = JSON.stringify({ registryVersion, cache: cacheLayout, ...row });
  if (warehouse.readOnly) return { state: { version, cached: false } };
  if (stored?.value === version) return { state: { version, cached: true, touchedDays: [] } };
  // The cache is behind. A server's request answers from the last facts and the refresh runs
  // beside it, shared by whoever asks next (the pipeline's facts stage waits for it and checks again).
  if (serving && stored) return { state: { version: stored.value, cached: true }, behind: bringUpToDate(warehouse, version, stored.value) };
  return { state: await bringUpToDate(warehouse, version, stored?.value) };
}

interface VersionInputs {
  row: Record<string, unknown>;
  stored: { value: string } | undefined;
}

/** The tables the fingerprint reads, and warehouse_meta where the cache records its version. */
const fingerprintTables = [...new Set([...fingerprintSql.matchAll(/\bFROM\s+(\w+)/gi)].map((m) => m[1])), 'warehouse_meta'];

/**
 * The fingerprint's row and the version the cache records, read once per write generation of the
 * tables they read: the fingerprint scans every interaction and identity, and without a write to
 * them in between it cannot change (a sign-in or an audit entry writes other tables).
 */
function versionInputs(warehouse: Warehouse): Promise<VersionInputs> {
  return readUntilWritten(warehouse, fingerprintTables, 'metrics-cache-version', async () => {
    const [row] = await warehouse.all<Record<string, unknown>>(fingerprintSql);
    const stored = warehouse.readOnly
      ? undefined
      : (await warehouse.all<{ value: string }>('SELECT value FROM warehouse_meta WHERE key = $1', [metaKey]))[0];
    return { row, stored };
  });
}

async function bringUpToDate(warehouse: Warehouse, version: string, since: string | undefined): Promise<MetricsCacheState> {
  const report = await refreshMetricsCache(warehouse, { version });
  // The daily rollup follows the facts: only the days whose fact rows changed (all of it after a
  // full rebuild, or when it was not built from the previous facts). Built with the warehouse's
  // settings: a scorecard with other thresholds reads the facts.
  await refreshRollup(warehouse, report.touchedDays, await configFromSettings(warehouse), version, { since });
  return { version, cached: true, touchedDays: report.touchedDays, refresh: report };
}

/** Bumped whenever the cache tables' SQL changes shape: a new layout rebuilds in full. */
const cacheLayout = 7;

/**
 * Brings the metrics_cache_* tables up to date in one transaction, rewriting only the fact rows a
 * change reaches (facts-delta.ts), or everything on the first build, after a registry or layout
 * change, when over 30 % of the rows are affected (`maxIncrementalShare`), or with `full`. Callers normally go through
 * ensureMetricsCache, which shares one refresh among concurrent requests; `version` is the
 * fingerprint to record (omitted: the cache is brought up to date without recording one, so the
 * next ensureMetricsCache checks again).
 *
 * @example
 * const report = await refreshMetricsCache(warehouse, { full: true }); // { mode: 'full', touchedDays: 'all', ... }
 */
export async function refreshMetricsCache(
  warehouse: Warehouse,
  options: { version?: string; full?: boolean; maxIncrementalShare?: number; inputBuckets?: number; rebuildSliceRows?: number } = {},
): Promise<FactsRefreshReport> {
  const basis = JSON.stringify({ registryVersion, cache: cacheLayout });
  return warehouse.atomically(async (tx) => {
    const { full, maxIncrementalShare, inputBuckets, rebuildSliceRows } = options;
    const report = await refreshCacheTables(tx, { basis, full, maxIncrementalShare, inputBuckets, rebuildSliceRows });
    if (options.version) await tx.run('INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ($1, $2)', [metaKey, options.version]);
    return report;
  });
}

/**
 * The pipeline's facts stage (packages/ingest/src/pipeline.ts): brings the cache up to date after
 * a load so that the first screen after it is warm. Returns counts for the run log.
 *
 * @example
 * await runPipeline({ warehouse, trigger: 'ingest', facts: refreshFacts, ingest: [...] });
 */
export async function refreshFacts(warehouse: Warehouse): Promise<Record<string, unknown>> {
  const state = await ensureMetricsCache(warehouse, { wait: true });
  const [row] = state.cached
    ? await warehouse.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${factsCacheTable}`)
    : [{ n: 0 }];
  // The rollup may not exist yet on a warehouse cached before it (it is then built on first use).
  const hasRollup = state.cached && (await warehouse.all(`SELECT 1 FROM duckdb_tables() WHERE table_name = '${rollupTable}'`)).length > 0;
  const [rollup] = hasRollup ? await warehouse.all<{ cells: number }>(`SELECT count(*)::INTEGER AS cells FROM ${rollupTable}`) : [{ cells: null }];
  const r = state.refresh;
  return {
    cached: state.cached,
    facts: row.n,
    ...(rollup.cells !== null ? { rollupCells: rollup.cells } : {}),
    ...(r ? { mode: r.mode, ...(r.reason ? { reason: r.reason } : {}), ...(r.affected !== undefined ? { changed: r.changed, affected: r.affected } : {}) } : {}),
    ...(state.touchedDays !== undefined ? { touchedDays: state.touchedDays === 'all' ? 'all' : state.touchedDays.length } : {}),
  };
}
