import { z } from 'zod';
import { channels } from '@helpdesk/core';
import { getDataset, registerBuiltinDatasets, type Dataset } from '@helpdesk/core/export';
import { dimensions, grains } from '@helpdesk/metrics';
import { apiDatasets } from './tokens.ts';

/**
 * The zod schemas of /api/v1: the handlers parse queries with them and openapi.ts turns the same
 * objects into the OpenAPI description, so the document cannot drift from what is enforced.
 */

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day YYYY-MM-DD');
const list = (what: string) => z.string().describe(`comma-separated ${what}`);

export const ErrorBody = z.object({ message: z.string().describe('one line saying what is wrong') }).meta({ id: 'Error' });

export const MetricsQuery = z
  .object({
    from: Day.optional().describe('first local day of the range (default: 30 days before `to`)'),
    to: Day.optional().describe('last local day, inclusive (default: the day of the latest interaction)'),
    channel: list(`channels: ${channels.join(', ')}`).optional(),
    by: list(`groupings: ${[...grains, ...dimensions].join(', ')}`).optional(),
    kpi: list('KPI ids (see `helpdesk metrics --list`); default all').optional(),
    business_hours: z.enum(['true', 'false']).optional().describe('durations in business time'),
    tz: z.string().optional().describe('reporting time zone (IANA), default UTC'),
    stat: z.enum(['median', 'mean', 'p90']).optional().describe('main value of a duration KPI'),
    as_of: z.string().optional().describe('the instant the backlog is taken at'),
  })
  .strict();

export const Scorecard = z
  .object({
    registryVersion: z.string(),
    filters: z.object({
      from: Day, to: Day, tz: z.string(), channels: z.array(z.enum(channels)).nullable(), by: z.array(z.string()), kpis: z.array(z.string()),
      businessHours: z.boolean(), stat: z.enum(['median', 'mean', 'p90']), asOf: z.string().nullable(),
    }),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))).describe('one row per group: the group keys, then each KPI (rates 0..1, durations in seconds)'),
    source: z.enum(['rollup', 'facts', 'mixed']).describe('the daily rollup (filters and groupings among its dimensions, UTC days), the per-interaction facts, or mixed: the rollup for the KPIs it holds and the facts for the others'),
    sourceReason: z.string().describe('why that source'),
    kpiSources: z.record(z.string(), z.enum(['rollup', 'facts'])).describe('where each KPI computed over interactions came from'),
    sketched: z.array(z.string()).describe('duration KPIs whose median or p90 came from the rollup sketch: within 1 % (relative) of the exact value'),
  })
  .meta({ id: 'Scorecard', description: 'exactly what `helpdesk metrics --json` prints for the same filters' });

export const piiModes = ['redact', 'hash', 'include'] as const;

export const InteractionsQuery = z
  .object({
    from: Day.optional().describe('first UTC day (created_at)'),
    to: Day.optional().describe('last UTC day, inclusive'),
    channel: list('channels').optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('rows per page, 1 to 1000 (default 100)'),
    cursor: z.string().max(500).optional().describe('`next_cursor` of the previous page'),
    pii: z.enum(piiModes).default('redact').describe('as exports: redact (default), hash (HMAC with the server key) or include (needs export.pii)'),
  })
  .strict();

const columnTypes: Record<string, z.ZodType> = {
  VARCHAR: z.string(), BOOLEAN: z.boolean(), INTEGER: z.number().int(), BIGINT: z.number().int(), DOUBLE: z.number(),
  TIMESTAMPTZ: z.string().describe('ISO-8601 instant, UTC'), 'VARCHAR[]': z.array(z.string()), DATE: z.string(),
};

/** One conversation as the interactions dataset of the exports defines it (its columns, meanings and PII). */
export function interactionRowSchema(dataset: Dataset = interactionsDataset()) {
  const shape: Record<string, z.ZodType> = {};
  for (const c of dataset.columns) shape[c.name] = (columnTypes[c.type] ?? z.unknown()).nullable().describe(c.meaning);
  return z.object(shape).meta({ id: 'Interaction', description: dataset.description });
}

export function interactionsDataset(): Dataset {
  registerBuiltinDatasets();
  return getDataset('interactions');
}

export const interactionsPage = () =>
  z
    .object({
      rows: z.array(interactionRowSchema()),
      next_cursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
      pii: z.enum(piiModes),
    })
    .meta({ id: 'InteractionsPage' });

export const CustomerParams = z.object({ id: z.string().min(1).max(300).describe('a customer id, or an email or phone number of one of its identities') });

export const Customer = z
  .object({
    customer: z.record(z.string(), z.unknown()).describe('the customer record'),
    identities: z.array(z.object({ contact_id: z.string(), source: z.string(), kind: z.string(), raw_value: z.string(), value: z.string(), verified: z.boolean() })),
    reasons: z.array(z.object({ contact_id: z.string(), reasons: z.array(z.string()) })).describe('why each contact record belongs to this customer'),
    hubs: z.array(z.object({ kind: z.string(), value: z.string(), names: z.number(), note: z.string() })),
    cases: z.array(z.record(z.string(), z.unknown())),
    interactions: z.array(z.record(z.string(), z.unknown())).describe('in time order'),
  })
  .meta({ id: 'Customer', description: 'what `helpdesk customer <id> --json` prints' });

export const ExportParams = z.object({ dataset: z.string().describe('a dataset of `helpdesk export --list`') });
export const ExportQuery = z
  .object({
    format: z.enum(['arrows', 'arrow', 'parquet', 'csv']).optional().describe('default arrows (Arrow IPC stream)'),
    from: Day.optional(), to: Day.optional(), channel: list('channels').optional(),
    pii: z.enum(piiModes).optional().describe('redact (default), hash or include (needs export.pii)'),
    tz: z.string().optional(),
  });

export const TokenDatasets = z.array(z.enum(apiDatasets));

/** Turns zod's first issue into one line for a 400. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}
