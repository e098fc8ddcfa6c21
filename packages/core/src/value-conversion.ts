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
