import { z } from 'zod';
import type { Adapter, StreamSpec } from '../../framework/adapter.ts';
import { filePages } from '../csv/file-pages.ts';
import { isKnownZone } from '../csv/local-time.ts';
import { normalizeIncident } from './normalize.ts';
import { ServiceNowIncident } from './schemas.ts';

export const ServiceNowOptions = z.object({
  file: z.string({ error: 'name the export with --file' }).min(1, 'name the export with --file'),
  timeZone: z.string().default('UTC').refine(isKnownZone, 'not an IANA time zone'),
});
export type ServiceNowOptions = z.infer<typeof ServiceNowOptions>;

const incidents: StreamSpec<ServiceNowOptions, ServiceNowIncident> = {
  name: 'incidents', cursorFormat: 'file-position', primaryKey: 'number', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: ServiceNowIncident,
  // An export has no reliable modification order across files: any change of an incident's rows is an update.
  versionOrder: 'content',
  nativeId: (i) => i.number,
  version: (i) => `${i.rows.length}:${i.rows[i.rows.length - 1].sys_mod_count}:${i.rows[i.rows.length - 1].sys_updated_at}:${i.rows[i.rows.length - 1].incident_state}`,
  normalize: (i, o) => normalizeIncident(i, o.timeZone ?? 'UTC'),
  read: ({ options, state }) =>
    filePages({
      path: options.file, format: 'csv', state, pageSize: 200,
      groupBy: (r) => r.values.number ?? '',
      toRecord: (rows, number) => ({ number, rows: rows.map((r) => ({ ...r.values, _line: r.line })) }),
    }),
  recordsOfPage: () => undefined,
};

/**
 * ITSM event logs in the ServiceNow incident export format (one row per update of an incident):
 * one interaction per incident, its timeline from the state changes. A file source: `--file PATH`.
 *
 * @example
 * await runIngest({ warehouse, adapter: servicenowAdapter, options: { file: 'incident_event_log.csv' } });
 */
export const servicenowAdapter: Adapter<ServiceNowOptions> = {
  name: 'servicenow',
  options: ServiceNowOptions as unknown as z.ZodType<ServiceNowOptions>,
  optionMeta: {
    file: { kind: 'path', required: true, flag: 'file', description: 'the incident event log export (CSV)' },
    timeZone: { kind: 'text', flag: 'time-zone', valueName: 'ZONE', description: 'IANA zone of the export\'s wall-clock times (default UTC)' },
  },
  streams: [incidents] as StreamSpec<ServiceNowOptions>[],
};
