import { readFileSync } from 'node:fs';
import { channels, eventTypes, identityKinds, interactionStatuses, priorities } from '@helpdesk/core';
import { z } from 'zod';
import { describeZodError } from '../../framework/options.ts';
import { isKnownZone } from './local-time.ts';

const Column = z.string().min(1);
/** A timestamp: one column, or a date column and a time-of-day column joined with a space. */
const TimeSpec = z.union([Column, z.strictObject({ date: Column, time: Column })]);
/** Several specs: the first one that has a value wins (a hung-up call has no service end, so use its queue exit). */
const TimeSpecs = z.union([TimeSpec, z.array(TimeSpec).min(1)]);
const Mapped = <T extends readonly [string, ...string[]]>(values: T) =>
  z.strictObject({ column: Column, map: z.record(z.string(), z.enum(values)), default: z.enum(values).optional() });

/**
 * A mapping file: how the columns of a CSV or JSONL export become interactions (and, for event
 * logs, their events). Validated with zod when it loads, so a typo is a clear message, not a
 * silently empty column. See data/mappings/*.json for two worked examples.
 */
export const Mapping = z.strictObject({
  /** Free text for people reading the file. */
  description: z.string().optional(),
  /** Names the source system: interactions get ids `<source>:<native id>`. */
  source: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
  format: z.enum(['csv', 'jsonl']).default('csv'),
  delimiter: z.string().length(1).default(','),
  /** `contacts`: one row per interaction. `event_log`: one row per event, rows with the same id form one interaction. */
  layout: z.enum(['contacts', 'event_log']).default('contacts'),
  /** The id column, or several whose values together are unique (joined with `/`). */
  id: z.union([Column, z.array(Column).min(1)]),
  /** luxon format of timestamps (`yyyy-MM-dd H:mm:ss`, `dd-MM-yyyy HH:mm`); a date and a time column are joined with one space. */
  timeFormat: z.string().min(1),
  /** IANA zone the file's wall-clock times were written in. */
  timeZone: z.string().default('UTC').refine(isKnownZone, 'not an IANA time zone'),
  /** Values that mean "no value", per column (`"server": ["NO_SERVER"]`); an empty cell is always none. */
  nullValues: z.record(Column, z.array(z.string())).default({}),
  /**
   * Rows to leave out, by value per column (`"outcome": ["PHANTOM"]`, the ghost calls a phone
   * system logs): never written, counted as `excluded` in the run summary and the run log. In an
   * event log an excluded row is one activity left out; a ticket all of whose rows are excluded is
   * left out whole.
   */
  exclude: z.record(Column, z.array(z.string()).min(1)).default({}),
  /** Checked per row; a row that fails is quarantined with the column and the value. */
  types: z.record(Column, z.enum(['integer', 'number', 'text'])).default({}),
  channel: z.union([z.enum(channels), Mapped(channels)]),
  direction: z.union([z.enum(['inbound', 'outbound']), Mapped(['inbound', 'outbound'] as const)]).default('inbound'),
  /** contacts layout: when the contact started (required there; event logs use their first event). */
  created_at: TimeSpecs.optional(),
  first_response_at: TimeSpecs.optional(),
  resolved_at: TimeSpecs.optional(),
  closed_at: TimeSpecs.optional(),
  /** Time-of-day columns earlier than the start belong to the next day (a call that crosses midnight). */
  nextDayIfBeforeStart: z.boolean().default(false),
  status: Mapped(interactionStatuses).optional(),
  priority: Mapped(priorities).optional(),
  /** Abandoned contacts: lost in the queue if this timestamp has a value, else in the IVR. */
  abandonedInQueueIf: TimeSpec.optional(),
  queue: Column.optional(),
  agent: Column.optional(),
  customer: z.strictObject({ column: Column, kind: z.enum(identityKinds) }).optional(),
  queue_wait_seconds: Column.optional(),
  talk_seconds: Column.optional(),
  hold_seconds: Column.optional(),
  wrap_up_seconds: Column.optional(),
  /** Columns whose values become tags `<column>:<value>`. */
  tags: z.array(Column).default([]),
  /** event_log layout: which column names the activity, when it happened, who did it, and what each activity means. */
  events: z
    .strictObject({
      activity: Column,
      at: TimeSpec,
      author: Column.optional(),
      /** Activity name to an event type, and the status the interaction has after it (if it changes). */
      map: z.record(z.string(), z.strictObject({ type: z.enum(eventTypes), status: z.enum(interactionStatuses).optional() })),
      /** For activities the map does not name. */
      default: z.strictObject({ type: z.enum(eventTypes), status: z.enum(interactionStatuses).optional() }).default({ type: 'status_change' }),
    })
    .optional(),
}).superRefine((m, ctx) => {
  if (m.layout === 'contacts' && !m.created_at) ctx.addIssue({ code: 'custom', path: ['created_at'], message: 'required for the contacts layout' });
  if (m.layout === 'event_log' && !m.events) ctx.addIssue({ code: 'custom', path: ['events'], message: 'required for the event_log layout' });
});
export type Mapping = z.infer<typeof Mapping>;

/**
 * Reads and validates a mapping file; every problem is one readable line naming the file.
 *
 * @example
 * const mapping = loadMapping('data/mappings/anonymous-bank-callcenter.json');
 */
export function loadMapping(path: string): Mapping {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`mapping ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message.split('\n')[0]}`);
  }
  const parsed = Mapping.safeParse(raw);
  if (!parsed.success) throw new Error(`mapping ${path}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
