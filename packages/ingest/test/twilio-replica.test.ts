import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { runIngest } from '../src/index.ts';
import { twilioAdapter } from '../src/adapters/twilio/index.ts';
import { startReplica, twilioBehaviour, twilioWorld, type TwilioWorld } from '../replicas/index.ts';
import { credentials } from './support/credentials.ts';
import { checksum, fastEffects, tempWarehouse } from './support/harness.ts';
import { replicaSuite } from './support/replica-suite.ts';

const creds = credentials.twilio;
const world = (seed: number, calls: number, faults?: Parameters<typeof twilioWorld>[0]['faults']) => twilioWorld({ seed, calls, faults, accountSid: creds.accountSid, workspaceSid: creds.workspaceSid });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const count = async (wh: Warehouse, sql: string) => (await wh.all<{ n: number }>(sql))[0].n;

/** Ledger versions are `date_updated` (calls) and `event_date` (events): the checksums pair each sid with them. */
async function expectExactly(wh: Warehouse, w: TwilioWorld) {
  const goodCalls = w.calls.filter((c) => !w.badIds.has(c.sid));
  const parents = goodCalls.filter((c) => !(c.parent_call_sid && c.direction === 'outbound-dial'));
  const landed = await wh.all<{ native_id: string; updated_at: string }>("SELECT native_id, updated_at FROM interactions WHERE source = 'twilio'");
  expect(landed.length).toBe(parents.length);
  expect(checksum(landed.map((r) => [r.native_id, r.updated_at]))).toBe(checksum(parents.map((c) => [c.sid, c.date_updated])));
  const calls = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE source = 'twilio' AND stream = 'calls'");
  expect(checksum(calls.map((c) => [c.native_id, c.version]))).toBe(checksum(goodCalls.map((c) => [c.sid, c.date_updated])));
  const events = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE source = 'twilio' AND stream = 'task_events'");
  expect(events.length).toBe(w.events.length);
  expect(checksum(events.map((e) => [e.native_id, e.version]))).toBe(checksum(w.events.map((e) => [e.sid, e.event_date])));
  expect(await count(wh, "SELECT count(*) AS n FROM events WHERE interaction_id LIKE 'twilio:%'")).toBe(w.expectedEvents);
  const accepting = new Set(w.events.filter((e) => e.event_type === 'reservation.accepted').map((e) => e.event_data.worker_sid));
  expect(await count(wh, "SELECT count(*) AS n FROM agents WHERE source = 'twilio'")).toBe(accepting.size);
  expect(await count(wh, "SELECT count(*) AS n FROM queues WHERE source = 'twilio'")).toBe(w.taskQueues.length);
  const quarantined = await wh.all<{ native_id: string; reason: string }>('SELECT native_id, reason FROM quarantine ORDER BY native_id');
  expect(quarantined.map((q) => q.native_id).sort()).toEqual([...w.badIds].sort());
  for (const q of quarantined) expect(q.reason).toMatch(/^calls: (start_time|direction): /);
}

describe('twilio adapter against its replica', () => {
  replicaSuite<TwilioWorld>({
    vendor: 'twilio', adapter: twilioAdapter, primaryStream: 'calls',
    world: ({ seed, size, faults }) => world(seed, size, faults),
    behaviour: (w, pageSize) => twilioBehaviour(w, { ...creds, pageSize }),
    seed: 71, size: 120, pageSize: 25,
    expectExactly,
    afterFullRun: (result, { world: w }) => {
      expect(result.stats.calls).toMatchObject({ fetched: w.calls.length, inserted: w.calls.length, quarantined: 0 });
      expect(result.stats.task_events).toMatchObject({ fetched: w.events.length, inserted: w.events.length });
    },
    afterSecondRun: (second) => expect(second.stats.calls.unchanged).toBeGreaterThan(0), // the look-back day was read again
    rateLimitLabel: '429 with error 20429 (no Retry-After: backoff)',
    updateBetweenPages: { count: 3, catchBy: 'full-refresh', name: 'a call updated between two pages is caught by the next full refresh (Twilio filters calls by start time, not by update)' },
    mixed: { updateBetweenPages: 2, wrongTypes: 2, then: 'full-refresh' },
    expiredToken: { after: 4, message: /HTTP 401: .*"code":20003/, secret: creds.authToken },
    kill: { seeds: [3, 4], worldSeed: 12, size: 150, pageSize: 25 },
  });

  it('queue wait, abandonment, the answering agent, talk time and transfers are derivable from legs and TaskRouter events', async () => {
    const w = world(81, 150);
    const replica = await startReplica(twilioBehaviour(w, { ...creds, pageSize: 40 }), { seed: 81 });
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(() => replica.close(), dispose);
    const result = await runIngest({ warehouse: wh, adapter: twilioAdapter, options: { baseUrl: replica.url, ...creds }, effects: fastEffects() });
    expect(result.status, result.error ?? '').toBe('succeeded');
    const rows = new Map((await wh.all<{ native_id: string; status: string; abandon_stage: string | null; queue_wait_seconds: number | null; talk_seconds: number | null; agent_id: string | null; direction: string }>(
      "SELECT native_id, status, abandon_stage, queue_wait_seconds, talk_seconds, agent_id, direction FROM interactions WHERE source = 'twilio'")).map((r) => [r.native_id, r]));
    const of = (s: string) => [...w.scenarioOf].filter(([, v]) => v === s).map(([k]) => k);
    expect(of('abandoned').length).toBeGreaterThan(0);
    expect(of('transferred').length).toBeGreaterThan(0);
    for (const sid of of('abandoned')) expect(rows.get(sid), sid).toMatchObject({ status: 'abandoned', abandon_stage: 'queue', queue_wait_seconds: w.waitOf.get(sid), agent_id: null });
    for (const sid of [...of('answered'), ...of('transferred')]) {
      expect(rows.get(sid), sid).toMatchObject({ status: 'closed', abandon_stage: null, queue_wait_seconds: w.waitOf.get(sid), talk_seconds: w.talkOf.get(sid), agent_id: w.agentOf.get(sid) });
    }
    // Callers who only used the IVR never queued: they ended in the IVR (reported apart from queue
    // abandons, never offered to the queue); API-placed calls are outbound.
    expect(of('ivr_only').length).toBeGreaterThan(0);
    for (const sid of of('ivr_only')) expect(rows.get(sid), sid).toMatchObject({ status: 'abandoned', abandon_stage: 'ivr', queue_wait_seconds: null, agent_id: null });
    for (const sid of of('outbound')) expect(rows.get(sid)?.direction).toBe('outbound');
    expect(rows.size).toBe(w.scenarioOf.size);
    // One transfer event per transferred call, from the first agent to the second.
    const transfers = await wh.all<{ interaction_id: string; from_value: string; to_value: string }>("SELECT interaction_id, from_value, to_value FROM events WHERE type = 'transfer' ORDER BY 1");
    expect(transfers.map((t) => t.interaction_id).sort()).toEqual(of('transferred').map((s) => `twilio:${s}`).sort());
    for (const t of transfers) expect(t.to_value).toBe(w.agentOf.get(t.interaction_id.slice('twilio:'.length)));
    // The cancel reason travels with the abandonment.
    expect(await wh.all("SELECT DISTINCT body FROM events WHERE type = 'queue_leave'")).toEqual([{ body: 'hangup' }]);
  });
});
