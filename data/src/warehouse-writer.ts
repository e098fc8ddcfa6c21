import {
  DuckDBDataChunk, DuckDBTypeId, LIST, listValue, VARCHAR,
  type DuckDBAppender, type DuckDBConnection, type DuckDBType, type DuckDBValue,
} from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import type { Warehouse } from '@helpdesk/core';

/**
 * The thin I/O layer. Rows enter DuckDB through appenders, one vector (2,048 rows) per data chunk.
 *
 * Small tables (teams, agents...) are appended directly. Bulk tables go through a compact staging
 * table in an in-memory database: JavaScript appends numbers and codes (copied as whole typed
 * arrays) and only the strings that cannot be derived, and DuckDB builds the canonical row with one
 * INSERT ... SELECT per batch (ids, enum strings, timestamps). Passing a string to DuckDB costs a
 * native call each, so this cuts the work on the JavaScript thread by more than half, and the
 * INSERT of one batch runs on DuckDB's threads while JavaScript generates the next.
 *
 * Column lists are checked against the live table when a writer opens, so a schema change in
 * packages/core fails loudly here instead of shifting values into the wrong columns.
 */
export interface Column<R> {
  name: string;
  type: DuckDBType;
  get: (row: R) => DuckDBValue;
}

/** A column of a writer's rows: `col('id', VARCHAR, (r) => r.id)`. */
export function col<R>(name: string, type: DuckDBType, get: (row: R) => DuckDBValue): Column<R> {
  return { name, type, get };
}

const CHUNK = 2048;
/**
 * Two DuckDB row groups per batch: the written row groups stay full, and each INSERT's fixed costs
 * (planning, commit, index merge) are paid half as often as with one. At a million interactions
 * this cut the build's CPU time by a tenth and its peak memory a little; four row groups saved
 * little more and raised the peak.
 */
const BATCH = 245_760;

type NumberArray = Uint8Array<ArrayBuffer> | Int16Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** A typed array laid out as DuckDB stores a vector of `type`, or null for types written value by value. */
function numberArray(type: DuckDBType): NumberArray | null {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.UTINYINT: return new Uint8Array(CHUNK);
    case DuckDBTypeId.SMALLINT: return new Int16Array(CHUNK);
    case DuckDBTypeId.INTEGER: return new Int32Array(CHUNK);
    case DuckDBTypeId.DOUBLE: return new Float64Array(CHUNK);
    default: return null;
  }
}

/**
 * Buffers rows and appends them as data chunks, writing each vector's memory directly: numbers as
 * one typed-array copy per column, strings with one native call each and a validity mask built
 * here. The client library's per-value wrappers (a cache entry, a dirty flag and 64-bit BigInt
 * validity arithmetic per value) cost more than the copying itself.
 */
class ChunkAppender<R> {
  private buffer: R[] = [];
  private readonly types: DuckDBType[];
  private readonly numbers: Array<NumberArray | null>;
  private readonly validity: Uint8Array<ArrayBuffer> = new Uint8Array(CHUNK / 8);
  constructor(private readonly columns: Column<R>[], private readonly appender: DuckDBAppender) {
    this.types = columns.map((c) => c.type);
    this.numbers = this.types.map(numberArray);
  }

  add(row: R): void {
    this.buffer.push(row);
    if (this.buffer.length === CHUNK) this.flush();
  }

  flush(): void {
    const n = this.buffer.length;
    if (n === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, n);
    for (let k = 0; k < this.columns.length; k++) {
      const numbers = this.numbers[k];
      const written = numbers
        ? this.writeNumbers(chunk, k, numbers, n)
        : this.types[k].typeId === DuckDBTypeId.VARCHAR && this.writeStrings(chunk, k, n);
      if (!written) this.writeValues(chunk, k, n);
    }
    this.appender.appendDataChunk(chunk);
    this.buffer = [];
  }

  /** False (nothing written) if a value is NULL: numbers cannot mark one in place. */
  private writeNumbers(chunk: DuckDBDataChunk, k: number, numbers: NumberArray, n: number): boolean {
    const get = this.columns[k].get as (row: R) => number | boolean | null;
    const buffer = this.buffer;
    // Integer columns refuse what the typed array would wrap or truncate, as the library does.
    const exact = !(numbers instanceof Float64Array) && this.types[k].typeId !== DuckDBTypeId.BOOLEAN;
    for (let i = 0; i < n; i++) {
      const value = get(buffer[i]);
      if (value === null) return false;
      numbers[i] = value as number;
      if (exact && numbers[i] !== value) throw new RangeError(`column ${this.columns[k].name}: ${value} does not fit ${this.types[k].toString()}`);
    }
    bindings.copy_data_to_vector(bindings.data_chunk_get_vector(chunk.chunk, k), 0, numbers.buffer, 0, n * numbers.BYTES_PER_ELEMENT);
    return true;
  }

