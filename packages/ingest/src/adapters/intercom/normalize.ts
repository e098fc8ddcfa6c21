import type { Channel, EventRecord, IdentityRecord, InteractionRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { isoFromEpochSeconds } from '../../framework/time.ts';
import { emailIdentifier, phoneIdentifier } from '../../framework/identifiers.ts';
import type { IntercomAdmin, IntercomAuthor, IntercomContact, IntercomConversation, IntercomPart, IntercomTeam } from './schemas.ts';

const SOURCE = 'intercom';
const at = isoFromEpochSeconds;
export const agentId = (id: string | number) => `intercom:agent:${id}`;
export const teamId = (id: string | number) => `intercom:team:${id}`;
export const contactId = (id: string | number) => `intercom:contact:${id}`;
export const botId = (id: string | number) => `intercom:bot:${id}`;

/** Fin's resolution states that count as contained (the customer left without a human). */
export const AI_RESOLVED = new Set(['assumed_resolution', 'confirmed_resolution']);
/** Fin's resolution states that mean the conversation went to a human. */
export const AI_HANDED_OFF = new Set(['escalated', 'procedure_handoff']);

/** `source.type` to our channel: messenger conversations are chat; social apps are social. */
export function channelOfSource(type: string | null | undefined): Channel {
  switch (type) {
    case 'email': return 'email';
    case 'phone_call': case 'phone_switch': return 'phone';
    case 'facebook': case 'instagram': case 'twitter': case 'whatsapp': return 'social';
    // conversation (the Messenger), sms and push are all live messaging.
    default: return 'chat';
  }
}

/** Intercom 2.16 priorities are none|low|medium|high|urgent; older versions say priority / not_priority. */
export function priorityOf(p: string | null | undefined): InteractionRecord['priority'] {
  if (p === 'urgent') return 'urgent';
  if (p === 'high' || p === 'priority') return 'high';
  if (p === 'low') return 'low';
  return 'normal';
}

/**
 * Who wrote a part. Fin writes as `bot` in older data and workflows, and under an admin-shaped
 * author with `from_ai_agent` / `is_ai_answer` in 2.16: both are the bot, never a human agent.
 *
 * @example
 * authorOf({ type: 'admin', id: '7', from_ai_agent: true })  // { role: 'bot', id: 'intercom:bot:7' }
 */
export function authorOf(a: IntercomAuthor | null | undefined): { role: EventRecord['author_role']; id: string | null } {
  if (!a) return { role: 'system', id: null };
  const native = a.id ?? null;
  if (a.type === 'bot' || a.from_ai_agent || a.is_ai_answer) return { role: 'bot', id: native === null ? null : botId(native) };
  if (a.type === 'admin') return { role: 'agent', id: native === null ? null : agentId(native) };
  if (a.type === 'user' || a.type === 'lead' || a.type === 'contact') return { role: 'customer', id: native === null ? null : contactId(native) };
  if (a.type === 'team') return { role: 'system', id: native === null ? null : teamId(native) };
  return { role: 'system', id: null };
}

const ASSIGNMENT_PARTS = new Set(['assignment', 'default_assignment', 'assign_and_reopen', 'assign_and_unsnooze', 'away_mode_assignment']);
/** Parts that (re)open a conversation: after a close, each is a reopen. */
const OPENING_PARTS = new Set(['open', 'assign_and_reopen', 'unsnoozed', 'timer_unsnooze']);

/** What an assignment part points at: an admin (agent) or a team. */
function assigneeOf(p: IntercomPart): string | null {
  const to = p.assigned_to;
  if (!to || to.id == null) return null;
  if (to.type === 'admin') return agentId(to.id);
  if (to.type === 'team') return teamId(to.id);
  return null;
}

/**
 * A conversation (with its parts, as `GET /conversations/{id}` returns them) as an interaction and
 * its timeline. The opening message (`source`) is the first message. Parts: comments are public
 * messages, notes private ones, assignments `assignment` events, close / snooze / open are status
 * changes, and an open after a close is a `reopen`. Other part types (attribute updates, custom
 * actions, ...) carry no timeline fact we model; they stay in raw landing.
 *
 * Bot side, so containment can be measured: `bot_involved` when Fin took part
 * (`ai_agent_participated`) or any part came from a bot; the hand-off is the first assignment to a
 * human or team, or the first human reply, after the bot spoke (a `bot_handoff` event; when the
 * parts do not show it but Fin says escalated / procedure_handoff, the first assignment time of
 * the statistics). Fin's `ai_agent.resolution_state` is the bot's own state: `bot_state` and the
 * tag `ai_resolution:<state>` (its 1-5 rating the tag `ai_rating:<n>`), never a status event, since
 * it says nothing about whether the conversation is open; `bot_contained` is true for assumed /
 * confirmed resolution, or, without a resolution state, for a bot conversation no human answered.
 *
 * Outcome: answered when an admin replied, was assigned or holds it; resolved while closed;
 * abandoned (stage `chat_queue`) when a visitor who reached a team inbox left before any admin
 * took it, with the wait from the team assignment to the close; queue wait otherwise the time in
 * team inboxes until an admin was assigned; every reopen counted (parts, or
 * `statistics.count_reopens` when it knows more).
 */
export function normalizeConversation(c: IntercomConversation): CanonicalRows {
  const id = `intercom:${c.id}`;
  const stats = c.statistics ?? null;
  const events: Omit<EventRecord, 'id' | 'seq'>[] = [];
  const add = (occurred: number, partial: Partial<EventRecord> & Pick<EventRecord, 'type'>) =>
    events.push({ interaction_id: id, occurred_at: at(occurred), author_role: 'system', author_id: null, is_public: null, body: null, from_value: null, to_value: null, value_num: null, ...partial });

  // Intercom says 0 for "unassigned".
  const admin = c.admin_assignee_id != null && String(c.admin_assignee_id) !== '0' ? agentId(c.admin_assignee_id) : null;
  const team = c.team_assignee_id != null && String(c.team_assignee_id) !== '0' ? teamId(c.team_assignee_id) : null;
  const opener = authorOf(c.source?.author);
  const contact = c.contacts?.contacts[0]?.id ?? null;
  if (c.source) add(c.created_at, { type: 'message', author_role: opener.role, author_id: opener.id, is_public: true, body: c.source.body ?? '' });

  let state = 'open';
  let botSpokeAt: number | null = opener.role === 'bot' ? c.created_at : null;
  let lastBot: string | null = opener.role === 'bot' ? opener.id : null;
  let handoff: { at: number; to: string | null } | null = null;
  let firstHumanReply: number | null = null;
  let humanReplied = false;
  let lastClose: number | null = null;
  let firstClose: number | null = null;
  let reopens = 0;
  let adminTook = false;
  // Time in a team inbox: from each assignment to a team until an admin takes it (or the visitor leaves).
  let inboxSince: number | null = null;
  let inboxWait: number | null = null;
  let enteredInbox = false;
  const parts = [...(c.conversation_parts?.conversation_parts ?? [])].map((p, i) => ({ p, i })).sort((a, b) => a.p.created_at - b.p.created_at || a.i - b.i);
  for (const { p } of parts) {
    const who = authorOf(p.author);
    if (p.part_type === 'comment' || p.part_type === 'note') {
      add(p.created_at, { type: 'message', author_role: who.role, author_id: who.id, is_public: p.part_type === 'comment', body: p.body ?? '' });
      if (who.role === 'agent' && p.part_type === 'comment') {
        humanReplied = true;
        // A part stamped before the conversation began (seen in Intercom's own examples) is no response time.
        if (p.created_at >= c.created_at) firstHumanReply ??= p.created_at;
        if (botSpokeAt !== null && !handoff) handoff = { at: p.created_at, to: who.id };
      }
    } else if (ASSIGNMENT_PARTS.has(p.part_type)) {
      const to = assigneeOf(p);
      add(p.created_at, { type: 'assignment', author_role: who.role, author_id: who.id, to_value: to });
      if (botSpokeAt !== null && !handoff && to !== null && who.role !== 'customer') handoff = { at: p.created_at, to };
      if (p.assigned_to?.type === 'team' && to !== null) {
        enteredInbox = true;
        inboxSince ??= p.created_at;
      } else if (p.assigned_to?.type === 'admin' && to !== null) {
        adminTook = true;
        if (inboxSince !== null) inboxWait = (inboxWait ?? 0) + (p.created_at - inboxSince);
        inboxSince = null;
      }
      if (p.part_type === 'assign_and_reopen' && state === 'closed') {
        reopens++;
        add(p.created_at, { type: 'reopen', author_role: who.role, author_id: who.id, from_value: state, to_value: 'open' });
        state = 'open';
      }
    } else if (p.part_type === 'close') {
      add(p.created_at, { type: 'status_change', author_role: who.role, author_id: who.id, from_value: state, to_value: 'closed' });
      state = 'closed';
      lastClose = p.created_at;
      firstClose ??= p.created_at;
    } else if (p.part_type === 'snoozed') {
      add(p.created_at, { type: 'status_change', author_role: who.role, author_id: who.id, from_value: state, to_value: 'snoozed' });
      state = 'snoozed';
    } else if (OPENING_PARTS.has(p.part_type)) {
      if (state === 'closed') reopens++;
      add(p.created_at, { type: state === 'closed' ? 'reopen' : 'status_change', author_role: who.role, author_id: who.id, from_value: state, to_value: 'open' });
      state = 'open';
    }
    // Any bot part (an attribute update by Fin too) means the bot took part; only parts we keep name the author.
    if (who.role === 'bot') {
      botSpokeAt ??= p.created_at;
      lastBot = who.id;
    }
  }

  const resolution = c.ai_agent?.resolution_state ?? null;
  const botInvolved = botSpokeAt !== null || c.ai_agent_participated === true || resolution !== null;
  // Parts are capped at 500 (and lists omit them): the statistics still know a human answered.
  const statsHumanReply = stats?.first_admin_reply_at ?? null;
  if (statsHumanReply !== null) humanReplied = true;
  const handedOff = resolution !== null ? AI_HANDED_OFF.has(resolution) : botSpokeAt !== null && statsHumanReply !== null && statsHumanReply >= botSpokeAt;
  if (!handoff && botInvolved && handedOff) {
    const when = stats?.first_assignment_at ?? statsHumanReply;
    if (when != null) handoff = { at: when, to: team ?? admin };
  }
  if (handoff) add(handoff.at, { type: 'bot_handoff', author_role: 'bot', author_id: lastBot, to_value: handoff.to });
  const rating = c.conversation_rating?.rating ?? null;
  if (rating !== null) {
    const by = c.conversation_rating?.contact?.id ?? contact;
    add(c.conversation_rating?.created_at ?? c.updated_at, { type: 'csat', author_role: 'customer', author_id: by != null ? contactId(by) : null, value_num: rating, body: c.conversation_rating?.remark ?? null });
  }

  // Stable sort: events at the same second keep their order in the conversation.
  const timeline: EventRecord[] = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.occurred_at < b.e.occurred_at ? -1 : a.e.occurred_at > b.e.occurred_at ? 1 : a.i - b.i))
    .map(({ e }, seq) => ({ ...e, id: `${id}:${seq}`, seq }));

  const contained = resolution !== null ? AI_RESOLVED.has(resolution) : botInvolved && !handoff && !humanReplied;
  const closedAt = c.state === 'closed' ? (stats?.last_close_at ?? lastClose ?? c.updated_at) : null;
  const inbound = c.source?.delivered_as === 'customer_initiated' || opener.role === 'customer';
  const aiRating = c.ai_agent?.rating ?? null;
  const tags = [...(c.tags?.tags ?? []).map((t) => t.name), ...(resolution !== null ? [`ai_resolution:${resolution}`] : []), ...(aiRating !== null ? [`ai_rating:${aiRating}`] : [])];
  // A human took it: an admin replied (parts or statistics), was assigned, or holds it now (0 is "unassigned").
  const answered = humanReplied || adminTook || admin !== null;
  // A visitor who reached a team inbox and left before any admin took it: closed unanswered, and
  // not the bot's own resolution. The wait is the time in the inbox until the close.
  const abandoned = inbound && closedAt !== null && !answered && !(botInvolved && contained) && (enteredInbox || team !== null);
  if (abandoned && inboxSince !== null) inboxWait = (inboxWait ?? 0) + Math.max(0, closedAt - inboxSince);
  // Every reopen Intercom counted, even where the parts (capped at 500) no longer show it.
  const reopenCount = Math.max(reopens, stats?.count_reopens ?? 0);
  const firstResolved = abandoned || closedAt === null && firstClose === null && stats?.first_close_at == null ? null : (stats?.first_close_at ?? firstClose ?? closedAt);
  const interaction: InteractionRecord = {
    id, source: SOURCE, native_id: String(c.id), channel: channelOfSource(c.source?.type), direction: inbound ? 'inbound' : 'outbound',
    contact_id: contact != null ? contactId(contact) : null, customer_id: null, case_id: null, parent_interaction_id: null,
    queue_id: team, team_id: team, agent_id: admin, priority: priorityOf(c.priority),
    language: attribute(c, 'language'), country: attribute(c, 'country'), intent: attribute(c, 'intent'),
    tags, subject: c.source?.subject || c.title || null, status: abandoned ? 'abandoned' : c.state === 'closed' ? 'closed' : c.state === 'snoozed' ? 'pending' : 'open',
    created_at: at(c.created_at),
    // Intercom's statistics know replies beyond the 500-part cap; the parts are the fallback.
    first_response_at: stats?.first_admin_reply_at != null ? at(stats.first_admin_reply_at) : firstHumanReply !== null ? at(firstHumanReply) : null,
    resolved_at: closedAt !== null && !abandoned ? at(closedAt) : null, closed_at: closedAt !== null ? at(closedAt) : null, updated_at: at(c.updated_at),
    bot_involved: botInvolved, bot_handoff_at: handoff ? at(handoff.at) : null, bot_contained: botInvolved && contained,
    reopen_count: reopenCount, csat_score: rating,
    queue_wait_seconds: inboxWait, talk_seconds: null, hold_seconds: null, wrap_up_seconds: null, abandon_stage: abandoned ? 'chat_queue' : null, article_id: null,
    // Intercom's resolution is the close: resolved while closed (a reopened, still open one is not).
    answered, abandoned, resolved: closedAt !== null && !abandoned, first_resolved_at: firstResolved !== null ? at(firstResolved) : null,
    callback_requested: false, callback_of: null, bot_state: resolution, escalated: false,
  };
  return { interactions: [interaction], events: timeline };
}

