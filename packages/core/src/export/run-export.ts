import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Warehouse } from '../database.ts';
import { writeArrow } from './arrow-writer.ts';
import { fileSink, writableSink } from './byte-sink.ts';
import { registerBuiltinDatasets } from './builtin-datasets.ts';
import { parseExportFilters, type ExportFilters } from './filters.ts';
import { fileSha256, listFiles, sqlPathLiteral } from './files.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset, ExportContextStamp, PreparedDataset } from './dataset.ts';
import type { ExportFormat, ExportManifest, ManifestFile } from './manifest.ts';
import { exportKey, type PiiMode } from './pii.ts';
import { csvGuardSql, type CsvValues } from '../csv-policy.ts';
import { buildExportQuery, type ExportQueryOptions, type OutputColumn, type PartitionKey } from './query.ts';
import { DEFAULT_ARROW_STREAMS, splitExportQuery } from './split-export.ts';
import { ExportError, getDataset } from './dataset-registry.ts';
import { RulesetError } from '../routing/ruleset-load.ts';

/** Facts about how numbers were computed, stamped into the manifest (computed datasets fill them in). */
export type ExportContext = ExportContextStamp;

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
  /**
   * Arrow only: DuckDB queries streamed at the same time, each over its own rowid range of the
   * dataset's rows (split-export.ts). Default DEFAULT_ARROW_STREAMS (2). Computed datasets always
   * use one.
   */
  streams?: number;
  /** Rows done / total, for a progress bar (asking for it costs one counting pass). */
  onProgress?: (done: number, total: number) => void;
  /** The clock, passed in so tests can pin createdAt. */
  now?: () => Date;
  /** Options of a computed dataset (`Dataset.options`), e.g. `{ ruleset: 'data/rulesets/demo.yaml' }`. */
  datasetOptions?: Record<string, string>;
  /** CSV only: `guard` (default) prefixes formula-like text cells with a quote; `exact` writes them as stored. */
  csvValues?: CsvValues;
  /** Cancels a running export (the client went away): the DuckDB query is interrupted and nothing is left behind. */
  signal?: AbortSignal;
}

/**
 * The export query as CSV writes it: text cells and each value of a text list under the CSV
 * policy (csv-policy.ts); numbers, booleans and times as they are (a negative number stays a number).
 */
export function csvQuery(sql: string, columns: readonly OutputColumn[], values: CsvValues): string {
  if (values === 'exact') return sql;
  const selects = columns.map((c) => {
    const name = `"${c.name.replace(/"/g, '""')}"`;
    // A text list is one cell `a; b` (as the browser writes it), every value guarded.
    if (c.type === 'VARCHAR[]') return `array_to_string(list_transform(${name}, v -> coalesce(${csvGuardSql('v')}, '')), '; ') AS ${name}`;
    // `VARCHAR (one of ...)` are closed sets; guarding them too costs nothing and survives a new value.
    if (c.type.startsWith('VARCHAR')) return `${csvGuardSql(name)} AS ${name}`;
    return name;
  });
  return `SELECT ${selects.join(', ')} FROM (${sql})`;
}

const csvRule = "text cells starting with = + - @ tab or carriage return are written with a leading ' (OWASP CSV injection)";

/**
 * A dataset's options with defaults filled in; unknown or missing ones fail with the list of
 * what the dataset takes.
 *
 * @example
 * datasetOptions(getDataset('routing_replay'), { ruleset: 'demo.yaml' }) // { ruleset: 'demo.yaml' }
 */
export function datasetOptions(dataset: Dataset, given: Record<string, string> = {}): Record<string, string> {
  const known = dataset.options ?? {};
  const takes = () => (Object.keys(known).length ? `it takes ${Object.keys(known).join(', ')}` : 'it takes none');
  for (const name of Object.keys(given)) {
    if (!(name in known)) throw new ExportError(`dataset "${dataset.name}" has no option "${name}"; ${takes()}`);
  }
  const options = { ...(dataset.optionDefaults ?? {}), ...given };
  for (const name of Object.keys(known)) {
    if (options[name] === undefined) throw new ExportError(`dataset "${dataset.name}" needs --option ${name}=...: ${known[name]}`);
    const problem = optionRules[name]?.(options[name]);
    if (problem) throw new ExportError(`option ${name}: ${problem}, got "${options[name].slice(0, 60)}"`);
  }
  return options;
}

