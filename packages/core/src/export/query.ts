import type { Dataset, PiiKind } from './dataset.ts';
import { exportFilterConditions, type ExportFilters } from './filters.ts';
import { columnSql, hmacSql, normalizedSql, treatment, type ExportKey, type PiiMode, type PiiTreatment } from './pii.ts';
import { ExportError } from './dataset-registry.ts';

export type PartitionKey = 'date' | 'channel';
export const partitionKeys = ['date', 'channel'] as const;

/** One output column as the manifest documents it. */
export interface OutputColumn {
  name: string;
  type: string;
  meaning: string;
  pii: PiiKind;
  treatment: PiiTreatment;
}

export interface ExportQuery {
  sql: string;
  columns: OutputColumn[];
}

export interface ExportQueryOptions {
  filters: ExportFilters;
  pii: PiiMode;
  key: ExportKey;
  partitionBy?: readonly PartitionKey[];
  /** Only rows whose `dataset.rowSource` rowid is in [from, to) (either end open when absent): one of the disjoint parts of a split export. */
  rowRange?: RowRange;
}

export interface RowRange {
  from?: number;
  to?: number;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The one SELECT every format runs: columns with PII applied, closed text sets as ENUM (DuckDB
 * writes them as strings to Parquet/CSV and we as dictionaries to Arrow), validated filters, and
 * the partition columns when asked. Row order is unspecified (no ORDER BY: a sort of ten
 * million events would cost more than the export); checksums of values must be order-free.
 *
 * @example
 * buildExportQuery(getDataset('cases'), { filters: {}, pii: 'redact', key }).sql
 * // 'SELECT k.id AS "id", ... FROM cases k'
 */
export function buildExportQuery(dataset: Dataset, options: ExportQueryOptions): ExportQuery {
  const selects: string[] = [];
  const columns: OutputColumn[] = [];
  const lookups: string[] = [];
  const conditions = exportFilterConditions(dataset, options.filters);
  const rowRange = rowRangeConditions(dataset, options.rowRange);
  const where = (extra: string[]) => (extra.length ? ` WHERE ${extra.join(' AND ')}` : '');
  for (const column of dataset.columns) {
    let hashed: string | undefined;
    if (treatment(column.pii ?? 'none', options.pii) === 'hashed') {
      // DuckDB's sha256 costs about a microsecond, HMAC two of them: hash each distinct value once
      // (a few hundred thousand contacts) instead of every row (millions of events), then join.
      const alias = `pii_${column.name}`;
      const normalized = normalizedSql(column);
      const piiWhen = column.piiWhen ? [column.piiWhen] : [];
      // A part of a split export hashes only the values of its own rows when its domain reads
      // the same rows (the split table under the same alias): the hashes are the same, and two
      // parts of the 10M events make 600K HMACs instead of twice 439K.
      const ownRows = !column.distinctFrom || readsRowSource(column.distinctFrom, dataset) ? rowRange : [];
      const domain = column.distinctFrom ? `${column.distinctFrom}${where([...piiWhen, ...ownRows])}` : `${dataset.from}${where([...conditions, ...piiWhen, ...ownRows])}`;
      // Rows outside `piiWhen` keep their value (columnSql), so they join on NULL, which DuckDB
      // passes over without probing: about half the events (the saving: README, "Export benchmark").
      const probe = column.piiWhen ? `CASE WHEN ${column.piiWhen} THEN ${normalized} END` : normalized;
      lookups.push(
        ` LEFT JOIN (SELECT k, ${hmacSql('k', options.key)} AS h FROM (SELECT DISTINCT ${normalized} AS k FROM ${domain}) WHERE k IS NOT NULL) ${alias} ON ${alias}.k = ${probe}`,
      );
      hashed = `${alias}.h`;
    }
    let expression = columnSql(column, options.pii, options.key, hashed);
    if (column.values) expression = `CAST(${expression} AS ENUM(${column.values.map(quote).join(', ')}))`;
    selects.push(`${expression} AS "${column.name}"`);
    const kind = column.pii ?? 'none';
    columns.push({
      name: column.name,
      type: column.values ? `VARCHAR (one of ${column.values.join(', ')})` : column.type,
      meaning: column.meaning,
      pii: kind,
      treatment: treatment(kind, options.pii),
    });
  }
  const names = new Set(dataset.columns.map((c) => c.name));
  for (const key of options.partitionBy ?? []) {
    if (names.has(key)) continue;
    if (key === 'date') {
      if (!dataset.timeColumn) throw new ExportError(`dataset "${dataset.name}" has no time column to partition by date`);
      // The session zone is UTC (Warehouse.open), so this is the UTC day.
      selects.push(`CAST(${dataset.timeColumn} AS DATE) AS "date"`);
      columns.push({ name: 'date', type: 'DATE', meaning: 'UTC day of the time column (partition key)', pii: 'none', treatment: 'included' });
    } else {
      if (!dataset.channelColumn) throw new ExportError(`dataset "${dataset.name}" has no channel to partition by`);
      selects.push(`${dataset.channelColumn} AS "channel"`);
      columns.push({ name: 'channel', type: 'VARCHAR', meaning: 'channel (partition key)', pii: 'none', treatment: 'included' });
    }
  }
  return { sql: `SELECT ${selects.join(', ')} FROM ${dataset.from}${lookups.join('')}${where([...conditions, ...rowRange])}`, columns };
}

/** True when `from` is the dataset's row source table under the same alias, e.g. `events e`. */
function readsRowSource(from: string, dataset: Dataset): boolean {
  return !!dataset.rowSource && from.trim().split(/\s+/).join(' ') === `${dataset.rowSource.table} ${dataset.rowSource.alias}`;
}

function rowRangeConditions(dataset: Dataset, range: RowRange | undefined): string[] {
  if (!range) return [];
  if (!dataset.rowSource) throw new ExportError(`dataset "${dataset.name}" has no row source to split by rowid`);
  const rowid = `${dataset.rowSource.alias}.rowid`;
  const bound = (n: number) => {
    if (!Number.isSafeInteger(n)) throw new ExportError(`rowid bound ${n} is not a whole number`);
    return n;
  };
  // DuckDB pushes a rowid range into the table scan, which then reads only the row groups in it.
  return [...(range.from !== undefined ? [`${rowid} >= ${bound(range.from)}`] : []), ...(range.to !== undefined ? [`${rowid} < ${bound(range.to)}`] : [])];
}
