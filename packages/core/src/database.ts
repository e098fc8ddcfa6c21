import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { Kysely } from 'kysely';
import { DuckDBDialect } from './kysely-dialect.ts';
import { explainOpenError, WarehouseError } from './errors.ts';
import { latestSchemaVersion, migrations } from './migrations/index.ts';
import type { Database } from './tables.ts';
import { breathe } from './breathe.ts';
import { rowsFromChunks } from './value-conversion.ts';
import { clockFor, trackConnection, type TrackedConnection, type WriteClock } from './write-clock.ts';

export interface OpenOptions {
  /** Open without taking the writer lock; fails if the file is missing or needs an upgrade. */
  readOnly?: boolean;
  /** DuckDB worker threads; defaults to DuckDB's own choice (the core count). */
  threads?: number;
  /** DuckDB memory limit such as '2GB'. */
  memoryLimit?: string;
}

export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/**
 * The warehouse: one DuckDB file holding the canonical model. This module is the only place that
 * opens DuckDB; everything else asks it for rows, a Kysely handle or a bulk appender.
 *
 * @example
 * const wh = await Warehouse.open('data/helpdesk.duckdb');
 * const rows = await wh.all('SELECT channel, count(*) AS n FROM interactions GROUP BY 1');
 * wh.close();
 */
