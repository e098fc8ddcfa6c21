import { describe, expect, test } from 'vitest';
import { InteractionRecord, EventRecord, canonicalRecordSchemas } from '../src/index.ts';

const interaction = {
  id: 'zendesk:1', source: 'zendesk', native_id: '1', channel: 'email', direction: 'inbound', contact_id: 'zendesk:user:9',
  customer_id: null, case_id: null, parent_interaction_id: null, queue_id: 'q1', team_id: 't1', agent_id: 'a1',
  priority: 'normal', language: 'en', country: 'DE', intent: 'refund', tags: ['refund'], subject: 'Refund please',
  status: 'solved', created_at: '2026-10-01T08:00:00Z', first_response_at: '2026-10-01T09:00:00Z',
  resolved_at: '2026-10-02T09:00:00Z', closed_at: null, updated_at: '2026-10-02T09:00:00Z', bot_involved: false,
  bot_handoff_at: null, bot_contained: false, reopen_count: 0, csat_score: 5, queue_wait_seconds: null,
  talk_seconds: null, hold_seconds: null, wrap_up_seconds: null, abandon_stage: null, article_id: null,
  answered: true, abandoned: false, resolved: true, first_resolved_at: '2026-10-02T09:00:00Z', callback_requested: false,
  callback_of: null, bot_state: null, escalated: false,
};

describe('canonical record schemas', () => {
  test('a well-formed interaction passes', () => {
    expect(InteractionRecord.parse(interaction)).toEqual(interaction);
  });

  test('a channel outside the five, a CSAT of 7 and a local time without offset are each named', () => {
    const result = InteractionRecord.safeParse({ ...interaction, channel: 'fax', csat_score: 7, created_at: '2026-10-01 08:00' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['channel', 'csat_score', 'created_at']));
  });

  test('an event needs a known type and author role', () => {
    const event = {
      id: 'zendesk:1:0', interaction_id: 'zendesk:1', seq: 0, occurred_at: '2026-10-01T08:00:00Z', type: 'message',
      author_role: 'customer', author_id: null, is_public: true, body: 'Hello', from_value: null, to_value: null, value_num: null,
    };
    expect(EventRecord.safeParse(event).success).toBe(true);
    expect(EventRecord.safeParse({ ...event, type: 'telepathy' }).success).toBe(false);
    expect(EventRecord.safeParse({ ...event, author_role: 'robot' }).success).toBe(false);
  });

  test('there is a schema for every canonical table', () => {
    expect(Object.keys(canonicalRecordSchemas).sort()).toEqual(
      ['agents', 'cases', 'customer_attributes', 'customers', 'events', 'identities', 'interactions', 'queues', 'routing_decisions', 'teams'],
    );
  });
});
