import {
  zendeskSatisfactionRating as encodeRating, zendeskTicket as encodeTicket, zendeskTicketEvent, zendeskUser as encodeUser, type ZendeskChildFacts,
} from '@helpdesk/ingest/encoders';
import { nativeIdOf } from '../interaction-ids.ts';
import type { Conversation, EventRow, IdentityRow } from '../rows.ts';

/** Zendesk group ids of the demo's email and social queues (groups are Zendesk's queues). */
const groups: Record<string, number> = {
  'zendesk:group:email-de': 360_001_101, 'zendesk:group:email-en': 360_001_102, 'zendesk:group:email-fr': 360_001_103,
  'zendesk:group:billing': 360_001_104, 'zendesk:group:tech': 360_001_105, 'zendesk:group:premium': 360_001_106,
  'zendesk:group:social': 360_001_107,
};

/**
 * Events of a ticket that Zendesk's ticket events, audits and satisfaction ratings carry: the
 * adapter rebuilds these (and the `reopen` that follows a solved -> open change) from them.
 */
export const zendeskEventTypes = new Set(['message', 'status_change', 'assignment', 'transfer', 'reopen', 'csat']);
/** Identifier kinds of a Zendesk user that the user record carries (and the adapter maps). */
export const zendeskMappedKinds = new Set(['email', 'phone', 'name']);

/** The demo's Zendesk account (`larkspur.zendesk.com`). */
const account = 'larkspur';
const native = (id: string | null) => (id === null ? null : Number(id.slice(id.lastIndexOf(':') + 1)));
const group = (queue: string | null) => (queue === null ? null : groups[queue] ?? null);
/** Zendesk's CSAT is good or bad: 4 and 5 are good. */
const score = (csat: number) => (csat >= 4 ? 'good' : 'bad');

/**
 * A demo email or social ticket as Zendesk's incremental ticket export returns it. The requester
 * is the customer's Zendesk user (see `requesterOf` for social tickets); the group is the queue
 * it ended in.
 */
export function zendeskTicket(conversation: Conversation): Record<string, unknown> {
  const it = conversation.interaction;
  const id = Number(nativeIdOf(it.ref));
  const csat = conversation.events.find((e) => e.type === 'csat');
  return encodeTicket({
    account, id, createdAt: it.created_at, updatedAt: it.updated_at, subject: it.subject, description: conversation.events[0]?.body ?? '',
    priority: it.priority, status: it.status, type: 'question', requesterId: requesterOf(it.contact_id), submitterId: requesterOf(it.contact_id),
    assigneeId: native(it.agent_id), groupId: group(it.queue_id), organizationId: null, tags: it.tags,
    channel: it.channel === 'social' ? 'twitter' : it.direction === 'outbound' ? 'web' : 'email',
    satisfaction: it.csat_score === null
      ? { id: null, score: 'unoffered', comment: null }
      : { id: csat ? id * 10 + 1 : null, score: score(it.csat_score), comment: csat?.body ?? null },
  });
}

/**
 * The requester's Zendesk user id. A social ticket's requester is the Zendesk user behind the
 * Twitter account; the demo keeps that account as its own contact record (`twitter:handle:...`),
 * so the user gets a stable id from the handle (FNV-1a) and no user record of its own.
 */
function requesterOf(contact: string | null): number | null {
  if (contact?.startsWith('zendesk:user:')) return Number(contact.slice('zendesk:user:'.length));
  if (!contact) return null;
  let h = 0x811c9dc5;
  for (let i = 0; i < contact.length; i++) h = Math.imul(h ^ contact.charCodeAt(i), 0x01000193) >>> 0;
  return 370_000_000_000 + h;
}

/**
 * The ticket's updates as incremental ticket events (`include=comment_events`): one per
 * generator event that Zendesk records, with the comment or the field change as its child event.
 * Customer comments are by the requester; the ticket's creation carries the first comment.
 */
export function zendeskTicketEvents(conversation: Conversation): Record<string, unknown>[] {
  const it = conversation.interaction;
  const ticket = Number(nativeIdOf(it.ref));
  const requester = requesterOf(it.contact_id);
  const author = (e: EventRow) => (e.author_role === 'customer' ? requester : e.author_role === 'agent' ? native(e.author_id) : null);
  const out: Record<string, unknown>[] = [];
  let status = 'new';
  for (const e of conversation.events) {
    const id = ticket * 100 + e.seq;
    let child: ZendeskChildFacts | null = null;
    if (e.type === 'message') child = { id: id * 10, kind: 'comment', body: e.body ?? '', public: e.is_public !== false, authorId: author(e) };
    else if (e.type === 'status_change' && e.to_value) {
      child = { id: id * 10, kind: 'change', field: 'status', previous: e.from_value ?? status, value: e.to_value };
      status = e.to_value;
    } else if (e.type === 'assignment') child = { id: id * 10, kind: 'change', field: 'assignee_id', previous: null, value: String(native(e.to_value)) };
    else if (e.type === 'transfer') child = { id: id * 10, kind: 'change', field: 'group_id', previous: String(group(e.from_value)), value: String(group(e.to_value)) };
    if (!child) continue;
    out.push(zendeskTicketEvent({ id, ticketId: ticket, at: e.occurred_at, updaterId: author(e), children: [child] }));
  }
  return out;
}

/** The ticket's CSAT answer as a satisfaction rating (good or bad), or null when none was given. */
export function zendeskSatisfactionRating(conversation: Conversation): Record<string, unknown> | null {
  const it = conversation.interaction;
  const csat = conversation.events.find((e) => e.type === 'csat');
  if (!csat || it.csat_score === null) return null;
  const ticket = Number(nativeIdOf(it.ref));
  return encodeRating({
    account, id: ticket * 10 + 1, ticketId: ticket, score: score(it.csat_score), comment: csat.body,
    assigneeId: native(it.agent_id), groupId: group(it.queue_id), requesterId: requesterOf(it.contact_id), createdAt: csat.occurred_at, updatedAt: csat.occurred_at,
  });
}

/**
 * A customer's Zendesk user as the incremental user export returns it: the address they wrote
 * from, the name they signed with, a phone when they gave one; created when first seen.
 */
export function zendeskUser(contactId: string, identities: IdentityRow[]): Record<string, unknown> {
  const raw = (kind: string) => identities.find((i) => i.kind === kind)?.raw_value ?? null;
  const emailRow = identities.find((i) => i.kind === 'email');
  const first = Math.min(...identities.map((i) => i.first_seen_at));
  const last = Math.max(...identities.map((i) => i.last_seen_at));
  return encodeUser({
    account, id: Number(contactId.slice('zendesk:user:'.length)), name: raw('name') ?? raw('email') ?? 'Unknown', email: raw('email'), phone: raw('phone'),
    role: 'end-user', verified: emailRow?.verified ?? false, locale: null, timeZone: null, ianaTimeZone: null, defaultGroupId: null, createdAt: first, updatedAt: last,
  });
}

/** The id the Zendesk adapter gives a queue of the generator (unchanged for anything else). */
export function zendeskCanonicalId(id: string): string {
  return id in groups ? `zendesk:group:${groups[id]}` : id;
}
