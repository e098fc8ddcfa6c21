import { z } from 'zod';

/**
 * Intercom REST API 2.x records (see fixtures/vendor-api/intercom, API version 2.16): epoch-second
 * times; ids are strings in 2.x but numbers in older data and some endpoints, so both are accepted.
 */
const id = z.union([z.string().min(1), z.number().int().nonnegative()]);
const epoch = z.number().int().nonnegative();

export const IntercomAuthor = z.looseObject({
  type: z.string(),
  id: id.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  /** 2.16: true when Fin (the AI agent) wrote the part, even under an admin-shaped author. */
  from_ai_agent: z.boolean().nullish(),
  is_ai_answer: z.boolean().nullish(),
});
export type IntercomAuthor = z.infer<typeof IntercomAuthor>;

export const IntercomPart = z.looseObject({
  id,
  part_type: z.string(),
  body: z.string().nullish(),
  created_at: epoch,
  author: IntercomAuthor.nullish(),
  assigned_to: z.looseObject({ type: z.string(), id: id.nullish() }).nullish(),
});
export type IntercomPart = z.infer<typeof IntercomPart>;

const nullableEpoch = epoch.nullish();
export const IntercomStatistics = z.looseObject({
  time_to_admin_reply: z.number().nullish(),
  first_contact_reply_at: nullableEpoch,
  first_assignment_at: nullableEpoch,
  first_admin_reply_at: nullableEpoch,
  first_close_at: nullableEpoch,
  last_close_at: nullableEpoch,
  count_reopens: z.number().int().nonnegative().nullish(),
  count_assignments: z.number().int().nonnegative().nullish(),
});

export const IntercomConversation = z.looseObject({
  id,
  created_at: epoch,
  updated_at: epoch,
  source: z.looseObject({
    type: z.string(),
    delivered_as: z.string().nullish(),
    subject: z.string().nullish(),
    body: z.string().nullish(),
    author: IntercomAuthor.nullish(),
  }).nullish(),
  contacts: z.looseObject({ contacts: z.array(z.looseObject({ id, external_id: z.string().nullish() })) }).nullish(),
  admin_assignee_id: id.nullish(),
  team_assignee_id: id.nullish(),
  state: z.enum(['open', 'closed', 'snoozed']),
  title: z.string().nullish(),
  priority: z.string().nullish(),
  tags: z.looseObject({ tags: z.array(z.looseObject({ name: z.string() })) }).nullish(),
  statistics: IntercomStatistics.nullish(),
  conversation_rating: z.looseObject({
    rating: z.number().int().min(1).max(5).nullish(),
    remark: z.string().nullish(),
    created_at: nullableEpoch,
    contact: z.looseObject({ id: id.nullish() }).nullish(),
  }).nullish(),
  ai_agent_participated: z.boolean().nullish(),
  ai_agent: z.looseObject({
    source_type: z.string().nullish(),
    last_answer_type: z.string().nullish(),
    resolution_state: z.string().nullish(),
    rating: z.number().int().min(1).max(5).nullish(),
    rating_remark: z.string().nullish(),
  }).nullish(),
  /** Conversation data attributes; `intent`, `language` and `country` (strings) map to the interaction. */
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  /** Only on a retrieved conversation (lists and search omit parts); Intercom returns at most 500. */
  conversation_parts: z.looseObject({ conversation_parts: z.array(IntercomPart) }).nullish(),
});
export type IntercomConversation = z.infer<typeof IntercomConversation>;

export const IntercomContact = z.looseObject({
  id,
  role: z.string().nullish(),
  external_id: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  name: z.string().nullish(),
  created_at: epoch,
  updated_at: epoch,
});
export type IntercomContact = z.infer<typeof IntercomContact>;

export const IntercomAdmin = z.looseObject({
  id,
  name: z.string().min(1),
  email: z.string().nullish(),
  away_mode_enabled: z.boolean().nullish(),
  has_inbox_seat: z.boolean().nullish(),
  team_ids: z.array(id).nullish(),
});
export type IntercomAdmin = z.infer<typeof IntercomAdmin>;

export const IntercomTeam = z.looseObject({ id, name: z.string().min(1), admin_ids: z.array(id).nullish() });
export type IntercomTeam = z.infer<typeof IntercomTeam>;
