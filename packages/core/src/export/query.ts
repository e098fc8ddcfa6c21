import type { Dataset, PiiKind } from './dataset.ts';
import { filterConditions, type ExportFilters } from './filters.ts';
import { columnSql, hmacSql, normalizedSql, treatment, type ExportKey, type PiiMode, type PiiTreatment } from './pii.ts';
import { ExportError } from './registry.ts';

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
  const conditions = filterConditions(dataset, options.filters);
  const where = (extra: string[]) => (extra.length ? ` WHERE ${extra.join(' AND ')}` : '');
  for (const column of dataset.columns) {
    let hashed: string | undefined;
    if (treatment(column.pii ?? 'none', options.pii) === 'hashed') {
      // DuckDB's sha256 costs about a microsecond, HMAC two of them: hash each distinct value once
      // (a few hundred thousand contacts) instead of every row (millions of events), then join.
      const alias = `pii_${column.name}`;
      const normalized = normalizedSql(column);
      const piiWhen = column.piiWhen ? [column.piiWhen] : [];
      const domain = column.distinctFrom ? `${column.distinctFrom}${where(piiWhen)}` : `${dataset.from}${where([...conditions, ...piiWhen])}`;
      lookups.push(
        ` LEFT JOIN (SELECT k, ${hmacSql('k', options.key)} AS h FROM (SELECT DISTINCT ${normalized} AS k FROM ${domain}) WHERE k IS NOT NULL) ${alias} ON ${alias}.k = ${normalized}`,
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
  return { sql: `SELECT ${selects.join(', ')} FROM ${dataset.from}${lookups.join('')}${where(conditions)}`, columns };
}
