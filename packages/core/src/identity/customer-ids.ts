import type { Sql } from './sql.ts';

/**
 * Stable customer ids, from `_idr_clusters(rid, cluster)` (the clusters of this run, for the records
 * in scope) and `_idr_old(rid, customer_id)` (the customer each record had before):
 * - every old id goes to the cluster holding most of its records (ties: the smaller cluster label);
 * - a cluster keeps, of the old ids it won, the one with most records (ties: the smaller id);
 * - a cluster that keeps none gets a new id `cus_NNNNNNN`, numbered in order of its smallest record.
 * So a customer keeps its id when identities join it, the larger side of a split keeps it, and a
 * merge keeps the id of the larger customer. Writes `_idr_assign(cluster, customer_id, is_new)` and
 * `_idr_events(event, customer_id, other_customer_ids, contacts)`.
 *
 * @example
 * await assignCustomerIds(wh, 12); // the next new customer is cus_0000012
 */
export async function assignCustomerIds(sql: Sql, nextNumber: number): Promise<{ created: number; merges: number; splits: number }> {
  await sql.run(`CREATE OR REPLACE TABLE _idr_overlap AS
    SELECT c.cluster, o.customer_id AS old_id, count(*)::INTEGER AS n
    FROM _idr_clusters c JOIN _idr_old o USING (rid) WHERE o.customer_id IS NOT NULL GROUP BY ALL`);
  await sql.run(`CREATE OR REPLACE TABLE _idr_claim AS
    SELECT * FROM _idr_overlap QUALIFY row_number() OVER (PARTITION BY old_id ORDER BY n DESC, cluster) = 1`);
  await sql.run(`CREATE OR REPLACE TABLE _idr_keep AS
    SELECT * FROM _idr_claim QUALIFY row_number() OVER (PARTITION BY cluster ORDER BY n DESC, old_id) = 1`);
  await sql.run(`CREATE OR REPLACE TABLE _idr_assign AS
    WITH sizes AS (
      SELECT c.cluster, min(r.record_id) AS first_record, count(*)::INTEGER AS contacts
      FROM _idr_clusters c JOIN _idr_records r USING (rid) GROUP BY c.cluster
    ), fresh AS (
      SELECT s.cluster, 'cus_' || lpad(($1::BIGINT + row_number() OVER (ORDER BY s.first_record) - 1)::VARCHAR, 7, '0') AS customer_id
      FROM sizes s ANTI JOIN _idr_keep k USING (cluster)
    )
    SELECT s.cluster, coalesce(k.old_id, f.customer_id) AS customer_id, k.old_id IS NULL AS is_new, s.contacts
    FROM sizes s LEFT JOIN _idr_keep k USING (cluster) LEFT JOIN fresh f USING (cluster)`, [nextNumber]);
  await sql.run(`CREATE OR REPLACE TABLE _idr_events AS
    -- merged: a cluster that won several old ids absorbed the others
    SELECT 'merged' AS event, a.customer_id, list(c.old_id ORDER BY c.old_id) AS other_customer_ids, any_value(a.contacts) AS contacts
    FROM _idr_claim c JOIN _idr_assign a USING (cluster) WHERE c.old_id <> a.customer_id
    GROUP BY a.customer_id
    UNION ALL
    -- split: an old id whose records now sit in more than one cluster
    SELECT 'split', o.old_id, list(DISTINCT a.customer_id ORDER BY a.customer_id) FILTER (WHERE a.customer_id <> o.old_id), sum(o.n)::INTEGER
    FROM _idr_overlap o JOIN _idr_assign a USING (cluster)
    GROUP BY o.old_id HAVING count(DISTINCT o.cluster) > 1
    UNION ALL
    SELECT 'created', customer_id, []::VARCHAR[], contacts FROM _idr_assign WHERE is_new`);
  const [counts] = await sql.all<{ created: number; merges: number; splits: number }>(`SELECT
    count(*) FILTER (WHERE event = 'created')::INTEGER AS created,
    count(*) FILTER (WHERE event = 'merged')::INTEGER AS merges,
    count(*) FILTER (WHERE event = 'split')::INTEGER AS splits FROM _idr_events`);
  return counts;
}
