import { z } from 'zod';
import type { Adapter, StreamSpec } from '../../framework/adapter.ts';
import { filePages } from './file-pages.ts';
import { loadMapping, type Mapping } from './mapping.ts';
import { MappedRecord, normalizeMapped, rowId } from './normalize.ts';

/** `mapping` is a path on the command line and the validated mapping after parsing. */
export const CsvOptions = z.object({
  file: z.string({ error: 'name the data file with --file' }).min(1, 'name the data file with --file'),
  // A path from the command line is loaded and validated here, so a bad mapping stops the run before it starts.
  mapping: z.unknown().transform((value, ctx): Mapping => {
    if (typeof value === 'object' && value !== null && 'source' in value) return value as Mapping;
    try {
      if (typeof value !== 'string' || value === '') throw new Error('name the mapping file with --mapping');
      return loadMapping(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
});
export type CsvOptions = { file: string; mapping: Mapping };

const rows: StreamSpec<CsvOptions, MappedRecord> = {
  name: 'rows', cursorFormat: 'file-position', primaryKey: 'id', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: MappedRecord,
  // Files carry no modification time we can trust: any change of a record's rows is an update.
  versionOrder: 'content',
  nativeId: (r) => `${r.source}:${r.id}`,
  version: (r) => JSON.stringify(r.rows.map((x) => x.values)),
  normalize: (r, o) => normalizeMapped(r, o.mapping!),
  read: ({ options, state }) =>
    filePages({
      path: options.file, format: options.mapping.format, delimiter: options.mapping.delimiter, state, pageSize: 5000,
      groupBy: options.mapping.layout === 'event_log' ? (r) => rowId(r.values, options.mapping) : undefined,
      toRecord: (rs) => ({ source: options.mapping.source, id: rowId(rs[0].values, options.mapping), rows: rs.map((r) => ({ line: r.line, values: r.values })) }),
    }),
  recordsOfPage: () => undefined,
};

/**
 * Any CSV or JSONL export (phone systems, tools we have no adapter for) through a mapping file
 * (`mapping.ts`): `helpdesk ingest csv --mapping FILE --file PATH`. Rows that fail the mapping's
 * types or formats are quarantined with the line, column and value.
 *
 * @example
 * await runIngest({ warehouse, adapter: csvAdapter, options: { file: 'calls.csv', mapping: 'data/mappings/anonymous-bank-callcenter.json' } });
 */
export const csvAdapter: Adapter<CsvOptions> = {
  name: 'csv',
  options: CsvOptions as unknown as z.ZodType<CsvOptions>,
  optionMeta: {
    file: { kind: 'path', required: true, flag: 'file', description: 'the CSV or JSONL file' },
    mapping: { kind: 'path', required: true, flag: 'mapping', valueName: 'FILE', description: 'the JSON mapping file (examples in data/mappings)' },
  },
  streams: [rows] as StreamSpec<CsvOptions>[],
};