  private writeStrings(chunk: DuckDBDataChunk, k: number, n: number): boolean {
    const get = this.columns[k].get as (row: R) => string | null;
    const buffer = this.buffer;
    const vector = bindings.data_chunk_get_vector(chunk.chunk, k);
    const validity = this.validity;
    let nulls = false;
    for (let i = 0; i < n; i++) {
      const value = get(buffer[i]);
      if (value === null) {
        if (!nulls) validity.fill(0xff);
        nulls = true;
        validity[i >> 3] &= ~(1 << (i & 7));
      } else {
        bindings.vector_assign_string_element(vector, i, value);
      }
    }
    if (nulls) {
      // DuckDB's mask is 64-bit words with row i at bit i: little-endian bytes in row order.
      bindings.vector_ensure_validity_writable(vector);
      bindings.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, Math.ceil(n / 64) * 8);
    }
    return true;
  }

  /** Lists, and numbers with NULLs (small tables only), through the client library's values. */
  private writeValues(chunk: DuckDBDataChunk, k: number, n: number): void {
    const get = this.columns[k].get;
    const values: DuckDBValue[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = get(this.buffer[i]);
    chunk.setColumnValues(k, values);
  }

  /** Flushes and closes, which commits the appended rows. */
  close(): void {
    this.flush();
    this.appender.closeSync();
  }
}

async function checkColumns(warehouse: Warehouse, table: string, expected: string[]): Promise<void> {
  const actual = await warehouse.all<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_name = $1 AND table_schema = 'main' AND table_catalog = current_database() ORDER BY ordinal_position`,
    [table],
  );
  if (actual.map((c) => c.name).join(',') !== expected.join(',')) {
    throw new Error(`table ${table} has columns (${actual.map((c) => c.name).join(', ')}) but the demo writer expects (${expected.join(', ')}); update data/src/table-specs.ts`);
  }
}

/** Appends `rows` to a small table directly; returns the row count. */
export async function appendRows<R>(warehouse: Warehouse, table: string, columns: Column<R>[], rows: readonly R[]): Promise<number> {
  await checkColumns(warehouse, table, columns.map((c) => c.name));
  const { appender, close } = await warehouse.appender(table);
  try {
    const writer = new ChunkAppender(columns, appender);
    for (const row of rows) writer.add(row);
    writer.flush();
  } finally {
    close();
  }
  return rows.length;
}

/**
 * Fills a fresh temporary table of `connection` (inside its transaction, if one is open) with
 * `rows`. Bulk parameters the other way, as one JSON text parsed by DuckDB, kept memory that
 * DuckDB never gave back (README, "How it is built").
 */
export async function appendTemp<R>(connection: DuckDBConnection, table: string, columns: Column<R>[], rows: readonly R[]): Promise<void> {
  const definition = columns.map((c) => `"${c.name}" ${c.type.toString()}`).join(', ');
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${definition})`);
  const writer = new ChunkAppender(columns, await connection.createAppender(table, 'main', 'temp'));
  for (const row of rows) writer.add(row);
  writer.close();
}

/** A bulk table: compact staging columns and the SQL that turns them into the table's columns. */
export interface StagedTable<R> {
  table: string;
  stage: Column<R>[];
  /** [column, SQL expression over the stage columns], in the table's column order. */
  select: Array<[string, string]>;
  /** String lists the expressions index into as $name[code] (see `coder`). */
  lookups: Record<string, readonly string[]>;
  /** Helper columns computed once per row before `select` (for example an id used twice). */
  derived?: Array<[string, string]>;
  /**
   * Output column each batch is sorted by before it is inserted: a primary key's index takes keys
   * in order far faster than scattered (see table-specs.ts). The table's order within a batch
   * follows it; batches still land in the order they were written.
   */
  orderBy?: string;
}

/** Holds a pooled connection until released (Warehouse lends connections only inside a callback). */
async function lease(warehouse: Warehouse): Promise<{ connection: DuckDBConnection; release: () => void }> {
  return new Promise((resolve, reject) => {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    warehouse.withConnection(async (connection) => {
      resolve({ connection, release });
      await done;
    }).catch(reject);
  });
}

/** Maps lookup values to 1-based codes for the stage columns, NULL to 0. */
export function coder(values: readonly string[]): (value: string | null) => number {
  const index = new Map(values.map((v, i) => [v, i + 1]));
  return (value) => {
    if (value === null) return 0;
    const code = index.get(value);
    if (code === undefined) throw new Error(`no code for ${JSON.stringify(value)}`);
    return code;
  };
}

/**
 * Codes for strings of an open but small set (routing rules, attribute values), 1-based in order of
 * first appearance. `values` only grows, so the list a batch's INSERT reads when it starts holds
 * every code written before it. Past `limit` distinct values a new one gets code 0 and travels as
 * text (`text`), so the SQL is `coalesce($list[code], text)` and NULL is code 0 with no text.
 */
export class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly limit = 1000) {}

  code(value: string | null): number {
    if (value === null) return 0;
    const known = this.index.get(value);
    if (known !== undefined) return known;
    if (this.values.length >= this.limit) return 0;
    this.values.push(value);
    this.index.set(value, this.values.length);
    return this.values.length;
  }

  /** The value itself when it has no code, else NULL. */
  text(value: string | null): string | null {
    return value === null || this.index.has(value) ? null : value;
  }
}

