import { beforeAll, describe, expect, test } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { qaStores } from '../src/qa-stores.ts';
import { checksAgainstReviews, consistencyResults, consistencySummary, policyConsistency, runConsistencyChecks, runPolicyChecks, summarize, wilsonInterval, type CheckResult } from '../src/consistency.ts';
import { agent, freshWarehouse, insert, interaction, message } from './fixtures.ts';

let wh: Warehouse;
let results: CheckResult[];
const range = { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' };

const at = (day: number, hh: number, mm = 0) => `2026-03-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`;
const note = (id: string, seq: number, body: string, when: string) => ({ ...message(id, seq, 'agent', body, 'a1', when), is_public: false });
const result = (interactionId: string, checkId: string) => results.find((r) => r.interactionId === interactionId && r.checkId === checkId);

beforeAll(async () => {
  wh = await freshWarehouse();
  const convo = (id: string, channel: 'chat' | 'email' | 'social' | 'phone', day: number, intent: string | null = null) =>
    interaction(id, { agent_id: 'a1', channel, created_at: at(day, 9), intent });
  await insert(wh, {
    agents: [agent('a1', 'Anna Berg', 't1')],
    interactions: [
      convo('chat-good', 'chat', 2), convo('chat-curt', 'chat', 2), convo('email-good', 'email', 3), convo('email-generic', 'email', 3),
      convo('social-dm', 'social', 4), convo('social-email', 'social', 4), convo('social-phone', 'social', 4), convo('social-card', 'social', 4),
      convo('social-note', 'social', 4), convo('promise-kept', 'chat', 5), convo('promise-late', 'chat', 5), convo('promise-silent', 'email', 6),
      convo('promise-unanswered', 'email', 6), convo('verified', 'chat', 7), convo('unverified', 'chat', 7), convo('verified-note', 'email', 7),
      convo('call', 'phone', 8),
    ],
    events: [
      // Chat: short lines, the agent's first line greets and the last offers more help.
      message('chat-good', 0, 'customer', 'hi my order hasnt come', 'c1', at(2, 9)),
      message('chat-good', 1, 'agent', 'Hi Sam, Anna here. I will look into it right away.', 'a1', at(2, 9, 1)),
      message('chat-good', 2, 'agent', 'It is out for delivery today. Anything else I can help with?', 'a1', at(2, 9, 5)),
      message('chat-curt', 0, 'customer', 'where is my parcel', 'c2', at(2, 9)),
      message('chat-curt', 1, 'agent', 'Yes?', 'a1', at(2, 9, 1)),
      message('chat-curt', 2, 'agent', 'Please check the tracking link.', 'a1', at(2, 9, 3)),
      // Email: one long body with a salutation and a signature.
      message('email-good', 0, 'customer', 'Hello,\n\nWhere is my refund?\n\nThanks, Sam', 'c3', at(3, 9)),
      message('email-good', 1, 'agent', 'Hi Sam,\n\nI have pushed the refund through today.\n\nBest regards,\nAnna\nLarkspur Customer Care', 'a1', at(3, 11)),
      message('email-generic', 0, 'customer', 'Refund?', 'c4', at(3, 9)),
      message('email-generic', 1, 'agent', 'Dear customer,\n\nRefunds take up to 14 days.\n\nLarkspur Support', 'a1', at(3, 10)),
      // Social: public replies signed ^Name; personal details belong in a DM.
      message('social-dm', 0, 'customer', '@LarkspurHelp where is order 5521? #fail', 'c5', at(4, 9)),
      message('social-dm', 1, 'agent', 'Hi Sam, sorry to hear that! Please send us a DM with your order number and we will sort it out. ^Anna', 'a1', at(4, 9, 10)),
      message('social-email', 1, 'agent', 'We emailed sam.lee@example.com about order #LK-482913 ^Anna', 'a1', at(4, 9, 10)),
      message('social-phone', 1, 'agent', 'Hi Sam, call us on +44 20 7946 0958 ^Anna', 'a1', at(4, 9, 10)),
      message('social-card', 1, 'agent', 'Hi Sam, the card 4111 1111 1111 1111 was declined ^Anna', 'a1', at(4, 9, 10)),
      note('social-note', 0, 'Customer email is sam.lee@example.com, order LK-482913', at(4, 9, 5)),
      message('social-note', 1, 'agent', 'Hello Sam, could you DM us? ^Anna', 'a1', at(4, 9, 10)),
      // Promises of timing.
      message('promise-kept', 0, 'agent', 'Hi, I will get back to you within 2 hours.', 'a1', at(5, 10)),
      message('promise-kept', 1, 'customer', 'any news?', 'c6', at(5, 10, 30)),
      message('promise-kept', 2, 'agent', 'Yes: it is fixed. Anything else?', 'a1', at(5, 11, 30)),
      message('promise-late', 0, 'agent', 'Hi, I will get back to you within 2 hours.', 'a1', at(5, 10)),
      message('promise-late', 1, 'customer', 'any news?', 'c7', at(5, 10, 30)),
      message('promise-late', 2, 'agent', 'Sorry for the wait, it is fixed.', 'a1', at(5, 13)),
      message('promise-silent', 0, 'agent', 'Hi Sam,\n\nWe will reply within a few hours.\n\nBest regards,\nAnna', 'a1', at(6, 10)),
      message('promise-unanswered', 0, 'agent', 'Hi Sam,\n\nYou will hear from us within 24 hours.\n\nBest regards,\nAnna', 'a1', at(6, 10)),
      message('promise-unanswered', 1, 'customer', 'Hello, any update?', 'c8', at(6, 12)),
      // Identity before account changes: asked and confirmed first, or never.
      message('verified', 0, 'agent', 'Hi Sam. Can you confirm the email address on your account?', 'a1', at(7, 10)),
      message('verified', 1, 'customer', 'sam.lee@example.com', 'c9', at(7, 10, 2)),
      message('verified', 2, 'agent', 'Thanks. I have updated your login email, try again now.', 'a1', at(7, 10, 5)),
      message('unverified', 0, 'agent', 'Hi Sam, I have updated your login email, try again now.', 'a1', at(7, 10)),
      note('verified-note', 0, 'Verified order LK-1 and postcode before changing the address.', at(7, 10)),
      message('verified-note', 1, 'agent', "Hi Sam,\n\nI've reset your password.\n\nBest regards,\nAnna", 'a1', at(7, 10, 5)),
      // A call has no written replies: no text check applies.
      message('call', 0, 'agent', 'Call summary: caller asked about a refund.', 'a1', at(8, 10)),
    ],
  });
  results = await runConsistencyChecks(wh, { ...range, asOf: '2026-03-10T00:00:00Z' });
});

describe('greeting and closing, in each channel\'s shape', () => {
  test('chat: a greeting first and an offer of more help last pass; "Yes?" and a bare instruction fail', () => {
    expect(result('chat-good', 'greeting')?.passed).toBe(true);
    expect(result('chat-good', 'closing')?.passed).toBe(true);
    expect(result('chat-curt', 'greeting')).toMatchObject({ passed: false, evidence: 'Yes?' });
    expect(result('chat-curt', 'closing')).toMatchObject({ passed: false, evidence: 'Please check the tracking link.' });
  });

  test('email: "Hi Sam," and "Best regards" pass; "Dear customer" greets but a bare team signature does not close', () => {
    expect(result('email-good', 'greeting')?.passed).toBe(true);
    expect(result('email-good', 'closing')?.passed).toBe(true);
    expect(result('email-generic', 'greeting')?.passed).toBe(true);
    expect(result('email-generic', 'closing')?.passed).toBe(false);
  });

  test('social: a reply signed ^Anna closes; calls get no text checks', () => {
    expect(result('social-dm', 'closing')?.passed).toBe(true);
    expect(results.filter((r) => r.interactionId === 'call')).toEqual([]);
  });
});

describe('no personal data in a public social reply', () => {
  test('asking for a DM passes; an email, phone, card number in public fails, named by kind; an internal note is not public', () => {
    expect(result('social-dm', 'no-personal-data-public')).toMatchObject({ passed: true, evidence: null });
    // The email address is found first, the order number in the same reply is not named twice.
    expect(result('social-email', 'no-personal-data-public')).toMatchObject({ passed: false, evidence: 'an email address' });
    expect(result('social-phone', 'no-personal-data-public')).toMatchObject({ passed: false, evidence: 'a phone number' });
    expect(result('social-card', 'no-personal-data-public')).toMatchObject({ passed: false, evidence: 'a card-like number' });
    expect(result('social-note', 'no-personal-data-public')?.passed).toBe(true);
    // The check is for social only.
    expect(result('email-good', 'no-personal-data-public')).toBeUndefined();
  });
});

describe('a promise of timing kept', () => {
  test('within 2 hours: a reply after 1 h 30 keeps it, one after 3 h breaks it; no promise, no check', () => {
    // promise at 10:00, deadline 12:00; next reply 11:30 (kept) or 13:00 (broken)
    expect(result('promise-kept', 'promise-kept')).toMatchObject({ passed: true, evidence: 'within 2 hours' });
    expect(result('promise-late', 'promise-kept')).toMatchObject({ passed: false, evidence: 'within 2 hours' });
    expect(result('chat-good', 'promise-kept')).toBeUndefined();
  });

  test('email: the customer never wrote again (nothing to answer) keeps it; a customer waiting past 24 h with no reply breaks it', () => {
    expect(result('promise-silent', 'promise-kept')).toMatchObject({ passed: true, evidence: 'within a few hours' });
    // promised 6 March 10:00 -> deadline 7 March 10:00, before the as-of 10 March; the customer wrote at 12:00
    expect(result('promise-unanswered', 'promise-kept')?.passed).toBe(false);
  });
});

describe('identity verified before an account change', () => {
  test('asked first passes, never asked fails, a verification note before a public change passes', () => {
    expect(result('verified', 'verify-before-change')?.passed).toBe(true);
    expect(result('unverified', 'verify-before-change')).toMatchObject({ passed: false, evidence: 'Hi Sam, I have updated your login email, try again now.' });
    expect(result('verified-note', 'verify-before-change')?.passed).toBe(true);
    // no account change announced: the check does not apply
    expect(result('chat-good', 'verify-before-change')).toBeUndefined();
  });

  test('per channel: checked and failed counts', () => {
    const greeting = summarize(results, 'channel').filter((s) => s.checkId === 'greeting');
    // chat: chat-good, chat-curt, promise-kept, promise-late, verified, unverified = 6 (chat-curt fails)
    // email: email-good, email-generic, promise-silent, promise-unanswered, verified-note = 5, all greet
    // social: social-dm, -email, -phone, -card, -note = 5; social-email opens "We emailed ..." (fails)
    expect(greeting).toEqual([
      { checkId: 'greeting', key: 'chat', checked: 6, failed: 1, failRate: 1 / 6 },
      { checkId: 'greeting', key: 'email', checked: 5, failed: 0, failRate: 0 },
      { checkId: 'greeting', key: 'social', checked: 5, failed: 1, failRate: 0.2 },
    ]);
  });
});

describe('policy consistency across channels', () => {
  test('Wilson intervals and the flag, worked by hand', () => {
    // chat 36/40 = 0.9: centre (0.9 + 1.92073 / 40) / (1 + 3.84146 / 40) = 0.864953, half 0.095469 -> [0.769482, 0.960420]
    expect(wilsonInterval(36, 40)!.low).toBeCloseTo(0.769482, 6);
    expect(wilsonInterval(36, 40)!.high).toBeCloseTo(0.96042, 5);
    const rows = policyConsistency([
      { channel: 'chat', requests: 40, granted: 36 },
      { channel: 'email', requests: 60, granted: 30 },
      { channel: 'social', requests: 20, granted: 10 },
    ]);
    // chat: others (30 + 10) / 80 = 0.5, outside [0.7695, 0.9604] -> flagged
    // email: 30/60 -> [0.377350, 0.622650]; others (36 + 10) / 60 = 0.7667 -> flagged
    // social: 10/20 -> [0.299298, 0.700702]; others (36 + 30) / 100 = 0.66, inside -> not flagged
    expect(rows.map((r) => [r.channel, r.flagged])).toEqual([['chat', true], ['email', true], ['social', false]]);
    expect(rows[1].low).toBeCloseTo(0.37735, 5);
    expect(rows[2].othersRate).toBeCloseTo(0.66, 12);
  });

  test('grants read from the agents\' replies per channel of refund conversations', async () => {
    await insert(wh, {
      interactions: [
        interaction('r-chat-1', { agent_id: 'a1', channel: 'chat', created_at: at(9, 9), intent: 'refund' }),
        interaction('r-chat-2', { agent_id: 'a1', channel: 'chat', created_at: at(9, 9), intent: 'refund' }),
        interaction('r-mail-1', { agent_id: 'a1', channel: 'email', created_at: at(9, 9), intent: 'refund' }),
      ],
      events: [
        message('r-chat-1', 0, 'agent', 'I have just pushed the refund through.', 'a1', at(9, 10)),
        message('r-chat-2', 0, 'agent', 'Refunds take up to 14 days. Please wait.', 'a1', at(9, 10)),
        message('r-mail-1', 0, 'agent', 'Hi,\n\nThe refund of £20 is confirmed and on its way.\n\nBest regards', 'a1', at(9, 10)),
      ],
    });
    const [refunds] = await runPolicyChecks(wh, range);
    // email-good (3 March) had no refund intent: only the three refund conversations count
    expect(refunds.channels.map((c) => [c.channel, c.requests, c.granted])).toEqual([['chat', 2, 1], ['email', 1, 1]]);
  });
});

describe('checks against human reviews', () => {
  test("Cohen's kappa between the greeting check and the reviewers' greeting category, worked by hand", async () => {
    let n = 0;
    const qa = qaStores(wh, { now: () => '2026-03-20T08:00:00.000Z', newId: (kind) => `${kind}-${++n}` });
    await qa.scorecards.save({ id: 'general', name: 'General', categories: [{ id: 'greeting', name: 'Greeting', scale: 'binary' }, { id: 'solution', name: 'Solution', scale: '4-point' }] });
    // Reviewers: chat-good greeted (1), chat-curt greeted (1: they disagree with the check), email-good (1), social-email (0).
    const marks: Record<string, number> = { 'chat-good': 1, 'chat-curt': 1, 'email-good': 1, 'social-email': 0 };
    const ids = Object.keys(marks);
    const sampleId = await qa.samples.save({
      strategy: 'random', seed: 1, params: {}, range: null,
      result: { items: ids.map((interactionId) => ({ interactionId, agentId: 'a1', channel: 'chat', reason: 'random' })), eligible: 4, excluded: [], shortfalls: [] },
    });
    for (const a of await qa.assignments.assignSample(sampleId, { reviewers: ['r1'], seed: 1 })) {
      await qa.reviews.submit(a.id, { ratings: [{ categoryId: 'greeting', rating: marks[a.interactionId] }, { categoryId: 'solution', rating: 3 }] });
    }
    const greeting = (await checksAgainstReviews(wh, range)).find((k) => k.checkId === 'greeting')!;
    // pairs (check, people): (pass, pass) (fail, pass) (pass, pass) (fail, fail): agreement 3/4;
    // chance: check pass 2/4 x people pass 3/4 + check fail 2/4 x people fail 1/4 = 0.5; kappa (0.75 - 0.5) / 0.5 = 0.5
    expect(greeting).toEqual({ checkId: 'greeting', category: 'greeting', compared: 4, agreement: 0.75, kappa: 0.5 });
  });

  test('summaries in SQL equal the per-conversation results; drill-down lists the failures', async () => {
    const all = await runConsistencyChecks(wh, range);
    expect(await consistencySummary(wh, range, 'channel')).toEqual(summarize(all, 'channel'));
    const failed = await consistencyResults(wh, range, { checkId: 'no-personal-data-public', channel: 'social' });
    expect(failed.map((r) => [r.interactionId, r.evidence]).sort()).toEqual([['social-card', 'a card-like number'], ['social-email', 'an email address'], ['social-phone', 'a phone number']]);
  });
});
