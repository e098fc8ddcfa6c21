import { nativeIdOf } from '../interaction-ids.ts';
import type { Conversation, EventRow } from '../rows.ts';

/** Aircall numbers (lines) of the demo's phone queues: Aircall knows lines and users, not queues. */
const lines: Record<string, { id: number; digits: string }> = {
  'aircall:queue:phone-de': { id: 4101, digits: '+49 30 5550 1000' },
  'aircall:queue:phone-en': { id: 4102, digits: '+44 20 5550 1000' },
  'aircall:queue:phone-fr': { id: 4103, digits: '+33 1 55 50 10 00' },
  'aircall:queue:phone-billing': { id: 4104, digits: '+49 30 5550 1001' },
  'aircall:queue:phone-vip': { id: 4105, digits: '+49 30 5550 1009' },
};

/**
 * Events of a call that the Aircall Call object (with the hold/transfer webhook timeline) carries:
 * the adapter rebuilds these; every other event of the generator's call is a demo-only fact.
 */
export const aircallEventTypes = new Set(['call_answered', 'hold_start', 'hold_end', 'call_ended', 'message']);

/**
 * A demo call as Aircall's Public API v1 returns it (`GET /v1/calls`), plus the
 * `call.ivr_option_selected`, `call.hold`, `call.unhold` and `call.transferred` webhook moments as
 * `timeline` (the shape the adapter accepts for them). Who was lost where is in `missed_call_reason` (`abandoned_in_ivr`,
 * `short_abandoned`, `abandoned_in_classic`); a caller who chose a callback leaves the queue like
 * any other (Aircall logs the call as missed, and the adapter's callback stage links the
 * returning call to it). `raw_digits` is the caller's number in international format. The call
 * summary the agent writes afterwards is a comment.
 */
export function aircallCall(conversation: Conversation): Record<string, unknown> {
  const it = conversation.interaction;
  const events = conversation.events;
  const s = (ms: number) => Math.round(ms / 1000);
  const at = (type: string) => events.find((e) => e.type === type) ?? null;
  const answered = at('call_answered');
  const ended = at('call_ended');
  const user = (id: string | null) => (id === null ? null : { id: Number(id.slice(id.lastIndexOf(':') + 1)) });
  const firstQueue = events.find((e) => e.type === 'queue_enter')?.to_value ?? it.queue_id;
  const line = firstQueue ? lines[firstQueue] : undefined;
  const timeline: { event: string; timestamp: number }[] = [];
  let transfer: EventRow | null = null;
  for (const e of events) {
    if (e.type === 'ivr_leave') timeline.push({ event: 'call.ivr_option_selected', timestamp: s(e.occurred_at) });
    if (e.type === 'hold_start') timeline.push({ event: 'call.hold', timestamp: s(e.occurred_at) });
    if (e.type === 'hold_end') timeline.push({ event: 'call.unhold', timestamp: s(e.occurred_at) });
    if (e.type === 'transfer') {
      transfer = e;
      timeline.push({ event: 'call.transferred', timestamp: s(e.occurred_at) });
    }
  }
  let reason: string | null = null;
  if (it.direction === 'inbound' && !answered && ended) {
    const seconds = s(ended.occurred_at) - s(it.created_at);
    reason = it.abandon_stage === 'ivr' ? 'abandoned_in_ivr' : seconds < 10 ? 'short_abandoned' : 'abandoned_in_classic';
  }
  // The user is whoever has the call at the end (after a transfer, the colleague it went to).
  const agent = it.agent_id;
  const contact = it.contact_id?.slice('aircall:number:'.length) ?? null;
  return {
    id: Number(nativeIdOf(it.ref)), sid: `CA${nativeIdOf(it.ref)}`, direct_link: `https://api.aircall.io/v1/calls/${nativeIdOf(it.ref)}`,
    direction: it.direction, status: ended ? 'done' : answered ? 'answered' : 'initial', missed_call_reason: reason,
    started_at: s(it.created_at), answered_at: answered ? s(answered.occurred_at) : null, ended_at: ended ? s(ended.occurred_at) : null,
    duration: ended ? s(ended.occurred_at) - s(it.created_at) : 0, raw_digits: contact ?? 'anonymous', voicemail: null, recording: null, archived: false,
    user: agent ? user(agent) : null,
    number: line ? { id: line.id, name: firstQueue, digits: line.digits } : null,
    transferred_by: transfer ? user(transfer.author_id) : null,
    transferred_to: transfer ? user(it.agent_id) : null,
    tags: it.tags.map((name) => ({ id: null, name })),
    comments: events.filter((e) => e.type === 'message').map((e, k) => ({ id: Number(nativeIdOf(it.ref)) * 10 + k, content: e.body, posted_at: s(e.occurred_at), posted_by: user(e.author_id) })),
    timeline,
  };
}

/** The id the Aircall adapter gives an agent or queue of the generator (unchanged for anything else). */
export function aircallCanonicalId(id: string): string {
  if (id.startsWith('aircall:user:')) return `aircall:agent:${id.slice('aircall:user:'.length)}`;
  if (id in lines) return `aircall:line:${lines[id].id}`;
  return id;
}
