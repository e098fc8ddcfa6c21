/**
 * Analyst exports: datasets (a registry others add to), Parquet/CSV via DuckDB COPY, Arrow IPC
 * built column by column from DuckDB chunks, PII controls and a manifest per export.
 * Imported as `@helpdesk/core/export` so that core's main entry does not load apache-arrow.
 */
export {
  describeColumns, schemaMarkdown, type Dataset, type DatasetColumn, type ColumnDoc, type PiiKind, type PrepareContext, type PreparedDataset, type ExportContextStamp,
} from './dataset.ts';
export { qaReviewsDataset, qaRatingsDataset } from './qa-datasets.ts';
export { routingReplayDataset, routingSimulationDataset, periodOf } from './routing-datasets.ts';
export { kpiDailyDataset, registerKpiDatasets, type KpiSource } from './kpi-datasets.ts';
export { registerDataset, getDataset, listDatasets, ExportError } from './dataset-registry.ts';
export { registerBuiltinDatasets, interactionsDataset, eventsDataset, customersDataset, casesDataset } from './builtin-datasets.ts';
export { ExportFilters, parseExportFilters, exportFilterConditions } from './filters.ts';
export { exportKey, hmacSql, columnSql, treatment, piiModes, REDACTED, type ExportKey, type PiiMode, type PiiTreatment } from './pii.ts';
export { buildExportQuery, partitionKeys, type PartitionKey, type OutputColumn, type ExportQuery, type RowRange } from './query.ts';
export { splitExportQuery, DEFAULT_ARROW_STREAMS } from './split-export.ts';
export { writeArrow, type ArrowFormat, type ArrowWriteOptions, type ArrowWriteResult } from './arrow-writer.ts';
export { fileSink, writableSink, type ByteSink } from './byte-sink.ts';
export { exportFormats, type ExportFormat, type ExportManifest, type ManifestFile } from './manifest.ts';
export { exportDataset, exportTargetName, streamDataset, datasetOptions, checkPeriod, interruptible, type ExportOptions, type ExportContext, type StreamOptions } from './run-export.ts';
export { fileSha256 } from './files.ts';

/**
 * The DuckDB memory cap for export processes (`helpdesk export`): an export streams, so DuckDB's
 * buffer pool need not grow to its default of 80% of RAM as a cache; this keeps a stream export of
 * any size under 1 GB of resident memory.
 */
export const EXPORT_MEMORY_LIMIT = '512MB';
