import type { ExportFilters } from './filters.ts';
import type { PiiMode, PiiTreatment } from './pii.ts';
import type { OutputColumn, PartitionKey } from './query.ts';

export type ExportFormat = 'parquet' | 'arrow' | 'arrow-stream' | 'csv';
export const exportFormats = ['parquet', 'arrow', 'arrow-stream', 'csv'] as const;

/** One written file: enough to check that nothing was changed or lost since. */
export interface ManifestFile {
  /** Relative to the manifest's folder, with forward slashes. */
  path: string;
  bytes: number;
  sha256: string;
  /** Rows in this file when the format says so cheaply (Parquet footers, Arrow); else null. */
  rows: number | null;
}

/**
 * What an export wrote and how, so it can be reproduced and audited: written beside the data as
 * `<dataset>.<ext>.manifest.json`.
 */
export interface ExportManifest {
  manifestVersion: 1;
  dataset: string;
  description: string;
  format: ExportFormat;
  compression: string | null;
  partitionBy: PartitionKey[];
  schema: OutputColumn[];
  rowCount: number;
  filters: ExportFilters;
  /** Filters and date partitions are UTC days; reporting zones apply in metrics' datasets. */
  timeBasis: string;
  pii: {
    mode: PiiMode;
    method: string;
    keyFingerprint: string | null;
    ephemeralKey: boolean;
    columns: Record<string, PiiTreatment>;
  };
  metricRegistryVersion: string | null;
  reportingTimeZone: string;
  businessHoursCalendar: string | null;
  /**
   * CSV only: whether text cells starting with = + - @ tab or carriage return got a leading single
   * quote (`guard`, the default) or were written as stored (`exact`, asked for). See csv-policy.ts.
   */
  csv?: { values: 'guard' | 'exact'; rule: string };
  /**
   * The settings version in force when the export ran (targets, SLA policies, calendars, costs and
   * thresholds: table settings_versions); 0 means the built-in defaults, nothing saved yet.
   */
  settingsVersion: number;
  /** Options of a computed dataset and what its computation used (ruleset, seed, ...); `{}` for stored tables. */
  parameters: Record<string, string | number | boolean | null>;
  createdAt: string;
  warehouse: { path: string; schemaVersion: number };
  generator: string;
  files: ManifestFile[];
}
