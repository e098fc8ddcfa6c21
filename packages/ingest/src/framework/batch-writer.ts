import { breathe, type Warehouse } from '@helpdesk/core';
import type { CanonicalRows } from './adapter.ts';
import { canonicalColumns, type CanonicalTableName } from './canonical-columns.ts';
import { wellFormedJson } from './json-text.ts';

/** The connection `Warehouse.transaction` hands out (typed through core, which owns DuckDB). */
type DuckDBConnection = Parameters<Parameters<Warehouse['transaction']>[0]>[0];

/** A record refused at the boundary, with why, and its raw text as received. */
export interface QuarantinedRecord {
  nativeId: string | null;
  reason: string;
  payload: string;
}

/**
 * A page whose text holds the raw records of the batch: DuckDB cuts the records out of it
 * (`path` is the JSON path of the record list, `count` how many records the runner found there),
 * so a record's payload is never re-serialised in JavaScript.
 */
export interface StagedPage {
  text: string;
  path: string;
  count: number;
}

/** A record that passed validation (the latest copy of it in the batch), ready to classify. */
export interface StagedRecord {
  nativeId: string;
  version: string;
  /** Index into `Batch.pages` and position in that page's record list; -1 when `payload` is given. */
  page: number;
  pos: number;
  /** The raw record as JSON text when no page text can supply it (and always when `reason` is set). */
  payload: string | null;
  /** Why normalizing it failed: quarantined if it is new or changed, otherwise counted unchanged. */
  reason: string | null;
  rows: CanonicalRows | null;
}

export interface Batch {
  runId: string;
  source: string;
  stream: string;
  /** ISO-8601 UTC. */
  fetchedAt: string;
  /** How versions compare: 'time' (a later one wins) or 'content' (any change is an update). */
  versionOrder: 'time' | 'content';
  /** `append`: a record already in the ledger is never replaced; `merge` (the default): a newer version replaces it. */
  writeDisposition?: 'append' | 'merge';
  pages: StagedPage[];
  records: StagedRecord[];
  /** Refused before classification (validation failures, unreadable pages). */
  quarantined: QuarantinedRecord[];
  /** The stream cursor to store with this batch; undefined leaves it where it was. */
  checkpoint?: string;
  /** The key the cursor is stored under (`tickets`, or `tickets@file` for recorded pages). */
  stateKey: string;
}

/** What a committed batch did, from the ledger's point of view. */
export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  /** Interactions the vendor reports deleted in this batch (they leave the warehouse, or never land). */
  deleted: number;
}

const mergedOnId: CanonicalTableName[] = ['interactions', 'agents', 'teams', 'queues'];
const tableNames = Object.keys(canonicalColumns) as CanonicalTableName[];

/**
 * Writes batches of one stream in two steps, so that JavaScript can prepare the next batch while
 * DuckDB commits this one:
 * - `stage` (no transaction): appends each record (with its canonical rows) as one JSON text, and
 *   the page texts, to the connection's temp tables, and has DuckDB parse them into typed rows;
 * - `commit` (one transaction): classifies the records against the `ingest_records` ledger in SQL
 *   (new / updated / unchanged), then lands raw payloads, the ledger, canonical rows, quarantine
 *   and the stream cursor, all or nothing.
 *
 * @example
 * const staged = await stageBatch(connection, batch);
 * const counts = await commitStaged(connection, staged);
 */
export interface StagedBatch {
  batch: Batch;
  tables: CanonicalTableName[];
  /** Temp tables this staging created, dropped once the batch is committed. */
  temps: string[];
}

/**
 * Fills the connection's temp tables with `batch`; nothing outside temp tables changes.
 *
 * One row per record goes to `stage_records` with its scalars and raw payload as plain columns
 * (a payload nested in a JSON line was escaped twice in JavaScript and unescaped by DuckDB), and
 * each canonical table's rows of the record as one JSON text, parsed once by DuckDB into that
 * table's staging table.
 */
