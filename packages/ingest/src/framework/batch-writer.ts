import type { Warehouse } from '@helpdesk/core';
import type { CanonicalRows } from './adapter.ts';
import { canonicalColumns, type CanonicalTableName } from './canonical-columns.ts';

/** The connection `Warehouse.transaction` hands out (typed through core, which owns DuckDB). */
type DuckDBConnection = Parameters<Parameters<Warehouse['transaction']>[0]>[0];

/** A vendor record that passed validation and normalization, ready to land. */
export interface LandedRecord {
  nativeId: string;
  version: string;
  payload: unknown;
  rows: CanonicalRows;
  isUpdate: boolean;
}

/** A record refused at the boundary, with why, and its raw text as received. */
export interface QuarantinedRecord {
  nativeId: string | null;
  reason: string;
  payload: string;
}

export interface Batch {
  runId: string;
  source: string;
  stream: string;
  /** ISO-8601 UTC. */
  fetchedAt: string;
  landed: LandedRecord[];
  quarantined: QuarantinedRecord[];
  /** The stream cursor to store with this batch; undefined leaves it where it was. */
  checkpoint?: string;
  /** The key the cursor is stored under (`tickets`, or `tickets@file` for recorded pages). */
  stateKey: string;
}

const mergedOnId: CanonicalTableName[] = ['interactions', 'agents', 'teams', 'queues'];

/**
 * Commits one batch on a connection that is inside a transaction: raw landing, the record
 * ledger, canonical rows, quarantine and the stream cursor, all or nothing. Rows are staged as
 * text in per-connection temp tables through the appender and cast once in SQL.
 *
 * @example
 * await warehouse.transaction((c) => commitBatch(c, batch));
 */
export async function commitBatch(connection: DuckDBConnection, batch: Batch): Promise<void> {
  const rows: Partial<Record<CanonicalTableName, Record<string, unknown>[]>> = {};
  let hasUpdates = false;
  for (const record of batch.landed) {
    if (record.isUpdate) hasUpdates = true;
    for (const [table, list] of Object.entries(record.rows) as [CanonicalTableName, Record<string, unknown>[]][]) {
      if (list?.length) (rows[table] ??= []).push(...list);
    }
  }

  await stage(connection, 'stage_raw', ['source', 'stream', 'native_id', 'fetched_at', 'run_id', 'payload', 'version'],
    batch.landed.map((r) => [batch.source, batch.stream, r.nativeId, batch.fetchedAt, batch.runId, JSON.stringify(r.payload), r.version]));
  if (batch.landed.length) {
    await connection.run(`INSERT INTO raw_records SELECT source, stream, native_id, fetched_at::TIMESTAMPTZ, run_id, payload::JSON FROM stage_raw`);
    await connection.run(`INSERT OR REPLACE INTO ingest_records SELECT source, stream, native_id, version, run_id FROM stage_raw`);
  }

  for (const [table, list] of Object.entries(rows) as [CanonicalTableName, Record<string, unknown>[]][]) {
    const columns = Object.keys(canonicalColumns[table]);
    const types = canonicalColumns[table] as Record<string, string>;
    await stage(connection, `stage_${table}`, columns, list.map((row) => columns.map((c) => row[c])));
    const select = columns.map((c) => (types[c] === 'VARCHAR' ? c : types[c].endsWith('[]') ? `${c}::JSON::${types[c]}` : `${c}::${types[c]}`)).join(', ');
    const into = `${table} (${columns.join(', ')})`;
    if (mergedOnId.includes(table)) {
      await connection.run(`INSERT OR REPLACE INTO ${into} SELECT ${select} FROM stage_${table}`);
    } else if (table === 'identities') {
      // The same identifier is seen by many records (one phone, many calls): a sighting widens the
      // first/last-seen window instead of replacing it, so the result never depends on batch order.
      await connection.run(`INSERT INTO ${into}
        SELECT id, max(contact_id), max(source), max(kind), max(raw_value), max(value), bool_or(verified::BOOLEAN), max(customer_id),
               min(first_seen_at::TIMESTAMPTZ), max(last_seen_at::TIMESTAMPTZ)
        FROM stage_identities GROUP BY id
        ON CONFLICT (id) DO UPDATE SET raw_value = greatest(identities.raw_value, excluded.raw_value),
          verified = identities.verified OR excluded.verified,
          first_seen_at = least(identities.first_seen_at, excluded.first_seen_at),
          last_seen_at = greatest(identities.last_seen_at, excluded.last_seen_at)`);
    } else if (table === 'customer_attributes') {
      await connection.run(`DELETE FROM customer_attributes c USING (SELECT DISTINCT contact_id, attribute FROM stage_customer_attributes) s
        WHERE c.contact_id = s.contact_id AND c.attribute = s.attribute`);
      await connection.run(`INSERT INTO ${into} SELECT ${select} FROM stage_customer_attributes`);
    } else if (table === 'events') {
      await writeEvents(connection, select, into, hasUpdates);
    }
  }

  await stage(connection, 'stage_quarantine', ['native_id', 'reason', 'payload'], batch.quarantined.map((q) => [q.nativeId, q.reason, q.payload]));
  if (batch.quarantined.length) {
    // A record that is refused again on a later run is not quarantined twice.
    await connection.run(
      `INSERT INTO quarantine SELECT gen_random_uuid()::VARCHAR, $1, $2, $3, s.native_id, s.reason, s.payload, $4::TIMESTAMPTZ
       FROM (SELECT DISTINCT * FROM stage_quarantine) s
       WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.source = $2 AND q.stream = $3 AND q.native_id IS NOT DISTINCT FROM s.native_id
         AND q.reason = s.reason AND q.payload = s.payload)`,
      [batch.runId, batch.source, batch.stream, batch.fetchedAt],
    );
  }
  if (batch.checkpoint !== undefined) {
    await connection.run('INSERT OR REPLACE INTO ingest_state VALUES ($1, $2, $3, $4::TIMESTAMPTZ)', [
      batch.source, batch.stateKey, batch.checkpoint, batch.fetchedAt,
    ]);
  }
}

