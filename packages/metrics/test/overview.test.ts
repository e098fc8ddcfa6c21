import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { addDays, channelOverview, dailyVolume, dataExtent, dayRangeBounds, defaultRange, overviewTotal } from '../src/index.ts';
import { agent, bot, customer, Scenario, type ScenarioEvent, type ScenarioInteraction } from './scenario.ts';

/**
 * A hand-built warehouse. The range under test is 2024-03-10 .. 2024-03-12 (UTC days), i.e. the
 * instants [2024-03-10T00:00:00Z, 2024-03-13T00:00:00Z).
 *
 * First response follows the registry: for chat, email and social it runs from the customer's
 * first message (created_at when there is none), or the bot hand-off when that is later, to the
 * first public agent message at or after that start; for phone it is the speed of answer (the
 * queue wait of an answered inbound call). `first_response_at` is set to a decoy wherever events
 * decide, so that a figure taken from `first_response_at - created_at` would fail the test.
 */
const plus = (instant: string, seconds: number) => new Date(Date.parse(instant) + seconds * 1000).toISOString();
const handoff = (at: string): ScenarioEvent => ({ at, type: 'bot_handoff', role: 'bot' });

type Row = [Partial<ScenarioInteraction> & Pick<ScenarioInteraction, 'channel' | 'created_at'>, (created: string) => ScenarioEvent[]];
const rows: Row[] = [
  // chat: 3 in range
  // customer at +0, agent at +60: 60 - 0 = 60 (decoy first_response_at at +5)
  [{ channel: 'chat', created_at: '2024-03-10T00:00:00Z', first_response_at: '2024-03-10T00:00:05Z' }, (c) => [customer(c), agent(plus(c, 60))]], // first instant: in
  // customer at +30, bot hand-off at +100 (later, so the start), bot reply at +110 (never counts),
  // private agent note at +120 (not public), public agent reply at +220: 220 - 100 = 120
  [{ channel: 'chat', created_at: '2024-03-11T12:00:00Z', first_response_at: '2024-03-11T12:00:10Z', bot_involved: true },
    (c) => [customer(plus(c, 30)), handoff(plus(c, 100)), bot(plus(c, 110)), agent(plus(c, 120), false), agent(plus(c, 220))]],
  // last second of the range: in; the customer wrote, nobody answered
  [{ channel: 'chat', created_at: '2024-03-12T23:59:59Z' }, (c) => [customer(c)]],
  // chat: out of range
  [{ channel: 'chat', created_at: '2024-03-13T00:00:00Z' }, (c) => [customer(c), agent(plus(c, 10))]], // the exclusive end: out
  [{ channel: 'chat', created_at: '2024-03-09T23:59:59Z' }, (c) => [customer(c), agent(plus(c, 5))]], // one second before: out
  // email: 4 in range, given with offsets to prove they are compared as instants
  // 03:30Z on the 10th; no customer message, so the start is created_at: agent at +3600 -> 3600
  [{ channel: 'email', created_at: '2024-03-10T09:00:00+05:30', first_response_at: '2024-03-10T03:31:00Z' }, (c) => [agent(plus(c, 3600))]],
  // customer at +600; an agent message at +300 is before the start and does not count; agent at +7800: 7800 - 600 = 7200
  [{ channel: 'email', created_at: '2024-03-11T08:00:00Z', first_response_at: '2024-03-11T08:05:00Z' },
    (c) => [agent(plus(c, 300)), customer(plus(c, 600)), agent(plus(c, 7800))]],
  // 2024-03-12T01:00Z; customer at +0, agent at +1800 -> 1800
  [{ channel: 'email', created_at: '2024-03-11T20:00:00-05:00', first_response_at: '2024-03-12T01:00:01Z' }, (c) => [customer(c), agent(plus(c, 1800))]],
  // customer at +0, agents at +600 and +900: the first counts -> 600
  [{ channel: 'email', created_at: '2024-03-12T10:00:00Z', first_response_at: '2024-03-12T10:00:01Z' }, (c) => [customer(c), agent(plus(c, 600)), agent(plus(c, 900))]],
  // email: local day 12 in New York but the 13th in UTC: out
  [{ channel: 'email', created_at: '2024-03-12T20:00:00-05:00' }, (c) => [customer(c), agent(plus(c, 45))]],
  // email: local day 10 in Kolkata but the 9th in UTC: out
  [{ channel: 'email', created_at: '2024-03-10T03:00:00+05:30' }, (c) => [customer(c), agent(plus(c, 45))]],
  // phone: 1 in range, an answered inbound call that waited 30 s in the queue (speed of answer 30);
  // its first_response_at is 40 s after creation (IVR time included), which the registry does not use
  [{ channel: 'phone', created_at: '2024-03-11T00:30:00Z', first_response_at: '2024-03-11T00:30:40Z', queue_wait_seconds: 30 }, () => []],
  // social: 2 in range, the customers wrote, neither answered
  [{ channel: 'social', created_at: '2024-03-10T15:00:00Z' }, (c) => [customer(c)]],
  [{ channel: 'social', created_at: '2024-03-12T15:00:00Z' }, (c) => [customer(c)]],
  // help_center: nothing at all
];

const range = { from: '2024-03-10', to: '2024-03-12' };
let scenario: Scenario;
let warehouse: Warehouse;

beforeAll(async () => {
  scenario = await Scenario.open();
  warehouse = scenario.wh;
  let n = 0;
  for (const [row, events] of rows) {
    n++;
    await scenario.interaction({ id: `test:${n}`, ...row }, events(row.created_at));
  }
});