export const STAGE_CATALOG = 'demo_stage';

/**
 * Writes one bulk table through two staging tables used in turn: while DuckDB loads the full one
 * (INSERT ... SELECT, then empties it), JavaScript appends to the other.
 *
 * @example
 * const out = await StagedWriter.open(warehouse, specs.events);
 * for (const row of rows) { out.write(row); if (out.full) await out.rotate(); }
 * const written = await out.close();
 */
export class StagedWriter<R> {
  private current = 0;
  private rows = 0;
  private inBatch = 0;
  private pending: Promise<unknown> = Promise.resolve();
  private appender: ChunkAppender<R>;

  private constructor(
    private readonly spec: StagedTable<R>,
    private readonly appendLease: { connection: DuckDBConnection; release: () => void },
    private readonly insertLease: { connection: DuckDBConnection; release: () => void },
    appender: DuckDBAppender,
  ) {
    this.appender = new ChunkAppender(spec.stage, appender);
  }

  static async open<R>(warehouse: Warehouse, spec: StagedTable<R>): Promise<StagedWriter<R>> {
    await checkColumns(warehouse, spec.table, spec.select.map(([name]) => name));
    await warehouse.run(`ATTACH IF NOT EXISTS ':memory:' AS ${STAGE_CATALOG}`);
    const columns = spec.stage.map((c) => `"${c.name}" ${c.type.toString()}`).join(', ');
    for (const k of [0, 1]) await warehouse.run(`CREATE OR REPLACE TABLE ${STAGE_CATALOG}.${spec.table}_${k} (${columns})`);
    const appendLease = await lease(warehouse);
    const insertLease = await lease(warehouse);
    const appender = await appendLease.connection.createAppender(`${spec.table}_0`, 'main', STAGE_CATALOG);
    return new StagedWriter(spec, appendLease, insertLease, appender);
  }

  /** True when a batch is complete and `rotate()` should be awaited before writing on. */
  get full(): boolean {
    return this.inBatch >= BATCH;
  }

  get count(): number {
    return this.rows;
  }

  write(row: R): void {
    this.appender.add(row);
    this.rows++;
    this.inBatch++;
  }

  /** Loads the full stage into the table in the background and switches to the other stage. */
  async rotate(): Promise<void> {
    this.appender.close();
    // The other stage is free once its INSERT (and the DELETE after it) has finished.
    await this.pending;
    this.pending = this.load(this.current);
    this.pending.catch(() => undefined); // surfaced by the next await, not as an unhandled rejection
    this.current = 1 - this.current;
    this.inBatch = 0;
    const appender = await this.appendLease.connection.createAppender(`${this.spec.table}_${this.current}`, 'main', STAGE_CATALOG);
    this.appender = new ChunkAppender(this.spec.stage, appender);
  }

  private async load(stage: number): Promise<void> {
    const source = `${STAGE_CATALOG}.${this.spec.table}_${stage}`;
    const select = this.spec.select.map(([name, expression]) => `${expression} AS "${name}"`).join(', ');
    const names = Object.keys(this.spec.lookups);
    const values = Object.fromEntries(names.map((n) => [n, listValue([...this.spec.lookups[n]])]));
    const types = Object.fromEntries(names.map((n) => [n, LIST(VARCHAR)]));
    const connection = this.insertLease.connection;
    const derived = (this.spec.derived ?? []).map(([name, expression]) => `, ${expression} AS "${name}"`).join('');
    const order = this.spec.orderBy ? ` ORDER BY "${this.spec.orderBy}"` : '';
    await connection.run(`INSERT INTO main.${this.spec.table} SELECT ${select} FROM (SELECT *${derived} FROM ${source})${order}`, values, types);
    await connection.run(`DELETE FROM ${source}`);
  }

  /**
   * Loads everything written so far and waits for it to commit, then carries on with the same
   * stage: after it, every row written is in the table (a resumable build's checkpoint).
   */
  async flush(): Promise<void> {
    this.appender.close();
    await this.pending;
    this.pending = Promise.resolve();
    await this.load(this.current);
    this.inBatch = 0;
    const appender = await this.appendLease.connection.createAppender(`${this.spec.table}_${this.current}`, 'main', STAGE_CATALOG);
    this.appender = new ChunkAppender(this.spec.stage, appender);
  }

  /** Gives the connections back without loading anything (after a failure elsewhere). */
  abort(): void {
    this.pending.catch(() => undefined);
    this.appendLease.release();
    this.insertLease.release();
  }

  /** Loads what is left, drops the stages and returns the number of rows written. */
  async close(): Promise<number> {
    try {
      this.appender.close();
      await this.pending;
      await this.load(this.current);
      for (const k of [0, 1]) await this.insertLease.connection.run(`DROP TABLE ${STAGE_CATALOG}.${this.spec.table}_${k}`);
      return this.rows;
    } finally {
      this.appendLease.release();
      this.insertLease.release();
    }
  }
}
