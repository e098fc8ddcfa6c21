import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import {
  EXPORT_MEMORY_LIMIT,
  datasetOptions, describeColumns, ExportError, parseExportFilters, exportDataset, exportFormats, exportTargetName, getDataset, listDatasets, partitionKeys, piiModes,
  schemaMarkdown, type Dataset, type ExportFormat, type PartitionKey, type PiiMode,
} from '@helpdesk/core/export';
import { registerExportDatasets } from '../../lib/server/export-datasets.ts';
import type { Command } from '../command.ts';
import { CliError, UsageError, displayPath, resolveUserPath } from '../context.ts';
import { progressBar } from '../progress.ts';

/** The environment variable holding the hash key: a key on the command line would land in shell history. */
const KEY_ENV = 'HELPDESK_EXPORT_KEY';

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}${value === undefined ? '' : `, got "${String(value)}"`}`);
  }
  return value as T;
}

/** `--option name=value` pairs (repeatable) as an object; a pair without `=` is a usage error. */
function optionPairs(values: unknown): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const pair of (Array.isArray(values) ? values : []) as string[]) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--option takes name=value, got "${pair}"`);
    pairs[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return pairs;
}

/** A dataset's options as one help line each, for --schema. */
function optionsText(dataset: Dataset): string {
  const entries = Object.entries(dataset.options ?? {});
  if (!entries.length) return '';
  const lines = entries.map(([name, meaning]) => {
    const fallback = dataset.optionDefaults?.[name];
    return `  --option ${name}=...  ${meaning}${fallback === undefined ? ' (required)' : fallback === '' ? '' : ` (default ${fallback})`}`;
  });
  return `\n\nOptions:\n${lines.join('\n')}`;
}

