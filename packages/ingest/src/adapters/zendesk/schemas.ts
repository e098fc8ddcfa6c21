import { z } from 'zod';
import { isTimestamp } from '../../framework/time.ts';

/**
 * Zendesk Support records as we accept them (shapes from Zendesk's OAS and recorded pages):
 * unknown fields pass through, optional ones may be missing or null, wrong types are refused.
 */
const id = z.number().int().nonnegative();
const ts = z.string().refine(isTimestamp, 'expected an ISO-8601 timestamp with an offset');
const optId = id.nullish();
/** An update's author: Zendesk writes automations, triggers and other system changes as user -1. */
const authorId = z.number().int().min(-1).nullish();

export const ZendeskVia = z.looseObject({ channel: z.union([z.string(), z.number()]).nullish(), source: z.unknown().optional() });

export const ZendeskTicket = z.looseObject({
  id,
  created_at: ts,
  updated_at: ts,
  status: z.string(),
  subject: z.string().nullish(),
  priority: z.string().nullish(),
  requester_id: optId,
  assignee_id: optId,
  group_id: optId,
  tags: z.array(z.string()).nullish(),
  via: ZendeskVia.nullish(),
  satisfaction_rating: z.looseObject({ score: z.string().nullish() }).nullish(),
});
export type ZendeskTicket = z.infer<typeof ZendeskTicket>;

const ChildEvent = z.looseObject({
  id: optId,
  event_type: z.string().optional(),
  type: z.string().optional(),
  body: z.string().nullish(),
  public: z.boolean().nullish(),
  author_id: authorId,
  field_name: z.string().nullish(),
  previous_value: z.unknown().optional(),
  value: z.unknown().optional(),
  created_at: ts.nullish(),
});

/** An incremental ticket event (`child_events`) or a ticket audit (`events`): one update of a ticket. */
export const ZendeskTicketEvent = z
  .looseObject({
    id,
    ticket_id: id,
    created_at: ts.nullish(),
    timestamp: z.number().int().nullish(),
    time: ts.nullish(),
    updater_id: authorId,
    author_id: authorId,
    child_events: z.array(ChildEvent).nullish(),
    events: z.array(ChildEvent).nullish(),
  })
  .refine((e) => e.created_at || e.timestamp !== undefined && e.timestamp !== null || e.time, 'ticket event has no created_at, timestamp or time');
export type ZendeskTicketEvent = z.infer<typeof ZendeskTicketEvent>;

export const ZendeskUser = z.looseObject({
  id,
  name: z.string(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  role: z.string().nullish(),
  active: z.boolean().nullish(),
  verified: z.boolean().nullish(),
  iana_time_zone: z.string().nullish(),
  locale: z.string().nullish(),
  default_group_id: optId,
  created_at: ts.nullish(),
  updated_at: ts.nullish(),
});
export type ZendeskUser = z.infer<typeof ZendeskUser>;

export const ZendeskIdentity = z.looseObject({
  id,
  user_id: id,
  type: z.string(),
  value: z.string(),
  verified: z.boolean().nullish(),
  created_at: ts,
  updated_at: ts,
});
export type ZendeskIdentity = z.infer<typeof ZendeskIdentity>;

export const ZendeskGroup = z.looseObject({ id, name: z.string(), created_at: ts.nullish(), updated_at: ts.nullish() });
export type ZendeskGroup = z.infer<typeof ZendeskGroup>;

export const ZendeskSatisfactionRating = z.looseObject({
  id,
  ticket_id: id,
  score: z.string(),
  comment: z.string().nullish(),
  assignee_id: optId,
  requester_id: optId,
  created_at: ts,
  updated_at: ts,
});
export type ZendeskSatisfactionRating = z.infer<typeof ZendeskSatisfactionRating>;

/** Ticket metrics and metric events land raw only: their facts are re-derived from events in SQL. */
export const ZendeskTicketMetric = z.looseObject({ id, ticket_id: id, updated_at: ts.nullish(), created_at: ts.nullish() });
export const ZendeskMetricEvent = z.looseObject({ id, ticket_id: id, metric: z.string(), type: z.string(), time: ts });