/**
 * Options that mean the same in every dataset, checked before any work starts (an unknown zone
 * used to fail only once the response was streaming).
 */
const optionRules: Record<string, (value: string) => string | null> = {
  tz: (value) => (isTimeZone(value) ? null : 'must be an IANA time zone such as Europe/Berlin'),
  business_hours: (value) => (value === 'true' || value === 'false' ? null : 'must be true or false'),
  seed: (value) => (/^\d{1,9}$/.test(value) ? null : 'must be a whole number below 1e9'),
  // Arrivals times 0.1 to 20 (the routing screen's range): beyond that a simulation is no longer about this helpdesk, only slow.
  scale: (value) => (/^\d+(\.\d+)?$/.test(value) && Number(value) >= 0.1 && Number(value) <= 20 ? null : 'must be a number from 0.1 to 20'),
};

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.length <= 64;
  } catch {
    return false;
  }
}

/**
 * Refuses a --from/--to period longer than the dataset's `maxPeriodDays` (inclusive days).
 *
 * @example
 * checkPeriod(getDataset('kpi_daily'), { from: '1976-01-01', to: '2026-01-01' }) // throws: at most 366 days
 */
export function checkPeriod(dataset: Dataset, filters: ExportFilters): void {
  if (!dataset.maxPeriodDays || !filters.from || !filters.to) return;
  const days = (Date.parse(`${filters.to}T00:00:00Z`) - Date.parse(`${filters.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > dataset.maxPeriodDays) {
    throw new ExportError(`${dataset.name}: a period of at most ${dataset.maxPeriodDays} days (--from ${filters.from} --to ${filters.to} is ${days} days)`);
  }
}

/**
 * Runs `work` on one connection after the dataset's `prepare` (computed datasets build temp
 * tables there), and drops those tables afterwards, whatever happened.
 */
async function withPreparedDataset<T>(
  wh: Warehouse, dataset: Dataset, filters: ExportFilters, options: Record<string, string>,
  work: (connection: DuckDBConnection, prepared: PreparedDataset) => Promise<T>,
): Promise<T> {
  return wh.withConnection(async (connection) => {
    try {
      let prepared: PreparedDataset = {};
      try {
        prepared = (await dataset.prepare?.({ connection, warehouse: wh, filters, options })) ?? {};
      } catch (error) {
        // A bad ruleset or an empty period is the caller's input: one clear line, not a stack.
        if (error instanceof RulesetError || error instanceof RangeError) throw new ExportError(`${dataset.name}: ${error.message}`);
        throw error;
      }
      return await work(connection, prepared);
    } finally {
      if (dataset.prepare) {
        const temps = await connection.runAndReadAll(
          "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'export\\_%' ESCAPE '\\'",
        );
        for (const [name] of temps.getRows()) await connection.run(`DROP TABLE IF EXISTS temp."${String(name).replace(/"/g, '""')}"`);
      }
    }
  });
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
  const filters = parseExportFilters(options.filters ?? {});
  const pii = options.pii ?? 'redact';
  const partitionBy = [...new Set(options.partitionBy ?? [])];
  if (partitionBy.length && (options.format === 'arrow' || options.format === 'arrow-stream')) {
    throw new ExportError('--partition applies to parquet and csv; Arrow IPC is one file');
  }
  const key = exportKey(pii === 'hash' || dataset.columns.some((c) => c.pii === 'reference') ? options.key : undefined);
  const queryOptions: ExportQueryOptions = { filters, pii, key, partitionBy };
  const query = buildExportQuery(dataset, queryOptions);
  const givenOptions = datasetOptions(dataset, options.datasetOptions);
  checkPeriod(dataset, filters);

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
  let prepared: PreparedDataset = {};
  try {
    prepared = await withPreparedDataset(wh, dataset, filters, givenOptions, async (connection, made) => {
      if (options.format === 'parquet' || options.format === 'csv') {
        options.onProgress?.(0, 1);
        const formatOptions = options.format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
        const partition = partitionBy.length ? `, PARTITION_BY (${partitionBy.map((k) => `"${k}"`).join(', ')})` : '';
        const sql = options.format === 'csv' ? csvQuery(query.sql, query.columns, options.csvValues ?? 'guard') : query.sql;
        const copied = await interruptible(connection, options.signal, () => connection.runAndReadAll(`COPY (${sql}) TO ${sqlPathLiteral(target)} (${formatOptions}${partition})`));
        rowCount = Number(copied.getRows()[0]?.[0] ?? 0);
        options.onProgress?.(1, 1);
      } else {
        const total = options.onProgress ? Number((await connection.runAndReadAll(`SELECT count(*) FROM (${query.sql})`)).getRows()[0][0]) : 0;
        options.onProgress?.(0, total);
        const parts = await splitExportQuery(wh, dataset, queryOptions, options.streams ?? DEFAULT_ARROW_STREAMS);
        const written = await writeArrow(wh, query.sql, fileSink(target), {
          format: options.format === 'arrow' ? 'file' : 'stream',
          batchRows: options.batchRows,
          // A split export streams on pooled connections: nothing it reads lives on this one.
          connection: parts ? undefined : connection,
          parts,
          onProgress: (rows) => options.onProgress?.(rows, total),
        });
        rowCount = written.rows;
        files.push({ path: targetName, bytes: written.bytes, sha256: written.sha256, rows: written.rows });
      }
      return made;
    });
    if (options.format === 'parquet' || options.format === 'csv') {
      const rowsByFile = options.format === 'parquet' ? await parquetRowCounts(wh, outDir, listFiles(target, outDir)) : new Map<string, number>();
      for (const path of listFiles(target, outDir)) {
        const full = join(outDir, path);
        files.push({ path, bytes: statSync(full).size, sha256: await fileSha256(full), rows: rowsByFile.get(path) ?? null });
      }
    }
  } catch (error) {
    // No half-written export is left behind.
    rmSync(target, { recursive: true, force: true });
    throw error;
  }
  const context = { ...prepared.context, ...options.context };

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
    metricRegistryVersion: context.metricRegistryVersion ?? null,
    reportingTimeZone: context.reportingTimeZone ?? 'UTC',
    businessHoursCalendar: context.businessHoursCalendar ?? null,
    ...(options.format === 'csv' ? { csv: { values: options.csvValues ?? 'guard', rule: csvRule } } : {}),
    settingsVersion: await settingsVersion(wh),
    parameters: { ...givenOptions, ...prepared.parameters },
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    warehouse: { path: wh.path, schemaVersion: await wh.schemaVersion() },
    generator: '@helpdesk/core export 1',
    files,
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/**
 * Runs `work` on `connection`, interrupting DuckDB when `signal` aborts (the query then fails and
 * the caller cleans up). Already aborted: fails at once without starting.
 */
