import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import {
  backlogHistory, customerTimeline, ensureMetricsCache, filterOptions, heatmap, interactionList, interactionView, kpiReport, today, type ScreenFilters,
} from '../src/index.ts';
import { agent, customer, Scenario, status } from './scenario.ts';

/**
 * SQL injection through every screen filter and search parameter: a hostile value changes nothing
 * in the warehouse (table list, row counts and a checksum equal before and after) and leaks
 * nothing (the result equals that of a value matching no row, or the call is refused with a
 * one-line message of our own, which the web app turns into a 400).
 */
const hostileValues = [
  "'", "''", '"', "'; DROP TABLE interactions; --", "x' OR '1'='1", "') OR ('1'='1", '" OR 1=1 --', '1; DELETE FROM events',
  "a'); UPDATE interactions SET status = 'closed'; --", '$1', '?', '%', '_', '*/ SELECT 1 /*', '\\', '\\x27', '\u0000', 'a\u0000b',
  '\u2019; DROP TABLE interactions; --', '\u202e\u0645\u0631\u062d\u0628\u0627', '\uD83D\uDCA3', 'x'.repeat(200_000),
  "team-a' UNION SELECT id, body FROM events --",
];
/** The control: a plain value that matches no row. */
const nothing = 'no-such-value';

const base: ScreenFilters = {
  from: '2026-03-01', to: '2026-03-05', tz: 'UTC', channels: [], teams: [], queues: [], agents: [], tiers: [], intents: [], languages: [], businessHours: false,
};
const listKeys = ['teams', 'queues', 'agents', 'tiers', 'intents', 'languages', 'channels'] as const;
const clock = () => new Date('2026-03-04T12:00:00Z');

let scenario: Scenario;
let wh: Warehouse;

/** Tables, row counts and an order-independent checksum of every row of every table. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = await wh.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1");
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await wh.all<{ n: number; h: string }>(`SELECT count(*) AS n, coalesce(sum(hash(t::VARCHAR)), 0)::VARCHAR AS h FROM "${name}" t`);
    out[name] = `${row.n}/${row.h}`;
  }
  return out;
}

beforeAll(async () => {
  scenario = await Scenario.open();
  wh = scenario.wh;
  // Two teams, two agents, chat and email; a CSAT, a tier, an identity: enough for every screen to have rows.
  await scenario.interaction(
    { id: 'c1', channel: 'chat', created_at: '2026-03-02T10:00:00Z', team_id: 'team-a', queue_id: 'q-a', agent_id: 'ag-1', intent: 'refund', csat_score: 5, status: 'solved', resolved_at: '2026-03-02T10:20:00Z', first_response_at: '2026-03-02T10:01:00Z' },
    [customer('2026-03-02T10:00:00Z', "it's broken"), agent('2026-03-02T10:01:00Z'), status('2026-03-02T10:20:00Z', 'open', 'solved')],
  );
  await scenario.interaction(
    { id: 'e1', channel: 'email', created_at: '2026-03-03T09:00:00Z', team_id: 'team-b', queue_id: 'q-b', agent_id: 'ag-2', intent: 'billing', language: 'de', csat_score: 2 },
    [customer('2026-03-03T09:00:00Z', 'Rechnung')],
  );
  await scenario.interaction({ id: 'e2', channel: 'email', created_at: '2026-03-04T08:00:00Z', team_id: 'team-b', customer_id: 'cust-1', contact_id: 'contact:e2' });
  await scenario.identity('contact:e2', 'email', 'ann@example.com', 'cust-1');
  await wh.run(`INSERT INTO customers VALUES ('cust-1', 'Ann', 'ann@example.com', NULL, '2026-03-04T08:00:00Z', '2026-03-04T08:00:00Z')`);
  await wh.run(`INSERT INTO customer_attributes (contact_id, customer_id, source, attribute, value, valid_from, valid_to)
    VALUES ('contact:c1', NULL, 'test', 'tier', 'gold', '2026-01-01T00:00:00Z', NULL)`);
  // The metrics cache and its daily rollup are derived data the KPI screens build on their first
  // read: built here, so the fingerprints below compare what a request could change.
  await ensureMetricsCache(wh);
});
afterAll(() => scenario.close());

type Screen = (f: ScreenFilters) => Promise<unknown>;
const screens: Record<string, Screen> = {
  kpiReport: (f) => kpiReport(wh, { filters: f, kpis: ['volume', 'csat', 'first_response_time'], by: ['team'] }),
  interactionList: (f) => interactionList(wh, { filters: f }),
  drillDown: (f) => interactionList(wh, { filters: f, kpi: 'csat' }),
  backlog: (f) => backlogHistory(wh, f, '2026-03-04T09:00'),
  today: (f) => today(wh, f, { clock }),
  heatmap: (f) => heatmap(wh, f),
};

/** A refusal of our own: one line that is not a database error (no SQL, no engine internals). */
async function refusedClearly(call: () => Promise<unknown>): Promise<string> {
  let message = '';
  try {
    await call();
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message, 'expected the call to be refused').not.toBe('');
  expect(message).not.toContain('\n');
  expect(message).not.toMatch(/Parser Error|Binder Error|Catalog Error|Conversion Error|Invalid Input Error|duckdb/i);
  return message;
}

