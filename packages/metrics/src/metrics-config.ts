import { readFileSync } from 'node:fs';
import { channels, outcomeDefaults, priorities } from '@helpdesk/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CalendarSpec } from './business-hours.ts';

/**
 * Everything a KPI may be configured by, in one validated object: business-hours calendars and
 * who uses them, SLA policies, loaded costs and thresholds. A config file (YAML or JSON) is parsed
 * with this schema, so a typo becomes a one-line message instead of a silently wrong number.
 */
export const SlaPolicy = z.object({
  id: z.string().min(1),
  /** Empty or missing: applies to every value. */
  channels: z.array(z.enum(channels)).optional(),
  priorities: z.array(z.enum(priorities)).optional(),
  tiers: z.array(z.string()).optional(),
  firstReplySeconds: z.number().positive().optional(),
  resolutionSeconds: z.number().positive().optional(),
  /** Measure the targets on the interaction's business-hours calendar instead of the wall clock. */
  businessHours: z.boolean().default(false),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

const hours = 3600;
/** Default policies by priority; the first policy that matches an interaction applies. */
export const defaultSlaPolicies: SlaPolicy[] = [
  { id: 'urgent', priorities: ['urgent'], firstReplySeconds: 1 * hours, resolutionSeconds: 8 * hours, businessHours: false },
  { id: 'high', priorities: ['high'], firstReplySeconds: 4 * hours, resolutionSeconds: 24 * hours, businessHours: false },
  { id: 'normal', priorities: ['normal'], firstReplySeconds: 8 * hours, resolutionSeconds: 72 * hours, businessHours: false },
  { id: 'low', priorities: ['low'], firstReplySeconds: 24 * hours, resolutionSeconds: 120 * hours, businessHours: false },
];

const perChannel = z.partialRecord(z.enum(channels), z.number().min(0));

export const MetricsConfig = z.object({
  calendars: z.array(CalendarSpec).default([]),
  /** Which calendar a queue or team works by; a queue's calendar wins over its team's. */
  calendarAssignments: z
    .object({
      queues: z.record(z.string(), z.string()).default({}),
      teams: z.record(z.string(), z.string()).default({}),
      default: z.string().optional(),
    })
    .default({ queues: {}, teams: {} }),
  slaPolicies: z.array(SlaPolicy).default(defaultSlaPolicies),
  costs: z
    .object({
      currency: z.string().default('EUR'),
      /** Loaded cost of one agent hour, per channel. */
      agentHour: perChannel.default({ chat: 38, email: 34, phone: 42, social: 36 }),
      /** Agent minutes a contact costs when the source records no handle time (everything but phone). */
      handleMinutes: perChannel.default({ chat: 12, email: 9, social: 7 }),
      /** Cost of one bot conversation. */
      botConversation: z.number().min(0).default(0.6),
    })
    .default({ currency: 'EUR', agentHour: { chat: 38, email: 34, phone: 42, social: 36 }, handleMinutes: { chat: 12, email: 9, social: 7 }, botConversation: 0.6 }),
  // The defaults and the `<` / `<=` edges live in @helpdesk/core's outcome definitions, which the
  // routing simulation applies too.
  /** Calls abandoned strictly sooner than this (`<`) are short abandons, left out of the abandonment rate and service level. */
  shortAbandonSeconds: z.number().min(0).default(outcomeDefaults.shortAbandonSeconds),
  /** Service level: calls answered at or before this many seconds (`<=`). */
  serviceLevelSeconds: z.number().positive().default(outcomeDefaults.serviceLevelSeconds),
  /** Another inbound contact by the same customer at or before this many seconds (`<=`) is a repeat contact. */
  repeatWindowSeconds: z.number().positive().default(outcomeDefaults.repeatWindowSeconds),
  /** Help-center sessions not followed by a contact within this window (`<=`) are self-served. */
  selfServiceWindowSeconds: z.number().positive().default(outcomeDefaults.selfServiceWindowSeconds),
  /** A requested callback completed later than this (`>`) missed its SLA. */
  callbackSlaSeconds: z.number().positive().default(outcomeDefaults.callbackSlaSeconds),
});
export type MetricsConfig = z.infer<typeof MetricsConfig>;
export type MetricsConfigInput = z.input<typeof MetricsConfig>;

/**
 * Parses a config object, with every default filled in.
 *
 * @example
 * metricsConfig({ shortAbandonSeconds: 10 }).serviceLevelSeconds // 20
 */
export function metricsConfig(input: MetricsConfigInput = {}): MetricsConfig {
  const parsed = MetricsConfig.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`metrics config: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const config = parsed.data;
  const ids = new Set(config.calendars.map((c) => c.id));
  const assigned = [...Object.values(config.calendarAssignments.queues), ...Object.values(config.calendarAssignments.teams)];
  if (config.calendarAssignments.default) assigned.push(config.calendarAssignments.default);
  for (const id of assigned) if (!ids.has(id)) throw new Error(`metrics config: calendar "${id}" is assigned but not defined`);
  return config;
}

/**
 * Reads a YAML or JSON config file.
 *
 * @example
 * loadMetricsConfig('config/metrics.yaml')
 */
export function loadMetricsConfig(path: string): MetricsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`metrics config ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  return metricsConfig((raw ?? {}) as MetricsConfigInput);
}