export async function interruptible<T>(connection: DuckDBConnection, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (!signal) return work();
  if (signal.aborted) throw new ExportError('the export was cancelled');
  const stop = () => connection.interrupt();
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await work();
  } catch (error) {
    if (signal.aborted) throw new ExportError('the export was cancelled');
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** The newest saved settings version (0: none saved, the defaults apply). */
async function settingsVersion(wh: Warehouse): Promise<number> {
  const row = await wh.db.selectFrom('settings_versions').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return row?.v ?? 0;
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
  /** As `ExportOptions.streams`. */
  streams?: number;
  datasetOptions?: Record<string, string>;
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
  const filters = parseExportFilters(options.filters ?? {});
  const queryOptions: ExportQueryOptions = { filters, pii, key: exportKey(options.key) };
  const query = buildExportQuery(dataset, queryOptions);
  const given = datasetOptions(dataset, options.datasetOptions);
  checkPeriod(dataset, filters);
  const result = await withPreparedDataset(wh, dataset, filters, given, async (connection) => {
    const parts = await splitExportQuery(wh, dataset, queryOptions, options.streams ?? DEFAULT_ARROW_STREAMS);
    return writeArrow(wh, query.sql, writableSink(out), { format: options.format ?? 'stream', batchRows: options.batchRows, connection: parts ? undefined : connection, parts });
  });
  return { rows: result.rows, bytes: result.bytes, sha256: result.sha256 };
}
