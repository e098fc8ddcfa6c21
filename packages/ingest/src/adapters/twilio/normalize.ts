import type { AgentRecord, EventRecord, InteractionRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { isoFromVendor } from '../../framework/time.ts';
import { phoneIdentifier } from '../../framework/identifiers.ts';
import type { TaskQueue, TaskRouterEvent, TwilioCall } from './schemas.ts';

const SOURCE = 'twilio';
export const interactionOf = (callSid: string) => `twilio:${callSid}`;
const queueOf = (sid: string) => `twilio:queue:${sid}`;
const agentOf = (sid: string) => `twilio:agent:${sid}`;
const endpointOf = (to: string) => `twilio:endpoint:${to}`;
const ended = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const num = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? null : Number(v));
const event = (interaction: string, key: string, e: Partial<EventRecord> & Pick<EventRecord, 'type' | 'occurred_at'>): EventRecord => ({
  id: `${interaction}:${key}`, interaction_id: interaction, seq: 0, author_role: 'system', author_id: null, is_public: null, body: null, from_value: null, to_value: null, value_num: null, ...e,
});

/** A `<Dial>` leg: an `outbound-dial` call under a parent. Other calls are contacts of their own. */
export const isDialLeg = (c: TwilioCall) => !!c.parent_call_sid && c.direction === 'outbound-dial';

/**
 * A call. A parent call (inbound, or placed through the API) is one interaction: its customer
 * number, line, status, times and `call_ended`. A `<Dial>` leg is not a contact of its own: it
 * becomes events of its parent once it has ended: `call_answered` by the dialled endpoint (at end
 * minus duration, with its talk seconds) or, unanswered, an `assignment` offer with its status. Queue wait,
 * abandonment, the answering agent and talk time are then derived from all the parent's events
 * (legs and TaskRouter) by the `twilio_call_outcomes` stage.
 */
export function normalizeCall(c: TwilioCall): CanonicalRows {
  const duration = num(c.duration);
  if (isDialLeg(c)) {
    const parent = interactionOf(c.parent_call_sid!);
    const endpoint = c.to ? endpointOf(c.to) : null;
    const start = c.start_time ?? c.date_created;
    // A live leg says nothing yet: its events come when it has ended (its next version), so no
    // provisional event is left behind at another moment.
    if (!start || !ended.has(c.status)) return {};
    if (c.status === 'completed' && (duration ?? 0) > 0 && c.end_time) {
      const at = new Date(Date.parse(isoFromVendor(c.end_time)) - duration! * 1000).toISOString();
      return { events: [event(parent, `${c.sid}:answered`, { type: 'call_answered', occurred_at: at, author_role: 'agent', author_id: endpoint, to_value: endpoint, from_value: c.sid, value_num: duration })] };
    }
    return { events: [event(parent, `${c.sid}:offered`, { type: 'assignment', occurred_at: isoFromVendor(start), author_role: 'system', author_id: endpoint, to_value: endpoint, from_value: c.sid, body: c.status })] };
  }
  const id = interactionOf(c.sid);
  const inbound = c.direction === 'inbound' || c.direction === 'trunking-originating';
  const customer = inbound ? c.from : c.to;
  // Not a number (a `client:` or SIP address), or Twilio's placeholder for a withheld caller: no customer.
  const digits = phoneIdentifier(customer);
  const contact = digits ? `twilio:number:${digits}` : null;
  const created = isoFromVendor(c.start_time ?? c.date_created ?? c.date_updated);
  const closed = ended.has(c.status) && c.end_time ? isoFromVendor(c.end_time) : null;
  const events: EventRecord[] = [];
  if (closed) events.push(event(id, 'ended', { type: 'call_ended', occurred_at: closed, value_num: duration }));
  const tags = [`twilio_direction:${c.direction}`, `call_status:${c.status}`, ...(c.answered_by ? [`answered_by:${c.answered_by}`] : [])];
  const interaction: InteractionRecord = {
    id, source: SOURCE, native_id: c.sid, channel: 'phone', direction: inbound ? 'inbound' : 'outbound', contact_id: contact, customer_id: null, case_id: null,
    parent_interaction_id: c.parent_call_sid ? interactionOf(c.parent_call_sid) : null,
    queue_id: c.phone_number_sid ? `twilio:line:${c.phone_number_sid}` : null, team_id: null, agent_id: null, priority: 'normal', language: null,
    country: null, intent: null, tags, subject: null, status: closed ? 'closed' : 'open',
    created_at: created, first_response_at: null,
    // An API-placed call is resolved once the callee talked; inbound outcomes come from the stage.
    resolved_at: !inbound && closed && c.status === 'completed' && (duration ?? 0) > 0 ? closed : null,
    closed_at: closed, updated_at: isoFromVendor(c.date_updated), bot_involved: false, bot_handoff_at: null, bot_contained: false, reopen_count: 0, csat_score: null,
    // Twilio's `queue_time` is the time an API-placed call waited in Twilio's own dialling queue,
    // not a caller waiting for an agent: the contact-centre wait comes from TaskRouter (the stage).
    queue_wait_seconds: null,
    talk_seconds: !inbound && c.status === 'completed' ? duration : null,
    hold_seconds: null, wrap_up_seconds: null, abandon_stage: null, article_id: null,
    // Inbound outcomes come from the twilio_call_outcomes stage; an API-placed call was answered once the callee talked.
    answered: inbound ? null : closed ? c.status === 'completed' && (duration ?? 0) > 0 : null, abandoned: false, resolved: null, first_resolved_at: null,
    callback_requested: false, callback_of: null, bot_state: null, escalated: false,
  };
  const rows: CanonicalRows = { interactions: [interaction], events };
  if (contact && digits) {
    rows.identities = [{ id: `${contact}:phone:${digits}`, contact_id: contact, source: SOURCE, kind: 'phone', raw_value: customer!, value: digits, verified: false, customer_id: null, first_seen_at: created, last_seen_at: created }];
  }
  return rows;
}

