import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { openCaseSla, tierHistory, today } from '../src/index.ts';

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  await wh.run(`
    INSERT INTO customers (id, display_name, created_at, updated_at) VALUES
      ('c1', 'Ann', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
      ('c2', 'Bob', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
    INSERT INTO identities (id, contact_id, source, kind, raw_value, value, customer_id, first_seen_at, last_seen_at) VALUES
      ('crm:k1', 'k1', 'crm', 'crm_contact', 'k1', 'k1', 'c1', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
      ('crm:k2', 'k2', 'crm', 'crm_contact', 'k2', 'k2', 'c1', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00'),
      ('crm:k9', 'k9', 'crm', 'crm_contact', 'k9', 'k9', 'c2', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
    -- c1's tier: basic on contact k1 from 01-01 to 03-01; VIP on the customer from 02-01 to 02-15
    -- (overlapping: the later start wins); nothing from 03-01; gold on contact k2 (no customer_id on
    -- the row, reached through its identity) from 04-01 on. c2's own tier must not show.
    INSERT INTO customer_attributes (customer_id, contact_id, attribute, value, valid_from, valid_to, source) VALUES
      ('c1', 'k1', 'tier', 'basic', '2026-01-01 00:00:00+00', '2026-03-01 00:00:00+00', 'crm'),
      ('c1', 'k1', 'tier', 'vip',   '2026-02-01 00:00:00+00', '2026-02-15 00:00:00+00', 'crm'),
      (NULL, 'k2', 'tier', 'gold',  '2026-04-01 00:00:00+00', NULL, 'crm'),
      ('c1', 'k1', 'company', 'Acme', '2026-01-01 00:00:00+00', NULL, 'crm'),
      ('c2', 'k9', 'tier', 'vip',   '2026-01-15 00:00:00+00', NULL, 'crm');
    INSERT INTO cases (id, customer_id, opened_at, status, link_reason) VALUES
      ('K1', 'c1', '2026-03-10 08:00:00+00', 'open', 't'), ('K2', 'c1', '2026-03-08 10:00:00+00', 'open', 't'),
      ('K3', 'c1', '2026-03-01 10:00:00+00', 'closed', 't'), ('K9', 'c2', '2026-03-10 12:00:00+00', 'open', 't');
    INSERT INTO interactions (id, source, native_id, channel, direction, customer_id, case_id, status, priority, created_at, updated_at, first_response_at, tags) VALUES
      ('i1', 't', '1', 'email', 'inbound', 'c1', 'K1', 'open',    'normal', '2026-03-10 08:00:00+00', '2026-03-10 08:00:00+00', '2026-03-10 09:00:00+00', []),
      ('i2', 't', '2', 'chat',  'inbound', 'c1', 'K1', 'solved',  'normal', '2026-03-10 07:00:00+00', '2026-03-10 07:00:00+00', NULL, []),
      ('i3', 't', '3', 'chat',  'inbound', 'c1', 'K2', 'open',    'normal', '2026-03-10 11:50:00+00', '2026-03-10 11:50:00+00', NULL, []),
      ('i5', 't', '5', 'email', 'inbound', 'c1', 'K2', 'pending', 'normal', '2026-03-08 10:00:00+00', '2026-03-08 10:00:00+00', '2026-03-08 15:00:00+00', []),
      ('i6', 't', '6', 'email', 'outbound', 'c1', 'K2', 'open',   'normal', '2026-03-09 10:00:00+00', '2026-03-09 10:00:00+00', NULL, []),
      ('i4', 't', '4', 'email', 'inbound', 'c1', 'K3', 'open',    'normal', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00', NULL, []),
      ('i9', 't', '9', 'email', 'inbound', 'c2', 'K9', 'open',    'normal', '2026-03-10 12:00:00+00', '2026-03-10 12:00:00+00', NULL, []);
  `);
});
afterAll(() => wh.close());

const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());

