import type { Warehouse } from '../database.ts';
import { parseMatcherConfig, type MatcherConfig } from './config.ts';
import { assignCustomerIds } from './customer-ids.ts';
import { collectDerived, collectIdentitiesSql, rawTableSql, writeBackNormalized } from './collect.ts';
import { deferredCustomersTable, deferredValuesTable, hasDeferredWrites } from './deferred-writes.ts';
import { incrementalObstacle, linkIncrementally, saveResolutionState, stateRunKey } from './incremental.ts';
import { clusterRecords, linkRecords, trainModel, type LinkStats, type Model } from './matcher.ts';
import { prepareRecords } from './prepare-records.ts';
import { attributeSharedRecordInteractions } from './shared-records.ts';
import { dropStageTables, StageTimer } from './sql.ts';
import warehouseConfig from './configs/warehouse.json' with { type: 'json' };

/** The configuration `helpdesk resolve` uses unless given another. */
export function defaultWarehouseConfig(): MatcherConfig {
  // Imported, not read from a path beside this file: the web server runs a bundle of it.
  return parseMatcherConfig(structuredClone(warehouseConfig), 'configs/warehouse.json');
}

export interface ResolveOptions {
  /** Relink everything; otherwise only new identities are matched (when a model exists). */
  full?: boolean;
  /** Refit the model (and take `config`); defaults to `full`. `full` without refit relinks with the last model. */
  refit?: boolean;
  config?: MatcherConfig;
  /** Side effects passed in: the clock (for run ids and timestamps). */
  now?: () => Date;
  /**
   * A full relink of more identities than this leaves its writes to `identities`,
   * `customer_attributes` and `interactions` (and the attribution of shared records) to
   * `applyDeferredWrites`, which the caller runs after committing: updated in one transaction, that
   * many rows do not fit in memory (see deferred-writes.ts). Unset: everything is written here.
   */
  deferWritesOver?: number;
  /** Records per slice where records are prepared in slices (default 500,000; tests make it small). */
  sliceRecords?: number;
}

export interface ResolveSummary {
  runId: string;
  mode: 'full' | 'incremental';
  contacts: number;
  newContacts: number;
  customers: number;
  clustersFormed: number;
  merges: number;
  splits: number;
  pairsScored: number;
  deterministicLinks: number;
  probabilisticLinks: number;
  hubs: number;
  /** Interactions of shared records (a family mailbox) given to the member who signed them. */
  attributed: number;
  quarantined: number;
  seconds: number;
  stages: { name: string; seconds: number }[];
  /** An incremental run's reach: records changed, dirty (their pairs rescored), blocked against, clustered. */
  touched?: { changed: number; dirty: number; neighbourhood: number; clustered: number };
}

/**
 * Resolves the warehouse's identities into customers: normalizes them (writing E.164 phones and
 * folded values back to `identities.value`, refusals to `quarantine`), links contact records by
 * the deterministic rules and the Fellegi-Sunter model, clusters them, gives clusters stable ids,
 * and sets `customer_id` on identities, customer_attributes and interactions.
 *
 * Incremental (the default once a full run exists): the model and config of the last run are
 * reused, only pairs touching new contacts (or contacts whose identifier became or stopped being a
 * hub) are scored, and only the customers those touch are re-clustered. The result equals a full
 * relink with the same model.
 *
 * @example
 * const summary = await resolveIdentities(wh, { full: true });
 * summary.customers // 4120
 */
