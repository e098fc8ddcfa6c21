import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Warehouse } from '../database.ts';
import { writeArrow } from './arrow-writer.ts';
import { fileSink, writableSink } from './byte-sink.ts';
import { registerBuiltinDatasets } from './builtin-datasets.ts';
import { parseFilters } from './filters.ts';
import { fileSha256, listFiles, sqlPathLiteral } from './files.ts';
import type { ExportFormat, ExportManifest, ManifestFile } from './manifest.ts';
import { exportKey, type PiiMode } from './pii.ts';
import { buildExportQuery, type PartitionKey } from './query.ts';
import { ExportError, getDataset } from './registry.ts';

/** Facts about how numbers were computed, stamped into the manifest (metrics fills them in). */
export interface ExportContext {
  metricRegistryVersion?: string | null;
  reportingTimeZone?: string;
  businessHoursCalendar?: string | null;
}

export interface ExportOptions {
  dataset: string;
  format: ExportFormat;
  /** Folder that receives `<dataset>.<ext>` (a file, or a folder when partitioned) and `<dataset>.<ext>.manifest.json`. */
  outDir: string;
  /** Raw filters `{ from?, to?, channels? }`, validated here. */
  filters?: unknown;
  /** Default `redact`: PII leaves only when the caller asks and may. */
  pii?: PiiMode;
  /** Secret for `hash` mode; without it a random key is used (hashes join only within this export). */
  key?: string;
  partitionBy?: PartitionKey[];
  /** Replace an earlier export of the same dataset in `outDir`. */
  overwrite?: boolean;
  context?: ExportContext;
  batchRows?: number;
  /** Rows done / total, for a progress bar (asking for it costs one counting pass). */
  onProgress?: (done: number, total: number) => void;
  /** The clock, passed in so tests can pin createdAt. */
  now?: () => Date;
}

const extensions: Record<ExportFormat, string> = { parquet: 'parquet', arrow: 'arrow', 'arrow-stream': 'arrows', csv: 'csv' };

/**
 * The name an export writes in its folder (a file, or a folder when partitioned); the manifest is
 * this name plus `.manifest.json`.
 *
 * @example
 * exportTargetName('events', 'arrow-stream') // 'events.arrows'
 */
export function exportTargetName(dataset: string, format: ExportFormat): string {
  return `${dataset}.${extensions[format]}`;
}

/**
 * Exports one dataset to files plus a manifest, and returns the manifest.
 *
 * @example
 * const manifest = await exportDataset(wh, { dataset: 'events', format: 'parquet', outDir: 'exports',
 *   partitionBy: ['date', 'channel'], filters: { from: '2026-01-01' }, pii: 'hash', key: process.env.EXPORT_KEY });
 * manifest.rowCount // rows written
 */