/** The call a voice task belongs to: Twilio puts `call_sid` in the task's attributes (a JSON string). */
export function callOfTask(data: Record<string, unknown>): string | null {
  const raw = data.task_attributes;
  if (typeof raw !== 'string') return null;
  try {
    const sid = (JSON.parse(raw) as { call_sid?: unknown })?.call_sid;
    return typeof sid === 'string' && /^CA[0-9a-fA-F]{32}$/.test(sid) ? sid : null;
  } catch {
    return null;
  }
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
/** A transfer target is a worker (WK...) or a queue (WQ...). */
const targetOf = (v: string | null) => (v === null ? null : v.startsWith('WQ') ? queueOf(v) : v.startsWith('WK') ? agentOf(v) : v);

/**
 * A TaskRouter event of a voice task, as events of the task's call: `task-queue.entered` is
 * `queue_enter`, `reservation.accepted` an agent `assignment`, `task.canceled` a `queue_leave`
 * with the reason (a caller who hung up while waiting: abandonment), `task.transfer-initiated` a
 * `transfer`, `task.completed` the `wrap_up_end` (the agent finished the after-call work). System events are authored by their task (never NULL), so that a call record's
 * update, which replaces its own events of the same moment and author, never removes them.
 * Other events (worker activity, workflow, ...) stay in the raw landing.
 */
export function normalizeTaskEvent(e: TaskRouterEvent): CanonicalRows {
  const data = e.event_data ?? {};
  const call = callOfTask(data);
  if (!call) return {};
  const interaction = interactionOf(call);
  const at = isoFromVendor(e.event_date);
  const task = text(data.task_sid) ?? e.resource_sid ?? 'task';
  const queue = text(data.task_queue_sid);
  const worker = text(data.worker_sid);
  const system = `twilio:task:${task}`;
  const key = e.sid;
  switch (e.event_type) {
    case 'task-queue.entered':
      return { events: [event(interaction, key, { type: 'queue_enter', occurred_at: at, author_id: system, to_value: queue ? queueOf(queue) : null })] };
    case 'task.canceled':
      return { events: [event(interaction, key, { type: 'queue_leave', occurred_at: at, author_id: system, from_value: queue ? queueOf(queue) : null, body: text(data.task_canceled_reason) ?? text(data.reason) ?? 'canceled' })] };
    case 'reservation.accepted': {
      if (!worker) return {};
      const agent: AgentRecord = {
        id: agentOf(worker), source: SOURCE, native_id: worker, name: text(data.worker_name) ?? worker, email: null, team_id: null, skills: [], languages: [],
        channels: ['phone'], shift_start_hour: null, shift_end_hour: null, shift_days: null, time_zone: 'UTC', max_concurrency: 1, is_bot: false, active: true,
      };
      return { agents: [agent], events: [event(interaction, key, { type: 'assignment', occurred_at: at, author_role: 'agent', author_id: agentOf(worker), from_value: queue ? queueOf(queue) : null, to_value: agentOf(worker) })] };
    }
    case 'task.completed':
      // A voice task goes to wrapping when its call ends and is completed when the agent has
      // finished the after-call work: its completion ends the wrap-up.
      return { events: [event(interaction, key, { type: 'wrap_up_end', occurred_at: at, author_role: worker ? 'agent' : 'system', author_id: worker ? agentOf(worker) : system })] };
    case 'task.transfer-initiated': {
      const from = text(data.transfer_initiating_worker_sid) ?? worker;
      return { events: [event(interaction, key, { type: 'transfer', occurred_at: at, author_role: 'agent', author_id: from ? agentOf(from) : system, from_value: from ? agentOf(from) : null, to_value: targetOf(text(data.transfer_to)), body: text(data.transfer_mode) })] };
    }
    default:
      return {};
  }
}

export function normalizeTaskQueue(q: TaskQueue): CanonicalRows {
  return { queues: [{ id: queueOf(q.sid), name: q.friendly_name, channel: 'phone', team_id: null, required_skills: [], language: null, source: SOURCE }] };
}
