import { z } from 'zod';
import { Channel } from '../records.ts';
import { ExportError } from './export-error.ts';

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 is refused). */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => {
    // zod runs this even when the pattern failed, so an unparsable text must not throw here.
    const day = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(s);
  }, 'is not a calendar date');

/**
 * Export filters, validated before they reach SQL. Days are UTC days; `to` is inclusive.
 * Because DuckDB's COPY cannot bind parameters inside its query, the validated values are
 * written as SQL literals: a day is digits and dashes, a channel one of the enum, so no user
 * text can reach the SQL.
 */
export const ExportFilters = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    channels: z.array(Channel).min(1).optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: '--from must not be after --to' });
export type ExportFilters = z.infer<typeof ExportFilters>;

/**
 * Validates raw filter input, turning zod's issues into one readable line.
 *
 * @example
 * parseExportFilters({ from: '2026-01-01', channels: ['chat'] }) // { from: '2026-01-01', channels: ['chat'] }
 */
export function parseExportFilters(input: unknown): ExportFilters {
  const result = ExportFilters.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ExportError(`bad filter ${issue.path.join('.') || ''}: ${issue.message}`.replace('filter : ', 'filter: '));
  }
  return result.data;
}

/** What filtering reads of a dataset (a structural slice of `Dataset`, which itself names `ExportFilters`). */
export interface FilterableDataset {
  name: string;
  timeColumn?: string;
  channelColumn?: string;
  periodInPrepare?: boolean;
}

/**
 * The WHERE conditions for validated filters on a dataset (empty when there are none).
 *
 * @example
 * exportFilterConditions(getDataset('interactions'), { from: '2026-01-01' })
 * // ["i.created_at >= TIMESTAMPTZ '2026-01-01 00:00:00+00'"]
 */
export function exportFilterConditions(dataset: FilterableDataset, filters: ExportFilters): string[] {
  // Re-validate: callers may hand us an object that never went through parseExportFilters.
  const f = parseExportFilters(filters);
  const conditions: string[] = [];
  if ((f.from || f.to) && !dataset.periodInPrepare) {
    if (!dataset.timeColumn) throw new ExportError(`dataset "${dataset.name}" has no time column; --from/--to do not apply`);
    if (f.from) conditions.push(`${dataset.timeColumn} >= TIMESTAMPTZ '${f.from} 00:00:00+00'`);
    // `to` is an inclusive day: everything before the start of the next UTC day.
    if (f.to) conditions.push(`${dataset.timeColumn} < TIMESTAMPTZ '${f.to} 00:00:00+00' + INTERVAL 1 DAY`);
  }
  if (f.channels) {
    if (!dataset.channelColumn) throw new ExportError(`dataset "${dataset.name}" has no channel; --channel does not apply`);
    conditions.push(`${dataset.channelColumn} IN (${f.channels.map((c) => `'${c}'`).join(', ')})`);
  }
  return conditions;
}
