import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { intercomAdapter, runIngest } from '../src/index.ts';
import { startReplica, type DataFaults, type Replica, type TransportFaults } from '../replicas/index.ts';
import { intercomBehaviour } from '../replicas/intercom-replica.ts';
import { intercomWorld, type IntercomWorld } from '../replicas/intercom-world.ts';
import { credentials } from './support/credentials.ts';
import { checksum, fastEffects, snapshot, tempWarehouse } from './support/harness.ts';
import { killAndResume } from './support/kill-and-resume.ts';

const creds = credentials.intercom;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { seed?: number; conversations?: number; faults?: TransportFaults; data?: DataFaults } = {}) {
  const world = intercomWorld({ seed: opts.seed ?? 41, conversations: opts.conversations ?? 200, faults: opts.data });
  const replica = await startReplica(intercomBehaviour(world, { ...creds, perPage: 25 }), { seed: opts.seed ?? 41, faults: opts.faults });
  const temp = await tempWarehouse();
  cleanups.push(() => replica.close(), temp.dispose);
  return { world, replica, ...temp };
}

const run = (wh: Warehouse, replica: Replica, extra: { timeoutMs?: number; fullRefresh?: boolean } = {}) =>
  runIngest({ warehouse: wh, adapter: intercomAdapter, batchSize: 40, fullRefresh: extra.fullRefresh, options: { baseUrl: replica.url, ...creds, timeoutMs: extra.timeoutMs ?? 5000 }, effects: fastEffects() });

const count = async (wh: Warehouse, sql: string) => (await wh.all<{ n: number }>(sql))[0].n;

/** The checksum pairs each conversation id with its updated_at, so a missed update shows too. */
async function expectExactly(wh: Warehouse, world: IntercomWorld) {
  const good = world.conversations.filter((c) => !world.badIds.has(c.id));
  const landed = await wh.all<{ native_id: string; updated_at: string }>("SELECT native_id, updated_at FROM interactions WHERE source = 'intercom'");
  expect(landed.length).toBe(good.length);
  expect(checksum(landed.map((r) => [r.native_id, r.updated_at]))).toBe(checksum(good.map((c) => [c.id, new Date(c.updated_at * 1000).toISOString()])));
  expect(await count(wh, "SELECT count(*) AS n FROM events WHERE interaction_id LIKE 'intercom:%'")).toBe(world.expectedEvents);
  expect(await count(wh, "SELECT count(*) AS n FROM agents WHERE source = 'intercom'")).toBe(world.admins.length);
  expect(await count(wh, "SELECT count(*) AS n FROM teams WHERE source = 'intercom'")).toBe(world.teams.length);
  expect(await count(wh, "SELECT count(*) AS n FROM ingest_records WHERE source = 'intercom' AND stream = 'contacts'")).toBe(world.contacts.length);
  const quarantined = await wh.all<{ native_id: string; reason: string }>('SELECT native_id, reason FROM quarantine ORDER BY native_id');
  expect(quarantined.map((q) => q.native_id).sort()).toEqual([...world.badIds].sort());
  for (const q of quarantined) expect(q.reason).toMatch(/^conversations: (created_at|state): /);
}

