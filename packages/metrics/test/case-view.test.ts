import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { caseView } from '../src/index.ts';

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  // Case K (customer c1): chat m1 (10:00, the source says unresolved; bot handoff, an internal note,
  // a callback request), outbound callback m2 (11:00), email m3 (12:00, resolved, reopened once,
  // CSAT 4). Case K2: c1's chat m9 four days later (a repeat contact for m3). Case K3 (c2): one email
  // e1, resolved, never reopened, nothing after it.
  await wh.run(`
    INSERT INTO customers (id, display_name, created_at, updated_at) VALUES
      ('c1', 'Ann', '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00'), ('c2', 'Bob', '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00');
    INSERT INTO agents (id, source, native_id, name) VALUES ('a1', 't', '1', 'Ada');
    INSERT INTO cases (id, customer_id, opened_at, status, link_reason, intent) VALUES
      ('K', 'c1', '2026-03-01 10:00:00+00', 'closed', 'same customer within 3 days', 'billing'),
      ('K2', 'c1', '2026-03-05 09:00:00+00', 'open', 't', NULL), ('K3', 'c2', '2026-03-20 09:00:00+00', 'closed', 't', NULL);
    INSERT INTO interactions (id, source, native_id, channel, direction, customer_id, case_id, status, created_at, updated_at, agent_id, resolved, answered, reopen_count, csat_score, tags) VALUES
      ('m3', 't', '3', 'email', 'inbound', 'c1', 'K', 'solved', '2026-03-01 12:00:00+00', '2026-03-01 12:00:00+00', 'a1', true, true, 1, 4, []),
      ('m1', 't', '1', 'chat', 'inbound', 'c1', 'K', 'open', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00', 'a1', false, true, 0, NULL, []),
      ('m2', 't', '2', 'phone', 'outbound', 'c1', 'K', 'closed', '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00', 'a1', NULL, true, 0, NULL, []),
      ('m9', 't', '9', 'chat', 'inbound', 'c1', 'K2', 'open', '2026-03-05 09:00:00+00', '2026-03-05 09:00:00+00', NULL, NULL, NULL, 0, NULL, []),
      ('e1', 't', 'e1', 'email', 'inbound', 'c2', 'K3', 'solved', '2026-03-20 09:00:00+00', '2026-03-20 09:00:00+00', 'a1', true, true, 0, NULL, []);
    INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, author_id, is_public, body, to_value, value_num) VALUES
      ('m1:0', 'm1', 0, '2026-03-01 10:00:00+00', 'message', 'customer', 'k1', true, 'Hello', NULL, NULL),
      ('m1:1', 'm1', 1, '2026-03-01 10:02:00+00', 'bot_handoff', NULL, NULL, NULL, NULL, NULL, NULL),
      ('m1:2', 'm1', 2, '2026-03-01 10:05:00+00', 'message', 'agent', 'a1', false, 'Wants a callback tonight', NULL, NULL),
      ('m1:3', 'm1', 3, '2026-03-01 10:06:00+00', 'callback_requested', NULL, NULL, NULL, NULL, '+49 30 1234567', NULL),
      ('m1:4', 'm1', 4, '2026-03-01 10:07:00+00', 'message', 'agent', 'a1', true, 'We will call you', NULL, NULL),
      ('m2:0', 'm2', 0, '2026-03-01 11:05:00+00', 'callback_completed', NULL, NULL, NULL, NULL, NULL, NULL),
      ('m3:0', 'm3', 0, '2026-03-01 12:20:00+00', 'reopen', NULL, NULL, NULL, NULL, NULL, NULL),
      ('m3:1', 'm3', 1, '2026-03-01 12:30:00+00', 'csat', NULL, NULL, NULL, NULL, NULL, 4);
  `);
});
afterAll(() => wh.close());

const iso = (v: string) => new Date(v).toISOString();

describe('case view', () => {
  it('the members across channels in time order with their outcomes, and the case outcome', async () => {
    const view = await caseView(wh, 'K');
    expect(view?.case).toMatchObject({ id: 'K', customer_id: 'c1', display_name: 'Ann', intent: 'billing', status: 'closed' });
    // m1: a contact the source calls unresolved, so not handled (no FCR membership); m3 follows it
    //     2 h later, a repeat contact.
    // m2: outbound, no contact; the source has no resolution for calls, so the reader's rule says
    //     answered and no repeat contact (a non-contact never is one): resolved. m3: resolved, reopened once -> handled but not FCR; m9 follows it
    //     within 7 days, a repeat contact.
    expect(view?.members.map((m) => [m.id, m.channel, m.direction, m.agent_name, m.is_contact, m.resolved, m.reopens, m.fcr, m.repeat_contact])).toEqual([
      ['m1', 'chat', 'inbound', 'Ada', true, false, 0, null, true],
      ['m2', 'phone', 'outbound', 'Ada', false, true, 0, null, null],
      ['m3', 'email', 'inbound', 'Ada', true, true, 1, false, true],
    ]);
    // Resolved: the last contact (m3) is; reopened: m3 was (1); FCR: the first contact's membership (m1: none).
    expect(view?.outcome).toEqual({ contacts: 2, resolved: true, reopened: true, reopens: 1, fcr: null });
    // The handoff, the internal note (not the public reply, not the customer's message), the callback
    // request without its number, the callback, the reopen and the rating.
    expect(view?.moments.map((m) => [m.interaction_id, iso(m.occurred_at), m.type, m.author_name, m.body, m.value_num])).toEqual([
      ['m1', '2026-03-01T10:02:00.000Z', 'bot_handoff', null, null, null],
      ['m1', '2026-03-01T10:05:00.000Z', 'note', 'Ada', 'Wants a callback tonight', null],
      ['m1', '2026-03-01T10:06:00.000Z', 'callback_requested', null, null, null],
      ['m2', '2026-03-01T11:05:00.000Z', 'callback_completed', null, null, null],
      ['m3', '2026-03-01T12:20:00.000Z', 'reopen', null, null, null],
      ['m3', '2026-03-01T12:30:00.000Z', 'csat', null, null, 4],
    ]);
    expect(JSON.stringify(view)).not.toContain('1234567');
  });

  it('a case resolved at first contact; a missing case is null', async () => {
    // e1: resolved, never reopened, no later contact of c2 -> FCR.
    expect((await caseView(wh, 'K3'))?.outcome).toEqual({ contacts: 1, resolved: true, reopened: false, reopens: 0, fcr: true });
    // m9: the source cannot say (NULL) and no one answered: not resolved, not handled.
    expect((await caseView(wh, 'K2'))?.outcome).toEqual({ contacts: 1, resolved: false, reopened: false, reopens: 0, fcr: null });
    expect(await caseView(wh, 'nope')).toBeNull();
  });
});
