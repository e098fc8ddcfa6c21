import type { Warehouse } from '../database.ts';
import { parseMatcherConfig, type MatcherConfig } from './config.ts';
import { assignCustomerIds } from './customer-ids.ts';
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
}

/** Warehouse identity kinds under the names the matcher uses. */
const kindSql = `CASE i.kind WHEN 'social_handle' THEN 'handle' WHEN 'crm_contact' THEN 'crm_id' WHEN 'account' THEN 'account_id' ELSE i.kind END`;

/**
 * The source's own word that two contact records are one customer: an interaction that follows
 * up another (the phone callback a chat asked for, the ticket a follow-up continues) under a
 * different contact record. Both records get the parent interaction's id as a `follow_up`
 * identifier, a strong kind like any other, so the hub guard applies: a follow-up between records
 * with two people's names links nobody. Only records that have identities take part.
 */
const followUpSql = `INSERT INTO _idr_raw
  WITH f AS (
    SELECT p.id AS parent_id, c.contact_id AS child, p.contact_id AS parent, c.created_at
    FROM interactions c JOIN interactions p ON p.id = c.parent_interaction_id
    WHERE c.contact_id IS NOT NULL AND p.contact_id IS NOT NULL AND c.contact_id <> p.contact_id
  ), ends AS (SELECT child AS record_id, parent_id, created_at FROM f UNION ALL SELECT parent, parent_id, created_at FROM f)
  SELECT NULL, e.record_id, s.source, 'follow_up', e.parent_id, e.parent_id, true, max(e.created_at)
  FROM ends e JOIN (SELECT contact_id, min(source) AS source FROM identities GROUP BY 1) s ON s.contact_id = e.record_id
  GROUP BY e.record_id, s.source, e.parent_id`;

/**
 * Identifiers a customer quotes in their own messages (`quotedIdentifiers` of the config): order
 * numbers by the shop's pattern and email addresses, taken from public `message` events whose
 * author is the customer, as unverified identifiers of the contact record that wrote them. Agents,
 * bots and internal notes are never read: an agent may quote another customer's order. They go
 * through the same normalizers and hub guard as any identifier (an order quoted by several people
 * links nobody), under the record's own source (its place in `link_only`) and kinds of their own
 * (`quoted_order`, `quoted_email`) that `prepareRecords` turns into order and email keys; they are
 * not rows of `identities`, so they have no identity id, like the follow-up keys.
 */
