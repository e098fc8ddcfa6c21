import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { runIngest } from '../src/index.ts';
import { salesforceAdapter } from '../src/adapters/salesforce/index.ts';
import { incrementalSoql, soqlDateTime } from '../src/adapters/salesforce/soql.ts';
import { salesforceBehaviour, salesforceWorld, startReplica, type SalesforceWorld } from '../replicas/index.ts';
import { credentials } from './support/credentials.ts';
import { checksum, fastEffects, tempWarehouse } from './support/harness.ts';
import { replicaSuite } from './support/replica-suite.ts';

const creds = credentials.salesforce;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(contacts = 40) {
  const world = salesforceWorld({ seed: 51, contacts });
  const replica = await startReplica(salesforceBehaviour(world, { ...creds, pageSize: 25 }), { seed: 51 });
  const temp = await tempWarehouse();
  cleanups.push(() => replica.close(), temp.dispose);
  return { world, replica, ...temp };
}

const count = async (wh: Warehouse, sql: string) => (await wh.all<{ n: number }>(sql))[0].n;

/** Ledger versions are the rows' SystemModstamp: the checksum pairs each Id with it. */
async function expectExactly(wh: Warehouse, world: SalesforceWorld) {
  const good = world.contacts.filter((c) => !world.badIds.has(c.Id));
  const contacts = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE source = 'salesforce' AND stream = 'contacts'");
  expect(contacts.length).toBe(good.length);
  expect(checksum(contacts.map((c) => [c.native_id, c.version]))).toBe(checksum(good.map((c) => [c.Id, c.SystemModstamp])));
  const accounts = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE source = 'salesforce' AND stream = 'accounts'");
  expect(checksum(accounts.map((a) => [a.native_id, a.version]))).toBe(checksum(world.accounts.map((a) => [a.Id, a.SystemModstamp])));
  expect(await count(wh, "SELECT count(*) AS n FROM identities WHERE source = 'salesforce'")).toBe(world.expectedIdentities);
  expect(await count(wh, "SELECT count(*) AS n FROM customer_attributes WHERE source = 'salesforce'")).toBe(world.expectedAttributes);
  // Every Service Cloud stream: exactly the org's rows (deleted ones included, as queryAll returns them), by Id and version.
  const streams: [string, any[], string][] = [
    ['users', world.users, 'SystemModstamp'], ['groups', world.groups, 'SystemModstamp'], ['cases', world.cases, 'SystemModstamp'],
    ['case_history', world.caseHistory, 'CreatedDate'], ['email_messages', world.emailMessages, 'SystemModstamp'],
    ['case_comments', world.caseComments, 'SystemModstamp'], ['chat_transcripts', world.chatTranscripts, 'SystemModstamp'],
  ];
  for (const [stream, rows, stamp] of streams) {
    const landed = await wh.all<{ native_id: string; version: string }>("SELECT native_id, version FROM ingest_records WHERE source = 'salesforce' AND stream = $1", [stream]);
    expect(landed.length, stream).toBe(rows.length);
    expect(checksum(landed.map((r) => [r.native_id, r.version])), stream).toBe(checksum(rows.map((r) => [r.Id, r[stamp]])));
  }
  expect(await count(wh, "SELECT count(*) AS n FROM interactions WHERE source = 'salesforce'")).toBe(world.expectedInteractions);
  expect(await count(wh, "SELECT count(*) AS n FROM events WHERE interaction_id LIKE 'salesforce:%'")).toBe(world.expectedEvents);
  // Standard users are agents, queues are queues (and their teams); portal users and public groups are not.
  expect(await count(wh, "SELECT count(*) AS n FROM agents WHERE source = 'salesforce'")).toBe(world.users.filter((u) => u.UserType === 'Standard').length);
  expect(await count(wh, "SELECT count(*) AS n FROM queues WHERE source = 'salesforce'")).toBe(world.groups.filter((g) => g.Type === 'Queue').length);
  const quarantined = await wh.all<{ native_id: string; reason: string }>('SELECT native_id, reason FROM quarantine ORDER BY native_id');
  expect(quarantined.map((q) => q.native_id).sort()).toEqual([...world.badIds].sort());
  for (const q of quarantined) expect(q.reason).toMatch(/^contacts: (Email|SystemModstamp): /);
}

