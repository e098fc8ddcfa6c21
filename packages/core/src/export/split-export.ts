import type { Warehouse } from '../database.ts';
import type { Dataset } from './dataset.ts';
import { ExportError } from './dataset-registry.ts';
import { buildExportQuery, type ExportQueryOptions } from './query.ts';

/** Each stream holds a pooled connection and its own streaming buffer. */
const MAX_STREAMS = 8;

/**
 * The export query of `dataset` cut into `parts` disjoint queries by rowid ranges of its row
 * source (equal spans of rowids; the first and last are open-ended so that together they cover
 * every row whatever the table holds by the time they run). Undefined when the dataset cannot be
 * split (computed datasets, no row source), one part is asked for, the table is empty, or the
 * warehouse is writable.
 *
 * Each part runs on its own connection, so in its own snapshot: only a read-only warehouse
 * guarantees that no commit lands between them (DuckDB's file lock keeps writers in other
 * processes out; this one cannot write). On a writable one a sync committing between the parts'
 * starts could move a merged row from one range to another, and the export would hold it twice
 * or not at all; there the export streams one query.
 *
 * @example
 * await splitExportQuery(wh, getDataset('events'), { filters: {}, pii: 'redact', key }, 2)
 * // ['SELECT ... WHERE e.rowid < 4998155', 'SELECT ... WHERE e.rowid >= 4998155']
 */
export async function splitExportQuery(wh: Warehouse, dataset: Dataset, options: ExportQueryOptions, parts: number): Promise<string[] | undefined> {
  if (!Number.isInteger(parts) || parts < 1 || parts > MAX_STREAMS) throw new ExportError(`streams must be a whole number from 1 to ${MAX_STREAMS}`);
  if (!dataset.rowSource || dataset.prepare || parts === 1 || !wh.readOnly) return undefined;
  const table = `"${dataset.rowSource.table.replace(/"/g, '""')}"`;
  // DuckDB answers this from the table's row groups, in milliseconds for ten million rows.
  const [{ last }] = await wh.all<{ last: number | bigint | null }>(`SELECT max(rowid) AS last FROM ${table}`);
  if (last === null) return undefined;
  const rows = Number(last) + 1;
  const bounds = Array.from({ length: parts - 1 }, (_, i) => Math.floor((rows * (i + 1)) / parts));
  return Array.from({ length: parts }, (_, i) =>
    buildExportQuery(dataset, { ...options, rowRange: { from: i > 0 ? bounds[i - 1] : undefined, to: i < parts - 1 ? bounds[i] : undefined } }).sql,
  );
}

/**
 * Concurrent streams of an Arrow export unless told: one per core of the machines we measure on
 * (two). Each part is a whole query that builds its own join hash tables and PII lookups, so two
 * streams win while a core would otherwise idle and lose when other work saturates the cores;
 * three lost to two (the figures: README, "Export benchmark"). The export bench prints one and
 * two streams side by side.
 */
export const DEFAULT_ARROW_STREAMS = 2;
