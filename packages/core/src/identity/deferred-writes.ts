import type { Warehouse } from '../database.ts';
import { parseMatcherConfig } from './config.ts';
import { attributeSharedRecordInteractions } from './shared-records.ts';

/**
 * A full relink of a large warehouse rewrites a column of nearly every row of `identities`,
 * `customer_attributes` and `interactions`. DuckDB keeps every row an UPDATE changed in memory
 * (its undo and update records) until the transaction commits, and cannot spill them: at ten
 * million interactions the relink's updates alone needed more than the build's 4 GB. So such a
 * run commits the new values as tables of their own, inside its transaction, and
 * `applyDeferredWrites` copies them into place afterwards in committed slices of rows. Until it
 * has, the warehouse holds the new customers but some rows still carry their old customer id;
 * the tables stay until the copy is done, so an interrupted copy is finished by the next call.
 */

/** New normalized values of `identities.value`, by identity id. */
export const deferredValuesTable = 'identity_deferred_values';
/** New `customer_id` of every row of a contact, by contact id. */
export const deferredCustomersTable = 'identity_deferred_customers';

/** Rows per committed UPDATE when the deferred values are copied in. */
export const defaultWriteSliceRows = 1_000_000;

/** The tables whose `customer_id` follows the contact's customer; names from this fixed list only. */
const customerTables = ['identities', 'customer_attributes', 'interactions'] as const;

export async function hasDeferredWrites(wh: Warehouse): Promise<boolean> {
  const rows = await wh.all(`SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
    AND table_name IN ('${deferredValuesTable}', '${deferredCustomersTable}')`);
  return rows.length > 0;
}

/**
 * Copies what a resolution run deferred (see above) into `identities`, `customer_attributes` and
 * `interactions`, `sliceRows` rows per statement, each committed on its own, then attributes the
 * interactions of shared records (which reads the customer ids just written) and drops the
 * deferred tables. Call it outside any transaction; every step can run again after a stop.
 * Returns null when nothing was deferred.
 *
 * @example
 * await wh.atomically((tx) => resolveIdentities(tx, { full: true, deferWritesOver: 1_000_000 }));
 * await applyDeferredWrites(wh); // { attributed: 12 }
 */
export async function applyDeferredWrites(wh: Warehouse, options: { sliceRows?: number } = {}): Promise<{ attributed: number } | null> {
  if (!(await hasDeferredWrites(wh))) return null;
  const sliceRows = options.sliceRows ?? defaultWriteSliceRows;
  const [values] = await wh.all(`SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = '${deferredValuesTable}'`);
  if (values) {
    await inSlices(wh, 'identities', sliceRows, `UPDATE identities SET value = d.value FROM ${deferredValuesTable} d
      WHERE d.identity_id = identities.id AND identities.value IS DISTINCT FROM d.value AND identities.rowid >= $1::BIGINT AND identities.rowid < $2::BIGINT`);
  }
  for (const table of customerTables) {
    await inSlices(wh, table, sliceRows, `UPDATE ${table} SET customer_id = m.customer_id FROM ${deferredCustomersTable} m
      WHERE ${table}.contact_id = m.contact_id AND ${table}.customer_id IS DISTINCT FROM m.customer_id AND ${table}.rowid >= $1::BIGINT AND ${table}.rowid < $2::BIGINT`);
  }
  // As resolveIdentities does inline: rows of contacts the run left alone take their contact's customer.
  for (const table of ['customer_attributes', 'interactions'] as const) {
    await inSlices(wh, table, sliceRows, `UPDATE ${table} SET customer_id = k.customer_id FROM (
        SELECT contact_id, any_value(customer_id) AS customer_id FROM identities
        WHERE customer_id IS NOT NULL AND contact_id IN (SELECT contact_id FROM ${table} WHERE customer_id IS NULL) GROUP BY contact_id) k
      WHERE ${table}.customer_id IS NULL AND ${table}.contact_id = k.contact_id AND ${table}.rowid >= $1::BIGINT AND ${table}.rowid < $2::BIGINT`);
  }
  const [run] = await wh.all<{ id: string; config: string }>('SELECT id, config::VARCHAR AS config FROM identity_runs ORDER BY started_at DESC, id DESC LIMIT 1');
  const config = parseMatcherConfig(JSON.parse(run.config), 'the last run');
  return wh.atomically(async (tx) => {
    const attribution = await attributeSharedRecordInteractions(tx, run.id, config.quotedIdentifiers?.orderPattern);
    await tx.run(`DROP TABLE IF EXISTS ${deferredValuesTable}; DROP TABLE IF EXISTS ${deferredCustomersTable}`);
    return { attributed: attribution.attributed };
  });
}

/** Runs `sql` (an UPDATE of `table` bounded by `$1 <= rowid < $2`) over the whole table, one committed slice at a time. */
async function inSlices(wh: Warehouse, table: string, sliceRows: number, sql: string): Promise<void> {
  const [{ end }] = await wh.all<{ end: number | null }>(`SELECT (max(rowid) + 1)::BIGINT AS "end" FROM ${table}`);
  for (let from = 0; from < Number(end ?? 0); from += sliceRows) await wh.run(sql, [from, from + sliceRows]);
}