const list = (value: unknown) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a dataset as Parquet, Arrow IPC or CSV with a manifest, PII redacted or hashed',
  usage:
    'helpdesk export <dataset> --format parquet|arrow|arrow-stream|csv --out DIR [--partition date,channel] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--channel chat,email] [--pii redact|hash|include] [--csv-exact] [--option name=value ...] [--force] [--json]\n       helpdesk export --list | helpdesk export <dataset> --schema',
  allowPositionals: true,
  options: {
    format: { type: 'string', description: 'parquet (zstd), arrow (IPC file), arrow-stream (IPC stream) or csv', valueName: 'format' },
    out: { type: 'string', description: 'folder for <dataset>.<ext> and its .manifest.json (created if missing)', valueName: 'dir' },
    partition: { type: 'string', description: 'Hive partitions for parquet/csv: date, channel or date,channel (UTC days)', valueName: 'keys' },
    from: { type: 'string', description: 'first UTC day to include', valueName: 'YYYY-MM-DD' },
    to: { type: 'string', description: 'last UTC day to include', valueName: 'YYYY-MM-DD' },
    channel: { type: 'string', description: 'only these channels (comma-separated)', valueName: 'list' },
    pii: { type: 'string', description: `redact (default), hash (HMAC-SHA256, key from $${KEY_ENV}) or include`, valueName: 'mode' },
    'csv-exact': { type: 'boolean', description: "csv: write text cells as stored (by default a cell starting with = + - @ tab or CR gets a leading ' so spreadsheets never run it)" },
    option: { type: 'string', multiple: true, description: 'dataset option, e.g. ruleset=data/rulesets/demo.yaml for routing_replay (see --schema)', valueName: 'name=value' },
    force: { type: 'boolean', description: 'replace an earlier export of the dataset in --out' },
    list: { type: 'boolean', description: 'list the datasets' },
    schema: { type: 'boolean', description: "print the dataset's documented schema" },
  },
  async run(ctx, values, positionals) {
    registerExportDatasets();
    if (values.list) {
      const datasets = listDatasets().map((d) => ({ name: d.name, description: d.description, columns: d.columns.length, options: d.options ?? {} }));
      if (ctx.json) ctx.emit(datasets);
      else for (const d of datasets) ctx.say(`${d.name.padEnd(20)} ${d.description}`);
      return 0;
    }
    const [name, ...extra] = positionals;
    if (!name) throw new UsageError('name a dataset (see `helpdesk export --list`)');
    if (extra.length) throw new UsageError(`one dataset at a time, got ${positionals.join(' ')}`);
    let dataset;
    try {
      dataset = getDataset(name);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.schema) {
      if (ctx.json) ctx.emit({ dataset: dataset.name, description: dataset.description, columns: describeColumns(dataset), options: dataset.options ?? {}, optionDefaults: dataset.optionDefaults ?? {} });
      else ctx.say(`${dataset.name}: ${dataset.description}\n\n${schemaMarkdown(dataset)}${optionsText(dataset)}`);
      return 0;
    }
    const format = oneOf<ExportFormat>('format', values.format, exportFormats);
    if (typeof values.out !== 'string') throw new UsageError('--out <dir> is required');
    const pii = oneOf<PiiMode>('pii', values.pii, piiModes, 'redact');
    if (values['csv-exact'] === true && format !== 'csv') throw new UsageError('--csv-exact applies to csv (Parquet and Arrow are always exact)');
    const partitionBy = (list(values.partition) ?? []).map((k) => oneOf<PartitionKey>('partition', k, partitionKeys));
    if (partitionBy.length && (format === 'arrow' || format === 'arrow-stream')) throw new UsageError('--partition applies to parquet and csv; Arrow IPC is one file');
    const key = ctx.io.env[KEY_ENV] || undefined;
    const outDir = resolveUserPath(ctx.io, values.out);
    const filters = { from: values.from, to: values.to, channels: list(values.channel) };
    let options: Record<string, string>;
    try {
      // Bad days, channels or options are usage errors: caught before the warehouse is opened.
      parseExportFilters(Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)));
      options = datasetOptions(dataset, optionPairs(values.option));
    } catch (error) {
      if (error instanceof ExportError) throw new UsageError(error.message);
      throw error;
    }

    const wh = await Warehouse.open(ctx.db, { readOnly: true, memoryLimit: EXPORT_MEMORY_LIMIT });
    const progress = progressBar(ctx.io, `export ${dataset.name}`, !ctx.json);
    const started = performance.now();
    try {
      const manifest = await exportDataset(wh, {
        dataset: dataset.name, format, outDir, pii, key, partitionBy, overwrite: values.force === true, datasetOptions: options,
        csvValues: values['csv-exact'] === true ? 'exact' : 'guard',
        filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
        onProgress: ctx.json || !ctx.io.stderr.isTTY ? undefined : (done, total) => progress.update(done, total),
      });
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      const target = join(outDir, exportTargetName(dataset.name, format));
      const manifestPath = `${target}.manifest.json`;
      if (ctx.json) {
        ctx.emit({ manifestPath, seconds, ...manifest });
      } else {
        const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
        ctx.say(`Wrote ${manifest.rowCount.toLocaleString('en')} rows of ${dataset.name} as ${format} to ${displayPath(ctx, target)}`);
        ctx.say(`  ${manifest.files.length} file(s), ${(bytes / 2 ** 20).toFixed(1)} MiB, in ${seconds.toFixed(1)} s`);
        const touched = Object.entries(manifest.pii.columns).map(([c, t]) => `${c} ${t}`).join(', ');
        ctx.say(`  PII: ${pii}${touched ? ` (${touched})` : ''}${manifest.pii.ephemeralKey && pii === 'hash' ? `; no $${KEY_ENV}, so hashes join only within this export` : ''}`);
        ctx.say(`  manifest: ${displayPath(ctx, manifestPath)}`);
      }
      return 0;
    } catch (error) {
      if (error instanceof ExportError) throw new CliError(error.message);
      throw error;
    } finally {
      progress.stop(); // idempotent: also clears the bar when the export failed
      wh.close();
    }
  },
};