export async function resolveIdentities(wh: Warehouse, options: ResolveOptions = {}): Promise<ResolveSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const runId = `idr-${startedAt.replace(/[-:.TZ]/g, '')}`;
  const timer = new StageTimer();
  if (await hasDeferredWrites(wh)) {
    throw new Error('the last identity resolution left writes to apply; run applyDeferredWrites first');
  }
  await dropStageTables(wh);
  const [last] = await wh.all<{ id: string; config: string; model: string }>(
    'SELECT id, config::VARCHAR AS config, model::VARCHAR AS model FROM identity_runs ORDER BY started_at DESC, id DESC LIMIT 1',
  );
  const refit = !last || (options.refit ?? !!options.full);
  const config = refit ? options.config ?? defaultWarehouseConfig() : parseMatcherConfig(JSON.parse(last.config), 'the last run');
  let full = options.full || refit;
  try {
    if (!full) {
      const model = JSON.parse(last!.model) as Model;
      const [state] = await wh.all<{ value: string }>('SELECT value FROM warehouse_meta WHERE key = $1', [stateRunKey]);
      const linked = state?.value === last!.id && !incrementalObstacle(config, model)
        ? await linkIncrementally(wh, config, model, runId, startedAt, timer)
        : null;
      if (linked) {
        return await finish(wh, {
          runId, startedAt, now, started, timer, config, model, mode: 'incremental',
          stats: linked.stats, newContacts: linked.newContacts, quarantined: linked.quarantined, touched: linked.touched,
        });
      }
      // No kept state (a warehouse resolved before it was kept) or a change an incremental run
      // cannot follow exactly: relink everything with the same model.
      await dropStageTables(wh);
      full = true;
    }
    await wh.run(rawTableSql);
    await timer.time('collect identities', () => wh.run(collectIdentitiesSql(), [true]));
    await collectDerived(wh, config, timer);
    const [{ identifiers }] = await wh.all<{ identifiers: number }>('SELECT count(*)::BIGINT AS identifiers FROM _idr_raw');
    const defer = options.deferWritesOver !== undefined && Number(identifiers) > options.deferWritesOver;
    await prepareRecords(wh, config, timer, { sliceRecords: options.sliceRecords });
    const quarantined = await timer.time('write back normalized values', () => writeBackNormalized(wh, runId, startedAt, { defer }));

    const model: Model = refit ? await trainModel(wh, config, timer) : (JSON.parse(last.model) as Model);
    await wh.run(`CREATE TABLE _idr_old AS SELECT r.rid, any_value(i.customer_id) AS customer_id
      FROM _idr_records r JOIN identities i ON i.contact_id = r.record_id GROUP BY r.rid`);
    // What the next incremental run starts from, before the hub guard blanks and sets aside.
    await wh.run('CREATE TABLE _idr_records_unblanked AS SELECT * FROM _idr_records');
    await wh.run('CREATE TABLE _idr_keys_all AS SELECT * FROM _idr_keys');
    const stats: LinkStats = await linkRecords(wh, config, model, timer);
    const [{ newContacts }] = await wh.all<{ newContacts: number }>('SELECT count(*)::INTEGER AS "newContacts" FROM _idr_old WHERE customer_id IS NULL');

    await timer.time('store links', async () => {
      await wh.run('DELETE FROM identity_links');
      await wh.run(`INSERT INTO identity_links
        SELECT lr.record_id, rr.record_id, x.rule, x.kind, x.value, x.match_weight, x.match_probability, x.gammas, $1
        FROM _idr_links x JOIN _idr_records lr ON lr.rid = x.l JOIN _idr_records rr ON rr.rid = x.r`, [runId]);
      await wh.run('DELETE FROM identity_hubs');
      await wh.run('INSERT INTO identity_hubs SELECT kind, value, records, names, $1 FROM _idr_hubs', [runId]);
      await saveResolutionState(wh, runId);
    });
    await wh.run('CREATE TABLE _idr_scope AS SELECT rid FROM _idr_records');
    return await finish(wh, { runId, startedAt, now, started, timer, config, model, mode: 'full', stats, newContacts, quarantined, defer });
  } finally {
    await dropStageTables(wh);
  }
}

interface Finish {
  runId: string;
  startedAt: string;
  now: () => Date;
  started: number;
  timer: StageTimer;
  config: MatcherConfig;
  model: Model;
  mode: 'full' | 'incremental';
  stats: LinkStats;
  newContacts: number;
  quarantined: number;
  touched?: ResolveSummary['touched'];
  /** Leave the writes to the big tables to applyDeferredWrites. */
  defer?: boolean;
}

/**
 * Clusters the records in scope by the links of `_idr_links(l, r)`, gives the clusters stable ids,
 * writes the customers and records the run.
 */
async function finish(wh: Warehouse, f: Finish): Promise<ResolveSummary> {
  const { timer, runId, startedAt, stats } = f;
  const clustering = await timer.time('cluster', async () => {
    await clusterRecords(wh, timer);
    await wh.run('DELETE FROM _idr_clusters WHERE rid NOT IN (SELECT rid FROM _idr_scope)');
    const [meta] = await wh.all<{ value: string }>("SELECT value FROM warehouse_meta WHERE key = 'identity_next_customer_number'");
    const next = meta ? Number(meta.value) : 1;
    const counts = await assignCustomerIds(wh, next);
    await wh.run(`INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ('identity_next_customer_number', $1)`, [String(next + counts.created)]);
    return counts;
  });

  await timer.time('write customers', () => writeCustomers(wh, runId, startedAt, !!f.defer));
  // Reads this run's identity_hubs, which both paths have written by now, and the customer ids of
  // interactions, which a deferring run has not written yet: applyDeferredWrites attributes then.
  const attribution = f.defer
    ? { attributed: 0 }
    : await timer.time('attribute shared records', () => attributeSharedRecordInteractions(wh, runId, f.config.quotedIdentifiers?.orderPattern));
  const [{ customers }] = await wh.all<{ customers: number }>('SELECT count(*)::INTEGER AS customers FROM customers');
  const summary: ResolveSummary = {
    runId, mode: f.mode, contacts: stats.records, newContacts: f.newContacts, customers,
    clustersFormed: clustering.created, merges: clustering.merges, splits: clustering.splits,
    pairsScored: stats.pairsScored, deterministicLinks: stats.deterministicLinks, probabilisticLinks: stats.probabilisticLinks,
    hubs: stats.hubs, attributed: attribution.attributed, quarantined: f.quarantined, seconds: 0, stages: timer.stages,
    ...(f.touched ? { touched: f.touched } : {}),
  };
  summary.seconds = (performance.now() - f.started) / 1000;
  await wh.run(`INSERT INTO identity_runs VALUES ($1, $2, $3::TIMESTAMPTZ, $4::TIMESTAMPTZ, $5, $6, $7, $8, $9, $10::JSON, $11::JSON, $12::JSON)`, [
    runId, summary.mode, startedAt, f.now().toISOString(), summary.contacts, customers, summary.merges, summary.splits,
    summary.pairsScored, JSON.stringify(f.config), JSON.stringify(f.model), JSON.stringify({ ...stats, stages: timer.stages }),
  ]);
  return summary;
}

