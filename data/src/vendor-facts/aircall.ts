import { aircallCall as encodeCall, type AircallMoment, type AircallUserFacts } from '@helpdesk/ingest/encoders';
import type { Agent } from '../agents-and-queues.ts';
import type { Language } from '../catalog.ts';
import { nativeIdOf } from '../interaction-ids.ts';
import type { Conversation, EventRow } from '../rows.ts';

/** Aircall numbers (lines) of the demo's phone queues: Aircall knows lines and users, not queues. */
const lines: Record<string, { id: number; digits: string; country: string; timeZone: string }> = {
  'aircall:queue:phone-de': { id: 4101, digits: '+49 30 5550 1000', country: 'DE', timeZone: 'Europe/Berlin' },
  'aircall:queue:phone-en': { id: 4102, digits: '+44 20 5550 1000', country: 'GB', timeZone: 'Europe/London' },
  'aircall:queue:phone-fr': { id: 4103, digits: '+33 1 55 50 10 00', country: 'FR', timeZone: 'Europe/Paris' },
  'aircall:queue:phone-billing': { id: 4104, digits: '+49 30 5550 1001', country: 'DE', timeZone: 'Europe/Berlin' },
  'aircall:queue:phone-vip': { id: 4105, digits: '+49 30 5550 1009', country: 'DE', timeZone: 'Europe/Berlin' },
};
/** Aircall's user language is a locale: an agent's first language, in the demo's markets. */
const locales: Record<Language, string> = { de: 'de-DE', en: 'en-GB', fr: 'fr-FR' };
/** The demo's agents were all set up in Aircall before the simulated period (no earlier date is kept). */
const USERS_CREATED = Date.parse('2026-01-05T09:00:00Z');

/**
 * Events of a call that the Aircall Call object (with the hold/transfer webhook timeline) carries:
 * the adapter rebuilds these; every other event of the generator's call is a demo-only fact.
 */
export const aircallEventTypes = new Set(['call_answered', 'hold_start', 'hold_end', 'call_ended', 'message']);

/**
 * A demo call as Aircall's Public API v1 returns it (`GET /v1/calls`), plus the
 * `call.ivr_option_selected`, `call.hold`, `call.unhold` and `call.transferred` webhook moments as
 * `timeline` (the shape the adapter accepts for them; always given, so no hold is hold unknown).
 * Who was lost where is in `missed_call_reason` (`abandoned_in_ivr`, `short_abandoned`,
 * `abandoned_in_classic`); a caller who chose a callback leaves the queue like any other (Aircall
 * logs the call as missed, and the adapter's callback stage links the returning call to it).
 * `raw_digits` is the caller's number in international format, `contact` the contact an agent
 * saved for the caller (or linked a switchboard call to). The call summary the agent writes
 * afterwards is a comment. `agents` are the world's staff by id (the users' names and languages).
 */
export function aircallCall(conversation: Conversation, agents: ReadonlyMap<string, Agent>): Record<string, unknown> {
  const it = conversation.interaction;
  const events = conversation.events;
  const at = (type: string) => events.find((e) => e.type === type) ?? null;
  const answered = at('call_answered');
  const ended = at('call_ended');
  const user = (id: string | null): AircallUserFacts | null => {
    if (id === null) return null;
    const agent = agents.get(id);
    if (!agent) throw new Error(`call ${it.ref}: ${id} is not an agent of the world`);
    return { id: Number(id.slice(id.lastIndexOf(':') + 1)), name: agent.name, email: agent.email, createdAt: USERS_CREATED, timeZone: agent.zone, language: locales[agent.languages[0] ?? 'en'] };
  };
  const firstQueue = events.find((e) => e.type === 'queue_enter')?.to_value ?? it.queue_id;
  const line = firstQueue ? lines[firstQueue] : undefined;
  const timeline: AircallMoment[] = [];
  let transfer: EventRow | null = null;
  for (const e of events) {
    if (e.type === 'ivr_leave') timeline.push({ event: 'call.ivr_option_selected', at: e.occurred_at });
    if (e.type === 'hold_start') timeline.push({ event: 'call.hold', at: e.occurred_at });
    if (e.type === 'hold_end') timeline.push({ event: 'call.unhold', at: e.occurred_at });
    if (e.type === 'transfer') {
      transfer = e;
      timeline.push({ event: 'call.transferred', at: e.occurred_at });
    }
  }
  const s = (ms: number) => Math.round(ms / 1000);
  let reason: string | null = null;
  if (it.direction === 'inbound' && !answered && ended) {
    const seconds = s(ended.occurred_at) - s(it.created_at);
    reason = it.abandon_stage === 'ivr' ? 'abandoned_in_ivr' : seconds < 10 ? 'short_abandoned' : 'abandoned_in_classic';
  }
  // The user is whoever has the call at the end (after a transfer, the colleague it went to).
  const agent = it.agent_id;
  const id = Number(nativeIdOf(it.ref));
  return encodeCall({
    id, direction: it.direction, status: ended ? 'done' : answered ? 'answered' : 'initial', missedCallReason: reason,
    startedAt: it.created_at, answeredAt: answered ? answered.occurred_at : null, endedAt: ended ? ended.occurred_at : null,
    rawDigits: conversation.caller?.digits ?? 'anonymous', contact: conversation.caller?.contact ?? null, voicemail: null, recording: null, cost: null,
    user: agent ? user(agent) : null,
    // The line's name is the queue it serves; every demo call passes the IVR first.
    number: line ? { id: line.id, name: firstQueue!, digits: line.digits, country: line.country, timeZone: line.timeZone, isIvr: true } : null,
    transferredBy: transfer ? user(transfer.author_id) : null,
    transferredTo: transfer ? user(it.agent_id) : null,
    tags: it.tags.map((name) => ({ id: null, name })),
    comments: events.filter((e) => e.type === 'message').map((e, k) => ({ id: id * 10 + k, content: e.body, postedAt: e.occurred_at, postedBy: user(e.author_id) })),
    timeline,
  });
}

/** The id the Aircall adapter gives an agent or queue of the generator (unchanged for anything else). */
export function aircallCanonicalId(id: string): string {
  if (id.startsWith('aircall:user:')) return `aircall:agent:${id.slice('aircall:user:'.length)}`;
  if (id in lines) return `aircall:line:${lines[id].id}`;
  return id;
}