describe('intercom adapter against its replica', () => {
  it('a full run lands exactly the replica conversations, contacts, admins and teams', async () => {
    const { wh, replica, world } = await setup();
    const result = await run(wh, replica);
    expect(result.status, result.error ?? '').toBe('succeeded');
    await expectExactly(wh, world);
    // Every contact with an email has it lower-cased as an identity: Customer0@Example.com -> customer0@example.com.
    expect(await wh.all("SELECT value FROM identities WHERE contact_id = 'intercom:contact:64c0ffee00000000' AND kind = 'email'")).toEqual([{ value: 'customer0@example.com' }]);
  });

  it('bot involvement, the hand-off to a human and Fin containment match the scenario each conversation was generated from', async () => {
    const { wh, replica, world } = await setup();
    await run(wh, replica);
    const by = (s: string) => [...world.scenarioOf].filter(([, v]) => v === s).length;
    const [row] = await wh.all<{ bot: number; handoffs: number; handoff_events: number; contained: number; resolved_events: number }>(`SELECT
        count(*) FILTER (WHERE bot_involved) AS bot,
        count(*) FILTER (WHERE bot_handoff_at IS NOT NULL) AS handoffs,
        (SELECT count(*) FROM events WHERE type = 'bot_handoff') AS handoff_events,
        count(*) FILTER (WHERE bot_contained) AS contained,
        (SELECT count(*) FROM events WHERE type = 'status_change' AND to_value IN ('ai_agent:assumed_resolution', 'ai_agent:confirmed_resolution')) AS resolved_events
      FROM interactions WHERE source = 'intercom'`);
    expect(row.bot).toBe(by('fin_resolved') + by('fin_escalated') + by('operator'));
    expect(row.handoffs).toBe(by('fin_escalated') + by('operator'));
    expect(row.handoff_events).toBe(row.handoffs);
    expect(row.contained).toBe(by('fin_resolved'));
    expect(row.resolved_events).toBe(by('fin_resolved'));
    // Fin-escalated: the hand-off is the moment Fin assigned the conversation to the team.
    const esc = world.conversations.find((c) => world.scenarioOf.get(c.id) === 'fin_escalated')!;
    const assignedAt = esc.conversation_parts.conversation_parts.find((p: any) => p.part_type === 'assignment').created_at;
    expect(await wh.all('SELECT bot_handoff_at, team_id FROM interactions WHERE id = $1', [`intercom:${esc.id}`])).toEqual([{ bot_handoff_at: new Date(assignedAt * 1000).toISOString(), team_id: `intercom:team:${esc.team_assignee_id}` }]);
    // CSAT and reopens: as many as the replica's ratings and statistics say.
    expect(await count(wh, "SELECT count(csat_score) AS n FROM interactions WHERE source = 'intercom'")).toBe(world.conversations.filter((c) => c.conversation_rating).length);
    expect(await count(wh, "SELECT sum(reopen_count) AS n FROM interactions WHERE source = 'intercom'")).toBe(world.conversations.reduce((s, c) => s + c.statistics.count_reopens, 0));
  });

  it('a second run with nothing new changes nothing', async () => {
    const { wh, replica } = await setup();
    await run(wh, replica);
    const before = await snapshot(wh);
    const second = await run(wh, replica);
    for (const s of Object.values(second.stats)) expect(s.inserted + s.updated + s.quarantined).toBe(0);
    expect(second.stats.conversations.unchanged).toBeGreaterThan(0); // the look-back minute was read again
    expect(await snapshot(wh)).toEqual(before);
  });

  const alone: [string, { faults?: TransportFaults; data?: DataFaults; timeoutMs?: number }][] = [
    ['429 with X-RateLimit headers and an error.list body', { faults: { rateLimit: 0.3 } }],
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

  it('a conversation updated between two pages is read again in the same run (it moves to the end of the updated_at order)', async () => {
    const { wh, replica, world } = await setup({ data: { updateBetweenPages: 3 } });
    const result = await run(wh, replica);
    expect(result.status, result.error ?? '').toBe('succeeded');
    expect(result.stats.conversations.updated).toBe(3);
    await expectExactly(wh, world);
  });

  it('with every misbehaviour at once it still ends with exactly the replica records', async () => {
    const { wh, replica, world } = await setup({
      faults: { rateLimit: 0.1, serverError: 0.1, connectionReset: 0.05, truncated: 0.05, slow: 0.03, slowMs: 800 },
      data: { duplicateAcrossPages: true, updateBetweenPages: 2, extraFields: true, missingOptional: true, wrongTypes: 2 },
    });
    expect((await run(wh, replica, { timeoutMs: 250 })).status).toBe('succeeded');
    expect((await run(wh, replica, { timeoutMs: 250 })).status).toBe('succeeded');
    await expectExactly(wh, world);
  });

  it('an expired token fails the run with a clear message; a renewed token completes it exactly', async () => {
    const { wh, replica, world } = await setup({ faults: { expireTokenAfter: 6 } });
    const failed = await run(wh, replica);
    expect(failed.status).toBe('failed');
    // The framework keeps the first 120 characters of the body: with a request id before it, the error code is what shows.
    expect(failed.error).toMatch(/rejected the credentials \(HTTP 401: .*"code":"unauthorized"/);
    expect(failed.error).not.toContain(creds.accessToken);
    replica.renewToken();
    expect((await run(wh, replica)).status).toBe('succeeded');
    await expectExactly(wh, world);
  });

  it.each([6, 7])('a run killed with SIGKILL at a random point (seed %i) and run again ends the same', async (seed) => {
    const world = intercomWorld({ seed: 9, conversations: 400 });
    const replica = await startReplica(intercomBehaviour(world, { ...creds, perPage: 25 }), { seed });
    cleanups.push(() => replica.close());
    const r = await killAndResume('intercom', replica.url, seed);
    expect(r.resumed.status).toBe('succeeded');
    expect(r.after).toEqual(r.expected);
    expect(r.statuses.at(-1)).toBe('succeeded');
    expect(r.statuses).not.toContain('running');
    console.log(`intercom seed ${seed}: killed after batch ${r.killAt} of ${r.batches} (${r.killed ? 'SIGKILL' : 'finished first'}), ${r.committed} records committed before`);
  }, 60_000);
});
