import { afterEach, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { runIngest, zendeskAdapter } from '../src/index.ts';
import { startReplica, zendeskBehaviour, zendeskWorld, type DataFaults, type Replica, type TransportFaults, type ZendeskWorld } from '../replicas/index.ts';
import { credentials } from './support/credentials.ts';
import { checksum, fastEffects, tempWarehouse } from './support/harness.ts';
import { replicaSuite } from './support/replica-suite.ts';

const creds = credentials.zendesk;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { seed?: number; tickets?: number; faults?: TransportFaults; data?: DataFaults } = {}) {
  const world = zendeskWorld({ seed: opts.seed ?? 11, tickets: opts.tickets ?? 150, faults: opts.data });
  const replica = await startReplica(zendeskBehaviour(world, { ...creds, pageSize: 25 }), { seed: opts.seed ?? 11, faults: opts.faults });
  const temp = await tempWarehouse();
  cleanups.push(() => replica.close(), temp.dispose);
  return { world, replica, ...temp };
}

function run(wh: Warehouse, replica: Replica, extra: { timeoutMs?: number; effects?: ReturnType<typeof fastEffects> } = {}) {
  return runIngest({
    warehouse: wh, adapter: zendeskAdapter, batchSize: 40,
    options: { baseUrl: replica.url, ...creds, timeoutMs: extra.timeoutMs ?? 5000 },
    effects: extra.effects ?? fastEffects(),
  });
}

/** The replica's own truth, and the warehouse's, compared by count and checksum. */
async function expectExactly(wh: Warehouse, world: ZendeskWorld) {
  const good = world.tickets.filter((t) => !world.badTicketIds.has(t.id));
  const landed = await wh.all<{ native_id: string; updated_at: string }>("SELECT native_id, updated_at FROM interactions WHERE source = 'zendesk'");
  expect(landed.length).toBe(good.length);
  expect(checksum(landed.map((r) => [r.native_id, r.updated_at]))).toBe(checksum(good.map((t) => [String(t.id), t.updated_at])));
  const users = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE stream = 'users'");
  expect(checksum(users.map((u) => [u.native_id, u.version]))).toBe(checksum(world.users.map((u) => [String(u.id), u.updated_at])));
  const audits = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE stream = 'ticket_events'");
  expect(checksum(audits.map((a) => [a.native_id, a.version]))).toBe(checksum(world.ticketEvents.map((e) => [String(e.id), e.created_at])));
  // Events: counted by the generator while it wrote the history (comments, changes, reopens, CSAT).
  expect((await wh.all<{ n: number }>('SELECT count(*) AS n FROM events'))[0].n).toBe(world.expectedEvents);
  // Every record exactly once in the raw landing too (one row per landed version).
  const [raw] = await wh.all<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT (stream, native_id, payload::VARCHAR)) AS d FROM raw_records');
  expect(raw.n).toBe(raw.d);
  const quarantined = await wh.all<{ native_id: string; reason: string }>("SELECT native_id, reason FROM quarantine WHERE stream = 'tickets' ORDER BY native_id");
  expect(quarantined.map((q) => Number(q.native_id)).sort((a, b) => a - b)).toEqual([...world.badTicketIds].sort((a, b) => a - b));
  for (const q of quarantined) expect(q.reason).toMatch(/^tickets: (created_at|tags): /);
}

describe('zendesk adapter against its replica', () => {
  replicaSuite<ZendeskWorld>({
    vendor: 'zendesk', adapter: zendeskAdapter, primaryStream: 'tickets',
    world: ({ seed, size, faults }) => zendeskWorld({ seed, tickets: size, faults }),
    behaviour: (world, pageSize) => zendeskBehaviour(world, { ...creds, pageSize }),
    seed: 11, size: 150, pageSize: 25,
    expectExactly,
    async afterFullRun(result, { wh }) {
      // 150 tickets in pages of 25 = 6 pages, plus the final empty-cursor check is not needed: end_of_stream on page 6.
      expect(result.stats.tickets).toMatchObject({ fetched: 150, inserted: 150, pages: 6, quarantined: 0 });
      const [log] = await wh.all<{ status: string; stats: string }>('SELECT status, stats::VARCHAR AS stats FROM ingest_runs');
      expect(log.status).toBe('succeeded');
      expect(JSON.parse(log.stats).streams.tickets.inserted).toBe(150);
    },
    rateLimitLabel: '429 with Retry-After',
    retryAfterMs: 1000, // Retry-After: 1 second
    updateBetweenPages: {
      count: 5, catchBy: 'same-run',
      check: (world) => expect(world.tickets.filter((t) => t.tags?.includes?.('updated_mid_read'))).toHaveLength(5),
    },
    mixed: { updateBetweenPages: 3, wrongTypes: 3, then: 'none' },
    expiredToken: { after: 8, message: /rejected the credentials \(HTTP 401: .*Couldn't authenticate you.*\); check or renew the token/, secret: creds.apiToken },
    kill: { seeds: [1, 2, 3], worldSeed: 5, size: 400, pageSize: 20 },
  });

  it('maps via.channel to our channels and derives first reply, resolution and reopens from events', async () => {
    const { wh, replica, world } = await setup({ tickets: 60 });
    await run(wh, replica);
    const rows = await wh.all<{ native_id: string; channel: string }>("SELECT native_id, channel FROM interactions");
    const expected: Record<string, string> = { web: 'email', email: 'email', chat: 'chat', native_messaging: 'chat', voice: 'phone', twitter: 'social', facebook: 'social', instagram: 'social', api: 'email' };
    for (const r of rows) expect(r.channel).toBe(expected[world.tickets.find((t) => String(t.id) === r.native_id).via.channel]);
    // Ticket 1's first public agent reply is the third audit's comment.
    const t1 = world.ticketEvents.filter((e) => e.ticket_id === 1);
    const firstAgentReply = t1.find((e) => e.child_events.some((c: any) => c.event_type === 'Comment' && c.public && c.author_id < 100000));
    const [i1] = await wh.all<{ first_response_at: string; reopen_count: number }>("SELECT first_response_at, reopen_count FROM interactions WHERE id = 'zendesk:1'");
    expect(i1.first_response_at).toBe(new Date(firstAgentReply.created_at).toISOString());
    const reopens = t1.filter((e) => e.child_events.some((c: any) => c.status === 'open' && c.previous_value === 'solved')).length;
    expect(i1.reopen_count).toBe(reopens);
    const seqs = await wh.all<{ ok: boolean }>("SELECT bool_and(id = interaction_id || ':' || seq) AND max(seq) + 1 = count(*) AS ok FROM events GROUP BY interaction_id");
    expect(seqs.every((s) => s.ok)).toBe(true);
  });

  it('bad options fail before anything runs, naming the variable and never printing a secret', async () => {
    const { wh } = await setup({ tickets: 5 });
    await expect(runIngest({ warehouse: wh, adapter: zendeskAdapter, options: { baseUrl: 'not a url', apiToken: 'sekrit' } }))
      .rejects.toThrow(/zendesk options: baseUrl: .*\(set ZENDESK_URL\)/);
    await expect(runIngest({ warehouse: wh, adapter: zendeskAdapter, options: { baseUrl: 'http://127.0.0.1:1', apiToken: 'sekrit' } }))
      .rejects.toThrow(/apiToken: give an API token with the agent email, or an OAuth token/);
  });
});