describe('tier history', () => {
  it('one period per change, by the tier-at-creation rule, with the gap and the contact record of another source', async () => {
    // Change points 01-01, 02-01, 02-15, 03-01, 04-01: basic; vip (both valid, the later start wins);
    // basic again (vip ended, valid_to is exclusive); none; gold.
    const periods = (await tierHistory(wh, 'c1')).map((p) => [p.tier, iso(p.from), iso(p.to)]);
    expect(periods).toEqual([
      ['basic', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['vip', '2026-02-01T00:00:00.000Z', '2026-02-15T00:00:00.000Z'],
      ['basic', '2026-02-15T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      [null, '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      ['gold', '2026-04-01T00:00:00.000Z', null],
    ]);
    expect((await tierHistory(wh, 'c2')).map((p) => [p.tier, iso(p.from), iso(p.to)])).toEqual([['vip', '2026-01-15T00:00:00.000Z', null]]);
    expect(await tierHistory(wh, 'nobody')).toEqual([]);
  });
});

describe('SLA of open cases', () => {
  // Email: first reply 4 h, resolution 48 h; chat: 10 min and 1 h. "Now" is the newest interaction,
  // i9 at 03-10 12:00 (the clock is later); at risk: due within 8 h.
  const config = {
    slaPolicies: [
      { id: 'chat-fast', channels: ['chat' as const], firstReplySeconds: 600, resolutionSeconds: 3600 },
      { id: 'standard', firstReplySeconds: 4 * 3600, resolutionSeconds: 48 * 3600 },
    ],
  };
  const clock = () => new Date('2030-01-01T00:00:00Z');

  it("each open item of the customer's open cases, its policy, due time and state, soonest due first", async () => {
    const { now, targets } = await openCaseSla(wh, 'c1', { config, clock });
    expect(iso(now)).toBe('2026-03-10T12:00:00.000Z');
    // i5 (email 03-08 10:00): replied 15:00, 1 h after the 14:00 deadline -> breached; resolution due
    //   03-10 10:00, 2 h ago -> breached (-7200 s).
    // i1 (email 03-10 08:00): replied 09:00 by the 12:00 deadline -> met; resolution due 03-12 08:00,
    //   44 h away -> on track.
    // i3 (chat 03-10 11:50): first reply due 12:00, exactly now -> at risk, not yet breached (0 s left);
    //   resolution due 12:50 -> at risk (3000 s).
    // Left out: i2 (solved), i6 (outbound), i4 (its case K3 is closed), i9 (another customer).
    expect(targets.map((t) => [t.case_id, t.id, t.policy, t.target, iso(t.due_at), iso(t.done_at), t.seconds_left, t.state])).toEqual([
      ['K2', 'i5', 'standard', 'first reply', '2026-03-08T14:00:00.000Z', '2026-03-08T15:00:00.000Z', -165600, 'breached'],
      ['K2', 'i5', 'standard', 'resolution', '2026-03-10T10:00:00.000Z', null, -7200, 'breached'],
      ['K1', 'i1', 'standard', 'first reply', '2026-03-10T12:00:00.000Z', '2026-03-10T09:00:00.000Z', 0, 'met'],
      ['K2', 'i3', 'chat-fast', 'first reply', '2026-03-10T12:00:00.000Z', null, 0, 'at risk'],
      ['K2', 'i3', 'chat-fast', 'resolution', '2026-03-10T12:50:00.000Z', null, 3000, 'at risk'],
      ['K1', 'i1', 'standard', 'resolution', '2026-03-12T08:00:00.000Z', null, 158400, 'on track'],
    ]);
  });

  it("the Today screen's about-to-breach list is the same rule: pending targets due within its hour", async () => {
    const filters = { from: '2026-03-01', to: '2026-03-10', tz: 'UTC', channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], businessHours: false };
    const t = await today(wh, filters, { config, clock });
    expect(t.aboutToBreach.map((b) => [b.id, b.target, b.seconds_left])).toEqual([['i3', 'first reply', 0], ['i3', 'resolution', 3000]]);
  });
});
