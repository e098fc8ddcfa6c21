import { z } from 'zod';

/**
 * zod schemas for every canonical record: the boundary check that adapters, the demo generator
 * and tests run before a row reaches the warehouse. Times are ISO-8601 strings in UTC.
 */
export const channels = ['chat', 'email', 'phone', 'social', 'help_center'] as const;
export const Channel = z.enum(channels);
export type Channel = z.infer<typeof Channel>;

export const interactionStatuses = ['new', 'open', 'pending', 'solved', 'closed', 'abandoned'] as const;
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const identityKinds = [
  'email', 'phone', 'chat_visitor', 'social_handle', 'crm_contact', 'account', 'order', 'name', 'dob', 'city', 'postcode',
] as const;
export const eventTypes = [
  'message', 'assignment', 'transfer', 'status_change', 'hold_start', 'hold_end', 'queue_enter', 'queue_leave',
  'callback_requested', 'callback_completed', 'bot_handoff', 'csat', 'reopen', 'article_view', 'call_answered',
  'call_ended', 'ivr_enter', 'ivr_leave', 'wrap_up_end',
] as const;
export const authorRoles = ['customer', 'agent', 'bot', 'system'] as const;

const timestamp = z.iso.datetime({ offset: true });
const optionalTimestamp = timestamp.nullable();

export const TeamRecord = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  time_zone: z.string().default('UTC'),
  source: z.string().min(1),
});

export const AgentRecord = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  native_id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().nullable(),
  team_id: z.string().nullable(),
  skills: z.array(z.string()),
  languages: z.array(z.string()),
  channels: z.array(Channel),
  shift_start_hour: z.number().int().min(0).max(24).nullable(),
  shift_end_hour: z.number().int().min(0).max(24).nullable(),
  shift_days: z.array(z.number().int().min(0).max(6)).nullable(),
  time_zone: z.string(),
  max_concurrency: z.number().int().positive(),
  is_bot: z.boolean(),
  active: z.boolean(),
});

export const QueueRecord = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  channel: Channel,
  team_id: z.string().nullable(),
  required_skills: z.array(z.string()),
  language: z.string().nullable(),
  source: z.string().min(1),
});

export const CustomerRecord = z.object({
  id: z.string().min(1),
  display_name: z.string().nullable(),
  primary_email: z.string().nullable(),
  primary_phone: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

export const CustomerAttributeRecord = z.object({
  customer_id: z.string().nullable(),
  contact_id: z.string().min(1),
  attribute: z.string().min(1),
  value: z.string().nullable(),
  valid_from: timestamp,
  valid_to: optionalTimestamp,
  source: z.string().min(1),
});

export const IdentityRecord = z.object({
  id: z.string().min(1),
  contact_id: z.string().min(1),
  source: z.string().min(1),
  kind: z.enum(identityKinds),
  raw_value: z.string(),
  value: z.string().min(1),
  verified: z.boolean(),
  customer_id: z.string().nullable(),
  first_seen_at: timestamp,
  last_seen_at: timestamp,
});

export const CaseRecord = z.object({
  id: z.string().min(1),
  customer_id: z.string().nullable(),
  intent: z.string().nullable(),
  opened_at: timestamp,
  closed_at: optionalTimestamp,
  status: z.enum(['open', 'closed']),
  link_reason: z.string().min(1),
});

export const InteractionRecord = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  native_id: z.string().min(1),
  channel: Channel,
  direction: z.enum(['inbound', 'outbound']),
  contact_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  case_id: z.string().nullable(),
  parent_interaction_id: z.string().nullable(),
  queue_id: z.string().nullable(),
  team_id: z.string().nullable(),
  agent_id: z.string().nullable(),
  priority: z.enum(priorities),
  language: z.string().nullable(),
  country: z.string().nullable(),
  intent: z.string().nullable(),
  tags: z.array(z.string()),
  subject: z.string().nullable(),
  status: z.enum(interactionStatuses),
  created_at: timestamp,
  first_response_at: optionalTimestamp,
  resolved_at: optionalTimestamp,
  closed_at: optionalTimestamp,
  updated_at: timestamp,
  bot_involved: z.boolean(),
  bot_handoff_at: optionalTimestamp,
  bot_contained: z.boolean(),
  reopen_count: z.number().int().min(0),
  csat_score: z.number().int().min(1).max(5).nullable(),
  queue_wait_seconds: z.number().min(0).nullable(),
  talk_seconds: z.number().min(0).nullable(),
  hold_seconds: z.number().min(0).nullable(),
  wrap_up_seconds: z.number().min(0).nullable(),
  abandon_stage: z.enum(['ivr', 'queue', 'hold', 'chat_queue']).nullable(),
  article_id: z.string().nullable(),
  /** A human agent took the contact; NULL when the source cannot say. */
  answered: z.boolean().nullable(),
  /** The customer left before an agent took it (`abandon_stage` says where). */
  abandoned: z.boolean(),
  /** Resolved now, by the source's own notion; NULL when the source has none (calls: metrics decide). */
  resolved: z.boolean().nullable(),
  first_resolved_at: optionalTimestamp,
  callback_requested: z.boolean(),
  /** On the interaction that completes a callback: the id of the interaction it calls back. */
  callback_of: z.string().nullable(),
  /** The bot / AI agent's own final state, as the source names it. */
  bot_state: z.string().nullable(),
  escalated: z.boolean(),
});

export const EventRecord = z.object({
  id: z.string().min(1),
  interaction_id: z.string().min(1),
  seq: z.number().int().min(0),
  occurred_at: timestamp,
  type: z.enum(eventTypes),
  author_role: z.enum(authorRoles).nullable(),
  author_id: z.string().nullable(),
  is_public: z.boolean().nullable(),
  body: z.string().nullable(),
  from_value: z.string().nullable(),
  to_value: z.string().nullable(),
  value_num: z.number().nullable(),
});

export const RoutingDecisionRecord = z.object({
  id: z.string().min(1),
  interaction_id: z.string().min(1),
  seq: z.number().int().min(0),
  decided_at: timestamp,
  queue_id: z.string().nullable(),
  agent_id: z.string().nullable(),
  rule: z.string().nullable(),
  reason: z.string().nullable(),
  source: z.string().min(1),
});

export type TeamRecord = z.infer<typeof TeamRecord>;
export type AgentRecord = z.infer<typeof AgentRecord>;
export type QueueRecord = z.infer<typeof QueueRecord>;
export type CustomerRecord = z.infer<typeof CustomerRecord>;
export type CustomerAttributeRecord = z.infer<typeof CustomerAttributeRecord>;
export type IdentityRecord = z.infer<typeof IdentityRecord>;
export type CaseRecord = z.infer<typeof CaseRecord>;
export type InteractionRecord = z.infer<typeof InteractionRecord>;
export type EventRecord = z.infer<typeof EventRecord>;
export type RoutingDecisionRecord = z.infer<typeof RoutingDecisionRecord>;

/** The canonical table each record schema validates rows for, in load order. */
export const canonicalRecordSchemas = {
  teams: TeamRecord,
  agents: AgentRecord,
  queues: QueueRecord,
  customers: CustomerRecord,
  customer_attributes: CustomerAttributeRecord,
  identities: IdentityRecord,
  cases: CaseRecord,
  interactions: InteractionRecord,
  events: EventRecord,
  routing_decisions: RoutingDecisionRecord,
} as const;
export type CanonicalTable = keyof typeof canonicalRecordSchemas;