export async function stageBatch(connection: DuckDBConnection, batch: Batch): Promise<StagedBatch> {
  const present = new Set<CanonicalTableName>();
  for (const r of batch.records) {
    if (!r.rows) continue;
    for (const table in r.rows) {
      if ((r.rows as Record<string, unknown[] | undefined>)[table]?.length) present.add(table as CanonicalTableName);
    }
  }
  const tableList = tableNames.filter((t) => present.has(t));
  const temps: string[] = ['stage_records', 'batch_classified'];

  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_records (k INTEGER, native_id VARCHAR, version VARCHAR, page INTEGER,
    pos INTEGER, payload VARCHAR, reason VARCHAR${tableList.map((t) => `, ${t} VARCHAR`).join('')})`);
  if (batch.records.length > 0) {
    const appender = await connection.createAppender('stage_records', 'main', 'temp');
    try {
      for (let k = 0; k < batch.records.length; k++) {
        // Serialising a batch's rows is JavaScript work of its own: give way to other work as it goes.
        await breathe(k);
        const r = batch.records[k];
        appender.appendInteger(k);
        // Node hands DuckDB UTF-8, writing an unpaired surrogate as U+FFFD, as wellFormedJson does.
        appender.appendVarchar(r.nativeId);
        appender.appendVarchar(r.version);
        appender.appendInteger(r.page);
        appender.appendInteger(r.pos);
        if (r.payload === null) appender.appendNull();
        else appender.appendVarchar(r.payload);
        if (r.reason === null) appender.appendNull();
        else appender.appendVarchar(r.reason);
        const rows = r.rows as Record<string, unknown[] | undefined> | null;
        for (const table of tableList) {
          const list = rows?.[table];
          if (list?.length) appender.appendVarchar(wellFormedJson(JSON.stringify(list), list));
          else appender.appendNull();
        }
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
  }
  if (batch.quarantined.length > 0) {
    temps.push('stage_quarantine');
    await replaceTemp(connection, 'stage_quarantine', 'native_id VARCHAR, reason VARCHAR, payload VARCHAR', batch.quarantined.map((q) => [q.nativeId, q.reason, q.payload]));
  }
  if (batch.pages.length > 0) {
    temps.push('stage_pages', 'batch_raw');
    await replaceTemp(connection, 'stage_pages', 'page INTEGER, path VARCHAR, n INTEGER, text VARCHAR', batch.pages.map((p, i) => [i, p.path, p.count, p.text]));
    // Raw payloads cut out of the page texts by DuckDB's JSON reader. A page whose list is not as
    // long as the runner's gives no payloads, so its records fail the NOT NULL check and the batch
    // is written again with payloads serialised in JavaScript (see runner). MATERIALIZED: each
    // page is parsed once, though its list is read twice.
    const paths = [...new Set(batch.pages.map((p) => p.path))];
    await connection.run(`CREATE OR REPLACE TEMP TABLE batch_raw AS
      WITH lists AS MATERIALIZED (${paths.map((path) => `
        SELECT page, n, json_extract(text, ${sqlString(path)}) AS l FROM stage_pages WHERE path = ${sqlString(path)}`).join(' UNION ALL ')})
      SELECT page, unnest(range(n))::INTEGER AS pos, unnest(l) AS payload FROM lists WHERE len(l) = n`);
    // The page texts are no longer needed; dropped now, they do not sit in memory through the commit.
    await connection.run('DROP TABLE stage_pages');
  }
  for (const table of tableList) {
    temps.push(`stage_${table}`);
    await connection.run(`CREATE OR REPLACE TEMP TABLE stage_${table} AS
      SELECT k AS _k, unnest(from_json(${table}, '[${structOf(table)}]'), recursive := true) FROM stage_records WHERE ${table} IS NOT NULL`);
  }
  return { batch, tables: tableList, temps };
}

/**
 * Commits a staged batch in one transaction and says what it did. Records are classified against
 * the ledger: unknown ones are inserted, a newer version (time order) or a different one (content
 * order) updates unless the stream appends, anything else is unchanged and writes nothing.
 */
export async function commitStaged(connection: DuckDBConnection, staged: StagedBatch): Promise<BatchCounts> {
  const { batch, tables, temps } = staged;
  const newer = batch.writeDisposition === 'append' ? 'false' : batch.versionOrder === 'time' ? 'b.version > l.version' : 'b.version <> l.version';
  const source = sqlString(batch.source);
  const stream = sqlString(batch.stream);
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE batch_classified AS
      SELECT b.k, b.native_id, b.version, b.page, b.pos, b.reason, l.version IS NOT NULL AS known,
             (l.version IS NULL OR ${newer}) AS keep
      FROM stage_records b LEFT JOIN ingest_records l ON l.source = ${source} AND l.stream = ${stream} AND l.native_id = b.native_id`);
    const counts = await rows<{ inserted: number; updated: number; unchanged: number; failed: number }>(connection, `
      SELECT count(*) FILTER (WHERE keep AND reason IS NULL AND NOT known)::INTEGER AS inserted,
             count(*) FILTER (WHERE keep AND reason IS NULL AND known)::INTEGER AS updated,
             count(*) FILTER (WHERE NOT keep)::INTEGER AS unchanged,
             count(*) FILTER (WHERE keep AND reason IS NOT NULL)::INTEGER AS failed
      FROM batch_classified`);
    const { inserted, updated, unchanged, failed } = counts[0];
    const landing = inserted + updated;
    let deleted = 0;
    // Canonical rows of records that land; when every record lands no filter is needed.
    const accepted = unchanged + failed === 0 ? '' : 'WHERE _k IN (SELECT k FROM batch_classified WHERE keep AND reason IS NULL)';

    if (landing > 0) {
      // Payloads are read from the staging table by record index rather than copied into the
      // classification.
      const fromPages = temps.includes('batch_raw');
      await connection.run(`INSERT INTO raw_records
        SELECT ${source}, ${stream}, c.native_id, $1::TIMESTAMPTZ, $2, ${fromPages ? 'coalesce(s.payload::JSON, x.payload)' : 's.payload::JSON'}
        FROM batch_classified c JOIN stage_records s ON s.k = c.k
        ${fromPages ? 'LEFT JOIN batch_raw x ON x.page = c.page AND x.pos = c.pos' : ''}
        WHERE c.keep AND c.reason IS NULL
        ORDER BY c.k`, [batch.fetchedAt, batch.runId]);
      // In fetch order (k), whatever plan DuckDB picks for the joins: one seed, one physical order.
      if (inserted > 0) {
        await connection.run(`INSERT INTO ingest_records SELECT ${source}, ${stream}, native_id, version, $1
          FROM batch_classified WHERE keep AND reason IS NULL AND NOT known ORDER BY k`, [batch.runId]);
      }
      if (updated > 0) {
        await connection.run(`UPDATE ingest_records SET version = c.version, run_id = $1
          FROM batch_classified c
          WHERE c.keep AND c.reason IS NULL AND c.known
            AND ingest_records.source = ${source} AND ingest_records.stream = ${stream} AND ingest_records.native_id = c.native_id`, [batch.runId]);
      }
      if (tables.includes('deleted_interactions')) {
        // Counted whether or not the interaction had landed: a record created and deleted between
        // two runs is still a deletion the vendor reported.
        deleted = (await rows<{ n: number }>(connection, `SELECT count(DISTINCT id)::INTEGER AS n FROM stage_deleted_interactions ${accepted}`))[0].n;
      }
      for (const table of tables) await writeTable(connection, table, accepted, updated > 0);
    }

    // A record that is refused again on a later run is not quarantined twice.
    if (batch.quarantined.length + failed > 0) await connection.run(`INSERT INTO quarantine
      SELECT gen_random_uuid()::VARCHAR, $1, ${source}, ${stream}, s.native_id, s.reason, s.payload, $2::TIMESTAMPTZ
      FROM (SELECT DISTINCT * FROM (
              ${batch.quarantined.length > 0 ? 'SELECT native_id, reason, payload FROM stage_quarantine UNION ALL' : ''}
              SELECT c.native_id, c.reason, s.payload FROM batch_classified c JOIN stage_records s ON s.k = c.k
              WHERE c.keep AND c.reason IS NOT NULL)) s
      WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.source = ${source} AND q.stream = ${stream}
        AND q.native_id IS NOT DISTINCT FROM s.native_id AND q.reason = s.reason AND q.payload = s.payload)`,
    [batch.runId, batch.fetchedAt]);
    if (batch.checkpoint !== undefined) {
      await connection.run('INSERT OR REPLACE INTO ingest_state VALUES ($1, $2, $3, $4::TIMESTAMPTZ)', [
        batch.source, batch.stateKey, batch.checkpoint, batch.fetchedAt,
      ]);
    }
    await connection.run('COMMIT');
    // The batch's temp tables would otherwise hold it in memory until the lane's next batch.
    await dropTemps(connection, temps);
    return { inserted, updated, unchanged, quarantined: batch.quarantined.length + failed, deleted };
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Drops the temp tables a connection was given, so a pooled connection does not keep a batch in memory. */
export async function dropStaging(connection: DuckDBConnection): Promise<void> {
  await dropTemps(connection, ['stage_pages', 'stage_records', 'stage_quarantine', 'batch_raw', 'batch_classified', ...tableNames.map((t) => `stage_${t}`)]);
}