/**
 * A conversation data attribute that names the topic or the customer's language or country, when
 * the workspace keeps one under that name (`custom_attributes.intent` ...): a non-empty string, else null.
 */
export function attribute(c: IntercomConversation, name: 'intent' | 'language' | 'country'): string | null {
  const value = c.custom_attributes?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** A contact (user or lead): its email, phone, name and external id become identities. */
export function normalizeContact(c: IntercomContact): CanonicalRows {
  const contact = contactId(c.id);
  const identities: IdentityRecord[] = [];
  const add = (kind: IdentityRecord['kind'], raw: string | null | undefined, value: string | undefined) => {
    if (!raw || !value) return;
    identities.push({ id: `${contact}:${kind}:${value}`, contact_id: contact, source: SOURCE, kind, raw_value: raw, value, verified: false, customer_id: null, first_seen_at: at(c.created_at), last_seen_at: at(c.updated_at) });
  };
  add('email', c.email, emailIdentifier(c.email));
  add('phone', c.phone, phoneIdentifier(c.phone));
  add('name', c.name, c.name?.trim().toLowerCase());
  // The customer's id in the workspace's own system: the link identity resolution can join on.
  add('crm_contact', c.external_id, c.external_id?.trim());
  return { identities };
}

/** An admin (teammate) is an agent; Intercom's admins answer chat and email from one inbox. */
export function normalizeAdmin(a: IntercomAdmin): CanonicalRows {
  const firstTeam = a.team_ids?.[0];
  return {
    agents: [{
      id: agentId(a.id), source: SOURCE, native_id: String(a.id), name: a.name, email: a.email ?? null, team_id: firstTeam != null ? teamId(firstTeam) : null,
      skills: [], languages: [], channels: ['chat', 'email'], shift_start_hour: null, shift_end_hour: null, shift_days: null, time_zone: 'UTC',
      max_concurrency: 1, is_bot: false, active: a.has_inbox_seat ?? true,
    }],
  };
}

/** A team is both the people and the inbox conversations are routed to (like a Zendesk group). */
export function normalizeTeam(t: IntercomTeam): CanonicalRows {
  const id = teamId(t.id);
  return {
    teams: [{ id, name: t.name, time_zone: 'UTC', source: SOURCE }],
    queues: [{ id, name: t.name, channel: 'chat', team_id: id, required_skills: [], language: null, source: SOURCE }],
  };
}