/** Writes the customers of this run's scope and sets customer_id wherever a contact is referenced. */
async function writeCustomers(wh: Warehouse, runId: string, at: string, defer: boolean): Promise<void> {
  await wh.run(`CREATE TABLE _idr_map AS
    SELECT r.record_id AS contact_id, a.customer_id FROM _idr_clusters c JOIN _idr_assign a USING (cluster) JOIN _idr_records r USING (rid)`);
  await wh.run(`INSERT INTO identity_clusters_history SELECT $1, event, customer_id, other_customer_ids, contacts, $2::TIMESTAMPTZ FROM _idr_events`, [runId, at]);
  // Best details: verified first, then the most frequent, then the smallest, so reruns agree.
  await wh.run(`CREATE TABLE _idr_details AS
    WITH ranked AS (
      SELECT m.customer_id, i.kind, CASE WHEN i.kind = 'name' THEN i.raw_value ELSE i.value END AS v, bool_or(i.verified) AS verified, count(*) AS n
      FROM _idr_map m JOIN ${defer ? `(SELECT i.* REPLACE (coalesce(d.value, i.value) AS value) FROM identities i LEFT JOIN ${deferredValuesTable} d ON d.identity_id = i.id)` : 'identities'} i USING (contact_id)
      -- Refused identities: those this run normalized and refused, and the quarantined ones it did
      -- not normalize again (an incremental run normalizes only the changed records).
      ANTI JOIN (SELECT identity_id FROM _idr_norm WHERE value IS NULL AND identity_id IS NOT NULL
        UNION ALL SELECT native_id FROM quarantine WHERE stream = 'identities'
          AND native_id NOT IN (SELECT identity_id FROM _idr_norm WHERE identity_id IS NOT NULL)) q ON q.identity_id = i.id
      WHERE i.kind IN ('name', 'email', 'phone') AND i.value <> ''
      GROUP BY ALL
    )
    SELECT customer_id, kind, v FROM ranked QUALIFY row_number() OVER (PARTITION BY customer_id, kind ORDER BY verified DESC, n DESC, v) = 1`);
  await wh.run(`CREATE TABLE _idr_created AS
    SELECT a.customer_id, coalesce(min(c.created_at), $1::TIMESTAMPTZ) AS created_at
    FROM _idr_assign a LEFT JOIN _idr_claim k ON k.cluster = a.cluster LEFT JOIN customers c ON c.id = k.old_id GROUP BY a.customer_id`, [at]);
  // One list of ids: two IN lists joined by OR cost a second pass over customers.
  await wh.run(`DELETE FROM customers WHERE id IN (
    SELECT customer_id FROM _idr_old o JOIN _idr_scope s USING (rid) UNION SELECT customer_id FROM _idr_assign)`);
  await wh.run(`INSERT INTO customers (id, display_name, primary_email, primary_phone, created_at, updated_at)
    SELECT a.customer_id, d.name, d.email, d.phone, c.created_at, $1::TIMESTAMPTZ
    FROM _idr_assign a JOIN _idr_created c USING (customer_id) LEFT JOIN (
      SELECT customer_id, any_value(v) FILTER (WHERE kind = 'name') AS name, any_value(v) FILTER (WHERE kind = 'email') AS email,
        any_value(v) FILTER (WHERE kind = 'phone') AS phone
      FROM _idr_details GROUP BY customer_id) d USING (customer_id)`, [at]);
  if (defer) {
    await wh.run(`CREATE OR REPLACE TABLE ${deferredCustomersTable} AS SELECT contact_id, customer_id FROM _idr_map`);
    return;
  }
  for (const table of ['identities', 'customer_attributes', 'interactions']) {
    // Table names come from the fixed list above.
    await wh.run(`UPDATE ${table} SET customer_id = m.customer_id FROM _idr_map m
      WHERE ${table}.contact_id = m.contact_id AND ${table}.customer_id IS DISTINCT FROM m.customer_id`);
  }
  // Rows loaded since the last run for contacts this run left alone (a known person's new ticket):
  // their contact's customer, which the identities already carry.
  for (const table of ['customer_attributes', 'interactions']) {
    await wh.run(`UPDATE ${table} SET customer_id = k.customer_id FROM (
        SELECT contact_id, any_value(customer_id) AS customer_id FROM identities
        WHERE customer_id IS NOT NULL AND contact_id IN (SELECT contact_id FROM ${table} WHERE customer_id IS NULL) GROUP BY contact_id) k
      WHERE ${table}.customer_id IS NULL AND ${table}.contact_id = k.contact_id`);
  }
}
