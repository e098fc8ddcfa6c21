import { describe, expect, test } from 'vitest';
import { applyDeferredWrites, resolveIdentities, Warehouse } from '../src/index.ts';
import { insertIdentities, type IdentityRow } from './identity-fixture.ts';

const at = (minute: number) => () => new Date(Date.UTC(2026, 2, 3, 9, minute));
const row = (contact: string, kind: string, raw: string, verified = false): IdentityRow =>
  ({ id: `${contact}:${kind}`, contact_id: contact, source: contact.split(':')[0], kind, raw_value: raw, verified });

async function email(wh: Warehouse, id: string, contact: string, body: string): Promise<void> {
  await wh.run(`INSERT INTO interactions (id, source, native_id, channel, direction, contact_id, status, created_at, updated_at)
    VALUES ($1, 'zendesk', split_part($1, ':', 2), 'email', 'inbound', $2, 'closed', TIMESTAMPTZ '2026-03-02 10:00:00+00', TIMESTAMPTZ '2026-03-02 10:00:00+00')`,
  [id, contact]);
  await wh.run(`INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, is_public, body)
    VALUES ($1 || ':0', $1, 0, TIMESTAMPTZ '2026-03-02 10:00:00+00', 'message', 'customer', true, $2)`, [id, body]);
  // An agent's reply signed with a member's name must not count: only the customer's first message is read.
  await wh.run(`INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, author_id, is_public, body)
    VALUES ($1 || ':1', $1, 1, TIMESTAMPTZ '2026-03-02 11:00:00+00', 'message', 'agent', 'agent:1', true, 'Best regards,\nGreta')`, [id]);
}

/**
 * The world, worked by hand:
 * - The Lindqvists write from one mailbox, family@lindqvist.se: Zendesk user 20 ("The
 *   Lindqvists"). Greta (HubSpot 21), Nils (HubSpot 22) and Sofie (HubSpot 24, as the CRM writes
 *   names: "LINDQVIST, Sofie") signed up with it: four names on one address, a hub, so the five
 *   records stay apart, and user 20 is a customer of its own. Sven Lindqvist (Zendesk 23) has
 *   his own address only.
 * - The Bergs share home@berg.no (Zendesk user 40): Ola Berg and Ola Berg-Hansen (HubSpot 41, 42).
 *
 * Emails from the family mailbox and whose they are:
 *   z:30 "Kind regards,\nGreta"  -> Greta (HubSpot 21 holds the address, first name greta)
 *   z:31 "...\n\nNils"           -> Nils
 *   z:32 no signature            -> stays with user 20
 *   z:33 "Thanks,\nSven"         -> stays: Sven holds no record with the shared address
 *   z:34 "Regards,\nSofie"       -> Sofie ("LINDQVIST, Sofie" starts, as a name, with Sofie)
 *   z:35 "Regards" alone         -> stays: a closing word, no name
 *   z:36 "...\n\nJÖRAN says hi?" -> stays: a sentence is no signature
 *   z:41 "Cheers,\nOla"          -> stays: two Olas hold home@berg.no, ambiguous
 *   z:38 unsigned, quotes order #4711023 -> Sven: his Zendesk user holds that order
 *   z:39 unsigned, quotes order 4711050  -> stays: Ada and Bo (users 50, 51) both hold it
 */
