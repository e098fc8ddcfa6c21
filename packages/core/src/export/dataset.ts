import type { DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../database.ts';
import type { ExportFilters } from './filters.ts';

/**
 * What an exportable dataset is: a name, a description, documented columns and the SQL that
 * produces them. Datasets are data, so other packages (metrics' KPI tables, QA, routing) add
 * their own with `registerDataset` without this module knowing them.
 */

/**
 * How sensitive a column is. `email`, `phone`, `name` and `handle` are identifiers (hashed or
 * redacted), `text` is free text such as message bodies (never hashed: a hash of a sentence joins
 * nothing and still tells equal sentences apart), `reference` is an id that may embed an
 * identifier (an Aircall contact id holds the phone number), `none` is safe.
 */
export type PiiKind = 'none' | 'email' | 'phone' | 'name' | 'handle' | 'identifier' | 'reference' | 'text';

export interface DatasetColumn {
  /** Output column name. */
  name: string;
  /**
   * DuckDB type of the output, e.g. `VARCHAR`, `TIMESTAMPTZ`, `INTEGER`, `VARCHAR[]`. For text
   * with a closed set of values give `values` instead: it becomes an ENUM in DuckDB and a
   * dictionary column in Arrow.
   */
  type: string;
  /** What it means, for the generated schema docs and the manifest. */
  meaning: string;
  /** SQL expression over the dataset's FROM clause. */
  sql: string;
  pii?: PiiKind;
  /** Only treat the value as PII when this SQL condition holds (e.g. customer-authored rows). */
  piiWhen?: string;
  /** SQL that normalizes the value before hashing, with `$value` standing for the column; default by PII kind. */
  normalize?: string;
  /**
   * For hashed columns: a FROM clause (usually the dataset's first table alone) whose rows include
   * every row of the dataset and over which `sql`, `normalize` and `piiWhen` also evaluate. The
   * distinct values to hash are listed there, without the dataset's joins and filters (a superset
   * of keys is harmless), which saves a second join over millions of rows.
   */
  distinctFrom?: string;
  /** The closed set of values of a text column (from the code, never from input). */
  values?: readonly string[];
}

/** What a computed dataset gets to build its rows before the export's query runs. */
export interface PrepareContext {
  /** The export's own connection: temp tables made here are visible to the query, and only to it. */
  connection: DuckDBConnection;
  warehouse: Warehouse;
  filters: ExportFilters;
  /** Dataset options from the caller (`--option name=value`), checked against `Dataset.options`. */
  options: Readonly<Record<string, string>>;
}

/** What `prepare` reports back: how the numbers were made, for the manifest. */
export interface PreparedDataset {
  context?: ExportContextStamp;
  /** Dataset-specific facts for the manifest (the ruleset used, the simulation seed, ...). */
  parameters?: Record<string, string | number | boolean | null>;
}

/** Facts about how numbers were computed, stamped into the manifest. */
export interface ExportContextStamp {
  metricRegistryVersion?: string | null;
  reportingTimeZone?: string;
  businessHoursCalendar?: string | null;
}

export interface Dataset {
  name: string;
  description: string;
  columns: readonly DatasetColumn[];
  /** `FROM ...` body (tables and joins), without the keyword. */
  from: string;
  /** SQL timestamp the --from/--to filters and the `date` partition use (UTC day). */
  timeColumn?: string;
  /** SQL channel expression for --channel and the `channel` partition; absent when rows have no channel. */
  channelColumn?: string;
  /**
   * The table whose rows the dataset's rows follow (one row per row of it, or a filtered subset),
   * with its alias in `from`: an Arrow export splits it into rowid ranges, disjoint queries it
   * streams concurrently (arrow-writer.ts). Absent for computed datasets, whose temp tables only
   * the export's own connection sees.
   */
  rowSource?: { table: string; alias: string };
  /**
   * Options a computed dataset takes (name -> meaning), e.g. `ruleset` for routing replays;
   * those without a default in `optionDefaults` are required.
   */
  options?: Readonly<Record<string, string>>;
  /** --from/--to choose the period `prepare` computes over (a simulation), instead of filtering rows. */
  periodInPrepare?: boolean;
  /**
   * The longest --from/--to period, in days, a computed dataset takes (its work grows with the
   * days: a KPI table over fifty years would run for minutes); longer asks are refused up front.
   */
  maxPeriodDays?: number;
  optionDefaults?: Readonly<Record<string, string>>;
  /**
   * For datasets that are computed rather than stored (KPI tables, routing replays): fills temp
   * tables named `export_<dataset>...` on the export's connection, which `from` reads. They are
   * dropped when the export ends.
   */
  prepare?: (context: PrepareContext) => Promise<PreparedDataset | void>;
}

/** A column as documented: what `helpdesk export --schema` and the manifest show. */
export interface ColumnDoc {
  name: string;
  type: string;
  meaning: string;
  pii: PiiKind;
}

/**
 * The documented schema of a dataset, generated from its definition.
 *
 * @example
 * describeColumns(getDataset('cases')) // [{ name: 'id', type: 'VARCHAR', meaning: 'case id', pii: 'none' }, ...]
 */
export function describeColumns(dataset: Dataset): ColumnDoc[] {
  return dataset.columns.map((c) => ({
    name: c.name,
    type: c.values ? `VARCHAR (one of ${c.values.join(', ')})` : c.type,
    meaning: c.meaning,
    pii: c.pii ?? 'none',
  }));
}

/**
 * The schema as a Markdown table, for the README and `--schema`.
 *
 * @example
 * schemaMarkdown(getDataset('cases')).split('\n')[0] // '| column | type | meaning | PII |'
 */
export function schemaMarkdown(dataset: Dataset): string {
  const rows = describeColumns(dataset).map((c) => `| ${c.name} | ${c.type} | ${c.meaning.replace(/\|/g, '\\|')} | ${c.pii} |`);
  return ['| column | type | meaning | PII |', '|---|---|---|---|', ...rows].join('\n');
}
