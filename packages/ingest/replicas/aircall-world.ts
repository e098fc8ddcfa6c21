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
  const users: any[] = Array.from({ length: 8 }, (_, i) => ({
    id: 456 + i, direct_link: `https://api.aircall.io/v1/users/${456 + i}`, name: `Phone Agent ${i}`, email: `phone${i}@support.example`,
    available: true, availability_status: 'available', substatus: 'always_opened', created_at: '2025-12-29T10:03:18.000Z',
    time_zone: 'Europe/Paris', language: 'en-US', wrap_up_time: 0,
  }));
  const nested = (u: any) => ({ id: u.id, direct_link: u.direct_link, name: u.name, email: u.email, available: true, availability_status: 'available', created_at: u.created_at, time_zone: u.time_zone, language: u.language });
  const teams: any[] = [{ id: 678, direct_link: 'https://api.aircall.io/v1/teams/678', name: 'Support', created_at: '2026-01-02T11:41:01.000Z', users: users.slice(0, 4).map(nested) },
    { id: 679, direct_link: 'https://api.aircall.io/v1/teams/679', name: 'Sales', created_at: '2026-01-02T11:41:01.000Z', users: users.slice(4).map(nested) }];
  const numbers = [1234, 1235].map((id, i) => ({ id, direct_link: `https://api.aircall.io/v1/numbers/${id}`, name: ['French Office', 'Berlin Office'][i], digits: ['+33 1 76 11 11 11', '+49 30 1111111'][i], country: ['FR', 'DE'][i], time_zone: 'Europe/Paris', open: true, is_ivr: i === 0 }));
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
    const user = users[rnd.int(0, users.length - 1)];
    const answeredCall = direction === 'outbound' ? rnd.chance(0.8) : rnd.chance(0.75);
    const answered = answeredCall ? started + rnd.int(3, 120) : null;
    const ended = (answered ?? started) + rnd.int(2, 900);
    const reason = direction === 'inbound' && !answeredCall ? rnd.pick(reasons) : null;
    const comments = rnd.chance(0.2) ? [{ id: 700 + n, content: 'Please call back this customer!', posted_at: ended + 30, posted_by: { id: user.id, direct_link: user.direct_link, name: user.name, email: user.email, available: true, availability_status: 'available', created_at: user.created_at } }] : [];
    const timeline: any[] = [];
    if (answered && rnd.chance(0.25)) {
      const h = answered + 1 + rnd.int(0, Math.max(1, ended - answered - 2) >> 1);
      timeline.push({ event: 'call.hold', timestamp: h }, { event: 'call.unhold', timestamp: Math.min(ended - 1, h + rnd.int(1, 60)) });
    }
    const transfer = answered && rnd.chance(0.1) ? users[(users.indexOf(user) + 1) % users.length] : null;
    const voicemail = reason && reason !== 'short_abandoned' && reason !== 'abandoned_in_ivr' && rnd.chance(0.4) ? `https://api.aircall.io/v1/calls/${id}/voicemail` : null;
    eventsOf.set(id, (direction === 'inbound' ? 1 : 0) + (answered ? 1 : 0) + timeline.length + (transfer ? 1 : 0) + (voicemail ? 1 : 0) + comments.length + 1);
    if (direction === 'inbound' && !answered && reason !== 'out_of_opening_hours') {
      expectedAbandoned++;
      missed.push({ digits, at: started });
    }
    if (direction === 'outbound' && callback) expectedCallbacks++;
    calls.push({
      id, sid: `CA${id}`, direct_link: `https://api.aircall.io/v1/calls/${id}`, direction, status: 'done', missed_call_reason: reason,
      started_at: started, answered_at: answered, ended_at: ended, duration: ended - started, voicemail, recording: answered ? `https://rec.example/${id}.mp3` : null,
      asset: null, raw_digits: digits, ...(answered || direction === 'outbound' ? { user: nested(user) } : {}), contact: null, archived: false, assigned_to: null,
      transferred_by: transfer ? nested(user) : null, transferred_to: transfer ? nested(transfer) : null, cost: '2.34', number,
      comments, tags: rnd.chance(0.3) ? [{ id: 1, name: 'Interested' }] : [], ...(timeline.length ? { timeline } : {}),
    });
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
        c.comments = [...(c.comments ?? []), { id: 99000 + id, content: 'added while paging', posted_at: c.ended_at + 99, posted_by: null }];
        extraComments++;
      }
      return touched;
    },
  };
}
