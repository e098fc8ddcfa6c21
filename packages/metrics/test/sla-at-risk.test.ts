import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaAtRisk } from '../src/index.ts';
import { Scenario, agent, customer } from './scenario.ts';

describe('SLA at risk', () => {
  let s: Scenario;
  // Default policies: urgent 1 h / 8 h, high 4 h / 24 h, normal 8 h / 72 h, low 24 h / 120 h (calendar time).
  const asOf = '2024-03-04T12:00:00Z';
  beforeAll(async () => {
    s = await Scenario.open();
    // ra (urgent): customer wrote 11:20, no reply: first reply due 12:20, 20 min after asOf -> at risk (within 30).
    await s.interaction({ id: 'ra', channel: 'email', priority: 'urgent', created_at: '2024-03-04T11:20:00Z', team_id: 't1' }, [customer('2024-03-04T11:20:00Z')]);
    // rb (urgent): replied 11:30 (before asOf), unresolved; resolution due 19:20: not within 30 min.
    await s.interaction({ id: 'rb', channel: 'email', priority: 'urgent', created_at: '2024-03-04T11:20:00Z' }, [customer('2024-03-04T11:20:00Z'), agent('2024-03-04T11:30:00Z')]);
    // rc (high): created 08:10, reply 12:40 (after asOf): first reply due 12:10 -> 10 min left, at risk.
    await s.interaction({ id: 'rc', channel: 'chat', priority: 'high', created_at: '2024-03-04T08:10:00Z', team_id: 't2' }, [customer('2024-03-04T08:10:00Z'), agent('2024-03-04T12:40:00Z')]);
    // rd (urgent): created 04:15, replied 04:30, resolution due 12:15 and not solved -> 15 min left.
    await s.interaction({ id: 'rd', channel: 'email', priority: 'urgent', created_at: '2024-03-04T04:15:00Z', team_id: 't1' }, [customer('2024-03-04T04:15:00Z'), agent('2024-03-04T04:30:00Z')]);
    // re (urgent): same as rd but solved at 11:00, before asOf: nothing due.
    await s.interaction({ id: 're', channel: 'email', priority: 'urgent', created_at: '2024-03-04T04:15:00Z', status: 'solved', resolved: true, resolved_at: '2024-03-04T11:00:00Z' },
      [customer('2024-03-04T04:15:00Z'), agent('2024-03-04T04:30:00Z')]);
    // rf (urgent): first reply was due 11:50, already breached at asOf: not "at risk", a breach.
    await s.interaction({ id: 'rf', channel: 'email', priority: 'urgent', created_at: '2024-03-04T10:50:00Z' }, [customer('2024-03-04T10:50:00Z')]);
    // rg (urgent): created after asOf: not there yet.
    await s.interaction({ id: 'rg', channel: 'email', priority: 'urgent', created_at: '2024-03-04T12:05:00Z' }, [customer('2024-03-04T12:05:00Z')]);
  });
  afterAll(() => s.close());

  it('lists the open targets falling due within the window, soonest first', async () => {
    const rows = await slaAtRisk(s.wh, { asOf, withinMinutes: 30 });
    expect(rows.map((r) => [r.id, r.policy, r.target, r.minutesLeft, r.deadline])).toEqual([
      ['rc', 'high', 'first_reply', 10, '2024-03-04T12:10:00Z'],
      ['rd', 'urgent', 'resolution', 15, '2024-03-04T12:15:00Z'],
      ['ra', 'urgent', 'first_reply', 20, '2024-03-04T12:20:00Z'],
    ]);
  });

  it('narrows to a channel or team, and a shorter window drops what is due later', async () => {
    expect((await slaAtRisk(s.wh, { asOf, withinMinutes: 30, channels: ['email'] })).map((r) => r.id)).toEqual(['rd', 'ra']);
    expect((await slaAtRisk(s.wh, { asOf, withinMinutes: 30, teams: ['t2'] })).map((r) => r.id)).toEqual(['rc']);
    expect((await slaAtRisk(s.wh, { asOf, withinMinutes: 12 })).map((r) => r.id)).toEqual(['rc']);
  });

  it('leaves out policies measured in business hours rather than give them a wall-clock deadline', async () => {
    const config = { slaPolicies: [{ id: 'biz', firstReplySeconds: 3600, resolutionSeconds: 8 * 3600, businessHours: true }] };
    expect(await slaAtRisk(s.wh, { asOf, withinMinutes: 600, config })).toEqual([]);
  });
});
