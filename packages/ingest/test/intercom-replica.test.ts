import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { intercomAdapter, runIngest } from '../src/index.ts';
import { startReplica, type DataFaults, type Replica, type TransportFaults } from '../replicas/index.ts';
import { intercomBehaviour } from '../replicas/intercom-replica.ts';
import { intercomWorld, type IntercomWorld } from '../replicas/intercom-world.ts';
import { credentials } from './support/credentials.ts';
import { checksum, fastEffects, tempWarehouse } from './support/harness.ts';
import { replicaSuite } from './support/replica-suite.ts';

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
  replicaSuite<IntercomWorld>({
    vendor: 'intercom', adapter: intercomAdapter, primaryStream: 'conversations',
    world: ({ seed, size, faults }) => intercomWorld({ seed, conversations: size, faults }),
    behaviour: (world, perPage) => intercomBehaviour(world, { ...creds, perPage }),
    seed: 41, size: 200, pageSize: 25,
    expectExactly,
    // Every contact with an email has it lower-cased as an identity: Customer0@Example.com -> customer0@example.com.
    afterFullRun: async (_result, { wh }) => expect(await wh.all("SELECT value FROM identities WHERE contact_id = 'intercom:contact:64c0ffee00000000' AND kind = 'email'")).toEqual([{ value: 'customer0@example.com' }]),
    afterSecondRun: (second) => expect(second.stats.conversations.unchanged).toBeGreaterThan(0), // the look-back minute was read again
    rateLimitLabel: '429 with X-RateLimit headers and an error.list body',
    updateBetweenPages: { count: 3, catchBy: 'same-run', name: 'a conversation updated between two pages is read again in the same run (it moves to the end of the updated_at order)' },
    mixed: { updateBetweenPages: 2, wrongTypes: 2, then: 'incremental' },
    // The framework keeps the first 120 characters of the body: with a request id before it, the error code is what shows.
    expiredToken: { after: 6, message: /rejected the credentials \(HTTP 401: .*"code":"unauthorized"/, secret: creds.accessToken },
    kill: { seeds: [6, 7], worldSeed: 9, size: 400, pageSize: 25 },
  });

  it('bot involvement, the hand-off to a human and Fin containment match the scenario each conversation was generated from', async () => {
    const { wh, replica, world } = await setup();
    await run(wh, replica);
    const by = (s: string) => [...world.scenarioOf].filter(([, v]) => v === s).length;
    const [row] = await wh.all<{ bot: number; handoffs: number; handoff_events: number; contained: number; resolved_states: number; bot_status_events: number }>(`SELECT
        count(*) FILTER (WHERE bot_involved) AS bot,
        count(*) FILTER (WHERE bot_handoff_at IS NOT NULL) AS handoffs,
        (SELECT count(*) FROM events WHERE type = 'bot_handoff') AS handoff_events,
        count(*) FILTER (WHERE bot_contained) AS contained,
        count(*) FILTER (WHERE bot_state IN ('assumed_resolution', 'confirmed_resolution')) AS resolved_states,
        (SELECT count(*) FROM events WHERE type = 'status_change' AND to_value LIKE 'ai_agent%') AS bot_status_events
      FROM interactions WHERE source = 'intercom'`);
    expect(row.bot).toBe(by('fin_resolved') + by('fin_escalated') + by('operator'));
    expect(row.handoffs).toBe(by('fin_escalated') + by('operator'));
    expect(row.handoff_events).toBe(row.handoffs);
    expect(row.contained).toBe(by('fin_resolved'));
    // Fin's state is the bot's own (bot_state), never a status of the conversation.
    expect(row.resolved_states).toBe(by('fin_resolved'));
    expect(row.bot_status_events).toBe(0);
    // Fin-escalated: the hand-off is the moment Fin assigned the conversation to the team.
    const esc = world.conversations.find((c) => world.scenarioOf.get(c.id) === 'fin_escalated')!;
    const assignedAt = esc.conversation_parts.conversation_parts.find((p: any) => p.part_type === 'assignment').created_at;
    expect(await wh.all('SELECT bot_handoff_at, team_id FROM interactions WHERE id = $1', [`intercom:${esc.id}`])).toEqual([{ bot_handoff_at: new Date(assignedAt * 1000).toISOString(), team_id: `intercom:team:${esc.team_assignee_id}` }]);
    // CSAT and reopens: as many as the replica's ratings and statistics say.
    expect(await count(wh, "SELECT count(csat_score) AS n FROM interactions WHERE source = 'intercom'")).toBe(world.conversations.filter((c) => c.conversation_rating).length);
    expect(await count(wh, "SELECT sum(reopen_count) AS n FROM interactions WHERE source = 'intercom'")).toBe(world.conversations.reduce((s, c) => s + c.statistics.count_reopens, 0));
  });
});
