import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { customerList, journeyExamples } from '../src/index.ts';

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  // c1: case A goes chat (10:00) -> outbound phone callback (11:00) -> email with CSAT 4 (12:00); plus a help-center case H, open.
  //     4 interactions, 4 channels, 1 open case, last contact 03-06. VIP on its own record.
  // c2: case B goes chat -> email (CSAT 5) -> callback: the wrong order, not the journey. Emails i5, i9 (open cases C, C),
  //     a social message moved to DM (i6, case D closed), a chat the bot handed off (i7, case E open).
  //     7 interactions, 4 channels, 3 open cases (B, C, E), last contact 03-05. Was VIP, now basic.
  // c3: no interactions; VIP through its contact record k3 only (attribute without customer_id).
  await wh.run(`
    INSERT INTO customers (id, display_name, created_at, updated_at) VALUES
      ('c1', 'Ann', '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00'),
      ('c2', 'Bob', '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00'),
      ('c3', 'Cy',  '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00');
    INSERT INTO identities (id, contact_id, source, kind, raw_value, value, customer_id, first_seen_at, last_seen_at) VALUES
      ('crm:k2', 'k2', 'crm', 'crm_contact', 'k2', 'k2', 'c2', '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00'),
      ('crm:k3', 'k3', 'crm', 'crm_contact', 'k3', 'k3', 'c3', '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00');
    INSERT INTO customer_attributes (customer_id, contact_id, attribute, value, valid_from, valid_to, source) VALUES
      ('c1', 'k1', 'tier', 'vip',   '2026-01-01 00:00:00+00', NULL, 'crm'),
      ('c2', 'k2', 'tier', 'vip',   '2026-01-01 00:00:00+00', '2026-02-01 00:00:00+00', 'crm'),
      ('c2', 'k2', 'tier', 'basic', '2026-02-01 00:00:00+00', NULL, 'crm'),
      (NULL, 'k3', 'tier', 'vip',   '2026-01-01 00:00:00+00', NULL, 'crm');
    INSERT INTO cases (id, customer_id, opened_at, status, link_reason) VALUES
      ('A', 'c1', '2026-03-01 10:00:00+00', 'closed', 't'), ('H', 'c1', '2026-03-06 10:00:00+00', 'open', 't'),
      ('B', 'c2', '2026-03-02 09:00:00+00', 'open', 't'), ('C', 'c2', '2026-03-03 09:00:00+00', 'open', 't'),
      ('D', 'c2', '2026-03-05 09:00:00+00', 'closed', 't'), ('E', 'c2', '2026-03-04 09:00:00+00', 'open', 't');
    INSERT INTO interactions (id, source, native_id, channel, direction, customer_id, case_id, status, created_at, updated_at, csat_score, bot_handoff_at, tags) VALUES
      ('i1', 't', '1', 'chat', 'inbound', 'c1', 'A', 'solved', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00', NULL, NULL, []),
      ('i2', 't', '2', 'phone', 'outbound', 'c1', 'A', 'solved', '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00', NULL, NULL, []),
      ('i3', 't', '3', 'email', 'inbound', 'c1', 'A', 'solved', '2026-03-01 12:00:00+00', '2026-03-01 12:00:00+00', 4, NULL, []),
      ('i8', 't', '8', 'help_center', 'inbound', 'c1', 'H', 'open', '2026-03-06 10:00:00+00', '2026-03-06 10:00:00+00', NULL, NULL, []),
      ('i10', 't', '10', 'chat', 'inbound', 'c2', 'B', 'solved', '2026-03-02 09:00:00+00', '2026-03-02 09:00:00+00', NULL, NULL, []),
      ('i4', 't', '4', 'email', 'inbound', 'c2', 'B', 'solved', '2026-03-02 10:00:00+00', '2026-03-02 10:00:00+00', 5, NULL, []),
      ('i11', 't', '11', 'phone', 'outbound', 'c2', 'B', 'solved', '2026-03-02 11:00:00+00', '2026-03-02 11:00:00+00', NULL, NULL, []),
      ('i5', 't', '5', 'email', 'inbound', 'c2', 'C', 'open', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', NULL, NULL, []),
      ('i9', 't', '9', 'email', 'inbound', 'c2', 'C', 'open', '2026-03-03 10:00:00+00', '2026-03-03 10:00:00+00', NULL, NULL, []),
      ('i7', 't', '7', 'chat', 'inbound', 'c2', 'E', 'open', '2026-03-04 09:00:00+00', '2026-03-04 09:00:00+00', NULL, '2026-03-04 09:05:00+00', []),
      ('i6', 't', '6', 'social', 'inbound', 'c2', 'D', 'solved', '2026-03-05 09:00:00+00', '2026-03-05 09:00:00+00', NULL, NULL, ['moved_to_dm']),
      ('x1', 't', 'x1', 'social', 'inbound', NULL, NULL, 'new', '2026-03-07 09:00:00+00', '2026-03-07 09:00:00+00', NULL, NULL, ['moved_to_dm']);
    INSERT INTO events (id, interaction_id, seq, occurred_at, type) VALUES
      ('i2:0', 'i2', 0, '2026-03-01 11:05:00+00', 'callback_completed'),
      ('i11:0', 'i11', 0, '2026-03-02 11:05:00+00', 'callback_completed');
  `);
});
afterAll(() => wh.close());

