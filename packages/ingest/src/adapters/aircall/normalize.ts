import type { EventRecord, IdentityRecord, InteractionRecord } from '@helpdesk/core';
import type { CanonicalRows } from '../../framework/adapter.ts';
import { isoFromEpochSeconds } from '../../framework/time.ts';
import { emailIdentifier, phoneIdentifier } from '../../framework/identifiers.ts';
import type { AircallCall, AircallTeam, AircallUser } from './schemas.ts';

const SOURCE = 'aircall';
/** Caller abandonment (Aircall's `missed_call_reason`), and where the caller was lost. */
const abandonStage: Record<string, InteractionRecord['abandon_stage']> = {
  abandoned_in_ivr: 'ivr', short_abandoned: 'queue', abandoned_in_classic: 'queue', no_available_agent: 'queue', agents_did_not_answer: 'queue',
};

/**
 * A call as an interaction plus its timeline. Abandonment is stored so that every variant stays
 * derivable: status `abandoned` with `abandon_stage` (ivr / queue), and the vendor's reason as the
 * tag `missed_call_reason:<reason>` (short abandons are `short_abandoned`; out-of-hours calls are
 * closed, not abandoned). Holds come from `timeline` when present. Callbacks are linked by the
 * `aircall_callbacks` stage (an outbound call answering an earlier abandoned inbound call).
 */
export function normalizeCall(c: AircallCall): CanonicalRows {
  const id = `aircall:${c.id}`;
  const at = isoFromEpochSeconds;
  // Aircall writes `anonymous` for a withheld number: no customer. A caller an agent saved is their
  // contact, whatever number they called from (a switchboard's calls go to several contacts).
  const digits = phoneIdentifier(c.raw_digits);
  const contact = c.contact ? `aircall:contact:${c.contact.id}` : digits ? `aircall:number:${digits}` : null;
  const agent = c.user ? `aircall:agent:${c.user.id}` : null;
  const answered = c.answered_at ?? null;
  const ended = c.ended_at ?? null;
  const reason = c.missed_call_reason ?? null;
  const missedInbound = c.direction === 'inbound' && answered === null && ended !== null;
  let status: InteractionRecord['status'] = ended === null ? 'open' : missedInbound && reason !== 'out_of_opening_hours' ? 'abandoned' : 'closed';
  const events: EventRecord[] = [];
  const add = (occurred: number, partial: Partial<EventRecord> & Pick<EventRecord, 'type'>) =>
    events.push({ id: `${id}:${events.length}`, interaction_id: id, seq: events.length, occurred_at: at(occurred), author_role: 'system', author_id: null, is_public: null, body: null, from_value: null, to_value: null, value_num: null, ...partial });
  // The caller reaches the queue when they leave the IVR: the last `call.ivr_option_selected`
  // moment before the call was answered or ended, when the timeline has one, else the start.
  const stop = answered ?? ended ?? Number.POSITIVE_INFINITY;
  const ivrLeft = (c.timeline ?? []).filter((t) => t.event === 'call.ivr_option_selected' && t.timestamp <= stop).reduce<number | null>((m, t) => Math.max(m ?? 0, t.timestamp), null);
  const queuedAt = ivrLeft ?? c.started_at;
  if (c.direction === 'inbound') add(queuedAt, { type: 'queue_enter', to_value: c.number ? `aircall:line:${c.number.id}` : null });
  if (answered !== null) add(answered, { type: 'call_answered', author_role: 'agent', author_id: agent });
  let hold = 0;
  let holdStart: number | null = null;
  let sawHoldEvents = false;
  for (const t of [...(c.timeline ?? [])].sort((a, b) => a.timestamp - b.timestamp)) {
    if (t.event === 'call.hold') {
      sawHoldEvents = true;
      holdStart = t.timestamp;
      add(t.timestamp, { type: 'hold_start', author_role: 'agent', author_id: agent });
    } else if (t.event === 'call.unhold' && holdStart !== null) {
      hold += t.timestamp - holdStart;
      add(t.timestamp, { type: 'hold_end', author_role: 'agent', author_id: agent, value_num: t.timestamp - holdStart });
      holdStart = null;
    } else if (t.event === 'call.transferred') {
      add(t.timestamp, { type: 'transfer', author_role: 'agent', from_value: c.transferred_by ? `aircall:agent:${c.transferred_by.id}` : agent, to_value: c.transferred_to ? `aircall:agent:${c.transferred_to.id}` : null });
    }
  }
  // A call that ends while the customer is on hold was abandoned on hold (agents take callers off
  // hold before they hang up); the hold lasted until the end.
  const abandonedOnHold = holdStart !== null && ended !== null;
  if (abandonedOnHold) hold += ended - holdStart!;
  if (c.transferred_to && !(c.timeline ?? []).some((t) => t.event === 'call.transferred')) {
    add(answered ?? c.started_at, { type: 'transfer', author_role: 'agent', from_value: c.transferred_by ? `aircall:agent:${c.transferred_by.id}` : null, to_value: `aircall:agent:${c.transferred_to.id}` });
  }
  if (c.voicemail && ended !== null) add(ended, { type: 'message', author_role: 'customer', author_id: contact, is_public: false, body: '[voicemail]' });
  for (const comment of c.comments ?? []) {
    add(comment.posted_at, { type: 'message', author_role: 'agent', author_id: comment.posted_by ? `aircall:agent:${comment.posted_by.id}` : null, is_public: false, body: comment.content ?? '' });
  }
  if (ended !== null) add(ended, { type: 'call_ended', value_num: c.duration ?? ended - c.started_at });
  if (abandonedOnHold) status = 'abandoned';
  const lastTouch = Math.max(c.started_at, ended ?? 0, ...(c.comments ?? []).map((m) => m.posted_at));
  const tags = [...(c.tags ?? []).map((t) => t.name), ...(reason ? [`missed_call_reason:${reason}`] : []), ...(c.voicemail ? ['voicemail'] : [])];
  const interaction: InteractionRecord = {
    id, source: SOURCE, native_id: String(c.id), channel: 'phone', direction: c.direction, contact_id: contact, customer_id: null, case_id: null,
    parent_interaction_id: null, queue_id: c.number ? `aircall:line:${c.number.id}` : null, team_id: null, agent_id: answered !== null ? agent : null,
    priority: 'normal', language: null, country: null, intent: null, tags, subject: null, status,
    created_at: at(c.started_at), first_response_at: answered !== null ? at(answered) : null, resolved_at: answered !== null && ended !== null && !abandonedOnHold ? at(ended) : null,
    closed_at: ended !== null ? at(ended) : null, updated_at: at(lastTouch), bot_involved: false, bot_handoff_at: null, bot_contained: false, reopen_count: 0,
    csat_score: null,
    // Aircall's duration includes ringing and IVR: wait is start (or leaving the IVR) to answer (or to hang-up when missed), talk is answer to end minus holds.
    queue_wait_seconds: c.direction === 'inbound' ? Math.max(0, (answered ?? ended ?? queuedAt) - queuedAt) : null,
    talk_seconds: answered !== null && ended !== null ? Math.max(0, ended - answered - hold) : null,
    hold_seconds: sawHoldEvents ? hold : null, wrap_up_seconds: null,
    abandon_stage: status !== 'abandoned' ? null : abandonedOnHold ? 'hold' : (abandonStage[reason ?? ''] ?? 'queue'), article_id: null,
    // An agent picked up (inbound) or the callee did (outbound). Aircall has no notion of resolution:
    // metrics decide a call's by repeat contact. The callbacks stage sets callback_of.
    answered: ended === null && answered === null ? null : answered !== null, abandoned: status === 'abandoned', resolved: null, first_resolved_at: null,
    callback_requested: false, callback_of: null, bot_state: null, escalated: false,
  };
  const rows: CanonicalRows = { interactions: [interaction], events };
  if (contact) {
    const identities = callerIdentities(c, contact, at(c.started_at));
    if (identities.length > 0) rows.identities = identities;
  }
  return rows;
}

