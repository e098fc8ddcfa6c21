import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { aircallAdapter, runIngest } from '../src/index.ts';
import { aircallBehaviour, aircallWorld, startReplica, type AircallWorld, type DataFaults, type Replica, type TransportFaults } from '../replicas/index.ts';
import { credentials } from './support/credentials.ts';
import { checksum, fastEffects, snapshot, tempWarehouse } from './support/harness.ts';
import { killAndResume } from './support/kill-and-resume.ts';

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
  it('a full run lands exactly the replica calls, users and teams', async () => {
    const { wh, replica, world } = await setup();
    const result = await run(wh, replica);
    expect(result.status, result.error ?? '').toBe('succeeded');
    await expectExactly(wh, world);
    expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM teams WHERE source = 'aircall'"))[0].n).toBe(2);
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

  it('a second run with nothing new changes nothing', async () => {
    const { wh, replica } = await setup();
    await run(wh, replica);
    const before = await snapshot(wh);
    const second = await run(wh, replica);
    for (const s of Object.values(second.stats)) expect(s.inserted + s.updated + s.quarantined).toBe(0);
    expect(second.stats.calls.unchanged).toBeGreaterThan(0); // the look-back hour was read again
    expect(await snapshot(wh)).toEqual(before);
  });

  const alone: [string, { faults?: TransportFaults; data?: DataFaults; timeoutMs?: number }][] = [
    ['429 with Retry-After and X-AircallApi headers', { faults: { rateLimit: 0.3 } }],
    ['500/502/503', { faults: { serverError: 0.3 } }],
    ['connection reset', { faults: { connectionReset: 0.2 } }],
    ['a response slower than the client timeout', { faults: { slow: 0.1, slowMs: 800 }, timeoutMs: 200 }],
    ['truncated JSON', { faults: { truncated: 0.2 } }],
    ['the same record on two pages', { data: { duplicateAcrossPages: true } }],
    ['unknown extra fields', { data: { extraFields: true } }],
    ['missing optional fields', { data: { missingOptional: true } }],
    ['wrong types', { data: { wrongTypes: 4 } }],
  ];
  it.each(alone)('with %s it still ends with exactly the replica records', async (_n, f) => {
    const { wh, replica, world } = await setup({ faults: f.faults, data: f.data });
    const result = await run(wh, replica, { timeoutMs: f.timeoutMs });
    expect(result.status, result.error ?? '').toBe('succeeded');
    await expectExactly(wh, world);
  });

  it('a call updated between two pages is caught by the next full refresh (Aircall has no modified-since filter)', async () => {
    const { wh, replica, world } = await setup({ data: { updateBetweenPages: 3 } });
    expect((await run(wh, replica)).status).toBe('succeeded');
    const refreshed = await run(wh, replica, { fullRefresh: true });
    expect(refreshed.stats.calls.updated).toBe(3);
    await expectExactly(wh, world);
  });

  it('with every misbehaviour at once it still ends with exactly the replica records', async () => {
    const { wh, replica, world } = await setup({
      faults: { rateLimit: 0.1, serverError: 0.1, connectionReset: 0.05, truncated: 0.05, slow: 0.03, slowMs: 800 },
      data: { duplicateAcrossPages: true, updateBetweenPages: 2, extraFields: true, missingOptional: true, wrongTypes: 2 },
    });
    expect((await run(wh, replica, { timeoutMs: 250 })).status).toBe('succeeded');
    expect((await run(wh, replica, { timeoutMs: 250, fullRefresh: true })).status).toBe('succeeded');
    await expectExactly(wh, world);
  });

  it('an expired token fails the run with a clear message; a renewed token completes it exactly', async () => {
    const { wh, replica, world } = await setup({ faults: { expireTokenAfter: 4 } });
    const failed = await run(wh, replica);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/rejected the credentials \(HTTP 401: .*Check your API key/);
    expect(failed.error).not.toContain(creds.apiToken);
    replica.renewToken();
    expect((await run(wh, replica)).status).toBe('succeeded');
    await expectExactly(wh, world);
  });

  it.each([6, 7])('a run killed with SIGKILL at a random point (seed %i) and run again ends the same', async (seed) => {
    const world = aircallWorld({ seed: 9, calls: 600 });
    const replica = await startReplica(aircallBehaviour(world, { ...creds, perPage: 25 }), { seed });
    cleanups.push(() => replica.close());
    const r = await killAndResume('aircall', replica.url, seed);
    expect(r.resumed.status).toBe('succeeded');
    expect(r.after).toEqual(r.expected);
    expect(r.statuses.at(-1)).toBe('succeeded');
    expect(r.statuses).not.toContain('running');
    console.log(`aircall seed ${seed}: killed after batch ${r.killAt} of ${r.batches} (${r.killed ? 'SIGKILL' : 'finished first'}), ${r.committed} records committed before`);
  }, 60_000);
});
