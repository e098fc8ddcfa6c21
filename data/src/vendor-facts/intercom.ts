import { intercomConversation as encodeConversation, type IntercomAuthorFacts, type IntercomPartFacts } from '@helpdesk/ingest/encoders';
import type { Agent } from '../agents-and-queues.ts';
import { nativeIdOf } from '../interaction-ids.ts';
import type { Conversation, EventRow } from '../rows.ts';

/**
 * A demo chat as Intercom's API returns it (`GET /conversations/{id}`, API 2.16): the opening
 * message as `source`, every later message as a `comment` (public) or `note` (private) part, queue
 * entries and transfers as assignments to a team, agent pick-ups as assignments to an admin, the
 * end as a `close` part, CSAT as `conversation_rating`. Fin (the bot) writes under an admin-shaped
 * author with `from_ai_agent`, and the conversation says whether Fin resolved it
 * (`ai_agent.resolution_state`): the Intercom adapter derives bot involvement, hand-off and
 * containment from exactly these fields, as it would for a real workspace.
 *
 * Intent, language and country ride in the conversation's `custom_attributes` (conversation data
 * attributes, as a workspace that tags topics would have them).
 *
 * Ids: the generator's `intercom:admin:<n>` agents are Intercom admin `<n>`, its
 * `intercom:inbox:<name>` queues are Intercom teams `<name>`, its `intercom:contact:<cookie>` records
 * Intercom contacts `<cookie>`; the adapter names them `intercom:agent:<n>`, `intercom:team:<name>`
 * (see `intercomCanonicalId`) and `intercom:contact:<cookie>`, the generator's own name for them.
 */
export function intercomConversation(conversation: Conversation, agents: ReadonlyMap<string, Agent>): Record<string, unknown> {
  const it = conversation.interaction;
  const id = nativeIdOf(it.ref);
  const visitor = it.contact_id?.startsWith('intercom:contact:') ? it.contact_id.slice('intercom:contact:'.length) : it.contact_id;
  const customer: IntercomAuthorFacts = { type: 'user', id: visitor, name: null, email: null };
  const staff = (e: EventRow): IntercomAuthorFacts => {
    const agent = e.author_id === null ? undefined : agents.get(e.author_id);
    return { type: 'admin', id: nativeOf(e.author_id), name: agent?.name ?? null, email: agent?.email ?? null, fromAiAgent: e.author_role === 'bot' };
  };
  const authorOf = (e: EventRow): IntercomAuthorFacts | null => {
    if (e.author_role === 'customer') return customer;
    if (e.author_role === 'bot' || (e.author_role === 'agent' && e.author_id)) return staff(e);
    return null;
  };

  const [first, ...rest] = conversation.events;
  const parts: IntercomPartFacts[] = [];
  const part = (e: EventRow, partType: string, extra: Partial<IntercomPartFacts> = {}) =>
    parts.push({ id: `${id}${String(e.seq).padStart(3, '0')}`, partType, at: e.occurred_at, author: authorOf(e), body: null, assignedTo: null, ...extra });
  let firstAssignment: number | null = null;
  for (const e of rest) {
    switch (e.type) {
      case 'message':
        part(e, e.is_public === false ? 'note' : 'comment', { body: e.body });
        break;
      case 'queue_enter':
      case 'transfer':
        // Entering a team inbox (after the bot, or on arrival) and moving to another one are team assignments.
        part(e, 'assignment', { assignedTo: { type: 'team', id: nativeOf(e.to_value) } });
        firstAssignment ??= e.occurred_at;
        break;
      case 'assignment':
        part(e, 'assignment', { assignedTo: { type: 'admin', id: nativeOf(e.to_value) } });
        firstAssignment ??= e.occurred_at;
        break;
      case 'status_change':
        if (e.to_value === 'closed') part(e, 'close');
        break;
      // bot_handoff is what the adapter derives from the first assignment after the bot spoke;
      // csat travels as conversation_rating; queue_leave and callback_requested have no Intercom part.
      default:
        break;
    }
  }
  const csat = conversation.events.find((e) => e.type === 'csat');
  const closed = it.status === 'closed' || it.status === 'abandoned';
  const resolution = it.bot_state;
  const admin = it.agent_id ? nativeOf(it.agent_id) : null;
  return encodeConversation({
    id, createdAt: it.created_at, updatedAt: it.updated_at,
    source: { id: `${id}000`, deliveredAs: 'customer_initiated', subject: it.subject ?? '', body: first?.body ?? '', author: (first && authorOf(first)) ?? customer },
    contact: { id: visitor, externalId: null }, state: closed ? 'closed' : 'open',
    // The demo's workspace uses two of the priorities (as the legacy priority flag did): high for
    // urgent and high conversations, none for the rest.
    priority: it.priority === 'urgent' || it.priority === 'high' ? 'high' : 'none',
    adminAssigneeId: admin === null ? null : Number(admin), teamAssigneeId: it.queue_id ? nativeOf(it.queue_id) : null,
    tags: it.tags.map((name) => ({ id: name, name })),
    customAttributes: { intent: it.intent, language: it.language, country: it.country },
    statistics: {
      firstContactReplyAt: it.created_at, firstAssignmentAt: firstAssignment, firstAdminReplyAt: it.first_response_at, lastCloseAt: it.closed_at,
      countReopens: it.reopen_count, countAssignments: null,
    },
    teammates: [],
    rating: csat ? { rating: csat.value_num!, remark: csat.body, at: csat.occurred_at, contactId: visitor } : null,
    aiParticipated: it.bot_involved,
    aiAgent: resolution === null ? null : { sourceTitle: 'Assistant', resolutionState: resolution, rating: null },
    parts,
  });
}

/** The vendor's own id inside one of the generator's ids (`intercom:admin:5120037` -> `5120037`). */
function nativeOf(id: string | null): string | null {
  return id === null ? null : id.slice(id.lastIndexOf(':') + 1);
}

/** The id the Intercom adapter gives an agent or queue of the generator (unchanged for anything else). */
export function intercomCanonicalId(id: string): string {
  if (id.startsWith('intercom:admin:')) return `intercom:agent:${id.slice('intercom:admin:'.length)}`;
  if (id.startsWith('intercom:inbox:')) return `intercom:team:${id.slice('intercom:inbox:'.length)}`;
  return id;
}
