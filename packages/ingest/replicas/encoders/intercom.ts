/**
 * Intercom API 2.16 conversation payloads, the one place their shape is written
 * (fixtures/vendor-api/intercom: `oas-examples/retrieveconversation__conversation_found__200.json`
 * and `schema-property-examples.json`): the replica's workspace and the demo generator both hand
 * their facts to these functions. Times come in as epoch milliseconds; Intercom writes epoch seconds.
 */

const seconds = (ms: number) => Math.round(ms / 1000);
const secondsOrNull = (ms: number | null) => (ms === null ? null : seconds(ms));

/** Who wrote a part: a contact (`user` or `lead`), a teammate (`admin`), the legacy Operator (`bot`), or Fin (an admin with `fromAiAgent`). */
export interface IntercomAuthorFacts {
  type: 'user' | 'lead' | 'admin' | 'bot';
  id: string | null;
  name: string | null;
  email: string | null;
  /** Fin's answers: `from_ai_agent` and `is_ai_answer` set. */
  fromAiAgent?: boolean;
}

function author(a: IntercomAuthorFacts): Record<string, unknown> {
  return { type: a.type, id: a.id, name: a.name, email: a.email, ...(a.fromAiAgent ? { from_ai_agent: true, is_ai_answer: true } : {}) };
}

export interface IntercomPartFacts {
  id: string;
  /** `comment`, `note`, `assignment`, `close`, `open`, `snoozed`, `conversation_attribute_updated_by_admin`, ... */
  partType: string;
  at: number;
  author: IntercomAuthorFacts | null;
  body: string | null;
  assignedTo: { type: 'team' | 'admin'; id: string | null } | null;
  eventDetails?: Record<string, unknown>;
}

/** One part of a conversation (`conversation_parts.conversation_parts[]`). */
export function intercomPart(p: IntercomPartFacts): Record<string, unknown> {
  return {
    type: 'conversation_part', id: p.id, part_type: p.partType, body: p.body, created_at: seconds(p.at), updated_at: seconds(p.at), notified_at: seconds(p.at),
    assigned_to: p.assignedTo, author: p.author && author(p.author), attachments: [], external_id: null, redacted: false,
    ...(p.eventDetails ? { event_details: p.eventDetails } : {}),
  };
}

export interface IntercomConversationFacts {
  id: string;
  createdAt: number;
  updatedAt: number;
  /** The opening message. */
  source: { id: string; deliveredAs: string; subject: string; body: string; author: IntercomAuthorFacts };
  contact: { id: string | null; externalId: string | null };
  state: 'open' | 'closed' | 'snoozed';
  /** 2.16 priorities: none, low, medium, high, urgent. */
  priority: 'none' | 'low' | 'medium' | 'high' | 'urgent';
  adminAssigneeId: number | null;
  teamAssigneeId: string | null;
  tags: { id: string; name: string }[];
  customAttributes: Record<string, string | null>;
  statistics: {
    firstContactReplyAt: number;
    firstAssignmentAt: number | null;
    firstAdminReplyAt: number | null;
    lastCloseAt: number | null;
    countReopens: number;
    countAssignments: number | null;
  };
  /** Teammates who replied (admin ids). */
  teammates: string[];
  rating: { rating: number; remark: string | null; at: number; contactId: string | null } | null;
  /** Whether Fin took part (`ai_agent_participated`). */
  aiParticipated: boolean;
  /** Fin's outcome, or null. */
  aiAgent: { sourceTitle: string; resolutionState: string | null; rating: number | null } | null;
  parts: IntercomPartFacts[];
}

/**
 * A conversation as `GET /conversations/{id}` returns it (search results carry the same object).
 *
 * @example
 * intercomConversation({ id: '503', createdAt: 0, updatedAt: 0, source: { id: '4', deliveredAs: 'customer_initiated', subject: '', body: '<p>Hi</p>',
 *   author: { type: 'user', id: 'c1', name: null, email: null } }, contact: { id: 'c1', externalId: null }, state: 'open', priority: 'none',
 *   adminAssigneeId: null, teamAssigneeId: null, tags: [], customAttributes: {}, statistics: { firstContactReplyAt: 0, firstAssignmentAt: null,
 *   firstAdminReplyAt: null, lastCloseAt: null, countReopens: 0, countAssignments: 0 }, teammates: [], rating: null, aiParticipated: false, aiAgent: null, parts: [] });
 */
export function intercomConversation(c: IntercomConversationFacts): Record<string, unknown> {
  const created = seconds(c.createdAt);
  const stats = c.statistics;
  const since = (ms: number | null) => (ms === null ? null : seconds(ms) - created);
  return {
    type: 'conversation', id: c.id, created_at: created, updated_at: seconds(c.updatedAt), waiting_since: null, snoozed_until: null,
    source: {
      type: 'conversation', id: c.source.id, delivered_as: c.source.deliveredAs, subject: c.source.subject, body: c.source.body, author: author(c.source.author),
      attachments: [], url: null, redacted: false,
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: c.contact.id, external_id: c.contact.externalId }] },
    first_contact_reply: { created_at: seconds(stats.firstContactReplyAt), type: 'conversation', url: null },
    admin_assignee_id: c.adminAssigneeId, team_assignee_id: c.teamAssigneeId,
    open: c.state !== 'closed', state: c.state, read: true, tags: { type: 'tag.list', tags: c.tags.map((t) => ({ type: 'tag', id: t.id, name: t.name })) },
    priority: c.priority, sla_applied: null,
    statistics: {
      type: 'conversation_statistics', time_to_assignment: since(stats.firstAssignmentAt), time_to_admin_reply: since(stats.firstAdminReplyAt),
      first_contact_reply_at: seconds(stats.firstContactReplyAt), first_assignment_at: secondsOrNull(stats.firstAssignmentAt),
      first_admin_reply_at: secondsOrNull(stats.firstAdminReplyAt), first_close_at: null, last_close_at: secondsOrNull(stats.lastCloseAt),
      count_reopens: stats.countReopens, count_assignments: stats.countAssignments, count_conversation_parts: c.parts.length,
    },
    conversation_rating: c.rating && {
      rating: c.rating.rating, remark: c.rating.remark, created_at: seconds(c.rating.at), contact: { type: 'contact', id: c.rating.contactId }, teammate: null,
    },
    teammates: { type: 'admin.list', admins: c.teammates.map((id) => ({ type: 'admin', id })) }, title: null, custom_attributes: c.customAttributes, topics: {}, ticket: null,
    ai_agent: c.aiAgent && {
      source_type: 'workflow', source_title: c.aiAgent.sourceTitle, last_answer_type: 'ai_answer', resolution_state: c.aiAgent.resolutionState,
      rating: c.aiAgent.rating, rating_remark: null,
    },
    ai_agent_participated: c.aiParticipated,
    conversation_parts: { type: 'conversation_part.list', conversation_parts: c.parts.map(intercomPart), total_count: c.parts.length },
  };
}