/**
 * Events have no key (see the core README): an updated record's events replace the earlier ones
 * of the same interaction, moment and author. New events are written with a provisional negative
 * `seq`; `resequenceEvents` numbers them once at the end of the run (and at the start of the next
 * one, should a run be killed), which costs one pass instead of one per batch.
 */
async function writeEvents(connection: DuckDBConnection, select: string, into: string, hasUpdates: boolean): Promise<void> {
  if (hasUpdates) {
    await connection.run(`DELETE FROM events e USING (SELECT DISTINCT interaction_id, occurred_at::TIMESTAMPTZ AS ts, author_id FROM stage_events) s
      WHERE e.interaction_id = s.interaction_id AND e.occurred_at = s.ts
        -- an author may have been renamed since (zendesk:user:7 to zendesk:agent:7): compare native ids
        AND regexp_extract(coalesce(e.author_id, ''), '[^:]*$') = regexp_extract(coalesce(s.author_id, ''), '[^:]*$')`);
  }
  await connection.run(`INSERT INTO ${into} SELECT ${select.replace(/\bseq::INTEGER\b/, '-1 - seq::INTEGER')} FROM stage_events`);
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

/** Replaces the contents of a per-connection temp table of VARCHAR columns with `values`. */
async function stage(connection: DuckDBConnection, name: string, columns: string[], values: unknown[][]): Promise<void> {
  await connection.run(`CREATE TEMP TABLE IF NOT EXISTS ${name} (${columns.map((c) => `${c} VARCHAR`).join(', ')})`);
  await connection.run(`DELETE FROM ${name}`);
  if (values.length === 0) return;
  const appender = await connection.createAppender(name, 'main', 'temp');
  try {
    for (const row of values) {
      for (const value of row) {
        if (value === null || value === undefined) appender.appendNull();
        else if (typeof value === 'string') appender.appendVarchar(value);
        else if (typeof value === 'object') appender.appendVarchar(JSON.stringify(value));
        else appender.appendVarchar(String(value));
      }
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
}
