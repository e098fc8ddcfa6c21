import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseSla, today, type MetricsConfigInput, type ScreenFilters } from '../src/index.ts';
import { Scenario } from './scenario.ts';

/**
 * SLA deadlines of open items in business time. The calendar: Berlin, Monday to Friday
 * 09:00-17:00, German public holidays. Two emails arrive on Thursday 28 March 2024 at 16:00 Berlin
 * (15:00 UTC, winter time), the day before Good Friday; "now" is Tuesday 2 April 06:00 UTC.
 *
 * Worked by hand, a 4-hour first-reply target in business time: Thursday 16:00-17:00 gives 1 h;
 * Good Friday (29th) is a holiday, Saturday and Sunday are closed, Easter Monday (1 April) is a
 * holiday; Tuesday opens at 09:00 Berlin, now summer time (07:00 UTC), and the remaining 3 h end at
 * 12:00 Berlin = 10:00 UTC. Time left at 06:00 UTC: 4 h = 14,400 s, inside the 8-hour horizon: at risk.
 * The same target in calendar time fell due on Thursday at 19:00 UTC: breached, 4 days 11 hours
 * ago = -385,200 s. Without the holidays, the business deadline is Friday 09:00-12:00 Berlin
 * (08:00-11:00 UTC): 11:00 UTC on the 29th, breached.
 */
const calendar = { id: 'berlin', timeZone: 'Europe/Berlin', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])), holidays: { country: 'DE' } };
const config = (withHolidays: boolean): MetricsConfigInput => ({
  calendars: [withHolidays ? calendar : { ...calendar, holidays: undefined }],
  calendarAssignments: { default: 'berlin' },
  slaPolicies: [
    { id: 'calendar', priorities: ['high'], firstReplySeconds: 4 * 3600, businessHours: false },
    { id: 'business', firstReplySeconds: 4 * 3600, businessHours: true },
  ],
});
const filters: ScreenFilters = { from: '2024-03-25', to: '2024-04-02', tz: 'UTC', businessHours: false, channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [] };
const clock = () => new Date('2024-04-03T00:00:00Z');
const iso = (v: string) => new Date(v).toISOString();

describe('SLA deadlines in business time', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    await s.wh.run("INSERT INTO cases VALUES ('k1', 'C1', NULL, TIMESTAMPTZ '2024-03-28 15:00:00+00', NULL, 'open', 'test')");
    await s.interaction({ id: 'normal', channel: 'email', created_at: '2024-03-28T15:00:00Z', priority: 'normal', customer_id: 'C1' });
    await s.interaction({ id: 'high', channel: 'email', created_at: '2024-03-28T15:00:00Z', priority: 'high', customer_id: 'C1' });
    await s.wh.run("UPDATE interactions SET case_id = 'k1' WHERE id IN ('normal', 'high')");
    // The newest interaction the data knows: "now".
    await s.interaction({ id: 'later', channel: 'chat', created_at: '2024-04-02T06:00:00Z', status: 'closed' });
  });
  afterAll(() => s.close());

  it('a business-hours policy falls due after the holiday weekend; a calendar one does not wait', async () => {
    const { now, targets } = await openCaseSla(s.wh, 'C1', { config: config(true), clock });
    expect(iso(now)).toBe('2024-04-02T06:00:00.000Z');
    const byId = Object.fromEntries(targets.map((t) => [t.id, { policy: t.policy, due: iso(t.due_at), left: t.seconds_left, state: t.state }]));
    expect(byId).toEqual({
      normal: { policy: 'business', due: '2024-04-02T10:00:00.000Z', left: 14_400, state: 'at risk' },
      high: { policy: 'calendar', due: '2024-03-28T19:00:00.000Z', left: -385_200, state: 'breached' },
    });
  });

  it('the at-risk list of the Today and SLA screens takes the same deadline', async () => {
    const t = await today(s.wh, filters, { config: config(true), clock, horizonSeconds: 8 * 3600 });
    expect(t.aboutToBreach.map((b) => [b.id, b.policy, iso(b.due_at), b.seconds_left])).toEqual([['normal', 'business', '2024-04-02T10:00:00.000Z', 14_400]]);
  });

  it('without the holidays the deadline is Friday noon, already breached', async () => {
    const { targets } = await openCaseSla(s.wh, 'C1', { config: config(false), clock });
    const normal = targets.find((t) => t.id === 'normal')!;
    expect([iso(normal.due_at), normal.state]).toEqual(['2024-03-29T11:00:00.000Z', 'breached']);
  });
});
