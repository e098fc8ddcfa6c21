import type { Channel, EventRecord, IdentityRecord, InteractionRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { emailIdentifier, handleIdentifier, phoneIdentifier } from '../../framework/identifiers.ts';
import { isoFromEpochSeconds, isoFromVendor } from '../../framework/time.ts';
import type { ZendeskGroup, ZendeskIdentity, ZendeskSatisfactionRating, ZendeskTicket, ZendeskTicketEvent, ZendeskUser } from './schemas.ts';

const SOURCE = 'zendesk';
export const ticketId = (id: number) => `zendesk:${id}`;
export const agentId = (id: number) => `zendesk:agent:${id}`;
export const userId = (id: number) => `zendesk:user:${id}`;
export const groupId = (id: number) => `zendesk:group:${id}`;

/** Zendesk via types (string names, and the numeric ids of the Via types reference). */
const viaIds: Record<number, string> = { 0: 'web', 4: 'email', 5: 'api', 29: 'chat', 30: 'twitter', 33: 'voice', 34: 'voice', 35: 'voice', 38: 'facebook', 41: 'facebook', 45: 'voice', 46: 'voice' };

/**
 * `via.channel` to our channel: email and web form to email, chat and messaging to chat, voice to
 * phone, twitter / facebook / instagram to social. API, rules and other machine channels stay email
 * (Support's native medium) since nothing says otherwise.
 *
 * @example
 * channelOfVia('native_messaging') // 'chat'
 */
export function channelOfVia(channel: string | number | null | undefined): Channel {
  const name = typeof channel === 'number' ? (viaIds[channel] ?? 'api') : String(channel ?? '').toLowerCase();
  if (['chat', 'messaging', 'native_messaging', 'sms', 'whatsapp', 'line', 'wechat', 'mobile_sdk'].includes(name)) return 'chat';
  if (['voice', 'phone', 'phone_call_inbound', 'phone_call_outbound', 'voicemail'].includes(name)) return 'phone';
  if (['twitter', 'facebook', 'instagram', 'instagram_dm', 'facebook_message', 'facebook_post', 'twitter_dm'].includes(name)) return 'social';
  return 'email';
}

const statuses: Record<string, InteractionRecord['status']> = { new: 'new', open: 'open', pending: 'pending', hold: 'pending', solved: 'solved', closed: 'closed' };
const priorities = new Set(['low', 'normal', 'high', 'urgent']);

/** A ticket as an interaction. Agent replies, reopens and resolution come from events (see stages). */
export function normalizeTicket(t: ZendeskTicket): CanonicalRows {
  const status = statuses[t.status];
  if (!status) throw new Error(`unknown ticket status "${t.status}"`);
  const score = t.satisfaction_rating?.score;
  const via = t.via?.channel;
  const interaction: InteractionRecord = {
    id: ticketId(t.id), source: SOURCE, native_id: String(t.id), channel: channelOfVia(via),
    direction: via === 'phone_call_outbound' || via === 35 ? 'outbound' : 'inbound',
    contact_id: t.requester_id != null ? userId(t.requester_id) : null, customer_id: null, case_id: null, parent_interaction_id: null,
    queue_id: t.group_id != null ? groupId(t.group_id) : null, team_id: t.group_id != null ? groupId(t.group_id) : null,
    agent_id: t.assignee_id != null ? agentId(t.assignee_id) : null,
    priority: priorities.has(t.priority ?? '') ? (t.priority as InteractionRecord['priority']) : 'normal',
    language: null, country: null, intent: null, tags: t.tags ?? [], subject: t.subject ?? null, status,
    created_at: isoFromVendor(t.created_at), first_response_at: null, resolved_at: null,
    closed_at: status === 'closed' ? isoFromVendor(t.updated_at) : null, updated_at: isoFromVendor(t.updated_at),
    bot_involved: false, bot_handoff_at: null, bot_contained: false, reopen_count: 0,
    csat_score: score === 'good' ? 5 : score === 'bad' ? 1 : null,
    queue_wait_seconds: null, talk_seconds: null, hold_seconds: null, wrap_up_seconds: null, abandon_stage: null, article_id: null,
    // Solved and closed are Zendesk's resolution; answered (an agent replied or was assigned) and the
    // first solve come from the ticket's events (stages): Zendesk can say when nobody took a ticket.
    answered: t.assignee_id != null, abandoned: false, resolved: status === 'solved' || status === 'closed', first_resolved_at: null,
    callback_requested: false, callback_of: null, bot_state: null, escalated: false,
  };
  return { interactions: [interaction] };
}

/** The author id Zendesk gives its own system updates. */
const SYSTEM_USER = -1;

export function ticketEventTime(e: ZendeskTicketEvent): string {
  if (e.created_at) return isoFromVendor(e.created_at);
  if (e.timestamp != null) return isoFromEpochSeconds(e.timestamp);
  return isoFromVendor(e.time!);
}

/**
 * One ticket update (an incremental ticket event with `child_events`, or an audit with `events`)
 * as canonical events: comments become messages (public or private), status changes
 * `status_change` (plus `reopen` when a solved ticket opens again), assignee changes `assignment`,
 * group changes `transfer`. Authors are user ids here; the `zendesk_event_authors` stage marks agents.
 * Updates by user -1 (Zendesk's automations and system closes) are system events with no author.
 */
export function normalizeTicketEvent(e: ZendeskTicketEvent): CanonicalRows {
  const at = ticketEventTime(e);
  const interaction = ticketId(e.ticket_id);
  const parentAuthor = e.author_id ?? e.updater_id ?? null;
  const events: EventRecord[] = [];
  const add = (partial: Partial<EventRecord> & Pick<EventRecord, 'type'>, author: number | null | undefined) => {
    const seq = events.length;
    // User -1 is Zendesk itself (automations, triggers, closing solved tickets): a system event.
    const system = author === SYSTEM_USER;
    events.push({
      id: `${interaction}:${seq}`, interaction_id: interaction, seq, occurred_at: at, author_role: system ? 'system' : null,
      author_id: author != null && !system ? userId(author) : null, is_public: null, body: null, from_value: null, to_value: null, value_num: null,
      ...partial,
    });
  };
  for (const child of e.child_events ?? e.events ?? []) {
    const kind = child.event_type ?? child.type;
    const author = child.author_id ?? parentAuthor;
    if (kind === 'Comment' || kind === 'VoiceComment') {
      add({ type: 'message', is_public: child.public ?? true, body: child.body ?? null }, author);
      continue;
    }
    if (kind !== 'Change' && kind !== 'Create') continue;
    const rec = child as Record<string, unknown>;
    const field = child.field_name ?? ['status', 'assignee_id', 'group_id'].find((k) => k in rec);
    const value = child.field_name ? child.value : field ? rec[field] : undefined;
    const before = child.previous_value;
    const text = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
    if (field === 'status') {
      add({ type: 'status_change', from_value: text(before), to_value: text(value), author_role: 'system' }, author);
      if ((before === 'solved' || before === 'closed') && (value === 'open' || value === 'new' || value === 'pending')) {
        add({ type: 'reopen', from_value: text(before), to_value: text(value), author_role: 'system' }, author);
      }
    } else if (field === 'assignee_id') {
      const agent = (v: unknown) => (text(v) ? `zendesk:agent:${v}` : null);
      add({ type: 'assignment', from_value: agent(before), to_value: agent(value), author_role: 'system' }, author);
    } else if (field === 'group_id' && kind === 'Change') {
      const group = (v: unknown) => (text(v) ? `zendesk:group:${v}` : null);
      add({ type: 'transfer', from_value: group(before), to_value: group(value), author_role: 'system' }, author);
    }
  }
  return events.length ? { events } : {};
}

/** Agents and admins become `agents`; everyone's email, phone and name become `identities`. */
export function normalizeUser(u: ZendeskUser): CanonicalRows {
  const seen = isoFromVendor(u.updated_at ?? u.created_at ?? '1970-01-01T00:00:00Z');
  const first = u.created_at ? isoFromVendor(u.created_at) : seen;
  const rows: CanonicalRows = {};
  if (u.role === 'agent' || u.role === 'admin') {
    rows.agents = [{
      id: agentId(u.id), source: SOURCE, native_id: String(u.id), name: u.name, email: u.email ?? null,
      team_id: u.default_group_id != null ? groupId(u.default_group_id) : null, skills: [], languages: u.locale ? [u.locale.slice(0, 2)] : [],
      channels: [], shift_start_hour: null, shift_end_hour: null, shift_days: null,
      // Zendesk's `time_zone` is a Rails zone name ("Copenhagen"); only `iana_time_zone` is IANA.
      time_zone: u.iana_time_zone ?? 'UTC', max_concurrency: 1, is_bot: false, active: u.active ?? true,
    }];
    return rows;
  }
  const contact = userId(u.id);
  const identities: IdentityRecord[] = [];
  const add = (kind: IdentityRecord['kind'], raw: string | null | undefined, value: string | undefined, verified: boolean) => {
    if (!raw || !value) return;
    identities.push({ id: `${contact}:${kind}:${value}`, contact_id: contact, source: SOURCE, kind, raw_value: raw, value, verified, customer_id: null, first_seen_at: first, last_seen_at: seen });
  };
  add('email', u.email, emailIdentifier(u.email), u.verified ?? false);
  add('phone', u.phone, phoneIdentifier(u.phone), false);
  add('name', u.name, u.name.trim().toLowerCase(), false);
  rows.identities = identities;
  return rows;
}


const identityKinds: Record<string, IdentityRecord['kind']> = { email: 'email', phone_number: 'phone', twitter: 'social_handle', facebook: 'social_handle', google: 'email' };

export function normalizeIdentity(i: ZendeskIdentity): CanonicalRows {
  const kind = identityKinds[i.type];
  if (!kind) return {};
  const contact = userId(i.user_id);
  const handle = kind === 'social_handle' ? handleIdentifier(i.value) : undefined;
  const value = kind === 'email' ? emailIdentifier(i.value) : kind === 'phone' ? phoneIdentifier(i.value) : handle !== undefined ? `${i.type}:${handle}` : undefined;
  // A withheld placeholder is no identifier (nothing to land); an empty one is a broken record.
  if (kind === 'phone' && value === undefined && i.value.trim() !== '') return {};
  if (!value) throw new Error(`identity ${i.id} has an empty value`);
  return {
    identities: [{
      id: `${contact}:${kind}:${value}`, contact_id: contact, source: SOURCE, kind, raw_value: i.value, value, verified: i.verified ?? false,
      customer_id: null, first_seen_at: isoFromVendor(i.created_at), last_seen_at: isoFromVendor(i.updated_at),
    }],
  };
}

/** A group is both a team (people) and the queue tickets are routed to. */
export function normalizeGroup(g: ZendeskGroup): CanonicalRows {
  const id = groupId(g.id);
  return {
    teams: [{ id, name: g.name, time_zone: 'UTC', source: SOURCE }],
    queues: [{ id, name: g.name, channel: 'email', team_id: id, required_skills: [], language: null, source: SOURCE }],
  };
}

/** Good and bad become CSAT 5 and 1 (Zendesk's scale is binary); offered/unoffered carry no score. */
export function normalizeSatisfactionRating(r: ZendeskSatisfactionRating): CanonicalRows {
  const score = r.score === 'good' ? 5 : r.score === 'bad' ? 1 : null;
  if (score === null) return {};
  const interaction = ticketId(r.ticket_id);
  return {
    events: [{
      id: `${interaction}:0`, interaction_id: interaction, seq: 0, occurred_at: isoFromVendor(r.created_at), type: 'csat',
      author_role: 'customer', author_id: r.requester_id != null ? userId(r.requester_id) : null, is_public: null,
      body: r.comment ?? null, from_value: null, to_value: r.score, value_num: score,
    }],
  };
}
