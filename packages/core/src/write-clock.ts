import { realpathSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * A count of the writes made to one warehouse file by this process, so that a derived value of the
 * data (the metrics fingerprint) can be kept until the next write instead of being recomputed from
 * every table on every request.
 *
 * Sound because no other process can write the file while we hold it: DuckDB locks it exclusively
 * for a read-write instance, and a read-only instance holds a shared lock that a writer's open
 * fails against. Within one process DuckDB lets two instances open the same file read-write, so
 * the clock belongs to the file (clockFor), not to one Warehouse object.
 *
 * A write is counted against the one table it names when its statement plainly says which
 * (`INSERT INTO t`, `UPDATE t`, `DELETE FROM t`, `CREATE TABLE t`, `DROP TABLE t`, an appender on
 * t), and against every table otherwise (ALTER, COPY, several statements, a transaction's COMMIT):
 * a sign-in, an audit entry or a temporary table then leaves the generation of the interactions alone.
 *
 * `generation(tables)` is null while a write that may touch them is landing (a statement that is not
 * a read is running, or a connection that was given a prepared statement, an appender or a
 * streaming write is still out): a value read then would not stay true. It increases when such a
 * write ends, after its commit, so a value computed from a generation seen before it began is never
 * taken for one after it.
 *
 * @example
 * clock.generation(['interactions']); // 4
 * await warehouse.run('DELETE FROM interactions WHERE id = $1', ['x']);
 * clock.generation(['interactions']); // 6 (null while the DELETE ran)
 */
const anyTable: unique symbol = Symbol('any table');
type Key = string | typeof anyTable;

export class WriteClock {
  /** Settled and begun writes per table named; `anyTable` for writes that may touch every table. */
  private readonly counts = new Map<Key, number>();
  private readonly landing = new Map<Key, number>();

  /** The count of writes that may have touched any of `tables` (every table when omitted), or null while one lands. */
  generation(tables?: readonly string[]): number | null {
    const keys: Key[] = tables ? [anyTable, ...tables.map((t) => t.toLowerCase())] : [...this.counts.keys()];
    if (tables ? keys.some((k) => this.landing.get(k)) : [...this.landing.values()].some((n) => n > 0)) return null;
    let sum = 0;
    for (const key of keys) sum += this.counts.get(key) ?? 0;
    return sum;
  }

  /** A write to `table` (null: any table) starts: generations it may touch are null until the matching `settle`. */
  open(table: string | null): void {
    const key = table ?? anyTable;
    this.landing.set(key, (this.landing.get(key) ?? 0) + 1);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** A write ended (committed, rolled back or failed): later readers see a new generation. */
  settle(table: string | null): void {
    const key = table ?? anyTable;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.landing.set(key, (this.landing.get(key) ?? 1) - 1);
  }
}


/**
 * The one table a single INSERT, UPDATE, DELETE, TRUNCATE, CREATE TABLE or DROP TABLE writes
 * (without its schema, lower case), or null when the statement may write anything else or several
 * things (ALTER TABLE may rename one table into another's name). Kysely's quoted names included.
 * The many temporary tables of a sync then leave the data's count alone.
 *
 * @example
 * writtenTable('insert into "audit_log" ("id") values ($1)'); // 'audit_log'
 * writtenTable('CREATE TABLE t AS SELECT 1'); // null
 */
export function writtenTable(sql: string): string | null {
  const text = stripLeadingComments(sql);
  if (hasSecondStatement(text)) return null;
  const m = /^(?:insert\s+(?:or\s+(?:replace|ignore)\s+)?into|update|delete\s+from|truncate(?:\s+table)?|create\s+(?:or\s+replace\s+)?(?:temp\s+|temporary\s+)?table(?:\s+if\s+not\s+exists)?|drop\s+table(?:\s+if\s+exists)?)\s+((?:"[^"]+"|\w+)(?:\s*\.\s*(?:"[^"]+"|\w+))*)/i.exec(text);
  if (!m) return null;
  const last = m[1].split('.').at(-1)!.trim();
  return (last.startsWith('"') ? last.slice(1, -1) : last).toLowerCase();
}

const stripLeadingComments = (sql: string) => sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');

/** A semicolon followed by more than comments and space (a second statement, or one inside a string literal, to be safe). */
function hasSecondStatement(text: string): boolean {
  const semicolon = text.indexOf(';');
  return semicolon >= 0 && /\S/.test(text.slice(semicolon + 1).replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ''));
}

const clocks = new Map<string, WriteClock>();

/** The one clock of a warehouse file in this process (a fresh one for an in-memory database). */
export function clockFor(path: string): WriteClock {
  if (path === ':memory:' || path.startsWith(':memory:')) return new WriteClock();
  let key = path;
  try {
    key = realpathSync(path);
  } catch {
    // Not on disk (yet): the path as given still names it for every later open in this process.
  }
  let clock = clocks.get(key);
  if (!clock) clocks.set(key, (clock = new WriteClock()));
  return clock;
}

// Statements that only read. Anything else counts as a write, including what DuckDB would run
// without changing data (SET, CHECKPOINT, EXPLAIN ANALYZE of an INSERT): a false write costs one
// recomputation, a missed one a stale screen.
const readFirstWords = new Set(['select', 'from', 'values', 'table', 'describe', 'show', 'summarize']);
// After a WITH list DuckDB accepts only a query or one of these.
const writeAfterWith = /\b(insert|update|delete|merge)\b/i;

/**
 * Whether `sql` is one statement that cannot change data: it starts with a query keyword, and a
 * WITH query names no write anywhere (DuckDB accepts `WITH ... INSERT`). A semicolon followed by
 * more text (a second statement, or one inside a string literal) makes it a write, to be safe.
 *
 * @example
 * isReadStatement('SELECT count(*) FROM interactions'); // true
 * isReadStatement('WITH x AS (SELECT 1) DELETE FROM t'); // false
 */
export function isReadStatement(sql: string): boolean {
  const text = stripLeadingComments(sql);
  if (hasSecondStatement(text)) return false;
  const first = /^[a-z]+/i.exec(text)?.[0].toLowerCase();
  if (first === 'with') return !writeAfterWith.test(text);
  return first !== undefined && readFirstWords.has(first);
}

// Methods that execute their SQL at once and return when it has finished: a write among them is
// bracketed by the clock. The others (streams, pending results, prepared statements, appenders,
// extracted statements) may write later, so a non-read among them keeps the lease open until release.
const immediate = new Set(['run', 'runAndRead', 'runAndReadAll', 'runAndReadUntil']);
const deferred = new Set([
  'stream', 'streamAndRead', 'streamAndReadAll', 'streamAndReadUntil', 'start', 'startThenRead', 'startThenReadAll', 'startThenReadUntil',
  'startStream', 'startStreamThenRead', 'startStreamThenReadAll', 'startStreamThenReadUntil', 'prepare',
]);
const harmless = new Set(['closeSync', 'disconnectSync', 'interrupt', 'progress', 'getTableNames', 'registerTableFunction', 'registerScalarFunction', 'constructor']);

/** A connection whose writes move `clock`; `release` ends a lease that began a deferred write. */
export interface TrackedConnection {
  connection: DuckDBConnection;
  release(): void;
}

/**
 * Wraps a pooled connection so that every way of running SQL on it is seen by the clock. Methods
 * this module does not know (a newer @duckdb/node-api) count as deferred writes.
 *
 * @example
 * const { connection, release } = trackConnection(await instance.connect(), clock);
 * await connection.run('INSERT INTO t VALUES (1)'); // clock.generation(['t']) moved
 * release(); // when the connection goes back to the pool
 */
export function trackConnection(raw: DuckDBConnection, clock: WriteClock): TrackedConnection {
  // The tables (null: any) this lease may still be writing to, each opened once on the clock.
  const held = new Set<string | null>();
  const hold = (table: string | null) => {
    if (!held.has(table)) {
      held.add(table);
      clock.open(table);
    }
  };
  const connection = new Proxy(raw, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || harmless.has(property)) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      const call = value as (...args: unknown[]) => unknown;
      if (immediate.has(property)) {
        return async (sql: string, ...rest: unknown[]) => {
          if (isReadStatement(sql)) return call.call(target, sql, ...rest);
          const table = writtenTable(sql);
          clock.open(table);
          try {
            return await call.call(target, sql, ...rest);
          } finally {
            clock.settle(table);
          }
        };
      }
      return (...args: unknown[]) => {
        const sql = typeof args[0] === 'string' ? args[0] : null;
        if (property === 'createAppender' && sql) hold(sql.toLowerCase());
        else if (!(deferred.has(property) && sql !== null && isReadStatement(sql))) hold(deferred.has(property) && sql !== null ? writtenTable(sql) : null);
        return call.apply(target, args);
      };
    },
  });
  return {
    connection,
    release() {
      for (const table of held) clock.settle(table);
      held.clear();
    },
  };
}