/** Drops the named temp tables of this connection in one round trip. */
function dropTemps(connection: DuckDBConnection, names: readonly string[]): Promise<unknown> {
  return connection.run(names.map((name) => `DROP TABLE IF EXISTS temp.main.${name}`).join('; '));
}

async function writeTable(connection: DuckDBConnection, table: CanonicalTableName, accepted: string, hasUpdates: boolean): Promise<void> {
  const columns = Object.keys(canonicalColumns[table]);
  const into = `${table} (${columns.join(', ')})`;
  const from = `(SELECT * FROM stage_${table} ${accepted})`;
  if (mergedOnId.includes(table)) {
    await connection.run(`INSERT OR REPLACE INTO ${into} SELECT ${columns.join(', ')} FROM ${from}`);
  } else if (table === 'identities') {
    // The same identifier is seen by many records (one phone, many calls): a sighting widens the
    // first/last-seen window instead of replacing it, so the result never depends on batch order.
    await connection.run(`INSERT INTO ${into}
      SELECT id, max(contact_id), max(source), max(kind), max(raw_value), max(value), bool_or(verified), max(customer_id),
             min(first_seen_at), max(last_seen_at)
      FROM ${from} GROUP BY id
      ON CONFLICT (id) DO UPDATE SET raw_value = greatest(identities.raw_value, excluded.raw_value),
        verified = identities.verified OR excluded.verified,
        first_seen_at = least(identities.first_seen_at, excluded.first_seen_at),
        last_seen_at = greatest(identities.last_seen_at, excluded.last_seen_at)`);
  } else if (table === 'customer_attributes') {
    await connection.run(`DELETE FROM customer_attributes c USING (SELECT DISTINCT contact_id, attribute FROM ${from}) s
      WHERE c.contact_id = s.contact_id AND c.attribute = s.attribute`);
    await connection.run(`INSERT INTO ${into} SELECT ${columns.join(', ')} FROM ${from}`);
  } else if (table === 'events') {
    await writeEvents(connection, columns, into, from, hasUpdates);
  } else if (table === 'deleted_interactions') {
    await connection.run(`DELETE FROM events WHERE interaction_id IN (SELECT id FROM ${from})`);
    await connection.run(`DELETE FROM interactions WHERE id IN (SELECT id FROM ${from})`);
  } else if (table === 'deleted_events') {
    await connection.run(`DELETE FROM events e USING ${from} s
      WHERE e.interaction_id = s.interaction_id AND e.occurred_at = s.occurred_at AND e.author_id IS NOT DISTINCT FROM s.author_id`);
  }
}

