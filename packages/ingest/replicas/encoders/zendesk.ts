/**
 * Zendesk Support payloads, the one place their shape is written (fixtures/vendor-api/zendesk):
 * the replica's world and the demo generator both hand their facts to these functions, so a field
 * added here reaches both. Times come in as epoch milliseconds; Zendesk writes ISO-8601 in whole
 * seconds (`2026-01-01T10:00:00Z`) and the ticket events' `timestamp` in epoch seconds.
 */

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const seconds = (ms: number) => Math.round(ms / 1000);

/** What a ticket of the incremental ticket export says (see `cursor_based_export_incremental_tickets.json`). */
export interface ZendeskTicketFacts {
  /** The account's subdomain (`larkspur` in `larkspur.zendesk.com`). */
  account: string;
  id: number;
  createdAt: number;
  updatedAt: number;
  /** When Zendesk last touched the ticket (system updates too): the export's cursor. Default `updatedAt`. */
  generatedAt?: number;
  subject: string | null;
  description: string;
  status: string;
  priority: string | null;
  type: string | null;
  requesterId: number | null;
  submitterId: number | null;
  assigneeId: number | null;
  groupId: number | null;
  organizationId: number | null;
  tags: string[];
  /** `via.channel`: a via type name (`email`, `web`, `twitter`, ...) or a via id. */
  channel: string | number;
  /** `{id, score, comment}`; score is offered, unoffered, good or bad; null on plans without CSAT. */
  satisfaction: { id: number | null; score: string; comment: string | null } | null;
}

/**
 * A ticket as the incremental ticket export returns it.
 *
 * @example
 * zendeskTicket({ account: 'acme', id: 7, createdAt: 0, updatedAt: 0, subject: 'Hi', description: 'Hi', status: 'new', priority: null,
 *   type: 'question', requesterId: 1, submitterId: 1, assigneeId: null, groupId: null, organizationId: null, tags: [], channel: 'email', satisfaction: null });
 */
export function zendeskTicket(t: ZendeskTicketFacts): Record<string, unknown> {
  return {
    url: `https://${t.account}.zendesk.com/api/v2/tickets/${t.id}`, id: t.id, external_id: null, type: t.type,
    created_at: iso(t.createdAt), updated_at: iso(t.updatedAt), generated_timestamp: seconds(t.generatedAt ?? t.updatedAt),
    subject: t.subject, raw_subject: t.subject, description: t.description, priority: t.priority, status: t.status,
    requester_id: t.requesterId, submitter_id: t.submitterId, assignee_id: t.assigneeId, organization_id: t.organizationId, group_id: t.groupId,
    tags: t.tags, via: { channel: t.channel, source: { from: {}, to: {}, rel: null } },
    satisfaction_rating: t.satisfaction && { id: t.satisfaction.id, score: t.satisfaction.score, comment: t.satisfaction.comment },
    custom_fields: [], from_messaging_channel: false,
  };
}

/** One change inside a ticket update: a comment, or a field set on creation or changed later. */
export type ZendeskChildFacts =
  | { id: number; kind: 'comment'; body: string; public: boolean; authorId: number | null }
  | { id: number; kind: 'create' | 'change'; field: string; previous: unknown; value: unknown };

/** One update of a ticket: who made it, when, and its changes in order. */
export interface ZendeskUpdateFacts {
  id: number;
  ticketId: number;
  at: number;
  updaterId: number | null;
  children: ZendeskChildFacts[];
}

/**
 * A ticket update as the incremental ticket events export returns it (`include=comment_events`;
 * see `incremental_ticket_events_time_based.json`): `via` is the via type as a string there (an
 * audit of `/tickets/{id}/audits` has a `{channel}` object instead), and the changes are
 * `child_events` in the audit-events form (`field_name`, `previous_value`, `value`).
 *
 * @example
 * zendeskTicketEvent({ id: 1, ticketId: 7, at: 0, updaterId: 1, children: [{ id: 10, kind: 'comment', body: 'Hi', public: true, authorId: 1 }] });
 */
