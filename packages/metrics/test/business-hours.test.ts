import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarSpec, businessClock, businessSecondsBetween, openIntervals, scorecard } from '../src/index.ts';
import { Scenario, agent, customer } from './scenario.ts';

const weekday: Array<[string, string]> = [['09:00', '17:00']];
const berlin = CalendarSpec.parse({
  id: 'berlin', timeZone: 'Europe/Berlin', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday }, holidays: { country: 'DE' },
});
const berlinNoHolidays = CalendarSpec.parse({ ...berlin, id: 'berlin-plain', holidays: undefined });

describe('business-hours calendars', () => {
  it('keeps local shift hours across the spring daylight-saving change', () => {
    // Mon 2024-03-25 is CET (UTC+1): 09-17 local = 08-16Z. Tue 2024-04-02 is CEST (UTC+2): 07-15Z.
    expect(openIntervals(berlin, '2024-03-25', '2024-03-25')).toEqual([{ start: '2024-03-25T08:00:00.000Z', end: '2024-03-25T16:00:00.000Z' }]);
    expect(openIntervals(berlin, '2024-04-02', '2024-04-02')).toEqual([{ start: '2024-04-02T07:00:00.000Z', end: '2024-04-02T15:00:00.000Z' }]);
  });

  it('closes public holidays from the holiday library and custom dates', () => {
    // 2024-03-29 Good Friday and 2024-04-01 Easter Monday are public holidays everywhere in Germany;
    // 2024-03-30/31 is a weekend. So Thu 28 March is followed directly by Tue 2 April.
    const days = openIntervals(berlin, '2024-03-28', '2024-04-02').map((iv) => iv.start.slice(0, 10));
    expect(days).toEqual(['2024-03-28', '2024-04-02']);
    const custom = CalendarSpec.parse({ ...berlinNoHolidays, closedDates: ['2024-03-28'] });
    expect(openIntervals(custom, '2024-03-28', '2024-03-29').map((iv) => iv.start.slice(0, 10))).toEqual(['2024-03-29']);
  });

  it('allows split shifts in one day', () => {
    const split = CalendarSpec.parse({ id: 's', timeZone: 'UTC', weekly: { mon: [['08:00', '12:00'], ['13:00', '17:00']] } });
    expect(openIntervals(split, '2024-03-04', '2024-03-04')).toEqual([
      { start: '2024-03-04T08:00:00.000Z', end: '2024-03-04T12:00:00.000Z' },
      { start: '2024-03-04T13:00:00.000Z', end: '2024-03-04T17:00:00.000Z' },
    ]);
  });

  it('counts business seconds over a weekend, two holidays and the DST change', () => {
    const intervals = openIntervals(berlin, '2024-03-25', '2024-04-05');
    // Thu 28 Mar 15:00Z = 16:00 CET -> 17:00 CET: 3600 s; Fri, Sat, Sun, Mon closed;
    // Tue 2 Apr 07:00Z (09:00 CEST) -> 08:00Z (10:00 CEST): 3600 s. Total 7200 s.
    expect(businessSecondsBetween(intervals, '2024-03-28T15:00:00Z', '2024-04-02T08:00:00Z')).toBe(7200);
    // Without holidays Fri 29 Mar and Mon 1 Apr add 8 h each: 3600 + 28800 + 28800 + 3600 = 64800.
    const plain = openIntervals(berlinNoHolidays, '2024-03-25', '2024-04-05');
    expect(businessSecondsBetween(plain, '2024-03-28T15:00:00Z', '2024-04-02T08:00:00Z')).toBe(64800);
  });

  it('builds a business clock whose differences equal the overlap sums', () => {
    const intervals = openIntervals(berlin, '2024-03-25', '2024-04-05');
    const clock = businessClock('berlin', intervals);
    // 25, 26, 27, 28 March are open 8 h each before Tue 2 April: 4 x 28800 = 115200.
    expect(clock.find((r) => r.start_at.startsWith('2024-04-02'))?.open_before).toBe(115200);
  });
});

describe('duration KPIs in business time', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await Scenario.open();
    // An email to the Berlin team on Thursday before Easter, answered on the Tuesday after it.
    await s.interaction({ id: 'e1', channel: 'email', created_at: '2024-03-28T15:00:00Z', team_id: 'berlin-team' }, [
      customer('2024-03-28T15:00:00Z'),
      agent('2024-04-02T08:00:00Z'),
    ]);
  });
  afterAll(() => s.close());

  const config = { calendars: [berlin], calendarAssignments: { teams: { 'berlin-team': 'berlin' } } };

  it('reports first response time in calendar and in business seconds', async () => {
    const calendar = await scorecard(s.wh, { from: '2024-03-28', to: '2024-03-28', kpis: ['first_response_time'], config });
    // 28 Mar 15:00Z -> 2 Apr 08:00Z = 4 days 17 h = 345600 + 61200 = 406800 s.
    expect(calendar.rows[0].first_response_time).toBe(406800);
    const business = await scorecard(s.wh, { from: '2024-03-28', to: '2024-03-28', kpis: ['first_response_time'], config, businessHours: true });
    // See the weekend/holiday/DST case above: 3600 + 3600.
    expect(business.rows[0].first_response_time).toBe(7200);
    expect(business.filters.businessHours).toBe(true);
  });

  it('measures an SLA policy in business hours when it says so', async () => {
    const sla = (businessHours: boolean) => ({ ...config, slaPolicies: [{ id: 'reply-3h', firstReplySeconds: 3 * 3600, businessHours }] });
    // Business time to the reply is 7200 s (2 h): within 3 h. Calendar time is 406800 s: a breach.
    const business = await scorecard(s.wh, { from: '2024-03-28', to: '2024-03-28', kpis: ['sla_achievement'], config: sla(true) });
    expect(business.rows[0].sla_achievement).toBe(1);
    const calendar = await scorecard(s.wh, { from: '2024-03-28', to: '2024-03-28', kpis: ['sla_achievement'], config: sla(false) });
    expect(calendar.rows[0].sla_achievement).toBe(0);
  });
});