const pick = (rows: Awaited<ReturnType<typeof customerList>>['rows']) => rows.map((r) => [r.id, r.contacts, r.channels, r.open_cases, r.vip]);

describe('customer list', () => {
  it('sorts by contacts by default, then channels, open cases and last contact (ties by id, no contact last)', async () => {
    const byContacts = await customerList(wh);
    expect(byContacts.total).toBe(3);
    expect(pick(byContacts.rows)).toEqual([['c2', 7, 4, 3, false], ['c1', 4, 4, 1, true], ['c3', 0, 0, 0, true]]);
    // Channels tie at 4: c1 before c2 by id.
    expect((await customerList(wh, { sort: 'channels' })).rows.map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
    expect((await customerList(wh, { sort: 'open_cases' })).rows.map((r) => r.id)).toEqual(['c2', 'c1', 'c3']);
    const recent = await customerList(wh, { sort: 'last_contact' });
    expect(recent.rows.map((r) => [r.id, r.last_contact && new Date(r.last_contact).toISOString()])).toEqual([
      ['c1', '2026-03-06T10:00:00.000Z'], ['c2', '2026-03-05T09:00:00.000Z'], ['c3', null],
    ]);
  });

  it('VIP only: a current VIP tier on the customer or on its contact record; a superseded one does not count', async () => {
    const vip = await customerList(wh, { vip: true, limit: 1 });
    expect(vip.total).toBe(2);
    expect(vip.rows.map((r) => r.id)).toEqual(['c1']);
  });
});

describe('repeat contacters', () => {
  // The repeat flag is the outcome reader's (the next inbound, non-help-center contact of the same
  // customer within the repeat window, default 7 days, looking past the window's end). By hand:
  // c1: i1 (chat 03-01 10:00) is followed by i3 (email 12:00; the outbound i2 is no contact): repeat.
  //     i3 is followed only by the help-center i8 (no contact): not. => 1.
  // c2: i10 -> i4 (1 h), i4 -> i5 (23 h), i5 -> i9 (1 h), i9 -> i7 (23 h), i7 -> i6 (24 h) are repeats,
  //     i6 has no next contact, i11 is outbound. => 5.
  // c3 has no interactions.
  const window = (start: string, end: string, config?: { repeatWindowSeconds: number }) => ({ start, end, ...(config ? { config } : {}) });
  const pickRepeat = (list: Awaited<ReturnType<typeof customerList>>) => [list.total, list.rows.map((r) => [r.id, r.repeat_contacts])];

  it('keeps the customers with a repeat contact created in the window, with their count', async () => {
    expect(pickRepeat(await customerList(wh, { repeat: window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z') }))).toEqual([2, [['c2', 5], ['c1', 1]]]);
    // From 03-04: c2's i7 (followed by i6) only; c1's i8 is no contact.
    expect(pickRepeat(await customerList(wh, { repeat: window('2026-03-04T00:00:00Z', '2026-03-08T00:00:00Z') }))).toEqual([1, [['c2', 1]]]);
    // From 03-05: only i6, which nothing follows.
    expect(pickRepeat(await customerList(wh, { repeat: window('2026-03-05T00:00:00Z', '2026-03-08T00:00:00Z') }))).toEqual([0, []]);
  });

  it('looks past the end of the window for the next contact, as the KPI does', async () => {
    // Up to 03-02 09:30: i1 (c1) and i10 (c2, followed by i4 at 10:00, after the window's end);
    // sorted by all contacts, c2 (7) first.
    expect(pickRepeat(await customerList(wh, { repeat: window('2026-03-01T00:00:00Z', '2026-03-02T09:30:00Z') }))).toEqual([2, [['c2', 1], ['c1', 1]]]);
  });

  it("follows the settings' repeat window and combines with the VIP filter", async () => {
    // A 1 h window (at or before): i1 -> i3 is 2 h, no longer a repeat; c2 keeps i10 -> i4 and i5 -> i9 (1 h each).
    expect(pickRepeat(await customerList(wh, { repeat: window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z', { repeatWindowSeconds: 3600 }) }))).toEqual([1, [['c2', 2]]]);
    expect(pickRepeat(await customerList(wh, { vip: true, repeat: window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z') }))).toEqual([1, [['c1', 1]]]);
    // Without the filter the column is empty.
    expect((await customerList(wh)).rows.map((r) => r.repeat_contacts)).toEqual([null, null, null]);
  });
});

describe('journey examples', () => {
  it('finds the chat -> callback -> email -> CSAT case, not the one in the wrong order, and one example of each other kind', async () => {
    const examples = await journeyExamples(wh);
    expect(examples.map((e) => [e.kind, e.customer_id, e.case_id, e.interaction_id, e.channels])).toEqual([
      ['chat-callback-email-csat', 'c1', 'A', null, ['chat', 'phone', 'email']],
      // c3 is VIP but has no interactions to show.
      ['vip', 'c1', null, null, ['chat', 'email', 'help_center', 'phone']],
      ['bot-handoff', 'c2', 'E', 'i7', ['chat']],
      // x1 has no customer: it cannot open a timeline.
      ['social-complaint', 'c2', 'D', 'i6', ['social']],
    ]);
  });
});
