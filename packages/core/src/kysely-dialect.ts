import { listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { plainValueConverter, rowsFromChunks } from './value-conversion.ts';

/**
 * A Kysely dialect over @duckdb/node-api. DuckDB speaks PostgreSQL's SQL and accepts `$1`
 * placeholders, so Kysely's PostgreSQL compiler and adapter are reused as they are; only the driver
 * is ours. We chose this over the kysely-duckdb package because that one turns DATE into local-time
 * `Date` values, drops one-row `count` results and closes the shared instance on destroy.
 */
export class DuckDBDialect implements Dialect {
  constructor(
    private readonly acquire: () => Promise<DuckDBConnection>,
    private readonly release: (connection: DuckDBConnection) => void,
  ) {}

  createDriver(): Driver {
    return new DuckDBDriver(this.acquire, this.release);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class DuckDBDriver implements Driver {
  private readonly wrappers = new WeakMap<DuckDBConnection, KyselyConnection>();
  constructor(
    private readonly acquire: () => Promise<DuckDBConnection>,
    private readonly release: (connection: DuckDBConnection) => void,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.acquire();
    let wrapper = this.wrappers.get(connection);
    if (!wrapper) {
      wrapper = new KyselyConnection(connection);
      this.wrappers.set(connection, wrapper);
    }
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN TRANSACTION'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.release((connection as KyselyConnection).connection);
  }
  async destroy(): Promise<void> {
    // The Warehouse owns the DuckDB instance; destroying Kysely must not close it.
  }
}

class KyselyConnection implements DatabaseConnection {
  constructor(readonly connection: DuckDBConnection) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.connection.run(compiled.sql, toParams(compiled.parameters));
    const rows = rowsFromChunks(result.deduplicatedColumnNames(), result.columnTypes(), await result.fetchAllChunks()) as R[];
    const changed = result.rowsChanged;
    const isWrite = /^\s*(insert|update|delete)/i.test(compiled.sql);
    return isWrite && !/returning/i.test(compiled.sql)
      ? { rows: [], numAffectedRows: BigInt(changed) }
      : { rows };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 2048): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.connection.stream(compiled.sql, toParams(compiled.parameters));
    let buffer: R[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const names = result.deduplicatedColumnNames();
      const columns = chunk.convertColumns(plainValueConverter);
      for (let r = 0; r < chunk.rowCount; r++) {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) row[names[c]] = columns[c][r];
        buffer.push(row as R);
      }
      if (buffer.length >= chunkSize) {
        yield { rows: buffer };
        buffer = [];
      }
    }
    if (buffer.length > 0) yield { rows: buffer };
  }
}

function toParams(parameters: readonly unknown[]): DuckDBValue[] {
  return parameters.map((p) => {
    if (p instanceof Date) return p.toISOString();
    if (p === undefined) return null;
    if (Array.isArray(p)) return listValue(p as DuckDBValue[]);
    return p as DuckDBValue;
  });
}