/** Refused in one line, or (a parameter the screen does not use) ignored: the same result as without it. */
async function refusedOrIgnored(call: () => Promise<unknown>, control: () => Promise<unknown>): Promise<void> {
  let result: unknown;
  try {
    result = await call();
  } catch {
    await refusedClearly(call);
    return;
  }
  expect(JSON.stringify(result)).toBe(JSON.stringify(await control()));
}

describe('hostile filter and search values change nothing and leak nothing', () => {
  it('the screens have rows to leak: the unfiltered results are not empty', async () => {
    expect((await interactionList(wh, { filters: base })).total).toBe(3);
    expect((await interactionList(wh, { filters: { ...base, teams: ['team-b'] } })).total).toBe(2);
    expect((await filterOptions(wh)).extent.last).toBe('2026-03-04');
  });

  for (const [name, screen] of Object.entries(screens)) {
    it(`${name}: a hostile value in any list filter returns what a value matching nothing returns`, async () => {
      const before = await fingerprint();
      for (const [k, key] of listKeys.entries()) {
        const control = JSON.stringify(await screen({ ...base, [key]: [nothing] }));
        // Every value through the team filter; a rotating third of them through each other filter (the SQL is shared).
        for (const value of key === 'teams' ? hostileValues : hostileValues.filter((_, i) => i % 3 === k % 3)) {
          const result = JSON.stringify(await screen({ ...base, [key]: [value] } as ScreenFilters));
          expect(result, `${key} = ${JSON.stringify(value.slice(0, 40))}`).toBe(control);
        }
        // Mixed with a real value, the hostile one adds nothing to the real value's rows.
        const real = key === 'teams' ? 'team-b' : key === 'channels' ? 'email' : null;
        if (real) {
          const alone = JSON.stringify(await screen({ ...base, [key]: [real] } as ScreenFilters));
          const mixed = JSON.stringify(await screen({ ...base, [key]: [real, "x' OR '1'='1"] } as ScreenFilters));
          expect(mixed).toBe(alone);
        }
      }
      expect(await fingerprint()).toEqual(before);
    }, 60_000);

    it(`${name}: a hostile date or time zone is refused in one line of our own`, async () => {
      const before = await fingerprint();
      for (const value of hostileValues.slice(0, 8)) {
        // Today reads the clock, not the range: there a bad range is ignored.
        await refusedOrIgnored(() => screen({ ...base, from: value }), () => screen(base));
        await refusedClearly(() => screen({ ...base, tz: value }));
      }
      expect(await fingerprint()).toEqual(before);
    });
  }

  it('interaction and customer lookups by a hostile id find nothing', async () => {
    const before = await fingerprint();
    for (const value of hostileValues) {
      expect(await interactionView(wh, value)).toBeNull();
      expect(await customerTimeline(wh, value)).toBeNull();
    }
    // The control: a real id is found, so null above is not a broken lookup.
    expect(await interactionView(wh, 'c1')).not.toBeNull();
    expect((await customerTimeline(wh, 'ann@example.com'))?.customer.id).toBe('cust-1');
    expect(await fingerprint()).toEqual(before);
  });

  it('a hostile sort, page or KPI in the list is ignored or refused in one line', async () => {
    const before = await fingerprint();
    const plain = JSON.stringify(await interactionList(wh, { filters: base }));
    for (const value of hostileValues) {
      // Sort columns are a fixed list: anything else sorts by creation time.
      expect(JSON.stringify(await interactionList(wh, { filters: base, sort: value as never }))).toBe(plain);
      await refusedClearly(() => interactionList(wh, { filters: base, kpi: value }));
      await refusedClearly(() => backlogHistory(wh, base, value));
    }
    expect(await fingerprint()).toEqual(before);
  });
});