describe('salesforce adapter against its replica', () => {
  replicaSuite<SalesforceWorld>({
    vendor: 'salesforce', adapter: salesforceAdapter, primaryStream: 'cases',
    world: ({ seed, size, faults }) => salesforceWorld({ seed, contacts: size, faults }),
    behaviour: (world, pageSize) => salesforceBehaviour(world, { ...creds, pageSize }),
    seed: 61, size: 150, pageSize: 25,
    expectExactly,
    afterFullRun: (result) => {
      // 150 contacts in batches of 25: 6 pages, then the re-query from the newest stamp brings back
      // only the boundary row (1 page): 7 pages, 151 rows, 150 inserted.
      expect(result.stats.contacts).toMatchObject({ fetched: 151, inserted: 150, unchanged: 1, pages: 7, quarantined: 0 });
    },
    afterSecondRun: (second) => expect(second.stats.contacts.unchanged).toBeGreaterThan(0), // the boundary second is read again
    rateLimitLabel: 'REQUEST_LIMIT_EXCEEDED (HTTP 403, retried as a rate limit)',
    updateBetweenPages: { count: 4, catchBy: 'same-run', name: 'a case updated between two pages is read again in the same run (the query is repeated from the newest SystemModstamp)' },
    mixed: { updateBetweenPages: 2, wrongTypes: 2, then: 'none' },
    expiredToken: { after: 5, message: /HTTP 401: .*"errorCode":"INVALID_SESSION_ID"/, secret: creds.accessToken },
    kill: { seeds: [8, 9], worldSeed: 10, size: 500, pageSize: 20 },
  });

  it('the tier field lands as customer attributes whose validity follows the field history', async () => {
    const { wh, replica, world } = await setup();
    const result = await runIngest({ warehouse: wh, adapter: salesforceAdapter, options: { baseUrl: replica.url, ...creds }, effects: fastEffects() });
    expect(result.status, result.error ?? '').toBe('succeeded');
    for (const [id, history] of world.tierHistory) {
      const rows = await wh.all("SELECT value, valid_from, valid_to FROM customer_attributes WHERE contact_id = $1 AND attribute = 'tier' ORDER BY valid_from", [`salesforce:account:${id}`]);
      expect(rows, id).toEqual(history.map((h, i) => ({ value: h.value, valid_from: new Date(h.at).toISOString(), valid_to: history[i + 1] ? new Date(history[i + 1].at).toISOString() : null })));
    }
    expect([...world.tierHistory.values()].some((h) => h.length >= 2)).toBe(true);
    // Contact 1: email lower-cased, both phones as E.164-ish digits, linked to its account.
    const c = world.contacts.find((x) => x.Phone && x.MobilePhone && x.AccountId)!;
    const ids = await wh.all<{ kind: string; value: string }>('SELECT kind, value FROM identities WHERE contact_id = $1 ORDER BY kind, value', [`salesforce:contact:${c.Id}`]);
    const digits = (p: string) => (p.startsWith('+') ? '+' : '') + p.replace(/\D/g, '');
    expect(ids).toEqual([
      { kind: 'account', value: `salesforce:account:${c.AccountId}` },
      { kind: 'crm_contact', value: c.Id },
      { kind: 'email', value: c.Email.toLowerCase() },
      { kind: 'name', value: c.Name.toLowerCase() },
      ...[digits(c.Phone), digits(c.MobilePhone)].sort().map((value) => ({ kind: 'phone', value })),
    ]);
  });

  it('another tier field is read when configured, and an unknown one fails with the org\'s INVALID_FIELD message', async () => {
    const { wh, replica } = await setup(10);
    const bad = await runIngest({ warehouse: wh, adapter: salesforceAdapter, options: { baseUrl: replica.url, ...creds, tierField: 'Service_Level__c' }, effects: fastEffects() });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/HTTP 400: .*No such column 'Service_Level__c' on entity 'Account'/);
    await expect(runIngest({ warehouse: wh, adapter: salesforceAdapter, options: { baseUrl: replica.url, ...creds, tierField: 'Tier__c FROM User --' } }))
      .rejects.toThrow(/salesforce options: tierField: expected a field API name such as Tier__c/);
  });

  it('a case deleted in the org leaves the warehouse on the next incremental run (queryAll), with its events, and the run counts it', async () => {
    const { wh, replica, world } = await setup();
    const options = { baseUrl: replica.url, ...creds };
    const first = await runIngest({ warehouse: wh, adapter: salesforceAdapter, options, effects: fastEffects() });
    expect(first.status, first.error ?? '').toBe('succeeded');
    // A case with emails and history: deleting it must take several events along.
    const victim = world.cases.find((c) => world.emailMessages.some((m) => m.ParentId === c.Id) && world.caseHistory.some((h) => h.CaseId === c.Id))!;
    const id = `salesforce:case:${victim.Id}`;
    expect(await count(wh, `SELECT count(*) AS n FROM events WHERE interaction_id = '${id}'`)).toBeGreaterThan(1);
    world.deleteCase(victim.Id);
    const second = await runIngest({ warehouse: wh, adapter: salesforceAdapter, options, effects: fastEffects() });
    expect(second.status, second.error ?? '').toBe('succeeded');
    expect(second.stats.cases.deleted).toBe(1);
    expect(await count(wh, `SELECT count(*) AS n FROM interactions WHERE id = '${id}'`)).toBe(0);
    expect(await count(wh, `SELECT count(*) AS n FROM events WHERE interaction_id = '${id}'`)).toBe(0);
    // The rest of the org is exactly as the world now says (its expected counts left the deleted case out).
    expect(await count(wh, "SELECT count(*) AS n FROM interactions WHERE source = 'salesforce'")).toBe(world.expectedInteractions);
    expect(await count(wh, "SELECT count(*) AS n FROM events WHERE interaction_id LIKE 'salesforce:%'")).toBe(world.expectedEvents);
  });

  it('an expired session is renewed with the OAuth refresh-token grant and the run completes exactly', async () => {
    const world = salesforceWorld({ seed: 52, contacts: 40 });
    const refresh = { refreshToken: 'replica-refresh-token', clientId: 'replica-client', newAccessToken: 'renewed-access-token' };
    const replica = await startReplica(salesforceBehaviour(world, { ...creds, pageSize: 25, refresh }), { seed: 52, faults: { expireTokenAfter: 4 } });
    const temp = await tempWarehouse();
    cleanups.push(() => replica.close(), temp.dispose);
    const options = { baseUrl: replica.url, ...creds, refreshToken: refresh.refreshToken, clientId: refresh.clientId };
    const result = await runIngest({ warehouse: temp.wh, adapter: salesforceAdapter, options, effects: fastEffects() });
    expect(result.status, result.error ?? '').toBe('succeeded');
    expect(replica.stats.faults).toMatchObject({ expiredToken: 1, tokenRefreshed: 1 });
    await expectExactly(temp.wh, world);
    // A refresh token the org does not know fails the run asking for a new token.
    const world2 = salesforceWorld({ seed: 53, contacts: 10 });
    const replica2 = await startReplica(salesforceBehaviour(world2, { ...creds, refresh }), { seed: 53, faults: { expireTokenAfter: 2 } });
    const temp2 = await tempWarehouse();
    cleanups.push(() => replica2.close(), temp2.dispose);
    const failed = await runIngest({ warehouse: temp2.wh, adapter: salesforceAdapter, options: { ...options, baseUrl: replica2.url, refreshToken: 'revoked' }, effects: fastEffects() });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/HTTP 401: .*INVALID_SESSION_ID/);
  });

  it('the SOQL is the documented incremental form: SystemModstamp at or after the cursor, floored to the second, oldest first', () => {
    expect(soqlDateTime('2026-01-31T09:15:02.789Z')).toBe('2026-01-31T09:15:02Z');
    expect(incrementalSoql('Contact', ['Id', 'Email'], '2026-01-01T00:00:00.500Z', ["SELECT Field FROM Histories WHERE Field = 'Tier__c'"])).toBe(
      "SELECT Id, Email, (SELECT Field FROM Histories WHERE Field = 'Tier__c') FROM Contact WHERE SystemModstamp >= 2026-01-01T00:00:00Z ORDER BY SystemModstamp ASC, Id ASC",
    );
  });
});