/**
 * What a call says of its caller, each seen when the call started: the number it came from and,
 * when it carries a saved contact, the contact's numbers, addresses and name. Caller id can be
 * spoofed and an agent types the contact in: nothing is verified. One row per identifier: the
 * number called from is usually also one of the contact's.
 */
function callerIdentities(c: AircallCall, contact: string, seen: string): IdentityRecord[] {
  const out: IdentityRecord[] = [];
  const add = (kind: IdentityRecord['kind'], raw: string | null | undefined, value: string | undefined) => {
    if (!raw || !value) return;
    const id = `${contact}:${kind}:${value}`;
    if (out.some((i) => i.id === id)) return;
    out.push({ id, contact_id: contact, source: SOURCE, kind, raw_value: raw, value, verified: false, customer_id: null, first_seen_at: seen, last_seen_at: seen });
  };
  add('phone', c.raw_digits, phoneIdentifier(c.raw_digits));
  for (const p of c.contact?.phone_numbers ?? []) add('phone', p.value, phoneIdentifier(p.value));
  for (const e of c.contact?.emails ?? []) add('email', e.value, emailIdentifier(e.value));
  const name = [c.contact?.first_name, c.contact?.last_name].filter(Boolean).join(' ').trim();
  add('name', name, name.toLowerCase());
  return out;
}

export function normalizeUser(u: AircallUser): CanonicalRows {
  return {
    agents: [{
      id: `aircall:agent:${u.id}`, source: SOURCE, native_id: String(u.id), name: u.name, email: u.email ?? null, team_id: null, skills: [],
      languages: u.language ? [u.language.slice(0, 2)] : [], channels: ['phone'], shift_start_hour: null, shift_end_hour: null, shift_days: null,
      time_zone: u.time_zone ?? 'UTC', max_concurrency: 1, is_bot: false, active: true,
    }],
  };
}

export function normalizeTeam(t: AircallTeam): CanonicalRows {
  return { teams: [{ id: `aircall:team:${t.id}`, name: t.name, time_zone: 'UTC', source: SOURCE }] };
}