export function zendeskTicketEvent(u: ZendeskUpdateFacts): Record<string, unknown> {
  return {
    id: u.id, ticket_id: u.ticketId, timestamp: seconds(u.at), created_at: iso(u.at), updater_id: u.updaterId, via: 'web', via_reference_id: null,
    event_type: 'Audit',
    child_events: u.children.map((c) => c.kind === 'comment'
      ? { id: c.id, via: 'Web form', event_type: 'Comment', body: c.body, html_body: c.body, public: c.public, author_id: c.authorId }
      : { id: c.id, via: 'Web form', event_type: c.kind === 'create' ? 'Create' : 'Change', field_name: c.field, previous_value: c.previous, value: c.value }),
  };
}

/** A CSAT answer as the satisfaction ratings list returns it. */
export interface ZendeskRatingFacts {
  account: string;
  id: number;
  ticketId: number;
  score: string;
  comment: string | null;
  assigneeId: number | null;
  groupId: number | null;
  requesterId: number | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * @example
 * zendeskSatisfactionRating({ account: 'acme', id: 3, ticketId: 7, score: 'good', comment: null, assigneeId: 2, groupId: null, requesterId: 1, createdAt: 0, updatedAt: 0 });
 */
export function zendeskSatisfactionRating(r: ZendeskRatingFacts): Record<string, unknown> {
  return {
    url: `https://${r.account}.zendesk.com/api/v2/satisfaction_ratings/${r.id}`, id: r.id, ticket_id: r.ticketId, score: r.score, comment: r.comment, reason: null,
    assignee_id: r.assigneeId, group_id: r.groupId, requester_id: r.requesterId, created_at: iso(r.createdAt), updated_at: iso(r.updatedAt),
  };
}

/** A user (agent or end user) as the incremental user export returns it. */
export interface ZendeskUserFacts {
  account: string;
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  role: 'end-user' | 'agent' | 'admin';
  verified: boolean;
  locale: string | null;
  /** Zendesk's own zone name (`Berlin`) and the IANA one. */
  timeZone: string | null;
  ianaTimeZone: string | null;
  defaultGroupId: number | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * @example
 * zendeskUser({ account: 'acme', id: 1, name: 'Ann', email: 'ann@example.com', phone: null, role: 'end-user', verified: true, locale: null,
 *   timeZone: null, ianaTimeZone: null, defaultGroupId: null, createdAt: 0, updatedAt: 0 });
 */
export function zendeskUser(u: ZendeskUserFacts): Record<string, unknown> {
  return {
    url: `https://${u.account}.zendesk.com/api/v2/users/${u.id}.json`, id: u.id, name: u.name, email: u.email, phone: u.phone, role: u.role, active: true,
    verified: u.verified, locale: u.locale, time_zone: u.timeZone, iana_time_zone: u.ianaTimeZone, default_group_id: u.defaultGroupId,
    created_at: iso(u.createdAt), updated_at: iso(u.updatedAt),
  };
}

/** A user identity (the `identities` sideload of the user export): an email address or a phone number. */
export interface ZendeskIdentityFacts {
  account: string;
  id: number;
  userId: number;
  type: 'email' | 'phone_number' | 'twitter';
  value: string;
  verified: boolean;
  primary: boolean;
  createdAt: number;
  updatedAt: number;
}

export function zendeskIdentity(i: ZendeskIdentityFacts): Record<string, unknown> {
  return {
    url: `https://${i.account}.zendesk.com/api/v2/users/${i.userId}/identities/${i.id}.json`, id: i.id, user_id: i.userId, type: i.type, value: i.value,
    verified: i.verified, primary: i.primary, created_at: iso(i.createdAt), updated_at: iso(i.updatedAt),
  };
}

/** A group (Zendesk's queue) as the groups list returns it. */
export function zendeskGroup(g: { account: string; id: number; name: string; createdAt: number; updatedAt: number }): Record<string, unknown> {
  return {
    url: `https://${g.account}.zendesk.com/api/v2/groups/${g.id}.json`, id: g.id, name: g.name, is_public: true, created_at: iso(g.createdAt), updated_at: iso(g.updatedAt),
  };
}
