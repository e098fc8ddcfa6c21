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
export function intercomConversation(conversation: Conversation): Record<string, unknown> {
  const it = conversation.interaction;
  const id = nativeIdOf(it.ref);
  const visitor = it.contact_id?.startsWith('intercom:contact:') ? it.contact_id.slice('intercom:contact:'.length) : it.contact_id;
  const customer = { type: 'user', id: visitor };
  const s = (ms: number) => Math.round(ms / 1000);
  const authorOf = (e: EventRow) => {
    if (e.author_role === 'customer') return customer;
    if (e.author_role === 'bot') return { type: 'admin', id: nativeOf(e.author_id), from_ai_agent: true, is_ai_answer: true };
    if (e.author_role === 'agent' && e.author_id) return { type: 'admin', id: nativeOf(e.author_id) };
    return null;
  };

  const [first, ...rest] = conversation.events;
  const parts: Record<string, unknown>[] = [];
  const part = (e: EventRow, partType: string, extra: Record<string, unknown> = {}) =>
    parts.push({ type: 'conversation_part', id: `${id}${String(e.seq).padStart(3, '0')}`, part_type: partType, body: null, created_at: s(e.occurred_at), updated_at: s(e.occurred_at), author: authorOf(e), attachments: [], ...extra });
  let firstAssignment: number | null = null;
  for (const e of rest) {
    switch (e.type) {
      case 'message':
        part(e, e.is_public === false ? 'note' : 'comment', { body: e.body });
        break;
      case 'queue_enter':
      case 'transfer':
        // Entering a team inbox (after the bot, or on arrival) and moving to another one are team assignments.
        part(e, 'assignment', { assigned_to: { type: 'team', id: nativeOf(e.to_value) } });
        firstAssignment ??= s(e.occurred_at);
        break;
      case 'assignment':
        part(e, 'assignment', { assigned_to: { type: 'admin', id: nativeOf(e.to_value) } });
        firstAssignment ??= s(e.occurred_at);
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
  return {
    type: 'conversation', id, created_at: s(it.created_at), updated_at: s(it.updated_at), waiting_since: null, snoozed_until: null,
    source: {
      type: 'conversation', id: `${id}000`, delivered_as: 'customer_initiated', subject: it.subject ?? '', body: first?.body ?? '',
      author: first ? authorOf(first) : customer, attachments: [], url: null, redacted: false,
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: visitor, external_id: null }] },
    open: !closed, state: closed ? 'closed' : 'open', read: true, priority: it.priority === 'urgent' || it.priority === 'high' ? 'priority' : 'not_priority',
    admin_assignee_id: it.agent_id ? nativeOf(it.agent_id) : null, team_assignee_id: it.queue_id ? nativeOf(it.queue_id) : null,
    tags: { type: 'tag.list', tags: it.tags.map((name) => ({ type: 'tag', id: name, name })) },
    custom_attributes: { intent: it.intent, language: it.language, country: it.country },
    statistics: {
      type: 'conversation_statistics', first_contact_reply_at: s(it.created_at),
      first_assignment_at: firstAssignment, first_admin_reply_at: it.first_response_at !== null ? s(it.first_response_at) : null,
      last_close_at: it.closed_at !== null ? s(it.closed_at) : null, count_reopens: it.reopen_count, count_assignments: null,
    },
    conversation_rating: csat ? { rating: csat.value_num, remark: csat.body, created_at: s(csat.occurred_at), contact: { type: 'contact', id: visitor } } : null,
    ai_agent_participated: it.bot_involved,
    ai_agent: resolution === null ? null : { source_type: 'workflow', source_title: 'Assistant', last_answer_type: 'ai_answer', resolution_state: resolution, rating: null, rating_remark: null },
    conversation_parts: { type: 'conversation_part.list', conversation_parts: parts, total_count: parts.length },
  };
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
