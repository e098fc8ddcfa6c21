import { aircallCall, aircallComment, aircallTeam, aircallUser, type AircallMoment, type AircallUserFacts } from './encoders/aircall.ts';
import { prng } from './prng.ts';
import type { DataFaults } from './zendesk-world.ts';

/** An Aircall company: users, teams, numbers (lines) and calls in the API's shapes. */
export interface AircallWorld {
  users: any[];
  teams: any[];
  calls: any[];
  /** Canonical events, abandoned calls and callbacks the adapter must produce, counted while generating (abandoned and callbacks: without data faults). */
  expectedEvents: number;
  expectedAbandoned: number;
  expectedCallbacks: number;
  badIds: Set<number>;
  faults: DataFaults;
  updateServed(servedIds: number[]): number[];
}

const T0 = Date.UTC(2026, 1, 1) / 1000;
const reasons = ['short_abandoned', 'abandoned_in_ivr', 'abandoned_in_classic', 'no_available_agent', 'agents_did_not_answer', 'out_of_opening_hours'];

/**
 * @example
 * const world = aircallWorld({ seed: 2, calls: 200 });
 */
export function aircallWorld({ seed, calls: count, faults = {} }: { seed: number; calls: number; faults?: DataFaults }): AircallWorld {
  const rnd = prng(seed);
  const people: AircallUserFacts[] = Array.from({ length: 8 }, (_, i) => ({
    id: 456 + i, name: `Phone Agent ${i}`, email: `phone${i}@support.example`, createdAt: Date.parse('2025-12-29T10:03:18.000Z'), timeZone: 'Europe/Paris', language: 'en-US',
  }));
  const users: any[] = people.map((u) => aircallUser({ ...u, wrapUpTime: 0 }));
  const teamsCreated = Date.parse('2026-01-02T11:41:01.000Z');
  const teams: any[] = [aircallTeam({ id: 678, name: 'Support', createdAt: teamsCreated, users: people.slice(0, 4) }),
    aircallTeam({ id: 679, name: 'Sales', createdAt: teamsCreated, users: people.slice(4) })];
  const numbers = [1234, 1235].map((id, i) => ({ id, name: ['French Office', 'Berlin Office'][i], digits: ['+33 1 76 11 11 11', '+49 30 1111111'][i], country: ['FR', 'DE'][i], timeZone: 'Europe/Paris', isIvr: i === 0 }));
  const calls: any[] = [];
  const eventsOf = new Map<number, number>();
  let extraComments = 0;
  let expectedAbandoned = 0;
  let expectedCallbacks = 0;
  const missed: { digits: string; at: number }[] = [];
  for (let n = 0; n < count; n++) {
    const id = 9000 + n;
    const started = T0 + Math.floor((n / count) * 86400 * 20) + rnd.int(0, 200);
    const callback = missed.length > 0 && missed[missed.length - 1].at > started - 86400 && rnd.chance(0.3);
    const direction = callback ? 'outbound' : rnd.chance(0.9) ? 'inbound' : 'outbound';
    const digits = callback ? missed.pop()!.digits : `+33 6 ${String(10000000 + rnd.int(0, count)).slice(0, 8)}`;
    const number = numbers[rnd.int(0, 1)];
    const user = people[rnd.int(0, people.length - 1)];
    const answeredCall = direction === 'outbound' ? rnd.chance(0.8) : rnd.chance(0.75);
    const answered = answeredCall ? started + rnd.int(3, 120) : null;
    const ended = (answered ?? started) + rnd.int(2, 900);
    const reason = direction === 'inbound' && !answeredCall ? rnd.pick(reasons) : null;
    const comments = rnd.chance(0.2) ? [{ id: 700 + n, content: 'Please call back this customer!', postedAt: (ended + 30) * 1000, postedBy: user }] : [];
    const timeline: AircallMoment[] = [];
    if (answered && rnd.chance(0.25)) {
      const h = answered + 1 + rnd.int(0, Math.max(1, ended - answered - 2) >> 1);
      timeline.push({ event: 'call.hold', at: h * 1000 }, { event: 'call.unhold', at: Math.min(ended - 1, h + rnd.int(1, 60)) * 1000 });
    }
    const transfer = answered && rnd.chance(0.1) ? people[(people.indexOf(user) + 1) % people.length] : null;
    const voicemail = reason && reason !== 'short_abandoned' && reason !== 'abandoned_in_ivr' && rnd.chance(0.4) ? `https://api.aircall.io/v1/calls/${id}/voicemail` : null;
    eventsOf.set(id, (direction === 'inbound' ? 1 : 0) + (answered ? 1 : 0) + timeline.length + (transfer ? 1 : 0) + (voicemail ? 1 : 0) + comments.length + 1);
    if (direction === 'inbound' && !answered && reason !== 'out_of_opening_hours') {
      expectedAbandoned++;
      missed.push({ digits, at: started });
    }
    if (direction === 'outbound' && callback) expectedCallbacks++;
    calls.push(aircallCall({
      id, direction, status: 'done', missedCallReason: reason, startedAt: started * 1000, answeredAt: answered === null ? null : answered * 1000, endedAt: ended * 1000,
      voicemail, recording: answered ? `https://rec.example/${id}.mp3` : null, rawDigits: digits, user: answered || direction === 'outbound' ? user : null,
      transferredBy: transfer ? user : null, transferredTo: transfer, cost: '2.34', number, comments,
      tags: rnd.chance(0.3) ? [{ id: 1, name: 'Interested' }] : [], timeline: timeline.length ? timeline : undefined,
    }));
  }
  const badIds = new Set<number>();
  if (faults.missingOptional) for (const c of calls.filter((_, i) => i % 4 === 0)) for (const k of ['duration', 'recording', 'asset', 'cost', 'tags', 'comments']) {
    if (k === 'comments') eventsOf.set(c.id, eventsOf.get(c.id)! - c.comments.length);
    delete c[k];
  }
  if (faults.wrongTypes) {
    for (let i = 0; i < faults.wrongTypes; i++) {
      const c = calls[Math.floor((i + 0.5) * (calls.length / faults.wrongTypes))];
      if (i % 2 === 0) c.started_at = new Date(c.started_at * 1000).toISOString();
      else c.direction = 42;
      badIds.add(c.id);
    }
  }
  if (faults.extraFields) for (const list of [users, teams, calls]) for (const r of list) r.x_replica_unknown = { nested: true };
  let updated = false;
  return {
    users, teams, calls, expectedAbandoned, expectedCallbacks, badIds, faults,
    get expectedEvents() {
      let total = extraComments;
      for (const [id, n] of eventsOf) if (!badIds.has(id)) total += n;
      return total;
    },
    updateServed(servedIds) {
      if (updated || !faults.updateBetweenPages) return [];
      updated = true;
      const touched = servedIds.filter((id) => !badIds.has(id)).slice(0, faults.updateBetweenPages);
      for (const id of touched) {
        const c = calls.find((x) => x.id === id);
        c.comments = [...(c.comments ?? []), aircallComment({ id: 99000 + id, content: 'added while paging', postedAt: (c.ended_at + 99) * 1000, postedBy: null })];
        extraComments++;
      }
      return touched;
    },
  };
}
