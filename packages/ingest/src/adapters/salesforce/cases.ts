import { channels, type AgentRecord, type Channel, type EventRecord, type InteractionRecord, type QueueRecord, type TeamRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { isoFromVendor } from '../../framework/time.ts';
import { contactIdOf } from './normalize.ts';
import type {
  SalesforceCase, SalesforceCaseComment, SalesforceCaseHistory, SalesforceChatTranscript, SalesforceEmailMessage, SalesforceGroup, SalesforceUser,
} from './schemas.ts';

const SOURCE = 'salesforce';
export const caseIdOf = (id: string) => `salesforce:case:${id}`;
export const chatIdOf = (id: string) => `salesforce:chat:${id}`;
export const agentIdOf = (id: string) => `salesforce:agent:${id}`;
export const queueIdOf = (id: string) => `salesforce:queue:${id}`;

/** Key prefixes of Salesforce ids: `005` is a User, `00G` a Group (a queue when it owns a case). */
const isUserId = (id: string | null | undefined): id is string => typeof id === 'string' && id.startsWith('005');
const isGroupId = (id: string | null | undefined): id is string => typeof id === 'string' && id.startsWith('00G');
/** An owner id as our id: an agent or a queue; anything else (a partner, a bot) is not an owner we model. */
export const ownerOf = (id: string | null | undefined): string | null => (isUserId(id) ? agentIdOf(id) : isGroupId(id) ? queueIdOf(id) : null);

/**
 * Case Origin to channel. Origin is an org-editable picklist: these are Salesforce's default
 * values plus the usual social ones; the `channelMap` option adds or overrides entries.
 */
export const defaultChannelMap: Readonly<Record<string, Channel>> = {
  Email: 'email', Web: 'email', Phone: 'phone', Chat: 'chat', Social: 'social',
  Facebook: 'social', Twitter: 'social', Messaging: 'chat', 'Help Center': 'help_center',
};

/** The options the case normalizers read (all optional: recorded pages may be read without any). */
export interface CaseOptions {
  /** `Origin=channel` pairs (`"Web=chat,Community=help_center"`) or an object; merged over the defaults. */
  channelMap?: string | Record<string, string>;
  /** Status values that close a case (`IsClosed`), comma-separated; default `Closed`. */
  closedStatuses?: string | string[];
  /** Case custom field holding the contact reason (the interaction's intent). */
  caseIntentField?: string;
  /** Case custom field holding the customer tier at the time of the case (a `tier:` tag). */
  caseTierField?: string;
}

/** The channel map in force: the defaults, then the configured pairs; an unknown channel name is an error. */
export function channelMapOf(option: CaseOptions['channelMap']): Record<string, Channel> {
  const map: Record<string, Channel> = { ...defaultChannelMap };
  const pairs = typeof option === 'string'
    ? option.split(',').map((p) => p.split('=').map((x) => x.trim())).filter((p) => p[0])
    : Object.entries(option ?? {});
  for (const [origin, channel] of pairs) {
    if (!(channels as readonly string[]).includes(channel)) throw new Error(`channelMap: "${origin}=${channel}" names no channel (${channels.join(', ')})`);
    map[origin] = channel as Channel;
  }
  return map;
}

export function closedStatusesOf(option: CaseOptions['closedStatuses']): Set<string> {
  const list = Array.isArray(option) ? option : (option ?? 'Closed').split(',');
  return new Set(list.map((s) => s.trim()).filter(Boolean));
}

/** Salesforce's default priorities are High, Medium and Low; orgs often add Critical or Urgent. */
function priorityOf(p: string | null | undefined): InteractionRecord['priority'] {
  const v = (p ?? '').toLowerCase();
  if (v === 'low') return 'low';
  if (v === 'high') return 'high';
  if (v === 'critical' || v === 'urgent') return 'urgent';
  return 'normal';
}

/** A status name as our status: closed statuses are a resolution (`solved`, which can reopen), `New` is new. */
function statusOf(status: string | null | undefined, closed: boolean): InteractionRecord['status'] {
  if (closed) return 'solved';
  const v = (status ?? '').toLowerCase();
  if (v === 'new') return 'new';
  if (/wait|pending|hold/.test(v)) return 'pending';
  return 'open';
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

const baseInteraction = (id: string, nativeId: string, channel: Channel, created: string, updated: string): InteractionRecord => ({
  id, source: SOURCE, native_id: nativeId, channel, direction: 'inbound', contact_id: null, customer_id: null, case_id: null,
  parent_interaction_id: null, queue_id: null, team_id: null, agent_id: null, priority: 'normal', language: null, country: null,
  intent: null, tags: [], subject: null, status: 'open', created_at: created, first_response_at: null, resolved_at: null,
  closed_at: null, updated_at: updated, bot_involved: false, bot_handoff_at: null, bot_contained: false, reopen_count: 0,
  csat_score: null, queue_wait_seconds: null, talk_seconds: null, hold_seconds: null, wrap_up_seconds: null, abandon_stage: null,
  article_id: null, answered: null, abandoned: false, resolved: null, first_resolved_at: null, callback_requested: false,
  callback_of: null, bot_state: null, escalated: false,
});

/**
 * A Case as one interaction: channel from Origin, current status (a closed case is resolved at
 * `ClosedDate`), priority, owner as agent or queue, contact, the parent case as the explicit link
 * to an earlier case, and the configured intent and tier fields. What only the case's history,
 * emails and comments know (reopens, first response, the queue an agent took it from) is set by
 * the adapter's stages. A case Salesforce reports deleted (`IsDeleted`, read through queryAll)
 * leaves the warehouse.
 */
export function normalizeCase(c: SalesforceCase, options: CaseOptions): CanonicalRows {
  const id = caseIdOf(c.Id);
  if (c.IsDeleted) return { deleted_interactions: [{ id }] };
  const map = channelMapOf(options.channelMap);
  const origin = text(c.Origin);
  const closed = c.IsClosed ?? closedStatusesOf(options.closedStatuses).has(c.Status ?? '');
  const updated = isoFromVendor(c.SystemModstamp);
  const created = c.CreatedDate ? isoFromVendor(c.CreatedDate) : updated;
  const interaction = baseInteraction(id, c.Id, origin && map[origin] ? map[origin] : 'email', created, updated);
  const owner = ownerOf(c.OwnerId);
  const closedAt = closed && c.ClosedDate ? isoFromVendor(c.ClosedDate) : null;
  const record = c as Record<string, unknown>;
  const tier = options.caseTierField ? text(record[options.caseTierField]) : null;
  const tags = [
    ...(origin ? [`origin:${origin}`] : []),
    ...(origin && !map[origin] ? ['origin_unmapped'] : []),
    ...(c.Type ? [`type:${c.Type}`] : []),
    ...(c.IsEscalated ? ['escalated'] : []),
    ...(tier ? [`tier:${tier}`] : []),
  ];
  Object.assign(interaction, {
    contact_id: c.ContactId ? contactIdOf(c.ContactId) : null,
    parent_interaction_id: c.ParentId ? caseIdOf(c.ParentId) : null,
    queue_id: owner?.startsWith('salesforce:queue:') ? owner : null,
    team_id: owner?.startsWith('salesforce:queue:') ? owner : null,
    agent_id: owner?.startsWith('salesforce:agent:') ? owner : null,
    priority: priorityOf(c.Priority),
    intent: options.caseIntentField ? text(record[options.caseIntentField]) : null,
    tags, subject: text(c.Subject), status: statusOf(c.Status, closed), resolved_at: closedAt, closed_at: closedAt,
    // Outcomes as the row states them now; the history refines them (salesforce_case_outcomes):
    // answered by any agent who owned or answered it, the first close, a past escalation.
    answered: owner?.startsWith('salesforce:agent:') ? true : null, resolved: closed, first_resolved_at: closedAt, escalated: c.IsEscalated === true,
  } satisfies Partial<InteractionRecord>);
  return { interactions: [interaction] };
}

function event(interaction: string, at: string, partial: Partial<EventRecord> & Pick<EventRecord, 'type'>): EventRecord {
  return {
    id: `${interaction}:0`, interaction_id: interaction, seq: 0, occurred_at: at, author_role: null, author_id: null, is_public: null,
    body: null, from_value: null, to_value: null, value_num: null, ...partial,
  };
}

const truthy = (v: unknown) => v === true || v === 'true';

/**
 * A CaseHistory row as events of its case: a Status change is a `status_change` in our statuses
 * (and a `reopen` when a closed status opens again); an Owner change (the row with ids) an
 * `assignment` from the old owner to the new one, agent or queue; escalation (`IsEscalated` set,
 * or Salesforce's `ownerEscalated`) a `transfer` to `escalated`. Other fields, and the name rows of
 * lookups, stay in raw landing only.
 */
export function normalizeCaseHistory(h: SalesforceCaseHistory, options: CaseOptions): CanonicalRows {
  if (h.IsDeleted) return {};
  const interaction = caseIdOf(h.CaseId);
  const at = isoFromVendor(h.CreatedDate);
  const author = h.CreatedById ? agentIdOf(h.CreatedById) : null;
  const closed = closedStatusesOf(options.closedStatuses);
  const oldValue = text(h.OldValue);
  const newValue = text(h.NewValue);
  const events: EventRecord[] = [];
  if (h.Field === 'Status') {
    const was = oldValue === null ? null : statusOf(oldValue, closed.has(oldValue));
    const now = statusOf(newValue, newValue !== null && closed.has(newValue));
    events.push(event(interaction, at, { type: 'status_change', author_role: 'agent', author_id: author, from_value: was, to_value: now, body: `${oldValue ?? ''} -> ${newValue ?? ''}` }));
    if (was === 'solved' && now !== 'solved') events.push(event(interaction, at, { type: 'reopen', author_role: 'agent', author_id: author, from_value: oldValue, to_value: newValue }));
  } else if (h.Field === 'Owner' && (ownerOf(newValue) || ownerOf(oldValue))) {
    // To a queue from another owner: a transfer (as a Zendesk group change is); to an agent: an assignment.
    const to = ownerOf(newValue);
    const type = to?.startsWith('salesforce:queue:') && ownerOf(oldValue) ? 'transfer' : 'assignment';
    events.push(event(interaction, at, { type, author_role: 'agent', author_id: author, from_value: ownerOf(oldValue), to_value: to }));
  } else if ((h.Field === 'IsEscalated' && truthy(h.NewValue)) || h.Field === 'ownerEscalated') {
    events.push(event(interaction, at, { type: 'transfer', author_role: 'agent', author_id: author, to_value: 'escalated', body: h.Field }));
  }
  return { events };
}

/**
 * An EmailMessage as a message of its case: incoming ones from the customer, outgoing ones from
 * the org (the sending user as agent), all public, at `MessageDate`, with the text body for QA.
 * Drafts (Status 5) were not sent and give nothing; a deleted email takes its message away.
 */
export function normalizeEmailMessage(m: SalesforceEmailMessage): CanonicalRows {
  if (!m.ParentId) return {};
  const interaction = caseIdOf(m.ParentId);
  const at = isoFromVendor(m.MessageDate ?? m.CreatedDate ?? m.SystemModstamp);
  const author = m.Incoming ? null : m.CreatedById ? agentIdOf(m.CreatedById) : null;
  if (m.IsDeleted) return { deleted_events: [{ interaction_id: interaction, occurred_at: at, author_id: author }] };
  if (String(m.Status ?? '') === '5') return {};
  return {
    events: [event(interaction, at, {
      type: 'message', author_role: m.Incoming ? 'customer' : 'agent', author_id: author, is_public: true,
      body: text(m.TextBody) ?? text(m.Subject), from_value: text(m.FromAddress), to_value: text(m.ToAddress),
    })],
  };
}

/**
 * A CaseComment as a message of its case, public when published. The author is a user id; the
 * `salesforce_comment_authors` stage makes it an agent when that user is one of the org's agents,
 * else a customer (a portal user).
 */
export function normalizeCaseComment(c: SalesforceCaseComment): CanonicalRows {
  const interaction = caseIdOf(c.ParentId);
  const at = isoFromVendor(c.CreatedDate ?? c.SystemModstamp);
  const author = c.CreatedById ? agentIdOf(c.CreatedById) : null;
  if (c.IsDeleted) return { deleted_events: [{ interaction_id: interaction, occurred_at: at, author_id: author }] };
  return { events: [event(interaction, at, { type: 'message', author_id: author, is_public: c.IsPublished, body: text(c.CommentBody) })] };
}

/**
 * A chat transcript. With a case, its events join the case: the request (`queue_enter`, the
 * customer's first message), the agent's acceptance (`assignment`, its `value_num` the wait in
 * seconds) and the transcript text as the agent's message at acceptance; a missed chat leaves the
 * queue unanswered. Without a case it is its own chat interaction: answered at `StartTime`,
 * abandoned in the chat queue when missed, resolved at `EndTime` otherwise.
 */
export function normalizeChatTranscript(t: SalesforceChatTranscript): CanonicalRows {
  const own = !t.CaseId;
  const interaction = own ? chatIdOf(t.Id) : caseIdOf(t.CaseId!);
  if (t.IsDeleted) return own ? { deleted_interactions: [{ id: interaction }] } : {};
  const updated = isoFromVendor(t.SystemModstamp);
  const requested = t.RequestTime ? isoFromVendor(t.RequestTime) : t.CreatedDate ? isoFromVendor(t.CreatedDate) : updated;
  const started = t.StartTime ? isoFromVendor(t.StartTime) : null;
  const ended = t.EndTime ? isoFromVendor(t.EndTime) : null;
  const agent = isUserId(t.OwnerId) && started ? agentIdOf(t.OwnerId) : null;
  const missed = !started;
  const wait = t.WaitTime ?? (missed ? t.Abandoned ?? null : null);
  const customer = t.ContactId ? contactIdOf(t.ContactId) : `salesforce:chat-visitor:${t.Id}`;
  const events: EventRecord[] = [
    event(interaction, requested, { type: 'queue_enter', author_role: 'system', author_id: `salesforce:chat:${t.Id}`, body: 'chat requested' }),
    event(interaction, requested, { type: 'message', author_role: 'customer', author_id: customer, is_public: true }),
  ];
  if (started) {
    events.push(event(interaction, started, { type: 'assignment', author_role: 'system', author_id: `salesforce:chat:${t.Id}`, to_value: agent, value_num: wait, body: 'chat' }));
    events.push(event(interaction, started, { type: 'message', author_role: 'agent', author_id: agent, is_public: true, body: text(t.Body) }));
  } else if (t.Abandoned != null) {
    const left = new Date(Date.parse(requested) + t.Abandoned * 1000).toISOString();
    events.push(event(interaction, left, { type: 'queue_leave', author_role: 'customer', author_id: customer, body: 'missed', value_num: t.Abandoned }));
  }
  if (!own) return { events };
  const chat = baseInteraction(interaction, t.Id, 'chat', requested, updated);
  Object.assign(chat, {
    contact_id: t.ContactId ? contactIdOf(t.ContactId) : null, agent_id: agent, first_response_at: started, queue_wait_seconds: wait,
    status: missed ? 'abandoned' : ended ? 'solved' : 'open', abandon_stage: missed ? 'chat_queue' : null,
    resolved_at: !missed && ended ? ended : null, closed_at: ended, talk_seconds: t.ChatDuration ?? null, tags: t.Status ? [`chat_status:${t.Status}`] : [],
    answered: !missed, abandoned: missed, resolved: !missed && ended !== null, first_resolved_at: !missed && ended ? ended : null,
  } satisfies Partial<InteractionRecord>);
  return { interactions: [chat], events };
}

/** A Standard user is an agent of the org; other user types (portal, community, automated) are not. */
export function normalizeUser(u: SalesforceUser): CanonicalRows {
  if (u.UserType && u.UserType !== 'Standard') return {};
  const agent: AgentRecord = {
    id: agentIdOf(u.Id), source: SOURCE, native_id: u.Id, name: text(u.Name) ?? u.Id, email: text(u.Email)?.toLowerCase() ?? null, team_id: null,
    skills: [], languages: [], channels: [], shift_start_hour: null, shift_end_hour: null, shift_days: null, time_zone: 'UTC',
    max_concurrency: 1, is_bot: false, active: u.IsActive ?? true,
  };
  return { agents: [agent] };
}

/**
 * A queue (a Group of Type Queue) is both a queue and the team that works it, as a Zendesk group
 * is. Salesforce queues hold several object types; cases arrive on every channel, so the queue's
 * channel is email (the channel a case falls back to). Other groups (public groups, roles) give nothing.
 */
export function normalizeGroup(g: SalesforceGroup): CanonicalRows {
  if (g.Type !== 'Queue') return {};
  const id = queueIdOf(g.Id);
  const name = text(g.Name) ?? text(g.DeveloperName) ?? g.Id;
  const team: TeamRecord = { id, name, time_zone: 'UTC', source: SOURCE };
  const queue: QueueRecord = { id, name, channel: 'email', team_id: id, required_skills: [], language: null, source: SOURCE };
  return { teams: [team], queues: [queue] };
}
