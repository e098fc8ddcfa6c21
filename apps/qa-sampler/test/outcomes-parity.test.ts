import { beforeAll, describe, expect, test } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { scorecard } from '@helpdesk/metrics';
import { ReportStore } from '../src/report-store.ts';
import { agent, freshWarehouse, insert, interaction } from './fixtures.ts';

/**
 * The QA dashboard's outcome columns (FCR, repeat contact, CSAT per agent) and the scorecard's KPIs
 * read the same outcome reader: with every conversation of March reviewed, the two agree, and both
 * equal the values worked by hand below.
 */
let wh: Warehouse;

const at = (day: number, hour = 10) => `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const solved = (id: string, day: number, extra: Parameters<typeof interaction>[1] = {}) =>
  interaction(id, { created_at: at(day), resolved_at: at(day, 11), updated_at: at(day, 11), ...extra });

beforeAll(async () => {
  wh = await freshWarehouse();
  await insert(wh, {
    agents: [agent('a1', 'Anna Berg', 't1'), agent('a2', 'Ben Okafor', 't1')],
    interactions: [
      // a1. k1: resolved chat rated 5, but the same customer writes again 3 days later (k2): a repeat contact, not FCR.
      solved('k1', 2, { contact_id: 'c1', csat_score: 5 }),
      // k2: resolved email rated 2, nobody writes again: FCR.
      solved('k2', 5, { channel: 'email', contact_id: 'c1', csat_score: 2 }),
      // k3: still open, rated 4: not resolved, so outside the FCR denominator.
      interaction('k3', { created_at: at(9), contact_id: 'c3', status: 'open', resolved_at: null, updated_at: at(9), csat_score: 4 }),
      // k4: resolved but reopened once: not FCR; no rating.
      solved('k4', 12, { contact_id: 'c4', reopen_count: 1 }),
      // a2. k5: resolved chat rated 3: FCR, CSAT not positive.
      solved('k5', 3, { agent_id: 'a2', contact_id: 'c5', csat_score: 3 }),
      // k6: resolved email, no rating: FCR.
      solved('k6', 4, { agent_id: 'a2', channel: 'email', contact_id: 'c6' }),
      // k7: an outbound call the agent placed: not a contact, in no denominator.
      solved('k7', 6, { agent_id: 'a2', channel: 'phone', direction: 'outbound', contact_id: 'c7', first_response_at: at(6) }),
    ],
  });
  // One counted review per conversation (scores do not matter here).
  for (const [n, id] of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'].entries()) {
    const [row] = await wh.all<{ agent_id: string }>('SELECT agent_id FROM interactions WHERE id = $1', [id]);
    await wh.run(
      `INSERT INTO qa_reviews (id, assignment_id, calibration_session_id, interaction_id, agent_id, reviewer_id, scorecard_id, scorecard_version, score, critical_failed, comment, submitted_at, updated_at)
       VALUES ($1, NULL, NULL, $2, $3, 'lead', 'card', 1, $4, false, NULL, '2026-04-01T00:00:00Z', '2026-04-01T00:00:00Z')`,
      [`r${n}`, id, row.agent_id, 60 + 5 * n],
    );
  }
});

describe('QA outcomes and the scorecard', () => {
  test('per agent, FCR, repeat contact and CSAT on the QA dashboard equal the scorecard and the hand-worked values', async () => {
    const qa = await new ReportStore(wh).scores({ by: 'agent' });
    const card = await scorecard(wh, { from: '2026-03-01', to: '2026-03-31', by: ['agent'], kpis: ['fcr', 'repeat_contact_rate', 'csat'] });
    const byAgent = new Map(card.rows.map((r) => [r.agent, r]));
    // a1: resolved contacts k1, k2, k4; only k2 is neither reopened nor repeated: FCR 1/3.
    //     contacts k1-k4 of known customers, k1 repeated: 1/4. Ratings 5, 2, 4: positive 2/3.
    // a2: resolved contacts k5, k6, both FCR: 1. Contacts k5, k6, none repeated: 0. Ratings 3: positive 0/1.
    const expected = { a1: { fcr: 1 / 3, repeat: 1 / 4, csat: 2 / 3 }, a2: { fcr: 1, repeat: 0, csat: 0 } };
    expect(qa.rows.map((r) => r.key)).toEqual(['a1', 'a2']);
    for (const row of qa.rows) {
      const want = expected[row.key as 'a1' | 'a2'];
      const kpis = byAgent.get(row.key)!;
      expect(row.outcomes.fcrRate! / 100).toBeCloseTo(want.fcr, 12);
      expect(row.outcomes.repeatContactRate! / 100).toBeCloseTo(want.repeat, 12);
      expect(row.outcomes.csat! / 100).toBeCloseTo(want.csat, 12);
      expect(kpis.fcr).toBeCloseTo(want.fcr, 12);
      expect(kpis.repeat_contact_rate).toBeCloseTo(want.repeat, 12);
      expect(kpis.csat).toBeCloseTo(want.csat, 12);
    }
    expect(qa.rows[0].outcomes.csatResponses).toBe(3);
  });
});