async function world(wh: Warehouse): Promise<void> {
  await insertIdentities(wh, [
    row('zendesk:user:20', 'name', 'The Lindqvists'), row('zendesk:user:20', 'email', 'family@lindqvist.se', true),
    row('hubspot:contact:21', 'name', 'Greta Lindqvist'), row('hubspot:contact:21', 'email', 'family@lindqvist.se'),
    row('hubspot:contact:22', 'name', 'Nils Lindqvist'), row('hubspot:contact:22', 'email', 'Family@Lindqvist.se'),
    row('hubspot:contact:24', 'name', 'LINDQVIST, Sofie'), row('hubspot:contact:24', 'email', 'family@lindqvist.se'),
    row('zendesk:user:23', 'name', 'Sven Lindqvist'), row('zendesk:user:23', 'email', 'sven@lindqvist.se', true),
    row('zendesk:user:23', 'order', '#4711023'),
    // Two people hold order 4711050: a quote of it settles nothing.
    row('zendesk:user:50', 'name', 'Ada Quinn'), row('zendesk:user:50', 'email', 'ada@example.org', true), row('zendesk:user:50', 'order', '4711050'),
    row('zendesk:user:51', 'name', 'Bo Reed'), row('zendesk:user:51', 'email', 'bo@example.org', true), row('zendesk:user:51', 'order', '4711050'),
    row('zendesk:user:40', 'name', 'Familie Berg'), row('zendesk:user:40', 'email', 'home@berg.no', true),
    row('hubspot:contact:41', 'name', 'Ola Berg'), row('hubspot:contact:41', 'email', 'home@berg.no'),
    row('hubspot:contact:42', 'name', 'Ola Berg-Hansen'), row('hubspot:contact:42', 'email', 'home@berg.no'),
  ]);
  await email(wh, 'zendesk:30', 'zendesk:user:20', 'Hello,\n\nWhere is my parcel?\n\nKind regards,\nGreta');
  await email(wh, 'zendesk:31', 'zendesk:user:20', 'Hi,\n\nPlease send the invoice again.\n\nNils');
  await email(wh, 'zendesk:32', 'zendesk:user:20', 'Please send the invoice again.');
  await email(wh, 'zendesk:33', 'zendesk:user:20', 'Hi,\n\nMy order is late.\n\nThanks,\nSven');
  await email(wh, 'zendesk:34', 'zendesk:user:20', 'Hello,\n\nThe blender is broken.\n\nRegards,\nSofie  ');
  await email(wh, 'zendesk:35', 'zendesk:user:20', 'Hello,\n\nThe blender is broken.\n\nRegards');
  await email(wh, 'zendesk:36', 'zendesk:user:20', 'Hello,\n\nJÖRAN says hi?');
  await email(wh, 'zendesk:41', 'zendesk:user:40', 'Hello,\n\nWrong colour.\n\nCheers,\nOla');
  await email(wh, 'zendesk:38', 'zendesk:user:20', 'Where is order #4711023? It is late.');
  await email(wh, 'zendesk:39', 'zendesk:user:20', 'Order 4711050 arrived broken.');
}

async function customerOf(wh: Warehouse): Promise<{ records: Record<string, string>; interactions: Record<string, string> }> {
  const records = await wh.all<{ k: string; v: string }>('SELECT DISTINCT contact_id AS k, customer_id AS v FROM identities');
  const interactions = await wh.all<{ k: string; v: string }>('SELECT id AS k, customer_id AS v FROM interactions');
  return { records: Object.fromEntries(records.map((r) => [r.k, r.v])), interactions: Object.fromEntries(interactions.map((r) => [r.k, r.v])) };
}

/** The customers and emails of the world as worked by hand above. */
function expectWhoseEmails({ records: c, interactions: i }: { records: Record<string, string>; interactions: Record<string, string> }): void {
  // The hub keeps the people apart: five customers for the Lindqvists' five records, three for
  // the Bergs, and Ada and Bo (an order two people hold is a hub too).
  expect(new Set(Object.values(c)).size).toBe(10);
  expect(i['zendesk:38']).toBe(c['zendesk:user:23']);
  expect(i['zendesk:39']).toBe(c['zendesk:user:20']);
  expect(i['zendesk:30']).toBe(c['hubspot:contact:21']);
  expect(i['zendesk:31']).toBe(c['hubspot:contact:22']);
  expect(i['zendesk:34']).toBe(c['hubspot:contact:24']);
  for (const stays of ['zendesk:32', 'zendesk:33', 'zendesk:35', 'zendesk:36']) expect(i[stays], stays).toBe(c['zendesk:user:20']);
  expect(i['zendesk:41']).toBe(c['zendesk:user:40']);
}

