import {
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBValueConverter,
} from '@duckdb/node-api';

/**
 * Rows leave the database as plain JSON values so that SvelteKit, the CLI's `--json` and tests
 * can pass them on untouched: BIGINT becomes a number (exact below 2^53, which counts and sums of
 * seconds never reach), timestamps become ISO-8601 strings in UTC, dates `YYYY-MM-DD`.
 * A wall-clock value never passes through a local-time `Date`, so TZ cannot shift it.
 */
export const plainValueConverter: DuckDBValueConverter<unknown> = (
  value: DuckDBValue,
  type: DuckDBType,
  converter: DuckDBValueConverter<unknown>,
) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return Number(value as bigint);
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS: {
      const date = JSDuckDBValueConverter(value, type, converter as DuckDBValueConverter<any>) as Date;
      return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
    }
    case DuckDBTypeId.DATE: {
      const date = JSDuckDBValueConverter(value, type, converter as DuckDBValueConverter<any>) as Date;
      return date.toISOString().slice(0, 10);
    }
    default:
      return JSDuckDBValueConverter(value, type, converter as DuckDBValueConverter<any>);
  }
};

type ColumnReader = (value: DuckDBValue) => unknown;

/** One reader per column type, chosen once per result instead of once per value. */
function readerFor(type: DuckDBType): ColumnReader {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
      return (value) => value;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return (value) => (value === null ? null : Number(value as bigint));
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP: {
      const fallback = (value: DuckDBValue) => plainValueConverter(value, type, plainValueConverter);
      return (value) => {
        if (value === null) return null;
        const micros = (value as { micros: bigint }).micros;
        // Infinity and values beyond Date's range keep DuckDB's own text.
        // Floor, not truncate, so instants before 1970 keep their millisecond.
        const ms = Number(micros / 1000n) - (micros < 0n && micros % 1000n !== 0n ? 1 : 0);
        return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : fallback(value);
      };
    }
    default:
      return (value) => plainValueConverter(value, type, plainValueConverter);
  }
}

/**
 * Rows of a materialized result as plain JSON objects, converted column by column with one reader
 * per column type: about twice as fast as converting value by value through the generic converter.
 */
export function rowsFromChunks(
  names: readonly string[],
  types: readonly DuckDBType[],
  chunks: readonly { rowCount: number; getColumnVector(i: number): { getItem(i: number): DuckDBValue } }[],
): Record<string, unknown>[] {
  const readers = types.map(readerFor);
  const rows: Record<string, unknown>[] = [];
  for (const chunk of chunks) {
    const n = chunk.rowCount;
    const base = rows.length;
    for (let r = 0; r < n; r++) rows.push({});
    for (let c = 0; c < names.length; c++) {
      const vector = chunk.getColumnVector(c);
      const read = readers[c];
      const name = names[c];
      for (let r = 0; r < n; r++) rows[base + r][name] = read(vector.getItem(r));
    }
  }
  return rows;
}
