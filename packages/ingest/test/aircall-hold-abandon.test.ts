import { describe, expect, it } from 'vitest';
import { normalizeCall } from '../src/adapters/aircall/normalize.ts';
import { AircallCall } from '../src/adapters/aircall/schemas.ts';

/** An answered inbound call: started 1000, answered 1030, ended 1400 (epoch seconds), with a hold timeline. */
const call = (timeline: { event: string; timestamp: number }[]) => AircallCall.parse({
  id: 77, direction: 'inbound', status: 'done', started_at: 1000, answered_at: 1030, ended_at: 1400, duration: 400,
  raw_digits: '+49 30 1234567', user: { id: 5 }, number: { id: 9 }, timeline,
});

describe('calls that end on hold', () => {
  it('a caller who hangs up while on hold abandoned the call on hold; the hold runs to the end', () => {
    const i = normalizeCall(call([{ event: 'call.hold', timestamp: 1100 }, { event: 'call.unhold', timestamp: 1160 }, { event: 'call.hold', timestamp: 1300 }])).interactions![0];
    // holds: 1100-1160 = 60 s, then 1300 until the end at 1400 = 100 s; talk 1400 - 1030 - 160 = 210 s.
    expect([i.status, i.abandon_stage, i.hold_seconds, i.talk_seconds, i.resolved_at]).toEqual(['abandoned', 'hold', 160, 210, null]);
  });

  it('an outbound call (a callback) that ends on hold was abandoned on hold too', () => {
    const c = { ...call([{ event: 'call.hold', timestamp: 1300 }]), direction: 'outbound' as const };
    const i = normalizeCall(c).interactions![0];
    // hold 1300..1400 = 100 s
    expect([i.direction, i.status, i.abandon_stage, i.hold_seconds]).toEqual(['outbound', 'abandoned', 'hold', 100]);
  });

  it('a call whose holds all ended is closed as before', () => {
    const i = normalizeCall(call([{ event: 'call.hold', timestamp: 1100 }, { event: 'call.unhold', timestamp: 1160 }])).interactions![0];
    // talk 1400 - 1030 - 60 = 310 s
    expect([i.status, i.abandon_stage, i.hold_seconds, i.talk_seconds]).toEqual(['closed', null, 60, 310]);
  });

  it('the queue wait starts when the caller leaves the IVR (call.ivr_option_selected), else when the call starts', () => {
    const withIvr = normalizeCall(call([{ event: 'call.ivr_option_selected', timestamp: 1012 }]));
    // answered 1030 - left the IVR at 1012 = 18 s; the queue entry is at 1012 = 1970-01-01T00:16:52Z.
    expect(withIvr.interactions![0].queue_wait_seconds).toBe(18);
    expect(withIvr.events!.find((e) => e.type === 'queue_enter')!.occurred_at).toBe('1970-01-01T00:16:52.000Z');
    // Without the moment: answered 1030 - started 1000 = 30 s, as before.
    expect(normalizeCall(call([])).interactions![0].queue_wait_seconds).toBe(30);
  });
});