afterAll(() => scenario.close());

describe('channelOverview', () => {
  it('runs in a non-UTC process time zone', () => {
    // Asia/Kolkata is UTC+5:30, so the offset is -330 minutes.
    expect(new Date(0).getTimezoneOffset()).toBe(-330);
  });

  it('counts interactions per channel over whole UTC days, both ends inclusive', async () => {
    const result = await channelOverview(warehouse, range);
    expect(result.map((r) => [r.channel, r.interactions])).toEqual([
      ['chat', 3], // 00:00:00Z on the 10th and 23:59:59Z on the 12th are in; 00:00Z on the 13th is not
      ['email', 4], // the offsets put two other emails on the 9th and 13th (UTC)
      ['phone', 1],
      ['social', 2],
      ['help_center', 0],
    ]);
  });

  it("takes the registry's median first response: first_response_time, and speed of answer for phone", async () => {
    const medians = Object.fromEntries((await channelOverview(warehouse, range)).map((r) => [r.channel, r.medianFirstResponseSeconds]));
    // chat: 60 and 120 (the third never got an agent reply) -> (60 + 120) / 2 = 90
    // (from first_response_at it would have been (5 + 10) / 2 = 7.5)
    expect(medians.chat).toBe(90);
    // email: 600, 1800, 3600, 7200 -> (1800 + 3600) / 2 = 2700
    expect(medians.email).toBe(2700);
    // phone: average_speed_of_answer, one answered call that queued 30 s -> 30 (not 40)
    expect(medians.phone).toBe(30);
    // social: interactions but no agent reply; help_center: no interactions (and no such KPI)
    expect(medians.social).toBeNull();
    expect(medians.help_center).toBeNull();
  });

  it('lists every channel with zero when the range holds nothing', async () => {
    const result = await channelOverview(warehouse, { from: '2020-01-01', to: '2020-01-31' });
    expect(result).toHaveLength(5);
    expect(result.every((r) => r.interactions === 0 && r.medianFirstResponseSeconds === null)).toBe(true);
  });

  it('counts a single-day range as that UTC day', async () => {
    const result = await channelOverview(warehouse, { from: '2024-03-13', to: '2024-03-13' });
    // the chat at 00:00:00Z and the New York evening email (01:00Z) fall on the 13th
    expect(result.filter((r) => r.interactions > 0).map((r) => [r.channel, r.interactions])).toEqual([
      ['chat', 1],
      ['email', 1],
    ]);
  });
});

describe('overviewTotal', () => {
  it('counts every channel and shows no median: medians of different KPIs do not combine', async () => {
    const total = await overviewTotal(warehouse, range);
    // 3 + 4 + 1 + 2 + 0 = 10 interactions
    expect(total.interactions).toBe(10);
    expect(total.medianFirstResponseSeconds).toBeNull();
  });

  it('is zero and null for an empty range', async () => {
    expect(await overviewTotal(warehouse, { from: '2030-01-01', to: '2030-01-02' })).toEqual({
      interactions: 0,
      medianFirstResponseSeconds: null,
    });
  });
});

describe('dailyVolume', () => {
  it('returns every day and channel of the range, zero where nothing happened', async () => {
    const result = await dailyVolume(warehouse, range);
    // 3 days x 5 channels
    expect(result).toHaveLength(15);
    const nonZero = result.filter((r) => r.interactions > 0).map((r) => `${r.day} ${r.channel} ${r.interactions}`);
    expect(nonZero).toEqual([
      '2024-03-10 chat 1', // 00:00:00Z
      '2024-03-10 email 1', // 09:00+05:30 = 03:30Z
      '2024-03-10 social 1',
      '2024-03-11 chat 1',
      '2024-03-11 email 1', // 08:00Z (the 20:00-05:00 one is 01:00Z on the 12th)
      '2024-03-11 phone 1',
      '2024-03-12 chat 1', // 23:59:59Z
      '2024-03-12 email 2', // 01:00Z and 10:00Z
      '2024-03-12 social 1',
    ]);
    // The days add up to the per-channel counts.
    expect(result.reduce((sum, r) => sum + r.interactions, 0)).toBe(10);
  });
});

describe('dataExtent', () => {
  it('gives the UTC days of the first and last interaction', async () => {
    // earliest: 2024-03-09T21:30Z (03:00+05:30 on the 10th); latest: 2024-03-13T01:00Z
    expect(await dataExtent(warehouse)).toEqual({ first: '2024-03-09', last: '2024-03-13' });
  });

  it('is null at both ends for an empty warehouse', async () => {
    const empty = await Warehouse.open(':memory:');
    try {
      expect(await dataExtent(empty)).toEqual({ first: null, last: null });
    } finally {
      empty.close();
    }
  });
});

describe('day ranges', () => {
  it('defaults to the 30 days ending on the last day of data, whatever the clock says', () => {
    // 30 days inclusive = 2024-03-13 minus 29 days: 13 days back is 2024-02-29 (a leap year),
    // then 29 - 13 = 16 more -> 2024-02-13
    expect(defaultRange({ first: '2024-01-01', last: '2024-03-13' })).toEqual({ from: '2024-02-13', to: '2024-03-13' });
    expect(defaultRange({ first: null, last: null })).toBeNull();
  });

  it('does day arithmetic in UTC across month ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(dayRangeBounds({ from: '2024-03-31', to: '2024-03-31' })).toEqual({
      start: '2024-03-31T00:00:00Z',
      end: '2024-04-01T00:00:00Z',
    });
  });
});