export async function exportDataset(wh: Warehouse, options: ExportOptions): Promise<ExportManifest> {
  registerBuiltinDatasets();
  const dataset = getDataset(options.dataset);
  const filters = parseFilters(options.filters ?? {});
  const pii = options.pii ?? 'redact';
  const partitionBy = [...new Set(options.partitionBy ?? [])];
  if (partitionBy.length && (options.format === 'arrow' || options.format === 'arrow-stream')) {
    throw new ExportError('--partition applies to parquet and csv; Arrow IPC is one file');
  }
  const key = exportKey(pii === 'hash' || dataset.columns.some((c) => c.pii === 'reference') ? options.key : undefined);
  const query = buildExportQuery(dataset, { filters, pii, key, partitionBy });

  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  // `events.parquet` is a file, or with --partition a folder of that name (as Spark names them).
  const targetName = exportTargetName(dataset.name, options.format);
  const target = join(outDir, targetName);
  const manifestPath = `${target}.manifest.json`;
  if (existsSync(target) || existsSync(manifestPath)) {
    if (!options.overwrite) throw new ExportError(`${target} already exists; pass --force to replace it`);
    // Only ever delete what an earlier export of ours wrote (its manifest proves it).
    if (existsSync(target) && statSync(target).isDirectory() && !existsSync(manifestPath)) {
      throw new ExportError(`${target} is a folder without ${targetName}.manifest.json; refusing to replace what we did not write`);
    }
    rmSync(target, { recursive: true, force: true });
    rmSync(manifestPath, { force: true });
  }

  let rowCount = 0;
  const files: ManifestFile[] = [];
  try {
    if (options.format === 'parquet' || options.format === 'csv') {
      options.onProgress?.(0, 1);
      const formatOptions = options.format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
      const partition = partitionBy.length ? `, PARTITION_BY (${partitionBy.map((k) => `"${k}"`).join(', ')})` : '';
      const [copied] = await wh.all<{ Count: number }>(`COPY (${query.sql}) TO ${sqlPathLiteral(target)} (${formatOptions}${partition})`);
      rowCount = Number(copied?.Count ?? 0);
      const rowsByFile = options.format === 'parquet' ? await parquetRowCounts(wh, outDir, listFiles(target, outDir)) : new Map<string, number>();
      for (const path of listFiles(target, outDir)) {
        const full = join(outDir, path);
        files.push({ path, bytes: statSync(full).size, sha256: await fileSha256(full), rows: rowsByFile.get(path) ?? null });
      }
      options.onProgress?.(1, 1);
    } else {
      const total = options.onProgress ? (await wh.all<{ n: number }>(`SELECT count(*) AS n FROM (${query.sql})`))[0].n : 0;
      options.onProgress?.(0, total);
      const written = await writeArrow(wh, query.sql, fileSink(target), {
        format: options.format === 'arrow' ? 'file' : 'stream',
        batchRows: options.batchRows,
        onProgress: (rows) => options.onProgress?.(rows, total),
      });
      rowCount = written.rows;
      files.push({ path: targetName, bytes: written.bytes, sha256: written.sha256, rows: written.rows });
    }
  } catch (error) {
    // No half-written export is left behind.
    rmSync(target, { recursive: true, force: true });
    throw error;
  }

  const manifest: ExportManifest = {
    manifestVersion: 1,
    dataset: dataset.name,
    description: dataset.description,
    format: options.format,
    compression: options.format === 'parquet' ? 'zstd' : null,
    partitionBy,
    schema: query.columns,
    rowCount,
    filters,
    timeBasis: 'from/to filters and date partitions are UTC calendar days; timestamps are UTC instants',
    pii: {
      mode: pii,
      method: 'hashed = HMAC-SHA256 (hex) of the normalized value under the export key; redacted = the text "[redacted]"; NULL stays NULL',
      keyFingerprint: query.columns.some((c) => c.treatment === 'hashed') ? key.fingerprint : null,
      ephemeralKey: key.ephemeral,
      columns: Object.fromEntries(query.columns.filter((c) => c.pii !== 'none').map((c) => [c.name, c.treatment])),
    },
    metricRegistryVersion: options.context?.metricRegistryVersion ?? null,
    reportingTimeZone: options.context?.reportingTimeZone ?? 'UTC',
    businessHoursCalendar: options.context?.businessHoursCalendar ?? null,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    warehouse: { path: wh.path, schemaVersion: await wh.schemaVersion() },
    generator: '@helpdesk/core export 1',
    files,
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Rows per Parquet file from the footers (DuckDB reads only the metadata). */
async function parquetRowCounts(wh: Warehouse, outDir: string, paths: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const path of paths) {
    const [row] = await wh.all<{ n: number }>('SELECT num_rows AS n FROM parquet_file_metadata($1)', [join(outDir, path)]);
    counts.set(path, Number(row.n));
  }
  return counts;
}

export interface StreamOptions {
  dataset: string;
  filters?: unknown;
  pii?: PiiMode;
  key?: string;
  format?: 'stream' | 'file';
  batchRows?: number;
}

/**
 * Streams a dataset as Arrow IPC into a Node writable (an HTTP response for notebooks), with the
 * same query, filters and PII rules as the file exports and no temporary file.
 *
 * @example
 * res.setHeader('content-type', 'application/vnd.apache.arrow.stream');
 * await streamDataset(wh, { dataset: 'interactions', filters: { channels: ['chat'] } }, res);
 */
export async function streamDataset(wh: Warehouse, options: StreamOptions, out: Writable): Promise<{ rows: number; bytes: number; sha256: string }> {
  registerBuiltinDatasets();
  const dataset = getDataset(options.dataset);
  const pii = options.pii ?? 'redact';
  const query = buildExportQuery(dataset, { filters: parseFilters(options.filters ?? {}), pii, key: exportKey(options.key) });
  const result = await writeArrow(wh, query.sql, writableSink(out), { format: options.format ?? 'stream', batchRows: options.batchRows });
  return { rows: result.rows, bytes: result.bytes, sha256: result.sha256 };
}
