import { beforeAll, describe, expect, test } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { loadCandidates } from '../src/candidate-query.ts';
import type { Candidate } from '../src/sampling.ts';
import { agent, freshWarehouse, insert, interaction, message } from './fixtures.ts';

let wh: Warehouse;
let byId: Map<string, Candidate>;

beforeAll(async () => {
  wh = await freshWarehouse();
  await insert(wh, {
    agents: [agent('a1', 'Anna Berg', 't1'), agent('a2', 'Ben Okafor', 't1')],
    interactions: [
      // chat handle times 600, 600, 1200, 3000 s
      interaction('i1', { contact_id: 'c1', created_at: '2026-03-02T10:00:00Z', resolved_at: '2026-03-02T10:10:00Z' }),
      interaction('i2', { channel: 'email', contact_id: 'c1', created_at: '2026-03-08T09:00:00Z', resolved_at: '2026-03-08T10:00:00Z' }),
      interaction('i3', { created_at: '2026-03-03T10:00:00Z', resolved_at: '2026-03-03T10:10:00Z' }),
      interaction('i4', {
        created_at: '2026-03-04T10:00:00Z', resolved_at: '2026-03-04T10:20:00Z', bot_involved: true,
        bot_handoff_at: '2026-03-04T10:00:00Z', first_response_at: '2026-03-04T10:06:00Z',
      }),
      interaction('i5', { channel: 'phone', created_at: '2026-03-05T10:00:00Z', first_response_at: '2026-03-05T10:00:20Z', talk_seconds: 300, hold_seconds: 60, wrap_up_seconds: 40, csat_score: 2, reopen_count: 1 }),
      interaction('i6', { created_at: '2026-03-06T10:00:00Z', resolved_at: '2026-03-06T10:50:00Z', agent_id: 'a2' }),
      // outside the range
      interaction('i9', { created_at: '2026-04-20T10:00:00Z', resolved_at: '2026-04-20T10:10:00Z' }),
    ],
    events: [
      { ...message('i3', 0, 'customer', 'hello', 'c-i3', '2026-03-03T10:00:00Z'), type: 'transfer', author_role: 'system', body: null },
      message('i6', 0, 'customer', 'Thanks, this is great', 'c-i6', '2026-03-06T10:00:00Z'),
      message('i6', 1, 'agent', 'Happy to help', 'a2', '2026-03-06T10:01:00Z'),
      message('i6', 2, 'customer', 'This is terrible and awful', 'c-i6', '2026-03-06T10:30:00Z'),
    ],
  });
  const candidates = await loadCandidates(wh, { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z', withSentiment: true });
  byId = new Map(candidates.map((c) => [c.interactionId, c]));
});

describe('loading sampling candidates', () => {
  test('only conversations created in the range are candidates', () => {
    expect([...byId.keys()]).toEqual(['i1', 'i2', 'i3', 'i4', 'i5', 'i6']);
  });

  test('handle time is talk + hold + wrap-up for calls and created to resolved otherwise', () => {
    expect(byId.get('i5')!.signals.handleSeconds).toBe(400); // 300 + 60 + 40
    expect(byId.get('i2')!.signals.handleSeconds).toBe(3600);
    expect(byId.get('i6')!.signals.handleSeconds).toBe(3000);
  });

  test('the channel p90 and Tukey fences are computed per channel', () => {
    // chat [600, 600, 1200, 3000]: p90 at position 2.7 = 1200 + 0.7 x 1800 = 2460;
    // q1 (position 0.75) = 600, q3 (position 2.25) = 1200 + 0.25 x 1800 = 1650, IQR 1050
    // fences: 600 - 1575 = -975 and 1650 + 1575 = 3225
    const s = byId.get('i1')!.signals;
    expect(s.handleP90).toBeCloseTo(2460, 6);
    expect(s.handleFenceLow).toBeCloseTo(-975, 6);
    expect(s.handleFenceHigh).toBeCloseTo(3225, 6);
  });

  test('repeat contact, escalation, failed bot hand-off and sentiment shift are flagged', () => {
    // i2 comes from the same contact 5 days 23 hours after i1
    expect(byId.get('i1')!.signals.repeatContact).toBe(true);
    expect(byId.get('i2')!.signals.repeatContact).toBe(false);
    expect(byId.get('i3')!.signals.escalated).toBe(true);
    expect(byId.get('i1')!.signals.escalated).toBe(false);
    // handed over at 10:00, first human reply at 10:06: over 5 minutes
    expect(byId.get('i4')!.signals.failedBotHandoff).toBe(true);
    // AFINN: "Thanks, this is great" = thanks 2 + great 3 = 5; "This is terrible and awful" = -3 + -3 = -6; shift -11
    expect(byId.get('i6')!.signals.sentimentShift).toBe(-11);
    expect(byId.get('i1')!.signals.sentimentShift).toBeNull();
    expect(byId.get('i5')!.signals).toMatchObject({ csatScore: 2, reopenCount: 1 });
  });

  test('without signals (random and stratified sampling) only handle time is computed', async () => {
    const basic = await loadCandidates(wh, { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z', withSignals: false });
    const i1 = basic.find((c) => c.interactionId === 'i1')!.signals;
    expect(i1).toMatchObject({ handleSeconds: 600, repeatContact: false, escalated: false, handleP90: null, handleFenceHigh: null });
    expect(basic.find((c) => c.interactionId === 'i5')!.signals.handleSeconds).toBe(400);
  });
});
