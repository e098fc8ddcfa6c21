import { describe, expect, test } from 'vitest';
import { defaultWarehouseConfig, parseMatcherConfig, resolveIdentities, Warehouse } from '../src/index.ts';
import { insertIdentities, type IdentityRow } from './identity-fixture.ts';

const at = (minute: number) => () => new Date(Date.UTC(2026, 2, 3, 9, minute));
const row = (contact: string, kind: string, raw: string, verified = false): IdentityRow =>
  ({ id: `${contact}:${kind}`, contact_id: contact, source: contact.split(':')[0], kind, raw_value: raw, verified });

async function interaction(wh: Warehouse, id: string, channel: string, contact: string): Promise<void> {
  await wh.run(`INSERT INTO interactions (id, source, native_id, channel, direction, contact_id, status, created_at, updated_at)
    VALUES ($1, split_part($1, ':', 1), split_part($1, ':', 2), $2, 'inbound', $3, 'closed', TIMESTAMPTZ '2026-03-02 10:00:00+00', TIMESTAMPTZ '2026-03-02 10:00:00+00')`,
  [id, channel, contact]);
}

async function message(wh: Warehouse, interactionId: string, seq: number, role: 'customer' | 'agent' | 'bot', body: string, isPublic = true): Promise<void> {
  await wh.run(`INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, author_id, is_public, body)
    VALUES ($1 || ':' || $2, $1, $2, TIMESTAMPTZ '2026-03-02 10:00:00+00' + to_minutes($2::BIGINT), 'message', $3, $4, $5, $6)`,
  [interactionId, seq, role, role === 'customer' ? null : 'agent:1', isPublic, body]);
}

async function assignment(wh: Warehouse): Promise<Record<string, string>> {
  const rows = await wh.all<{ contact_id: string; customer_id: string }>('SELECT DISTINCT contact_id, customer_id FROM identities ORDER BY contact_id');
  return Object.fromEntries(rows.map((r) => [r.contact_id, r.customer_id]));
}

/** Contact records grouped by customer, as sorted lists: the partition, whatever the ids. */
function partition(assigned: Record<string, string>): string[][] {
  const groups = new Map<string, string[]>();
  for (const [contact, customer] of Object.entries(assigned)) groups.set(customer, [...(groups.get(customer) ?? []), contact]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => a[0].localeCompare(b[0]));
}

const fiveNames = ['Ines Moreau', 'Kemal Yilmaz', 'Lena Fischer', 'Oskar Jensen', 'Priya Haddad'];

/**
 * The world, worked by hand:
 * - Ada (Zendesk user 1) has order #4711001 on her record. Two anonymous chats quote it ("Order
 *   4711001 has not arrived", "Refund for 4711001?"), a third writes her address in capitals: all
 *   four records are Ada (links key:order x2, key:email x1).
 * - Bo (Zendesk user 2) has order 4711002. Anonymous chat 3 only says hello; the agent answers
 *   quoting 4711002, and an internal note does too: chat 3 stays on its own.
 * - Five named people each write "Where is order 4711003?" in their own ticket: five people on one
 *   order is a hub (people 5 >= maxDistinctPeople 2), it links nobody.
 * - The Lindqvists' family mailbox is written from as "The Lindqvists" (Zendesk user 20), "Greta
 *   Lindqvist" and "Nils Lindqvist" (HubSpot 21, 22): three people, a hub. User 20 quotes order
 *   4711020, which Sven Lindqvist (user 23) holds: a record sharing a hub speaks for several people,
 *   so its quote links nobody.
 * So 1 (Ada) + 1 (Bo) + 1 (chat 3) + 5 + 4 (the Lindqvists' records) = 12 customers.
 */
async function world(wh: Warehouse, part: 'first' | 'second' | 'all'): Promise<void> {
  if (part !== 'second') {
    await insertIdentities(wh, [
      row('zendesk:user:1', 'name', 'Ada Quinn'), row('zendesk:user:1', 'email', 'ada.quinn@example.org', true),
      row('zendesk:user:1', 'order', '#4711001'),
      row('zendesk:user:2', 'name', 'Bo Reed'), row('zendesk:user:2', 'email', 'bo@example.net', true), row('zendesk:user:2', 'order', '4711002'),
      row('intercom:visitor:1', 'chat_visitor', 'v-1'),
      row('intercom:visitor:3', 'chat_visitor', 'v-3'),
      row('zendesk:user:20', 'name', 'The Lindqvists'), row('zendesk:user:20', 'email', 'family@lindqvist.se'),
      row('hubspot:contact:21', 'name', 'Greta Lindqvist'), row('hubspot:contact:21', 'email', 'family@lindqvist.se'),
      row('hubspot:contact:22', 'name', 'Nils Lindqvist'), row('hubspot:contact:22', 'email', 'family@lindqvist.se'),
      row('zendesk:user:23', 'name', 'Sven Lindqvist'), row('zendesk:user:23', 'email', 'sven@lindqvist.se'), row('zendesk:user:23', 'order', '4711020'),
    ]);
    await interaction(wh, 'zendesk:20', 'email', 'zendesk:user:20');
    await message(wh, 'zendesk:20', 0, 'customer', 'Could you please send me a proper invoice with VAT for order 4711020?');
    await interaction(wh, 'intercom:1', 'chat', 'intercom:visitor:1');
    await message(wh, 'intercom:1', 0, 'customer', 'Order 4711001 has not arrived. Tracking says "in transit" since 2 March.');
    await interaction(wh, 'intercom:3', 'chat', 'intercom:visitor:3');
    await message(wh, 'intercom:3', 0, 'customer', 'hi, any news?');
    await message(wh, 'intercom:3', 1, 'agent', 'Your parcel for order 4711002 is out for delivery.');
    await message(wh, 'intercom:3', 2, 'agent', 'Checked #4711002 with the carrier.', false);
    await message(wh, 'intercom:3', 3, 'bot', 'Order 4711002 ships today.');
  }
  if (part !== 'first') {
    await insertIdentities(wh, [
      row('intercom:visitor:2', 'chat_visitor', 'v-2'),
      row('intercom:visitor:4', 'chat_visitor', 'v-4'),
      ...fiveNames.flatMap((name, i) => [
        row(`zendesk:user:${10 + i}`, 'name', name),
        row(`zendesk:user:${10 + i}`, 'email', `${name.split(' ')[0].toLowerCase()}@example.com`, true),
      ]),
    ]);
    await interaction(wh, 'intercom:2', 'chat', 'intercom:visitor:2');
    await message(wh, 'intercom:2', 0, 'customer', 'Refund for 4711001? It has been 9 days.');
    await interaction(wh, 'intercom:4', 'chat', 'intercom:visitor:4');
    await message(wh, 'intercom:4', 0, 'customer', 'my email is ADA.QUINN@Example.org, please check');
    for (const [i] of fiveNames.entries()) {
      await interaction(wh, `zendesk:${10 + i}`, 'email', `zendesk:user:${10 + i}`);
      await message(wh, `zendesk:${10 + i}`, 0, 'customer', 'Where is order 4711003?');
    }
  }
}

