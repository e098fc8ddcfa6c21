import type { Warehouse } from '../database.ts';
import { blockingKeySql } from './comparisons.ts';
import type { MatcherConfig } from './config.ts';
import { collectDerived, collectIdentitiesSql, derivedValueSql, rawTableSql, writeBackNormalized } from './collect.ts';
import { blankHubValues, deterministicLinks, findHubs, scorePairs, type LinkStats, type Model } from './matcher.ts';
import { prepareRecords } from './prepare-records.ts';
import type { StageTimer } from './sql.ts';

/** The warehouse_meta key naming the run whose state `identity_records` and friends hold. */
export const stateRunKey = 'identity_state_run';

const recordColumns = `record_id, source, first_name, first_canon, surname, full_name, dob, city, postcode, address,
  email, email_local, phone, phone_tail, account_id, crm_id, handle, order_no, chat_visitor`;

/**
 * After a full relink, keeps what the next incremental run needs: each record's wide row before
 * the hub guard blanked it (`_idr_records_unblanked`), its strong identifiers with those set aside
 * (`_idr_keys_all`), its follow-up and quoted identifiers, and the first-pass hubs.
 */
export async function saveResolutionState(wh: Warehouse, runId: string): Promise<void> {
  await wh.run('DELETE FROM identity_records');
  await wh.run(`INSERT INTO identity_records SELECT ${recordColumns} FROM _idr_records_unblanked`);
  await wh.run('DELETE FROM identity_keys');
  await wh.run(`INSERT INTO identity_keys
    SELECT r.record_id, k.kind, k.value, k.verified, k.quoted, k.quoted AND k.rid IN (
      SELECT s.rid FROM _idr_keys_all s JOIN _idr_first_hubs h USING (kind, value) WHERE NOT s.quoted)
    FROM _idr_keys_all k JOIN _idr_records_unblanked r USING (rid)`);
  await wh.run('DELETE FROM identity_derived');
  await wh.run(`INSERT INTO identity_derived SELECT DISTINCT record_id, kind, value FROM _idr_norm
    WHERE kind IN ('follow_up', 'quoted_email', 'quoted_order') AND value IS NOT NULL`);
  await wh.run('DELETE FROM identity_first_hubs');
  await wh.run('INSERT INTO identity_first_hubs SELECT kind, value FROM _idr_first_hubs');
  await wh.run('INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ($1, $2)', [stateRunKey, runId]);
}

export interface IncrementalLinks {
  stats: LinkStats;
  newContacts: number;
  quarantined: number;
  /** How much the run touched: records changed, dirty (pairs rescored), blocked against, clustered. */
  touched: { changed: number; dirty: number; neighbourhood: number; clustered: number };
}

/** Why an incremental run cannot equal a full relink and must hand over to one (null when it can). */
export function incrementalObstacle(config: MatcherConfig, model: Model): string | null {
  if (config.comparisons.some((c) => c.tf)) return 'term frequencies are counted over every record';
  if (!Number.isFinite(model.prior)) return 'the model has no prior yet';
  return null;
}

/** `lhs IN table`, for one column or a row of them. */
const inTable = (table: string, cols = 'record_id', lhs = cols) => `(${lhs}) IN (SELECT (${cols}) FROM ${table})`;

/**
 * Links what a sync changed, equal to a full relink with the same model, touching only:
 * - the records whose identifiers changed (`_idr_changed`: new identities, or follow-up and quoted
 *   identifiers that appeared or went), normalized alone and written into the kept state;
 * - the strong identifiers those records hold or held, whose figures and hub status are counted
 *   again over their own records only (each identifier's figures depend on its records alone);
 * - pairs touching a dirty record (a changed one, or one holding an identifier that became or
 *   stopped being a hub, or one in a block whose size may have crossed `maxBlockSize`), blocked
 *   against the records sharing a block key with them;
 * - and, for clustering, the records of every customer those links touch.
 * Leaves `_idr_records(rid, record_id)`, `_idr_old`, `_idr_scope` and `_idr_links(l, r)` for the
 * clustering that follows.
 */
