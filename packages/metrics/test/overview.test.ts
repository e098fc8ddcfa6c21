import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { addDays, channelOverview, dailyVolume, dataExtent, dayRangeBounds, defaultRange, overviewTotal } from '../src/index.ts';

/**
 * A hand-built warehouse. Each row: [channel, created_at, seconds until first response or null].
 * The range under test is 2024-03-10 .. 2024-03-12 (UTC days), i.e. the instants
 * [2024-03-10T00:00:00Z, 2024-03-13T00:00:00Z).
 */
const rows: [string, string, number | null][] = [
  // chat: 3 in range
  ['chat', '2024-03-10T00:00:00Z', 60], // first instant of the range: in
  ['chat', '2024-03-11T12:00:00Z', 120],
  ['chat', '2024-03-12T23:59:59Z', null], // last second of the range: in, never answered
  // chat: out of range
  ['chat', '2024-03-13T00:00:00Z', 10], // the exclusive end: out
  ['chat', '2024-03-09T23:59:59Z', 5], // one second before the start: out
  // email: 4 in range, given with offsets to prove they are compared as instants
  ['email', '2024-03-10T09:00:00+05:30', 3600], // 03:30Z on the 10th
  ['email', '2024-03-11T08:00:00Z', 7200],
  ['email', '2024-03-11T20:00:00-05:00', 1800], // 2024-03-12T01:00Z
  ['email', '2024-03-12T10:00:00Z', 600],
  // email: local day 12 in New York but the 13th in UTC: out
  ['email', '2024-03-12T20:00:00-05:00', 45],
  // email: local day 10 in Kolkata but the 9th in UTC: out
  ['email', '2024-03-10T03:00:00+05:30', 45],
  // phone: 1 in range
  ['phone', '2024-03-11T00:30:00Z', 30],
  // social: 2 in range, neither answered
  ['social', '2024-03-10T15:00:00Z', null],
  ['social', '2024-03-12T15:00:00Z', null],
  // help_center: nothing at all
];

const range = { from: '2024-03-10', to: '2024-03-12' };
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
  let n = 0;
  for (const [channel, createdAt, responseSeconds] of rows) {
    n++;
    await warehouse.run(
      `INSERT INTO interactions (id, source, native_id, channel, status, created_at, first_response_at, updated_at)
       VALUES ($1, 'test', $2, $3, 'open', CAST($4 AS TIMESTAMPTZ),
               CAST($4 AS TIMESTAMPTZ) + to_seconds(CAST($5 AS DOUBLE)), CAST($4 AS TIMESTAMPTZ))`,
      [`test:${n}`, String(n), channel, createdAt, responseSeconds],
    );
  }
});

afterAll(() => warehouse.close());

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

  it('takes the median first response over answered interactions only', async () => {
    const medians = Object.fromEntries((await channelOverview(warehouse, range)).map((r) => [r.channel, r.medianFirstResponseSeconds]));
    // chat: answered 60 and 120 (the third never was) -> (60 + 120) / 2 = 90
    expect(medians.chat).toBe(90);
    // email: 600, 1800, 3600, 7200 -> (1800 + 3600) / 2 = 2700
    expect(medians.email).toBe(2700);
    // phone: one answer -> 30
    expect(medians.phone).toBe(30);
    // social: interactions but no answer; help_center: no interactions
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
  it('takes the median over all channels together, not the mean of medians', async () => {
    const total = await overviewTotal(warehouse, range);
    // 3 + 4 + 1 + 2 + 0 = 10 interactions
    expect(total.interactions).toBe(10);
    // answered: 60, 120, 3600, 7200, 1800, 600, 30 -> sorted 30, 60, 120, 600, 1800, 3600, 7200 -> 600
    expect(total.medianFirstResponseSeconds).toBe(600);
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