const quotedSql = `INSERT INTO _idr_raw
  WITH m AS (
    SELECT i.contact_id AS record_id, e.occurred_at, e.body
    FROM events e JOIN interactions i ON i.id = e.interaction_id
    WHERE e.type = 'message' AND e.author_role = 'customer' AND e.is_public IS NOT false AND e.body IS NOT NULL
      AND i.contact_id IS NOT NULL
  ), q AS (
    SELECT record_id, occurred_at, 'quoted_order' AS kind, unnest(regexp_extract_all(body, $1, 1)) AS raw_value FROM m
    UNION ALL
    SELECT record_id, occurred_at, 'quoted_email', unnest(regexp_extract_all(body, '([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})', 1))
    FROM m WHERE $2
  )
  SELECT NULL, q.record_id, s.source, q.kind, q.raw_value, NULL, false, max(q.occurred_at)
  FROM q JOIN (SELECT contact_id, min(source) AS source FROM identities GROUP BY 1) s ON s.contact_id = q.record_id
  WHERE q.raw_value <> ''
  GROUP BY q.record_id, s.source, q.kind, q.raw_value`;

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
  await dropStageTables(wh);
  const [last] = await wh.all<{ config: string; model: string }>(
    'SELECT config::VARCHAR AS config, model::VARCHAR AS model FROM identity_runs ORDER BY started_at DESC, id DESC LIMIT 1',
  );
  const full = options.full || !last;
  const refit = !last || (options.refit ?? full);
  const config = refit ? options.config ?? defaultWarehouseConfig() : parseMatcherConfig(JSON.parse(last.config), 'the last run');
  try {
    await timer.time('collect identities', () => wh.run(`CREATE TABLE _idr_raw AS
      SELECT i.id AS identity_id, i.contact_id AS record_id, i.source, ${kindSql} AS kind, i.raw_value,
        CASE WHEN $1 OR q.id IS NOT NULL THEN NULL WHEN i.customer_id IS NOT NULL THEN i.value END AS normalized,
        i.verified, i.last_seen_at AS seen_at
      FROM identities i LEFT JOIN quarantine q ON q.id = 'identity:' || i.id`, [full]));
    await timer.time('follow-up links', () => wh.run(followUpSql));
    if (config.quotedIdentifiers) {
      const quoted = config.quotedIdentifiers;
      await timer.time('identifiers quoted in messages', () => wh.run(quotedSql, [quoted.orderPattern, quoted.emails]));
    }
    const prepared = await prepareRecords(wh, config, timer);
    const quarantined = await timer.time('write back normalized values', async () => {
      const [{ n }] = await wh.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM _idr_norm
        WHERE value IS NULL AND identity_id IS NOT NULL AND 'identity:' || identity_id NOT IN (SELECT id FROM quarantine)`);
      await wh.run(`INSERT INTO quarantine (id, run_id, source, stream, native_id, reason, payload, quarantined_at)
        SELECT 'identity:' || identity_id, $1, source, 'identities', identity_id, reason, raw_value, $2::TIMESTAMPTZ FROM _idr_norm
        WHERE value IS NULL AND identity_id IS NOT NULL AND 'identity:' || identity_id NOT IN (SELECT id FROM quarantine)`, [runId, startedAt]);
      await wh.run(`UPDATE identities SET value = n.value FROM _idr_norm n
        WHERE n.identity_id = identities.id AND n.value IS NOT NULL AND identities.value IS DISTINCT FROM n.value`);
      return n;
    });

    const model: Model = refit ? await trainModel(wh, config, timer) : (JSON.parse(last.model) as Model);
    await wh.run(`CREATE TABLE _idr_old AS SELECT r.rid, any_value(i.customer_id) AS customer_id
      FROM _idr_records r JOIN identities i ON i.contact_id = r.record_id GROUP BY r.rid`);
    await wh.run(`CREATE TABLE _idr_dirty AS
      SELECT rid FROM _idr_old WHERE customer_id IS NULL OR $1`, [full]);
    const stats: LinkStats = await linkRecords(wh, config, model, timer, {
      dirtyTable: full ? undefined : '_idr_dirty',
      afterHubs: async () => {
        if (full) return;
        // An identifier that became a hub (or stopped being one) changes how its records compare.
        await wh.run(`INSERT INTO _idr_dirty SELECT DISTINCT k.rid FROM _idr_keys k JOIN (
          (SELECT kind, value FROM _idr_hubs EXCEPT SELECT kind, value FROM identity_hubs)
          UNION (SELECT kind, value FROM identity_hubs EXCEPT SELECT kind, value FROM _idr_hubs)) h USING (kind, value)
          WHERE k.rid NOT IN (SELECT rid FROM _idr_dirty)`);
      },
    });
    const [{ newContacts }] = await wh.all<{ newContacts: number }>('SELECT count(*)::INTEGER AS "newContacts" FROM _idr_old WHERE customer_id IS NULL');

    await timer.time('store links', async () => {
      await wh.run(`CREATE TABLE _idr_links_named AS
        SELECT lr.record_id AS left_contact_id, rr.record_id AS right_contact_id, x.rule, x.kind, x.value,
          x.match_weight, x.match_probability, x.gammas AS levels, $1 AS run_id
        FROM _idr_links x JOIN _idr_records lr ON lr.rid = x.l JOIN _idr_records rr ON rr.rid = x.r`, [runId]);
      if (full) {
        await wh.run(`CREATE TABLE _idr_touched AS SELECT rid FROM _idr_records`);
        await wh.run('DELETE FROM identity_links');
      } else {
        // Records whose links changed: dirty ones, both ends of any deterministic link that
        // appeared or disappeared, and the partners of dropped probabilistic links.
        await wh.run(`CREATE TABLE _idr_touched AS
          WITH dirty AS (SELECT r.record_id FROM _idr_dirty d JOIN _idr_records r USING (rid)),
          det_old AS (SELECT left_contact_id, right_contact_id, rule, value FROM identity_links WHERE starts_with(rule, 'key:')),
          det_new AS (SELECT left_contact_id, right_contact_id, rule, value FROM _idr_links_named WHERE starts_with(rule, 'key:')),
          det_changed AS ((SELECT * FROM det_old EXCEPT SELECT * FROM det_new) UNION (SELECT * FROM det_new EXCEPT SELECT * FROM det_old)),
          prob_dropped AS (SELECT left_contact_id, right_contact_id FROM identity_links WHERE rule = 'probabilistic'
            AND (left_contact_id IN (SELECT record_id FROM dirty) OR right_contact_id IN (SELECT record_id FROM dirty))),
          ids AS (
            SELECT record_id FROM dirty
            UNION SELECT left_contact_id FROM det_changed UNION SELECT right_contact_id FROM det_changed
            UNION SELECT left_contact_id FROM prob_dropped UNION SELECT right_contact_id FROM prob_dropped
            UNION SELECT left_contact_id FROM _idr_links_named WHERE rule = 'probabilistic'
            UNION SELECT right_contact_id FROM _idr_links_named WHERE rule = 'probabilistic'
          )
          SELECT r.rid FROM ids JOIN _idr_records r ON r.record_id = ids.record_id`);
        await wh.run(`DELETE FROM identity_links WHERE starts_with(rule, 'key:') OR (rule = 'probabilistic' AND (
          left_contact_id IN (SELECT r.record_id FROM _idr_dirty d JOIN _idr_records r USING (rid))
          OR right_contact_id IN (SELECT r.record_id FROM _idr_dirty d JOIN _idr_records r USING (rid))))`);
      }
      await wh.run('INSERT INTO identity_links SELECT * FROM _idr_links_named');
    });

    const clustering = await timer.time('cluster', async () => {
      // Scope: the touched records and every record of a customer they belonged to.
      await wh.run(`CREATE TABLE _idr_scope AS
        SELECT rid FROM _idr_touched
        UNION SELECT o.rid FROM _idr_old o WHERE o.customer_id IN (
          SELECT o2.customer_id FROM _idr_old o2 JOIN _idr_touched t USING (rid) WHERE o2.customer_id IS NOT NULL)`);
      await wh.run(`CREATE OR REPLACE TABLE _idr_links AS
        SELECT lr.rid AS l, rr.rid AS r FROM identity_links x
        JOIN _idr_records lr ON lr.record_id = x.left_contact_id JOIN _idr_records rr ON rr.record_id = x.right_contact_id
        WHERE lr.rid IN (SELECT rid FROM _idr_scope)`);
      await clusterRecords(wh, timer);
      await wh.run('DELETE FROM _idr_clusters WHERE rid NOT IN (SELECT rid FROM _idr_scope)');
      const [meta] = await wh.all<{ value: string }>("SELECT value FROM warehouse_meta WHERE key = 'identity_next_customer_number'");
      const next = meta ? Number(meta.value) : 1;
      const counts = await assignCustomerIds(wh, next);
      await wh.run(`INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ('identity_next_customer_number', $1)`, [String(next + counts.created)]);
      return counts;
    });

    await timer.time('write customers', () => writeCustomers(wh, runId, startedAt));
    await wh.run('DELETE FROM identity_hubs');
    await wh.run('INSERT INTO identity_hubs SELECT kind, value, records, names, $1 FROM _idr_hubs', [runId]);
    const attribution = await timer.time('attribute shared records', () => attributeSharedRecordInteractions(wh, runId));
    const [{ customers }] = await wh.all<{ customers: number }>('SELECT count(*)::INTEGER AS customers FROM customers');
    const summary: ResolveSummary = {
      runId, mode: full ? 'full' : 'incremental', contacts: prepared.records, newContacts, customers,
      clustersFormed: clustering.created, merges: clustering.merges, splits: clustering.splits,
      pairsScored: stats.pairsScored, deterministicLinks: stats.deterministicLinks, probabilisticLinks: stats.probabilisticLinks,
      hubs: stats.hubs, attributed: attribution.attributed, quarantined, seconds: 0, stages: timer.stages,
    };
    summary.seconds = (performance.now() - started) / 1000;
    await wh.run(`INSERT INTO identity_runs VALUES ($1, $2, $3::TIMESTAMPTZ, $4::TIMESTAMPTZ, $5, $6, $7, $8, $9, $10::JSON, $11::JSON, $12::JSON)`, [
      runId, summary.mode, startedAt, now().toISOString(), summary.contacts, customers, summary.merges, summary.splits,
      summary.pairsScored, JSON.stringify(config), JSON.stringify(model), JSON.stringify({ ...stats, stages: timer.stages }),
    ]);
    return summary;
  } finally {
    await dropStageTables(wh);
  }
}

/** Writes the customers of this run's scope and sets customer_id wherever a contact is referenced. */
async function writeCustomers(wh: Warehouse, runId: string, at: string): Promise<void> {
  await wh.run(`CREATE TABLE _idr_map AS
    SELECT r.record_id AS contact_id, a.customer_id FROM _idr_clusters c JOIN _idr_assign a USING (cluster) JOIN _idr_records r USING (rid)`);
  await wh.run(`INSERT INTO identity_clusters_history SELECT $1, event, customer_id, other_customer_ids, contacts, $2::TIMESTAMPTZ FROM _idr_events`, [runId, at]);
  // Best details: verified first, then the most frequent, then the smallest, so reruns agree.
  await wh.run(`CREATE TABLE _idr_details AS
    WITH ranked AS (
      SELECT m.customer_id, i.kind, CASE WHEN i.kind = 'name' THEN i.raw_value ELSE i.value END AS v, bool_or(i.verified) AS verified, count(*) AS n
      FROM _idr_map m JOIN identities i USING (contact_id)
      ANTI JOIN (SELECT identity_id FROM _idr_norm WHERE value IS NULL AND identity_id IS NOT NULL) q ON q.identity_id = i.id
      WHERE i.kind IN ('name', 'email', 'phone') AND i.value <> ''
      GROUP BY ALL
    )
    SELECT customer_id, kind, v FROM ranked QUALIFY row_number() OVER (PARTITION BY customer_id, kind ORDER BY verified DESC, n DESC, v) = 1`);
  await wh.run(`CREATE TABLE _idr_created AS
    SELECT a.customer_id, coalesce(min(c.created_at), $1::TIMESTAMPTZ) AS created_at
    FROM _idr_assign a LEFT JOIN _idr_claim k ON k.cluster = a.cluster LEFT JOIN customers c ON c.id = k.old_id GROUP BY a.customer_id`, [at]);
  await wh.run(`DELETE FROM customers WHERE id IN (SELECT customer_id FROM _idr_old o JOIN _idr_scope s USING (rid))
    OR id IN (SELECT customer_id FROM _idr_assign)`);
  await wh.run(`INSERT INTO customers (id, display_name, primary_email, primary_phone, created_at, updated_at)
    SELECT a.customer_id, d.name, d.email, d.phone, c.created_at, $1::TIMESTAMPTZ
    FROM _idr_assign a JOIN _idr_created c USING (customer_id) LEFT JOIN (
      SELECT customer_id, any_value(v) FILTER (WHERE kind = 'name') AS name, any_value(v) FILTER (WHERE kind = 'email') AS email,
        any_value(v) FILTER (WHERE kind = 'phone') AS phone
      FROM _idr_details GROUP BY customer_id) d USING (customer_id)`, [at]);
  for (const table of ['identities', 'customer_attributes', 'interactions']) {
    // Table names come from the fixed list above.
    await wh.run(`UPDATE ${table} SET customer_id = m.customer_id FROM _idr_map m
      WHERE ${table}.contact_id = m.contact_id AND ${table}.customer_id IS DISTINCT FROM m.customer_id`);
  }
  // Rows loaded since the last run for contacts this run left alone (a known person's new ticket):
  // their contact's customer, which the identities already carry.
  for (const table of ['customer_attributes', 'interactions']) {
    await wh.run(`UPDATE ${table} SET customer_id = k.customer_id FROM (
        SELECT contact_id, any_value(customer_id) AS customer_id FROM identities WHERE customer_id IS NOT NULL GROUP BY contact_id) k
      WHERE ${table}.customer_id IS NULL AND ${table}.contact_id = k.contact_id`);
  }
}