/**
 * Events have no key (see the core README): an updated record's events replace the earlier ones
 * of the same interaction, moment and author. New events are written with a provisional negative
 * `seq`; `resequenceEvents` numbers them once at the end of the run (and at the start of the next
 * one, should a run be killed), which costs one pass instead of one per batch.
 */
async function writeEvents(connection: DuckDBConnection, columns: string[], into: string, from: string, hasUpdates: boolean): Promise<void> {
  if (hasUpdates) {
    await connection.run(`DELETE FROM events e USING (SELECT DISTINCT interaction_id, occurred_at AS ts, author_id FROM ${from}) s
      WHERE e.interaction_id = s.interaction_id AND e.occurred_at = s.ts
        -- an author may have been renamed since (zendesk:user:7 to zendesk:agent:7): compare native ids
        AND regexp_extract(coalesce(e.author_id, ''), '[^:]*$') = regexp_extract(coalesce(s.author_id, ''), '[^:]*$')`);
  }
  await connection.run(`INSERT INTO ${into} SELECT ${columns.map((c) => (c === 'seq' ? '-1 - seq' : c)).join(', ')} FROM ${from}`);
}

/**
 * Numbers the events of every interaction that has provisional (negative) `seq` values: `seq`
 * runs from 0 in time order and `id` is `<interaction id>:<seq>`. Ties at the same moment are
 * ordered by content, so a resumed run numbers events exactly as an unbroken one.
 *
 * @example
 * await warehouse.transaction((c) => resequenceEvents(c));
 */
export async function resequenceEvents(connection: DuckDBConnection): Promise<void> {
  await connection.run(`UPDATE events SET seq = r.rn, id = events.interaction_id || ':' || r.rn::VARCHAR
    FROM (SELECT rowid AS rid, (row_number() OVER (PARTITION BY interaction_id
            ORDER BY occurred_at, type, body, from_value, to_value, value_num, is_public, author_role) - 1)::INTEGER AS rn
          FROM events WHERE interaction_id IN (SELECT DISTINCT interaction_id FROM events WHERE seq < 0)) r
    WHERE events.rowid = r.rid`);
}

/** The `from_json` structure of a canonical row. */
function structOf(table: CanonicalTableName): string {
  const types = canonicalColumns[table] as Record<string, string>;
  return `{${Object.entries(types).map(([c, t]) => `"${c}":${t.endsWith('[]') ? `["${t.slice(0, -2)}"]` : `"${t}"`}`).join(',')}}`;
}


export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

async function rows<T>(connection: DuckDBConnection, sql: string): Promise<T[]> {
  const result = await connection.run(sql);
  return (await result.getRowObjectsJS()) as T[];
}

/** Replaces a per-connection temp table with `values`, appended as they are (strings, numbers or null). */
async function replaceTemp(connection: DuckDBConnection, name: string, columns: string, values: (string | number | null)[][]): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${name} (${columns})`);
  if (values.length === 0) return;
  const appender = await connection.createAppender(name, 'main', 'temp');
  try {
    for (const row of values) {
      for (const value of row) {
        if (value === null || value === undefined) appender.appendNull();
        else if (typeof value === 'number') appender.appendInteger(value);
        else appender.appendVarchar(value);
      }
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
}