describe('interactions of a record several people share', () => {
  test('an email from a family mailbox goes to the one member who signed it and holds the address; the rest stay with the mailbox', async () => {
    const wh = await Warehouse.open(':memory:');
    await world(wh);
    const summary = await resolveIdentities(wh, { full: true, now: at(0) });
    const whose = await customerOf(wh);
    const c = whose.records;
    expectWhoseEmails(whose);
    expect(summary.attributed).toBe(4);
    const reasons = await wh.all<{ interaction_id: string; customer_id: string; record_customer_id: string; reason: string }>(
      'SELECT interaction_id, customer_id, record_customer_id, reason FROM identity_attributions ORDER BY interaction_id');
    expect(reasons).toEqual([
      { interaction_id: 'zendesk:30', customer_id: c['hubspot:contact:21'], record_customer_id: c['zendesk:user:20'], reason: 'signed "greta" from the shared address family@lindqvist.se' },
      { interaction_id: 'zendesk:31', customer_id: c['hubspot:contact:22'], record_customer_id: c['zendesk:user:20'], reason: 'signed "nils" from the shared address family@lindqvist.se' },
      { interaction_id: 'zendesk:34', customer_id: c['hubspot:contact:24'], record_customer_id: c['zendesk:user:20'], reason: 'signed "sofie" from the shared address family@lindqvist.se' },
      { interaction_id: 'zendesk:38', customer_id: c['zendesk:user:23'], record_customer_id: c['zendesk:user:20'], reason: 'quoted order 4711023, which this customer holds, from the shared address family@lindqvist.se' },
    ]);
    await wh.close();
  });

  test('a relink that defers its writes and copies them in slices of three rows gives the same customers, attributions and values', async () => {
    const wh = await Warehouse.open(':memory:');
    await world(wh);
    // Records two at a time into wide rows, and every write left to applyDeferredWrites.
    const summary = await wh.atomically((tx) => resolveIdentities(tx, { full: true, now: at(0), deferWritesOver: 0, sliceRecords: 2 }));
    expect(summary.customers).toBe(10);
    // Committed, not yet copied: the customers exist, the rows still lack them, and a new run waits for the copy.
    const [pending] = await wh.all<{ unset: number; raw: number }>(`SELECT
      (SELECT count(*) FROM interactions WHERE customer_id IS NULL)::INTEGER AS unset,
      (SELECT count(*) FROM identities WHERE value = 'Family@Lindqvist.se')::INTEGER AS raw`);
    expect(pending).toEqual({ unset: 10, raw: 1 });
    await expect(resolveIdentities(wh, { now: at(1) })).rejects.toThrow(/applyDeferredWrites/);
    expect(await applyDeferredWrites(wh, { sliceRows: 3 })).toEqual({ attributed: 4 });
    expect(await applyDeferredWrites(wh)).toBeNull();
    const whose = await customerOf(wh);
    const c = whose.records;
    expectWhoseEmails(whose);
    const [values] = await wh.all<{ emails: string[] }>("SELECT list(DISTINCT value ORDER BY value) AS emails FROM identities WHERE contact_id LIKE '%:2_' AND kind = 'email'");
    expect(values.emails).toEqual(['family@lindqvist.se', 'sven@lindqvist.se']);
    const customers = await wh.all<{ id: string; primary_email: string }>("SELECT id, primary_email FROM customers WHERE id = $1", [c['hubspot:contact:22']]);
    expect(customers).toEqual([{ id: c['hubspot:contact:22'], primary_email: 'family@lindqvist.se' }]);
    const [{ n }] = await wh.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM identity_attributions');
    expect(n).toBe(4);
    // The next run is incremental over nothing new.
    expect((await resolveIdentities(wh, { now: at(1) })).mode).toBe('incremental');
    await wh.close();
  });

  test('an incremental run attributes a new email and keeps the earlier ones, as a full run does', async () => {
    const wh = await Warehouse.open(':memory:');
    await world(wh);
    await resolveIdentities(wh, { full: true, now: at(0) });
    // Sven signs up to the CRM with the family address too; his email z:33 is now his.
    await insertIdentities(wh, [row('hubspot:contact:25', 'name', 'Sven Lindqvist'), row('hubspot:contact:25', 'email', 'family@lindqvist.se')]);
    await email(wh, 'zendesk:37', 'zendesk:user:20', 'Hi,\n\nAny news?\n\nNils');
    const incremental = await resolveIdentities(wh, { now: at(1) });
    expect(incremental.mode).toBe('incremental');
    const after = await customerOf(wh);
    expect(after.interactions['zendesk:37']).toBe(after.records['hubspot:contact:22']);
    expect(after.interactions['zendesk:30']).toBe(after.records['hubspot:contact:21']);
    expect(after.interactions['zendesk:33']).toBe(after.records['hubspot:contact:25']);
    expect(after.interactions['zendesk:38']).toBe(after.records['zendesk:user:23']);
    expect(incremental.attributed).toBe(6);
    // The same warehouse relinked in full puts every interaction with the same records.
    const sameRecord = (v: { records: Record<string, string>; interactions: Record<string, string> }) =>
      Object.fromEntries(Object.entries(v.interactions).map(([id, cus]) => [id, Object.keys(v.records).filter((r) => v.records[r] === cus).sort()]));
    await resolveIdentities(wh, { full: true, now: at(2) });
    expect(sameRecord(await customerOf(wh))).toEqual(sameRecord(after));
    await wh.close();
  });
});
