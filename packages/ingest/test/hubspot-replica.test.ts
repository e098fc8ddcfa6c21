import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { hubspotAdapter, runIngest } from '../src/index.ts';
import { hubspotBehaviour, hubspotWorld, startReplica, type DataFaults, type HubSpotWorld, type Replica, type TransportFaults } from '../replicas/index.ts';
import { credentials } from './support/credentials.ts';
import { checksum, fastEffects, tempWarehouse } from './support/harness.ts';
import { replicaSuite } from './support/replica-suite.ts';

const creds = credentials.hubspot;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { seed?: number; contacts?: number; faults?: TransportFaults; data?: DataFaults } = {}) {
  const world = hubspotWorld({ seed: opts.seed ?? 21, contacts: opts.contacts ?? 120, faults: opts.data });
  const replica = await startReplica(hubspotBehaviour(world, { ...creds }), { seed: opts.seed ?? 21, faults: opts.faults });
  const temp = await tempWarehouse();
  cleanups.push(() => replica.close(), temp.dispose);
  return { world, replica, ...temp };
}

const run = (wh: Warehouse, replica: Replica, timeoutMs = 5000) =>
  runIngest({ warehouse: wh, adapter: hubspotAdapter, batchSize: 40, options: { baseUrl: replica.url, ...creds, pageSize: 20, timeoutMs, tierProperty: 'account_tier' }, effects: fastEffects() });

async function expectExactly(wh: Warehouse, world: HubSpotWorld) {
  const good = world.contacts.filter((c) => !world.badIds.has(c.id));
  const contacts = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE stream = 'contacts'");
  expect(contacts.length).toBe(good.length);
  expect(checksum(contacts.map((c) => [c.native_id, c.version]))).toBe(checksum(good.map((c) => [c.id, c.updatedAt])));
  const companies = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE stream = 'companies'");
  expect(checksum(companies.map((c) => [c.native_id, c.version]))).toBe(checksum(world.companies.map((c) => [c.id, c.updatedAt])));
  expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM identities WHERE source = 'hubspot'"))[0].n).toBe(world.expectedIdentities);
  expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM customer_attributes WHERE source = 'hubspot'"))[0].n).toBe(world.expectedAttributes);
  const quarantined = await wh.all<{ native_id: string; reason: string }>("SELECT native_id, reason FROM quarantine ORDER BY native_id");
  expect(quarantined.map((q) => q.native_id).sort()).toEqual([...world.badIds].sort());
  for (const q of quarantined) expect(q.reason).toMatch(/^contacts: (properties\.email|updatedAt): /);
}

describe('hubspot adapter against its replica', () => {
  replicaSuite<HubSpotWorld>({
    vendor: 'hubspot', adapter: hubspotAdapter, primaryStream: 'contacts',
    world: ({ seed, size, faults }) => hubspotWorld({ seed, contacts: size, faults }),
    behaviour: (world, pageSize) => hubspotBehaviour(world, { ...creds, pageSize }),
    seed: 21, size: 120, pageSize: 200,
    options: { pageSize: 20, tierProperty: 'account_tier' },
    expectExactly,
    afterFullRun: (result) => expect(result.stats.contacts.inserted).toBe(120),
    rateLimitLabel: '429 with Retry-After and X-HubSpot-RateLimit headers',
    retryAfterMs: 1000,
    updateBetweenPages: { count: 4, catchBy: 'same-run' },
    mixed: { updateBetweenPages: 2, wrongTypes: 2, then: 'none' },
    expiredToken: { after: 5, message: /rejected the credentials \(HTTP 401: .*Authentication credentials not found/, secret: creds.accessToken },
    kill: { seeds: [4, 5], worldSeed: 8, size: 600, pageSize: 20 },
  });

  it('a tier change keeps its date: the attribute intervals follow the property history', async () => {
    const { wh, replica, world } = await setup({ contacts: 30 });
    await run(wh, replica);
    const c = world.contacts.find((x) => world.history.get(x.id)!.account_tier.length >= 2)!;
    const h = world.history.get(c.id)!.account_tier;
    const rows = await wh.all<{ value: string; valid_from: string; valid_to: string | null }>(
      "SELECT value, valid_from, valid_to FROM customer_attributes WHERE contact_id = $1 AND attribute = 'tier' ORDER BY valid_from", [`hubspot:contact:${c.id}`]);
    expect(rows).toEqual(h.map((e, i) => ({ value: e.value, valid_from: e.timestamp, valid_to: h[i + 1]?.timestamp ?? null })));
    const ids = await wh.all<{ kind: string; value: string }>("SELECT kind, value FROM identities WHERE contact_id = $1 ORDER BY kind, value", [`hubspot:contact:${c.id}`]);
    expect(ids.find((i) => i.kind === 'email')?.value).toBe(c.properties.email.toLowerCase());
    expect(ids.find((i) => i.kind === 'account')?.value).toBe(`hubspot:company:${c.properties.associatedcompanyid}`);
  });
});