export class Warehouse {
  readonly db: Kysely<Database>;
  private readonly idle: DuckDBConnection[] = [];
  private readonly leases = new WeakMap<DuckDBConnection, TrackedConnection>();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly readOnly: boolean,
    private readonly clock: WriteClock,
  ) {
    this.db = new Kysely<Database>({ dialect: new DuckDBDialect(() => this.acquire(), (c) => this.release(c)) });
  }

  static async open(path: string, options: OpenOptions = {}): Promise<Warehouse> {
    if (options.readOnly && path !== ':memory:' && !existsSync(path)) {
      throw new WarehouseError(`${path} does not exist; build it with \`helpdesk demo\` or ingest a source first.`, 'missing');
    }
    const config: Record<string, string> = {
      // Extensions cannot be downloaded on our machines; fail at once instead of hanging on the network.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'true',
    };
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (error) {
      throw explainOpenError(path, error);
    }
    const warehouse = new Warehouse(path, instance, !!options.readOnly, clockFor(path));
    try {
      // Storage and SQL date parts are UTC whatever the process TZ; reporting zones are explicit.
      // (ICU is statically linked but cannot be configured before it loads, hence SET here.)
      await warehouse.run("SET GLOBAL TimeZone = 'UTC'");
      await warehouse.migrate();
    } catch (error) {
      warehouse.close();
      if (error instanceof WarehouseError) throw error;
      throw explainOpenError(path, error);
    }
    return warehouse;
  }

  /**
   * How many writes this process has made to the file that may have changed any of `tables` (all
   * tables when omitted; write-clock.ts): equal generations mean equal data in them, so a value
   * derived from them can be kept until it moves. Null while such a write may be landing; then
   * nothing derived now may be kept. Every statement run through this warehouse (rows, runs,
   * transactions, Kysely, appenders, raw connections) counts.
   *
   * @example
   * const g = wh.writeGeneration(['interactions']); // e.g. 12; after an INSERT INTO interactions it is larger
   */
  writeGeneration(tables?: readonly string[]): number | null {
    return this.clock.generation(tables);
  }

  /** The schema version stored in the file. */
  async schemaVersion(): Promise<number> {
    const rows = await this.all<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    return rows[0]?.v ?? 0;
  }

  private async migrate(): Promise<void> {
    const tables = await this.all<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database()",
    );
    const names = new Set(tables.map((t) => t.name));
    if (!names.has('schema_version') && names.size > 0) {
      throw new WarehouseError(
        `${this.path} is a DuckDB file but not a helpdesk warehouse (it has other tables and no schema_version); pass another --db.`,
        'not_a_warehouse',
      );
    }
    const current = names.has('schema_version') ? await this.schemaVersion() : 0;
    if (current > latestSchemaVersion) {
      throw new WarehouseError(
        `${this.path} was written by a newer helpdesk (schema version ${current}; this build knows up to ${latestSchemaVersion}); upgrade helpdesk to open it.`,
        'newer_schema',
      );
    }
    // Versions are numbered per feature and may land out of order: apply every one not yet applied,
    // not only those above the highest (a warehouse at 14 still needs a later-landing 9).
    const applied = new Set(
      names.has('schema_version') ? (await this.all<{ version: number }>('SELECT version FROM schema_version')).map((r) => Number(r.version)) : [],
    );
    const pending = migrations.filter((m) => !applied.has(m.version));
    if (pending.length === 0) return;
    if (this.readOnly) {
      throw new WarehouseError(
        `${this.path} has schema version ${current} and needs upgrading to ${latestSchemaVersion}; open it once without read-only mode.`,
        'read_only',
      );
    }
    await this.withConnection(async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        await connection.run(
          'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
        );
        for (const migration of pending) {
          await connection.run(migration.sql);
          await connection.run('INSERT INTO schema_version VALUES ($1, $2, now())', [migration.version, migration.description]);
        }
        await connection.run('COMMIT');
      } catch (error) {
        await connection.run('ROLLBACK');
        throw error;
      }
    });
  }

  /** Runs a query and returns its rows as plain JSON values (see value-conversion.ts). */
  async all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.withConnection(async (connection) => {
      const result = await connection.run(sql, params);
      const [names, types, chunks] = [result.deduplicatedColumnNames(), result.columnTypes(), await result.fetchAllChunks()];
      // Turning tens of thousands of rows into objects is hundreds of milliseconds of JavaScript (a
      // sync's intent stage reads every unlabelled contact's text): give way to requests between chunks.
      const rows: Row[] = [];
      for (const [i, chunk] of chunks.entries()) {
        await breathe(i, 4);
        for (const row of rowsFromChunks(names, types, [chunk])) rows.push(row);
      }
      return rows as T[];
    });
  }

  /** Runs a statement (or several separated by semicolons, when there are no params). */
  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.withConnection((connection) => connection.run(sql, params).then(() => undefined));
  }

  /** Runs `fn` inside one transaction on one connection; rolls back if it throws. */
  async transaction<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.withConnection(async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await fn(connection);
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Runs `fn` with a view of this warehouse whose every statement (`all`, `run`, appenders) goes to
   * one connection inside one transaction: code written against `Warehouse` (identity resolution,
   * case threading) becomes all-or-nothing, and other connections keep reading the last commit
   * until it ends. `fn` must not open transactions of its own.
   *
   * @example
   * await wh.atomically((tx) => resolveIdentities(tx)); // a failure leaves customers as they were
   */
  async atomically<T>(fn: (tx: Warehouse) => Promise<T>): Promise<T> {
    return this.transaction(async (connection) => {
      const tx = Object.create(this) as Warehouse;
      const pinned = { acquire: async () => connection, release: () => {} };
      // After a failed statement DuckDB refuses every later one ("transaction is aborted"), e.g. the
      // clean-up in a `finally`: the first failure is the one to report.
      let first: { error: unknown } | null = null;
      Object.defineProperties(tx, {
        acquire: { value: pinned.acquire },
        release: { value: pinned.release },
        withConnection: {
          value: async <R>(use: (c: DuckDBConnection) => Promise<R>): Promise<R> => {
            try {
              return await use(connection);
            } catch (error) {
              first ??= { error };
              throw error;
            }
          },
        },
        db: { value: new Kysely<Database>({ dialect: new DuckDBDialect(pinned.acquire, pinned.release) }) },
        close: { value: () => {} },
      });
      try {
        return await fn(tx);
      } catch (error) {
        throw first ? (first as { error: unknown }).error : error;
      }
    });
  }

  /** A bulk appender for `table` on its own connection; call `close()` on the result to flush. */
  async appender(table: string): Promise<{ appender: DuckDBAppender; close: () => void }> {
    const connection = await this.acquire();
    const appender = await connection.createAppender(table);
    return {
      appender,
      close: () => {
        try {
          appender.closeSync();
        } finally {
          this.release(connection);
        }
      },
    };
  }

  async withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await fn(connection);
    } finally {
      this.release(connection);
    }
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new WarehouseError(`${this.path} is closed`, 'missing');
    const idle = this.idle.pop();
    if (idle) return idle;
    // Every connection is tracked, so no path (a raw connection given to a caller included) writes unseen.
    const tracked = trackConnection(await this.instance.connect(), this.clock);
    this.leases.set(tracked.connection, tracked);
    return tracked.connection;
  }

  private release(connection: DuckDBConnection): void {
    this.leases.get(connection)?.release();
    if (this.closed || this.idle.length >= 8) connection.closeSync();
    else this.idle.push(connection);
  }

  /** Writes pending changes into the file so that the WAL is empty (useful before copying it). */
  async checkpoint(): Promise<void> {
    await this.run('CHECKPOINT');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.closeSync();
    this.instance.closeSync();
  }
}