describe('identifiers quoted in customer messages', () => {
  test('two anonymous chats quoting an order link to the user holding it; an agent quoting one links nobody; five people quoting one make a hub', async () => {
    const wh = await Warehouse.open(':memory:');
    await world(wh, 'all');
    const summary = await resolveIdentities(wh, { full: true, now: at(0) });
    expect(summary.customers).toBe(12);
    expect(partition(await assignment(wh))).toEqual([
      ['hubspot:contact:21'], ['hubspot:contact:22'],
      ['intercom:visitor:1', 'intercom:visitor:2', 'intercom:visitor:4', 'zendesk:user:1'],
      ['intercom:visitor:3'],
      ['zendesk:user:10'], ['zendesk:user:11'], ['zendesk:user:12'], ['zendesk:user:13'], ['zendesk:user:14'],
      ['zendesk:user:2'], ['zendesk:user:20'], ['zendesk:user:23'],
    ]);
    // Records are numbered in contact id order, so visitor 1 roots the order's links and visitor 4
    // the email's; trust 0.9 for an order, 0.95 for an unverified email match
    // (the quote is unverified even though Ada's own address is verified).
    expect(await wh.all('SELECT left_contact_id, right_contact_id, rule, value, match_probability FROM identity_links ORDER BY ALL')).toEqual([
      { left_contact_id: 'intercom:visitor:1', right_contact_id: 'intercom:visitor:2', rule: 'key:order', value: '4711001', match_probability: 0.9 },
      { left_contact_id: 'intercom:visitor:1', right_contact_id: 'zendesk:user:1', rule: 'key:order', value: '4711001', match_probability: 0.9 },
      { left_contact_id: 'intercom:visitor:4', right_contact_id: 'zendesk:user:1', rule: 'key:email', value: 'ada.quinn@example.org', match_probability: 0.95 },
    ]);
    expect(await wh.all('SELECT kind, value, records, names FROM identity_hubs ORDER BY kind')).toEqual([
      { kind: 'email', value: 'family@lindqvist.se', records: 3, names: 3 },
      { kind: 'order', value: '4711003', records: 5, names: 5 },
    ]);
    // Quoted identifiers are keys, not sightings: identities and the quarantine are untouched.
    expect(await wh.all("SELECT count(*)::INTEGER AS n FROM identities WHERE value IN ('4711001', '4711003')")).toEqual([{ n: 1 }]);
    expect(await wh.all('SELECT count(*)::INTEGER AS n FROM quarantine')).toEqual([{ n: 0 }]);
    wh.close();
  });

  test('without the setting nothing is read from messages; a pattern without a group is refused', async () => {
    const wh = await Warehouse.open(':memory:');
    await world(wh, 'all');
    const config = defaultWarehouseConfig();
    delete config.quotedIdentifiers;
    await resolveIdentities(wh, { full: true, now: at(0), config });
    // The sources alone share nothing here (Ada's chats carry no email, no order): no link at all.
    expect(await wh.all('SELECT count(*)::INTEGER AS n FROM identity_links')).toEqual([{ n: 0 }]);
    expect(() => parseMatcherConfig({ quotedIdentifiers: { orderPattern: '\\d{7}' } })).toThrow(/group around the order number/);
    wh.close();
  });

  test('an incremental run after new chats arrive equals a full relink', async () => {
    const build = async () => {
      const wh = await Warehouse.open(':memory:');
      await world(wh, 'first');
      await resolveIdentities(wh, { full: true, now: at(0) });
      await world(wh, 'second');
      return wh;
    };
    const a = await build();
    const inc = await resolveIdentities(a, { now: at(1) });
    const b = await build();
    const full = await resolveIdentities(b, { full: true, refit: false, now: at(1) });
    expect([inc.mode, full.mode]).toEqual(['incremental', 'full']);
    expect(await assignment(a)).toEqual(await assignment(b));
    const links = 'SELECT left_contact_id, right_contact_id, rule, value FROM identity_links ORDER BY ALL';
    expect(await a.all(links)).toEqual(await b.all(links));
    expect(partition(await assignment(a))[2]).toEqual(['intercom:visitor:1', 'intercom:visitor:2', 'intercom:visitor:4', 'zendesk:user:1']);
    a.close();
    b.close();
  });
});
