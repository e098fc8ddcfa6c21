import type { EventRecord, IdentityRecord, InteractionRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { localTimeToIso } from '../csv/local-time.ts';
import type { ServiceNowIncident } from './schemas.ts';

const SOURCE = 'servicenow';
const TIME_FORMAT = 'dd-MM-yyyy HH:mm';
/** ServiceNow writes an empty field as `?` in this export. */
const MISSING = '?';

/** ServiceNow incident states to our statuses; the `Awaiting ...` states wait on someone else. */
export function canonicalState(state: string): InteractionRecord['status'] {
  if (state === 'New') return 'new';
  if (state === 'Active') return 'open';
  if (state.startsWith('Awaiting')) return 'pending';
  if (state === 'Resolved') return 'solved';
  if (state === 'Closed') return 'closed';
  throw new Error(`unknown incident_state "${state}"`);
}

const DONE = new Set(['Resolved', 'Closed']);

/**
 * The incident's own `contact_type` (how the caller reached the service desk) to our channel. A
 * self-service incident is one the user filed through the portal's form: a written ticket, like a
 * web form (not a help-center session, which is reading articles, not a contact).
 */
const channelOf: Record<string, InteractionRecord['channel']> = {
  Phone: 'phone', IVR: 'phone', Email: 'email', 'Self service': 'email',
  // "Direct opt-in" incidents come from a notification the user subscribed to: a written channel.
  'Direct opt-in': 'email',
};

function priorityOf(p: string): InteractionRecord['priority'] {
  if (p.startsWith('1')) return 'urgent';
  if (p.startsWith('2')) return 'high';
  if (p.startsWith('3')) return 'normal';
  if (p.startsWith('4')) return 'low';
  throw new Error(`unknown priority "${p}"`);
}

/**
 * One incident of a ServiceNow event log to one interaction with its timeline. The events come
 * from the log itself: a status change whenever `incident_state` changes, a `reopen` whenever an
 * incident leaves Resolved/Closed for a working state, an assignment when `assigned_to` changes, a
 * transfer when `assignment_group` does. `reopen_count` is counted from those state changes (not
 * copied), so it can be checked against the system's own field. `resolved_at` is the system's
 * field; when the export left it empty (`?`) it is the time of the last update in state Resolved,
 * which is what the system records wherever it did fill it in.
 *
 * @param timeZone IANA zone the export's wall-clock times were written in (the export has no offset).
 */
export function normalizeIncident(inc: ServiceNowIncident, timeZone = 'UTC'): CanonicalRows {
  const id = `${SOURCE}:${inc.number}`;
  const at = (text: string) => localTimeToIso(text, TIME_FORMAT, timeZone);
  const maybeAt = (text: string) => (text === MISSING ? null : at(text));
  const agentId = (name: string) => (name === MISSING ? null : `${SOURCE}:agent:${name}`);
  const queueId = (group: string) => (group === MISSING ? null : `${SOURCE}:group:${group}`);
  const rows = inc.rows;
  const first = rows[0];
  const last = rows[rows.length - 1];
  const events: EventRecord[] = [];
  const add = (occurred: string, partial: Partial<EventRecord> & Pick<EventRecord, 'type'>) =>
    events.push({ id: `${id}:${events.length}`, interaction_id: id, seq: events.length, occurred_at: occurred, author_role: 'agent', author_id: null, is_public: null, body: null, from_value: null, to_value: null, value_num: null, ...partial });
  let reopens = 0;
  let lastResolvedUpdate: string | null = null;
  let lastClosedAt: string | null = null;
  let firstDone: string | null = null;
  rows.forEach((row, i) => {
    const when = at(row.sys_updated_at);
    const author = row.sys_updated_by === MISSING ? null : `${SOURCE}:agent:${row.sys_updated_by}`;
    const prev = i > 0 ? rows[i - 1] : undefined;
    const status = canonicalState(row.incident_state);
    if (!prev || prev.incident_state !== row.incident_state) {
      add(when, { type: 'status_change', author_id: author, from_value: prev ? canonicalState(prev.incident_state) : null, to_value: status, body: row.incident_state });
      if (prev && DONE.has(prev.incident_state) && !DONE.has(row.incident_state)) {
        reopens++;
        add(when, { type: 'reopen', author_id: author, from_value: canonicalState(prev.incident_state), to_value: status });
      }
    }
    if (row.assigned_to !== MISSING && row.assigned_to !== (prev?.assigned_to ?? MISSING)) {
      add(when, { type: 'assignment', author_id: author, from_value: prev ? agentId(prev.assigned_to) : null, to_value: agentId(row.assigned_to) });
    }
    if (prev && prev.assignment_group !== row.assignment_group && row.assignment_group !== MISSING) {
      add(when, { type: 'transfer', author_id: author, from_value: queueId(prev.assignment_group), to_value: queueId(row.assignment_group) });
    }
    if (row.incident_state === 'Resolved') lastResolvedUpdate = when;
    if (DONE.has(row.incident_state)) firstDone ??= when;
    if (row.incident_state === 'Closed') lastClosedAt ??= when;
    if (prev && DONE.has(prev.incident_state) && !DONE.has(row.incident_state)) lastClosedAt = null;
  });
  const channel = channelOf[last.contact_type];
  if (!channel) throw new Error(`unknown contact_type "${last.contact_type}" (known: ${Object.keys(channelOf).join(', ')})`);
  const contact = first.caller_id === MISSING ? null : `${SOURCE}:caller:${first.caller_id}`;
  const status = canonicalState(last.incident_state);
  const resolvedAt = maybeAt(last.resolved_at) ?? lastResolvedUpdate;
  const interaction: InteractionRecord = {
    id, source: SOURCE, native_id: inc.number, channel, direction: 'inbound', contact_id: contact, customer_id: null, case_id: null,
    parent_interaction_id: null, queue_id: queueId(last.assignment_group), team_id: null, agent_id: agentId(last.assigned_to),
    priority: priorityOf(last.priority), language: null, country: null, intent: last.category && last.category !== MISSING ? last.category : null,
    tags: [], subject: null, status, created_at: at(first.opened_at),
    // An ITSM log records no public reply, so there is no first response to report.
    first_response_at: null,
    resolved_at: status === 'solved' || status === 'closed' ? resolvedAt : null,
    closed_at: status === 'closed' ? (maybeAt(last.closed_at) ?? lastClosedAt) : null,
    updated_at: at(last.sys_updated_at), bot_involved: false, bot_handoff_at: null, bot_contained: false, reopen_count: reopens,
    csat_score: null, queue_wait_seconds: null, talk_seconds: null, hold_seconds: null, wrap_up_seconds: null, abandon_stage: null, article_id: null,
    // An incident is taken when someone is assigned; Resolved and Closed are its resolution.
    answered: events.some((e) => e.type === 'assignment'), abandoned: false, resolved: status === 'solved' || status === 'closed',
    first_resolved_at: firstDone, callback_requested: false, callback_of: null, bot_state: null, escalated: false,
  };
  const identities: IdentityRecord[] = contact
    ? [{ id: `${contact}:crm_contact`, contact_id: contact, source: SOURCE, kind: 'crm_contact', raw_value: first.caller_id, value: first.caller_id.toLowerCase(), verified: true, customer_id: null, first_seen_at: interaction.created_at, last_seen_at: interaction.updated_at }]
    : [];
  // Queues and agents are not emitted per incident: many incidents share one group, and a batch
  // must not carry the same key twice; `queue_id` / `agent_id` keep the names (servicenow:group:...).
  return { interactions: [interaction], events, identities };
}
