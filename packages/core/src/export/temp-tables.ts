import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { DatasetColumn } from './dataset.ts';
import { BindParams } from '../bind-params.ts';

/** Rows per INSERT: keeps each statement's parameter list small. */
const ROWS_PER_INSERT = 500;

/**
 * Creates a temp table for a computed dataset's rows on the export's connection, typed by the
 * dataset's documented columns (closed text sets are stored as VARCHAR; the query casts them).
 * The name must start with `export_` so the export drops it afterwards.
 *
 * @example
 * await createTempTable(connection, 'export_kpi_daily', columns);
 */
export async function createTempTable(connection: DuckDBConnection, name: string, columns: readonly Pick<DatasetColumn, 'name' | 'type'>[]): Promise<void> {
  if (!/^export_[a-z0-9_]+$/.test(name)) throw new Error(`temp table "${name}" must be named export_<snake_case>`);
  const defs = columns.map((c) => `"${c.name}" ${c.type}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${name} (${defs.join(', ')})`);
}

/**
 * Inserts rows computed in TypeScript (KPI tables, simulation results: thousands of rows at most)
 * with bound parameters, in column order.
 */
export async function insertRows(connection: DuckDBConnection, name: string, columns: readonly Pick<DatasetColumn, 'name' | 'type'>[], rows: readonly Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const slice = rows.slice(start, start + ROWS_PER_INSERT);
    const p = new BindParams();
    // Each value is cast to its column type: parameters arrive untyped.
    const tuples = slice.map((row) => `(${columns.map((c) => `CAST(${p.add((row[c.name] ?? null) as DuckDBValue)} AS ${c.type})`).join(', ')})`);
    await connection.run(`INSERT INTO ${name} VALUES ${tuples.join(', ')}`, p.values);
  }
}
