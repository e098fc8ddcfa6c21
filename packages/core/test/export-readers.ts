import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tableFromIPC, type Table } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * Independent readers for the export tests: hyparquet (a Parquet reader in plain JavaScript, not
 * DuckDB) with hyparquet-compressors for zstd, and apache-arrow's IPC reader. Values from all
 * sides are put in one canonical text form, so a checksum compares them.
 */
export async function readParquet(path: string) {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const rows = (await parquetReadObjects({ file, metadata, compressors })) as Record<string, unknown>[];
  return { rows, metadata, schema: parquetSchema(metadata) };
}

export function readArrow(path: string): Table {
  return tableFromIPC(readFileSync(path));
}

/** Arrow rows as plain objects: lists as arrays, everything else as apache-arrow returns it. */
export function arrowRows(table: Table): Record<string, unknown>[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => table.getChild(n)!);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    names.forEach((n, c) => {
      const v = columns[c].get(i);
      row[n] = v && typeof v === 'object' && 'toArray' in v ? [...(v as Iterable<unknown>)] : v;
    });
    rows.push(row);
  }
  return rows;
}

/**
 * One value in a canonical text form. `timestampColumns` are given as epoch milliseconds by
 * Arrow, as Date by hyparquet and as ISO strings by the warehouse: all become ISO strings.
 */
export function canonical(value: unknown, isTimestamp = false): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v)).join(',')}]`;
  if (value instanceof Date) return value.toISOString();
  if (isTimestamp) return new Date(typeof value === 'string' ? Date.parse(value) : Number(value)).toISOString();
  if (typeof value === 'bigint') return String(Number(value));
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** SHA-256 over the sorted canonical rows (order-free: exports keep no ORDER BY). */
export function rowsChecksum(rows: Record<string, unknown>[], columns: string[], timestampColumns: string[] = []): string {
  const ts = new Set(timestampColumns);
  const lines = rows.map((r) => columns.map((c) => canonical(r[c], ts.has(c))).join('|')).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** HMAC-SHA256 hex by node:crypto: the independent implementation of the hash PII mode. */
export function hmac(key: string, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

/** Every string anywhere in the rows (list items too). */
export function allStrings(rows: Record<string, unknown>[]): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
  };
  for (const row of rows) Object.values(row).forEach(visit);
  return out;
}