export async function linkIncrementally(
  wh: Warehouse, config: MatcherConfig, model: Model, runId: string, at: string, timer: StageTimer,
): Promise<IncrementalLinks> {
  const kinds = config.deterministic.map((d) => `'${d.kind}'`);
  const detKinds = kinds.length ? `kind IN (${kinds.join(', ')})` : 'false';

  await timer.time('changed records', async () => {
    await wh.run(rawTableSql);
    await collectDerived(wh, config, timer);
    await wh.run(`CREATE TABLE _idr_derived_now AS
      SELECT DISTINCT record_id, kind, value FROM (SELECT record_id, kind, ${derivedValueSql(config)} AS value FROM _idr_raw) WHERE value IS NOT NULL`);
    await wh.run(`CREATE TABLE _idr_changed AS
      SELECT DISTINCT contact_id AS record_id FROM identities WHERE customer_id IS NULL
      UNION SELECT record_id FROM (
        (SELECT * FROM _idr_derived_now EXCEPT SELECT * FROM identity_derived)
        UNION ALL (SELECT * FROM identity_derived EXCEPT SELECT * FROM _idr_derived_now))`);
  });

  const quarantined = await timer.time('normalize changed records', async () => {
    await wh.run(`DELETE FROM _idr_raw WHERE record_id NOT IN (SELECT record_id FROM _idr_changed)`);
    await wh.run(collectIdentitiesSql('_idr_changed'), [false]);
    await prepareRecords(wh, config, timer);
    return writeBackNormalized(wh, runId, at);
  });

  await timer.time('keep changed records', async () => {
    await wh.run(`CREATE TABLE _idr_c_old_records AS SELECT * FROM identity_records WHERE ${inTable('_idr_changed')}`);
    await wh.run(`CREATE TABLE _idr_c_old_keys AS SELECT * FROM identity_keys WHERE ${inTable('_idr_changed')}`);
    await wh.run(`DELETE FROM identity_records WHERE ${inTable('_idr_changed')}`);
    await wh.run(`INSERT INTO identity_records SELECT ${recordColumns} FROM _idr_records`);
    await wh.run(`DELETE FROM identity_keys WHERE ${inTable('_idr_changed')}`);
    // Set aside is decided below, once the first-pass hubs of these identifiers are known.
    await wh.run(`INSERT INTO identity_keys SELECT r.record_id, k.kind, k.value, k.verified, k.quoted, false FROM _idr_keys k JOIN _idr_records r USING (rid)`);
    await wh.run(`DELETE FROM identity_derived WHERE ${inTable('_idr_changed')}`);
    await wh.run(`INSERT INTO identity_derived SELECT * FROM _idr_derived_now WHERE ${inTable('_idr_changed')}`);
  });

  await timer.time('hub guard', async () => {
    // The identifiers whose figures may change, and every key row that holds one of them.
    await wh.run(`CREATE TABLE _idr_ka AS SELECT DISTINCT kind, value FROM (
      SELECT kind, value FROM identity_keys WHERE ${inTable('_idr_changed')} UNION ALL SELECT kind, value FROM _idr_c_old_keys) WHERE ${detKinds}`);
    await wh.run(`CREATE TABLE _idr_hk AS SELECT k.* FROM identity_keys k SEMI JOIN _idr_ka USING (kind, value)`);
    await wh.run(`CREATE OR REPLACE TABLE _idr_records AS
      SELECT (row_number() OVER (ORDER BY record_id) - 1)::INTEGER AS rid, r.* FROM identity_records r
      WHERE record_id IN (SELECT record_id FROM _idr_hk)`);
    const holderKeys = (where: string) => `CREATE OR REPLACE TABLE _idr_keys AS
      SELECT r.rid, k.kind, k.value, k.verified, k.quoted FROM _idr_hk k JOIN _idr_records r USING (record_id) WHERE ${where}`;
    await wh.run(holderKeys('true'));
    await findHubs(wh, config);
    await wh.run('CREATE TABLE _idr_h1 AS SELECT kind, value FROM _idr_hubs');

    // Which records share a first-pass hub now, so their quoted identifiers are set aside: the
    // changed records, and the holders outside the change whose hub may have come or gone (their
    // other identifiers keep their first-pass status). A record outside the change whose status
    // turns changes the figures of the identifiers it quoted, so those are counted again too; their
    // first-pass status cannot change (it counts quoted identifiers whether set aside or not).
    await wh.run(`CREATE TABLE _idr_sharing AS
      WITH q AS (
        SELECT record_id FROM _idr_changed
        UNION SELECT record_id FROM _idr_hk WHERE record_id IN (SELECT record_id FROM identity_keys WHERE quoted)
      ), k AS (SELECT * FROM identity_keys WHERE record_id IN (SELECT record_id FROM q))
      SELECT k.record_id,
        bool_or(NOT k.quoted AND CASE WHEN a.kind IS NOT NULL THEN h.kind IS NOT NULL ELSE f.kind IS NOT NULL END) AS shares_now,
        bool_or(k.set_aside) AS shares_before
      FROM k LEFT JOIN _idr_ka a USING (kind, value) LEFT JOIN _idr_h1 h USING (kind, value) LEFT JOIN identity_first_hubs f USING (kind, value)
      GROUP BY k.record_id`);
    await wh.run(`UPDATE identity_keys SET set_aside = s.shares_now FROM _idr_sharing s
      WHERE identity_keys.record_id = s.record_id AND identity_keys.quoted AND identity_keys.set_aside <> s.shares_now`);
    await wh.run(`DELETE FROM identity_first_hubs WHERE ${inTable('_idr_ka', 'kind, value')}`);
    await wh.run('INSERT INTO identity_first_hubs SELECT * FROM _idr_h1');
    const [{ turned }] = await wh.all<{ turned: number }>(`SELECT count(*)::INTEGER AS turned FROM _idr_sharing
      WHERE shares_now <> shares_before AND record_id NOT IN (SELECT record_id FROM _idr_changed)`);
    if (turned > 0) {
      await wh.run(`INSERT INTO _idr_ka SELECT DISTINCT kind, value FROM identity_keys
        WHERE quoted AND ${detKinds} AND record_id IN (
          SELECT record_id FROM _idr_sharing WHERE shares_now <> shares_before AND record_id NOT IN (SELECT record_id FROM _idr_changed))
        EXCEPT SELECT kind, value FROM _idr_ka`);
      await wh.run(`CREATE OR REPLACE TABLE _idr_hk AS SELECT k.* FROM identity_keys k SEMI JOIN _idr_ka USING (kind, value)`);
      await wh.run(`CREATE OR REPLACE TABLE _idr_records AS
        SELECT (row_number() OVER (ORDER BY record_id) - 1)::INTEGER AS rid, r.* FROM identity_records r
        WHERE record_id IN (SELECT record_id FROM _idr_hk)`);
    } else {
      await wh.run(`UPDATE _idr_hk SET set_aside = s.shares_now FROM _idr_sharing s
        WHERE _idr_hk.record_id = s.record_id AND _idr_hk.quoted AND _idr_hk.set_aside <> s.shares_now`);
    }

    await wh.run(holderKeys('NOT k.set_aside'));
    await findHubs(wh, config);
    await wh.run(`CREATE TABLE _idr_hub_changed AS
      (SELECT kind, value FROM _idr_hubs EXCEPT SELECT kind, value FROM identity_hubs)
      UNION (SELECT kind, value FROM identity_hubs WHERE ${inTable('_idr_ka', 'kind, value')} EXCEPT SELECT kind, value FROM _idr_hubs)`);
    await wh.run(`DELETE FROM identity_hubs WHERE ${inTable('_idr_ka', 'kind, value')}`);
    await wh.run('INSERT INTO identity_hubs SELECT kind, value, records, names, $1 FROM _idr_hubs', [runId]);
  });

  await timer.time('deterministic links', async () => {
    await deterministicLinks(wh, config);
    await wh.run(`CREATE TABLE _idr_det_named AS
      SELECT lr.record_id AS left_contact_id, rr.record_id AS right_contact_id, x.rule, x.kind, x.value,
        NULL::DOUBLE AS match_weight, x.match_probability, NULL::TINYINT[] AS levels, $1 AS run_id
      FROM _idr_det_links x JOIN _idr_records lr ON lr.rid = x.l JOIN _idr_records rr ON rr.rid = x.r`, [runId]);
    await wh.run(`CREATE TABLE _idr_det_old AS SELECT * FROM identity_links
      WHERE starts_with(rule, 'key:') AND ${inTable('_idr_ka', 'kind, value')}`);
  });

  // Dirty records: changed ones and the holders of an identifier that became or stopped being a hub.
  await wh.run(`CREATE TABLE _idr_dirty_ids AS
    SELECT record_id FROM _idr_changed
    UNION SELECT record_id FROM _idr_hk WHERE NOT set_aside AND ${inTable('_idr_hub_changed', 'kind, value')}`);

  const scored = await timer.time('blocking partners', () => blockingNeighbourhood(wh, config));
  const stats = await timer.time('score dirty pairs', async () => {
    const { pairs, skipped } = await scorePairs(wh, config, model, timer, { dirtyTable: '_idr_dirty', records: scored });
    await wh.run(`CREATE TABLE _idr_prob_named AS
      SELECT lr.record_id AS left_contact_id, rr.record_id AS right_contact_id, 'probabilistic' AS rule, NULL::VARCHAR AS kind, NULL::VARCHAR AS value,
        x.match_weight, x.match_probability, x.gammas AS levels, $1 AS run_id
      FROM _idr_scores x JOIN _idr_records lr ON lr.rid = x.l JOIN _idr_records rr ON rr.rid = x.r
      WHERE x.match_probability >= $2`, [runId, config.probabilisticThreshold ?? config.threshold]);
    const [counts] = await wh.all<{ det: number; prob: number; hubs: number; records: number }>(`SELECT
      (SELECT count(*) FROM identity_links WHERE starts_with(rule, 'key:'))::INTEGER - (SELECT count(*) FROM _idr_det_old)::INTEGER
        + (SELECT count(*) FROM _idr_det_named)::INTEGER AS det,
      (SELECT count(*) FROM _idr_prob_named)::INTEGER AS prob,
      (SELECT count(*) FROM identity_hubs)::INTEGER AS hubs,
      (SELECT count(*) FROM identity_records)::INTEGER AS records`);
    const s: LinkStats = {
      records: counts.records, hubs: counts.hubs, deterministicLinks: counts.det, pairsScored: pairs,
      probabilisticLinks: counts.prob, pairsSkippedByBlockCap: skipped,
    };
    return s;
  });

  await timer.time('store links', async () => {
    await wh.run(`CREATE TABLE _idr_touched_ids AS
      WITH det_changed AS (
        (SELECT left_contact_id, right_contact_id, rule, value FROM _idr_det_old EXCEPT SELECT left_contact_id, right_contact_id, rule, value FROM _idr_det_named)
        UNION (SELECT left_contact_id, right_contact_id, rule, value FROM _idr_det_named EXCEPT SELECT left_contact_id, right_contact_id, rule, value FROM _idr_det_old)
      ), prob_dropped AS (
        SELECT left_contact_id, right_contact_id FROM identity_links WHERE rule = 'probabilistic'
          AND (left_contact_id IN (SELECT record_id FROM _idr_dirty_ids) OR right_contact_id IN (SELECT record_id FROM _idr_dirty_ids))
      )
      SELECT record_id FROM _idr_dirty_ids
      UNION SELECT left_contact_id FROM det_changed UNION SELECT right_contact_id FROM det_changed
      UNION SELECT left_contact_id FROM prob_dropped UNION SELECT right_contact_id FROM prob_dropped
      UNION SELECT left_contact_id FROM _idr_prob_named UNION SELECT right_contact_id FROM _idr_prob_named`);
    await wh.run(`DELETE FROM identity_links WHERE (starts_with(rule, 'key:') AND ${inTable('_idr_ka', 'kind, value')})
      OR (rule = 'probabilistic' AND (left_contact_id IN (SELECT record_id FROM _idr_dirty_ids) OR right_contact_id IN (SELECT record_id FROM _idr_dirty_ids)))`);
    await wh.run('INSERT INTO identity_links SELECT * FROM _idr_det_named');
    await wh.run('INSERT INTO identity_links SELECT * FROM _idr_prob_named');
  });

  const newContacts = await timer.time('clustering scope', async () => {
    // Scope: the touched records and every record of a customer they belonged to.
    await wh.run(`CREATE TABLE _idr_touched_old AS
      SELECT contact_id AS record_id, any_value(customer_id) AS customer_id FROM identities
      WHERE contact_id IN (SELECT record_id FROM _idr_touched_ids) GROUP BY contact_id`);
    await wh.run(`CREATE TABLE _idr_scope_old AS
      SELECT contact_id AS record_id, any_value(customer_id) AS customer_id FROM identities
      WHERE customer_id IN (SELECT customer_id FROM _idr_touched_old WHERE customer_id IS NOT NULL) GROUP BY contact_id
      UNION SELECT * FROM _idr_touched_old`);
    // Clusters are formed from the links inside the scope only, so no link may leave it: a record
    // linked to one in scope (a record that lost its customer but kept its links) comes in, with
    // every record of its customer, until none is left outside.
    for (;;) {
      await wh.run(`CREATE OR REPLACE TABLE _idr_scope_more AS
        WITH ends AS (
          SELECT right_contact_id AS record_id FROM identity_links WHERE left_contact_id IN (SELECT record_id FROM _idr_scope_old)
          UNION SELECT left_contact_id FROM identity_links WHERE right_contact_id IN (SELECT record_id FROM _idr_scope_old)
        ), outside AS (SELECT record_id FROM ends WHERE record_id NOT IN (SELECT record_id FROM _idr_scope_old)),
        customers AS (SELECT DISTINCT customer_id FROM identities WHERE contact_id IN (SELECT record_id FROM outside) AND customer_id IS NOT NULL)
        SELECT contact_id AS record_id, any_value(customer_id) AS customer_id FROM identities
        WHERE (contact_id IN (SELECT record_id FROM outside) OR customer_id IN (SELECT customer_id FROM customers))
          AND contact_id NOT IN (SELECT record_id FROM _idr_scope_old)
        GROUP BY contact_id`);
      const [{ more }] = await wh.all<{ more: number }>('SELECT count(*)::INTEGER AS more FROM _idr_scope_more');
      if (more === 0) break;
      await wh.run('INSERT INTO _idr_scope_old SELECT * FROM _idr_scope_more');
    }
    await wh.run(`CREATE OR REPLACE TABLE _idr_records AS
      SELECT (row_number() OVER (ORDER BY record_id) - 1)::INTEGER AS rid, record_id FROM (SELECT DISTINCT record_id FROM _idr_scope_old)`);
    await wh.run(`CREATE OR REPLACE TABLE _idr_old AS
      SELECT r.rid, o.customer_id FROM _idr_scope_old o JOIN _idr_records r USING (record_id)`);
    await wh.run('CREATE OR REPLACE TABLE _idr_scope AS SELECT rid FROM _idr_records');
    await wh.run(`CREATE OR REPLACE TABLE _idr_links AS
      SELECT lr.rid AS l, rr.rid AS r FROM identity_links x
      JOIN _idr_records lr ON lr.record_id = x.left_contact_id JOIN _idr_records rr ON rr.record_id = x.right_contact_id`);
    const [{ n }] = await wh.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM _idr_touched_old o
      WHERE customer_id IS NULL AND ${inTable('_idr_changed', 'record_id', 'o.record_id')}`);
    return n;
  });
  await wh.run('INSERT OR REPLACE INTO warehouse_meta (key, value) VALUES ($1, $2)', [stateRunKey, runId]);
  const [touched] = await wh.all<IncrementalLinks['touched']>(`SELECT (SELECT count(*) FROM _idr_changed)::INTEGER AS changed,
    (SELECT count(*) FROM _idr_dirty_ids)::INTEGER AS dirty, $1::INTEGER AS neighbourhood, (SELECT count(*) FROM _idr_records)::INTEGER AS clustered`, [scored]);
  return { stats, newContacts, quarantined, touched };
}

/**
 * `_idr_records` for scoring: the dirty records and every record sharing a block key with them
 * (blanked by the hub guard as a full relink would), and `_idr_dirty(rid)`. A block that holds a
 * dirty record and may have crossed `maxBlockSize` (its size now, plus the dirty records that
 * left it, exceeds the cap) makes all its records dirty: their pairs in it appear or go.
 * Returns the number of records in it.
 */
async function blockingNeighbourhood(wh: Warehouse, config: MatcherConfig): Promise<number> {
  const rules = config.blocking.map((rule) => (side: string) => rule.map((k) => blockingKeySql(k, side)));
  const load = async (ids: string) => {
    await wh.run(`CREATE OR REPLACE TABLE _idr_records AS
      SELECT (row_number() OVER (ORDER BY record_id) - 1)::INTEGER AS rid, r.* FROM identity_records r WHERE record_id IN (SELECT record_id FROM ${ids})`);
    // The hub guard's blanking needs each record's national numbers that are hubs.
    await wh.run(`CREATE OR REPLACE TABLE _idr_keys AS
      SELECT r.rid, k.kind, k.value, k.verified, k.quoted FROM identity_keys k JOIN _idr_records r USING (record_id)
      WHERE k.kind = 'phone_national' AND NOT k.set_aside`);
    await blankHubValues(wh, 'identity_hubs');
  };
  // Dirty records only grow, so this settles; in practice after one round.
  for (;;) {
    // The dirty records as blanked now, and as written before the change (the blocks they left).
    await load('_idr_dirty_ids');
    await wh.run('CREATE OR REPLACE TABLE _idr_d_now AS SELECT * FROM _idr_records');
    await wh.run(`CREATE OR REPLACE TABLE _idr_d_before AS
      SELECT * FROM _idr_c_old_records
      UNION ALL SELECT ${recordColumns} FROM identity_records
      WHERE record_id IN (SELECT record_id FROM _idr_dirty_ids) AND record_id NOT IN (SELECT record_id FROM _idr_changed)`);
    // Keys present on both sides only: a row of keys with a NULL in it blocks nothing, but as a
    // row it would equal every other record missing the same key.
    const present = (keys: string[]) => keys.map((k) => `${k} IS NOT NULL`).join(' AND ');
    const found = rules.map((keys) => `SELECT record_id FROM identity_records x WHERE ${present(keys('x'))} AND (${keys('x').join(', ')}) IN (
        SELECT (${keys('d').join(', ')}) FROM _idr_d_now d WHERE ${present(keys('d'))}
        UNION SELECT (${keys('o').join(', ')}) FROM _idr_d_before o WHERE ${present(keys('o'))})`);
    await wh.run(`CREATE OR REPLACE TABLE _idr_w_ids AS SELECT record_id FROM _idr_dirty_ids UNION ${found.join(' UNION ')}`);
    await load('_idr_w_ids');
    if (!(config.maxBlockSize > 0)) break;
    let added = 0;
    for (const keys of rules) {
      const kk = keys('').map((_, i) => `k${i}`);
      const cols = (side: string) => keys(side).map((k, i) => `${k} AS k${i}`).join(', ');
      const hasKeys = (side: string) => present(keys(side));
      // Before, a block held at most its records now plus the dirty records that left it.
      const fresh = `WITH now AS (
          SELECT record_id, ${cols('x')} FROM _idr_records x WHERE ${hasKeys('x')}
        ), sizes AS (SELECT ${kk.join(', ')}, count(*) AS n FROM now GROUP BY ALL),
        left_ AS (
          SELECT ${kk.join(', ')}, count(*) AS n FROM (
            SELECT o.record_id, ${cols('o')} FROM _idr_d_before o WHERE ${hasKeys('o')}
            EXCEPT SELECT record_id, ${kk.join(', ')} FROM now) GROUP BY ALL
        ), dirty_blocks AS (
          SELECT ${kk.join(', ')} FROM now WHERE record_id IN (SELECT record_id FROM _idr_dirty_ids)
          UNION SELECT ${kk.join(', ')} FROM left_
        ), crossing AS (
          SELECT s.${kk.join(', s.')} FROM sizes s LEFT JOIN left_ l USING (${kk.join(', ')})
          WHERE s.n + coalesce(l.n, 0) > $1 AND (${kk.map((k) => `s.${k}`).join(', ')}) IN (SELECT (${kk.join(', ')}) FROM dirty_blocks)
        )
        SELECT DISTINCT record_id FROM now SEMI JOIN crossing USING (${kk.join(', ')})
        WHERE record_id NOT IN (SELECT record_id FROM _idr_dirty_ids)`;
      const [{ n }] = await wh.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (${fresh})`, [config.maxBlockSize]);
      if (n > 0) {
        await wh.run(`INSERT INTO _idr_dirty_ids ${fresh}`, [config.maxBlockSize]);
        added += n;
      }
    }
    if (added === 0) break;
  }
  await wh.run(`CREATE OR REPLACE TABLE _idr_dirty AS SELECT r.rid FROM _idr_records r JOIN _idr_dirty_ids USING (record_id)`);
  const [{ n }] = await wh.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM _idr_records');
  return n;
}
