import { describe, expect, it } from 'vitest';
import { normalizeConversation } from '../src/adapters/intercom/normalize.ts';
import { IntercomConversation } from '../src/adapters/intercom/schemas.ts';

/** A minimal retrieved conversation (API 2.16 shape) with the given data attributes. */
const conversation = (custom_attributes: unknown) => ({
  type: 'conversation', id: '900', created_at: 1_760_000_000, updated_at: 1_760_000_600, state: 'closed',
  source: { type: 'conversation', delivered_as: 'customer_initiated', body: 'my parcel is late', author: { type: 'user', id: 'v1' } },
  contacts: { contacts: [{ id: 'v1' }] }, custom_attributes,
});

describe('conversation data attributes', () => {
  it('intent, language and country attributes become the interaction\'s intent, language and country', () => {
    const rows = normalizeConversation(IntercomConversation.parse(conversation({ intent: 'delivery_delay', language: 'de', country: ' AT ', 'Issue type': 'Billing' })));
    const i = rows.interactions![0];
    expect([i.intent, i.language, i.country]).toEqual(['delivery_delay', 'de', 'AT']);
  });

  it('missing, empty or non-text attributes leave them NULL, as before', () => {
    for (const attrs of [undefined, null, {}, { intent: '', language: 7, country: null }]) {
      const i = normalizeConversation(IntercomConversation.parse(conversation(attrs))).interactions![0];
      expect([i.intent, i.language, i.country], JSON.stringify(attrs)).toEqual([null, null, null]);
    }
  });

  it('a conversation whose data attributes are not an object is refused by the schema (quarantined with its reason)', () => {
    expect(IntercomConversation.safeParse(conversation('billing')).success).toBe(false);
  });
});
