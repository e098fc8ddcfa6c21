import { z } from 'zod';

/** ServiceNow export timestamps: `DD-MM-YYYY HH:MM`, or `?` when the field is empty. */
const snTime = z.string().regex(/^(\d{2}-\d{2}-\d{4} \d{2}:\d{2}|\?)$/, 'expected DD-MM-YYYY HH:MM or ?');
const snRequiredTime = z.string().regex(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/, 'expected DD-MM-YYYY HH:MM');
const count = z.string().regex(/^\d+$/, 'expected a whole number');

/**
 * One row of the ServiceNow incident event log export (the UCI "incident management process
 * enriched event log" columns): the incident as it stood after one update. Loose: other columns pass.
 */
export const ServiceNowEventRow = z.looseObject({
  number: z.string().min(1),
  incident_state: z.string().min(1),
  reopen_count: count,
  reassignment_count: count,
  sys_mod_count: count,
  caller_id: z.string(),
  opened_at: snRequiredTime,
  sys_updated_by: z.string(),
  sys_updated_at: snRequiredTime,
  contact_type: z.string(),
  priority: z.string(),
  assignment_group: z.string(),
  assigned_to: z.string(),
  category: z.string().optional(),
  resolved_at: snTime,
  closed_at: snTime,
  /** Line in the file where the row starts (added by the reader, for readable reasons). */
  _line: z.number().int().optional(),
});
export type ServiceNowEventRow = z.infer<typeof ServiceNowEventRow>;

/** One incident: every event row of its number, in file order (the log's own order). */
export const ServiceNowIncident = z.object({
  number: z.string().min(1),
  rows: z.array(ServiceNowEventRow).min(1),
});
export type ServiceNowIncident = z.infer<typeof ServiceNowIncident>;
