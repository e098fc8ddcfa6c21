import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { aircallAdapter, runIngest } from '../src/index.ts';
import { aircallBehaviour, aircallWorld, startReplica, type AircallWorld, type DataFaults, type Replica, type TransportFaults } from '../replicas/index.ts';
import { credentials } from './support/credentials.ts';
import { checksum, fastEffects, tempWarehouse } from './support/harness.ts';
import { replicaSuite } from './support/replica-suite.ts';

const creds = credentials.aircall;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { seed?: number; calls?: number; faults?: TransportFaults; data?: DataFaults } = {}) {
  const world = aircallWorld({ seed: opts.seed ?? 31, calls: opts.calls ?? 200, faults: opts.data });
  const replica = await startReplica(aircallBehaviour(world, { ...creds, perPage: 25 }), { seed: opts.seed ?? 31, faults: opts.faults });
  const temp = await tempWarehouse();
  cleanups.push(() => replica.close(), temp.dispose);
  return { world, replica, ...temp };
}

const run = (wh: Warehouse, replica: Replica, extra: { timeoutMs?: number; fullRefresh?: boolean } = {}) =>
  runIngest({ warehouse: wh, adapter: aircallAdapter, batchSize: 40, fullRefresh: extra.fullRefresh, options: { baseUrl: replica.url, ...creds, timeoutMs: extra.timeoutMs ?? 5000 }, effects: fastEffects() });

/** Calls have no modification time: the checksum pairs each id with its start and the count of its comments. */
async function expectExactly(wh: Warehouse, world: AircallWorld) {
  const good = world.calls.filter((c) => !world.badIds.has(c.id));
  const landed = await wh.all<{ native_id: string; created_at: string }>("SELECT native_id, created_at FROM interactions WHERE source = 'aircall'");
  expect(landed.length).toBe(good.length);
  expect(checksum(landed.map((r) => [r.native_id, r.created_at]))).toBe(checksum(good.map((c) => [String(c.id), new Date(c.started_at * 1000).toISOString()])));
  const comments = await wh.all<{ n: number }>("SELECT count(*) AS n FROM events WHERE type = 'message' AND body <> '[voicemail]'");
  expect(comments[0].n).toBe(good.reduce((a, c) => a + (c.comments?.length ?? 0), 0));
  expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM events WHERE interaction_id LIKE 'aircall:%'"))[0].n).toBe(world.expectedEvents);
  expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM agents WHERE source = 'aircall'"))[0].n).toBe(world.users.length);
  const quarantined = await wh.all<{ native_id: string; reason: string }>("SELECT native_id, reason FROM quarantine ORDER BY native_id");
  expect(quarantined.map((q) => Number(q.native_id)).sort((a, b) => a - b)).toEqual([...world.badIds].sort((a, b) => a - b));
  for (const q of quarantined) expect(q.reason).toMatch(/^calls: (started_at|direction): /);
}

describe('aircall adapter against its replica', () => {
  replicaSuite<AircallWorld>({
    vendor: 'aircall', adapter: aircallAdapter, primaryStream: 'calls',
    world: ({ seed, size, faults }) => aircallWorld({ seed, calls: size, faults }),
    behaviour: (world, perPage) => aircallBehaviour(world, { ...creds, perPage }),
    seed: 31, size: 200, pageSize: 25,
    expectExactly,
    afterFullRun: async (_result, { wh }) => expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM teams WHERE source = 'aircall'"))[0].n).toBe(2),
    afterSecondRun: (second) => expect(second.stats.calls.unchanged).toBeGreaterThan(0), // the look-back hour was read again
    rateLimitLabel: '429 with Retry-After and X-AircallApi headers',
    retryAfterMs: 1000,
    updateBetweenPages: { count: 3, catchBy: 'full-refresh', name: 'a call updated between two pages is caught by the next full refresh (Aircall has no modified-since filter)' },
    mixed: { updateBetweenPages: 2, wrongTypes: 2, then: 'full-refresh' },
    expiredToken: { after: 4, message: /rejected the credentials \(HTTP 401: .*Check your API key/, secret: creds.apiToken },
    kill: { seeds: [6, 7], worldSeed: 9, size: 600, pageSize: 25 },
  });

  it('abandonment, short and IVR abandons, holds and callbacks are derivable from what is stored', async () => {
    const { wh, replica, world } = await setup();
    await run(wh, replica);
    const [a] = await wh.all<{ abandoned: number; ivr: number; short: number; callbacks: number }>(`SELECT
        count(*) FILTER (WHERE status = 'abandoned') AS abandoned,
        count(*) FILTER (WHERE abandon_stage = 'ivr') AS ivr,
        count(*) FILTER (WHERE list_contains(tags, 'missed_call_reason:short_abandoned')) AS short,
        count(*) FILTER (WHERE parent_interaction_id IS NOT NULL) AS callbacks
      FROM interactions WHERE source = 'aircall'`);
    expect(a.abandoned).toBe(world.expectedAbandoned);
    expect(a.ivr).toBe(world.calls.filter((c) => c.missed_call_reason === 'abandoned_in_ivr').length);
    expect(a.short).toBe(world.calls.filter((c) => c.missed_call_reason === 'short_abandoned').length);
    expect(a.callbacks).toBeGreaterThanOrEqual(world.expectedCallbacks);
    // Hold seconds: the sum of unhold minus hold in the replica's timelines.
    const held = world.calls.filter((c) => c.timeline);
    const [h] = await wh.all<{ n: number; s: number }>("SELECT count(hold_seconds) AS n, sum(hold_seconds) AS s FROM interactions WHERE source = 'aircall'");
    expect(h.n).toBe(held.length);
    expect(h.s).toBe(held.reduce((s, c) => s + (c.timeline[1].timestamp - c.timeline[0].timestamp), 0));
    // Talk time = ended - answered - hold (Aircall's duration includes ringing).
    const c = world.calls.find((x) => x.answered_at && !x.timeline)!;
    const [row] = await wh.all<{ talk_seconds: number; queue_wait_seconds: number | null }>('SELECT talk_seconds, queue_wait_seconds FROM interactions WHERE id = $1', [`aircall:${c.id}`]);
    expect(row.talk_seconds).toBe(c.ended_at - c.answered_at);
  });
});
