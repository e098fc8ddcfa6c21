import { describe, expect, test } from 'vitest';
import { customerView, resolveIdentities, threadCases, Warehouse } from '../src/index.ts';
import { insertIdentities, type IdentityRow } from './identity-fixture.ts';

interface Contact {
  id: string;
  channel: string;
  direction?: string;
  contact: string;
  created: string;
  intent: string | null;
  status: string;
  resolved?: string;
  parent?: string;
  csat?: number;
}

async function insertInteractions(wh: Warehouse, rows: Contact[]): Promise<void> {
  for (const r of rows) {
    await wh.run(`INSERT INTO interactions (id, source, native_id, channel, direction, contact_id, parent_interaction_id, intent, status,
        created_at, resolved_at, updated_at, csat_score)
      VALUES ($1, split_part($1, ':', 1), split_part($1, ':', 2), $2, $3, $4, $5, $6, $7, $8::TIMESTAMPTZ, $9::TIMESTAMPTZ, $8::TIMESTAMPTZ, $10)`,
    [r.id, r.channel, r.direction ?? 'inbound', r.contact, r.parent ?? null, r.intent, r.status, r.created, r.resolved ?? null, r.csat ?? null]);
  }
}

const id = (contact: string, kind: string, raw: string): IdentityRow => ({ id: `${contact}:${kind}:${raw}`, contact_id: contact, source: contact.split(':')[0], kind, raw_value: raw });

describe('cases across channels', () => {
  test('a chat, its phone callback, a follow-up email and its CSAT form one case on one timeline', async () => {
    const wh = await Warehouse.open(':memory:');
    await insertIdentities(wh, [
      id('intercom:visitor:1', 'chat_visitor', 'v-81f2'), id('intercom:visitor:1', 'email', 'maria.rossi@example.it'), id('intercom:visitor:1', 'name', 'Maria Rossi'),
      id('aircall:number:1', 'phone', '+39 06 6988 1234'),
      id('zendesk:user:5', 'email', 'Maria.Rossi@Example.it'), id('zendesk:user:5', 'phone', '0039 06 6988 1234'), id('zendesk:user:5', 'name', 'Maria Rossi'),
      id('zendesk:user:6', 'email', 'li.wei@example.cn'), id('zendesk:user:6', 'name', 'Li Wei'),
    ]);
    await insertInteractions(wh, [
      { id: 'intercom:1', channel: 'chat', contact: 'intercom:visitor:1', created: '2026-03-02T10:00:00Z', intent: 'refund', status: 'closed', resolved: '2026-03-02T10:20:00Z' },
      { id: 'aircall:7', channel: 'phone', direction: 'outbound', contact: 'aircall:number:1', created: '2026-03-02T10:40:00Z', intent: null, status: 'closed', resolved: '2026-03-02T10:52:00Z', parent: 'intercom:1' },
      { id: 'zendesk:9', channel: 'email', contact: 'zendesk:user:5', created: '2026-03-03T09:00:00Z', intent: 'refund', status: 'solved', resolved: '2026-03-03T12:00:00Z', csat: 5 },
      // Three weeks later, about something else: a new case.
      { id: 'zendesk:30', channel: 'email', contact: 'zendesk:user:5', created: '2026-03-24T09:00:00Z', intent: 'login', status: 'open' },
      // Someone else, the same morning: never in Maria's case.
      { id: 'intercom:2', channel: 'chat', contact: 'zendesk:user:6', created: '2026-03-02T10:05:00Z', intent: 'refund', status: 'open' },
    ]);
    const identity = await resolveIdentities(wh, { full: true, now: () => new Date('2026-03-25T00:00:00Z') });
    expect(identity.customers).toBe(2);
    const summary = await threadCases(wh);
    expect(summary).toMatchObject({ cases: 3, interactions: 5, explicitLinks: 1, crossChannelCases: 1 });

    const maria = await customerView(wh, '+39 06 6988 1234');
    expect(maria!.customer.display_name).toBe('Maria Rossi');
    expect(maria!.interactions.map((i) => [i.channel, i.direction, i.case_id, i.csat_score])).toEqual([
      ['chat', 'inbound', 'case:intercom:1', null],
      ['phone', 'outbound', 'case:intercom:1', null],
      ['email', 'inbound', 'case:intercom:1', 5],
      ['email', 'inbound', 'case:zendesk:30', null],
    ]);
    const [first, second] = maria!.cases;
    expect(first).toMatchObject({ id: 'case:intercom:1', intent: 'refund', status: 'closed', opened_at: '2026-03-02T10:00:00.000Z', closed_at: '2026-03-03T12:00:00.000Z' });
    expect(first.link_reason).toMatch(/explicit source link and same customer within 72h/);
    expect(second).toMatchObject({ id: 'case:zendesk:30', status: 'open', link_reason: 'single interaction' });
    // Every contact record says why it belongs to Maria.
    expect(maria!.reasons.map((r) => r.contact_id).sort()).toEqual(['aircall:number:1', 'intercom:visitor:1', 'zendesk:user:5']);
    expect(maria!.reasons.find((r) => r.contact_id === 'aircall:number:1')!.reasons.join(' ')).toMatch(/by phone \+390669881234/);
    wh.close();
  });
});
