import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../src/database.ts';
import { parseRuleset } from '../src/routing/ruleset-load.ts';
import { estimatePatience, quantile, simulateWhatIf } from '../src/routing/what-if.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-what-if-');

async function loadInteractions(wh: Warehouse, rows: object[]) {
  const file = join(dir, `interactions-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(rows));
  await wh.run(`INSERT INTO interactions BY NAME SELECT * FROM read_json('${file}', format = 'array', columns = {
    id: 'VARCHAR', source: 'VARCHAR', native_id: 'VARCHAR', channel: 'VARCHAR', priority: 'VARCHAR', language: 'VARCHAR',
    intent: 'VARCHAR', status: 'VARCHAR', created_at: 'TIMESTAMPTZ', updated_at: 'TIMESTAMPTZ', queue_id: 'VARCHAR',
    agent_id: 'VARCHAR', talk_seconds: 'DOUBLE', queue_wait_seconds: 'DOUBLE', abandon_stage: 'VARCHAR', abandoned: 'BOOLEAN'})`);
}

const call = (n: number, at: string, fields: object = {}) => ({
  id: `p:${n}`, source: 'p', native_id: String(n), channel: 'phone', priority: 'normal', language: 'en', intent: 'delivery',
  status: 'solved', created_at: at, updated_at: at, queue_id: 'general', agent_id: 'a:1', talk_seconds: 60, queue_wait_seconds: 0,
  abandon_stage: null, abandoned: false, ...fields,
});

describe('patience and handle-time estimates', () => {
  it('patience is the censored exponential MLE: all waiting time over the number who hung up', () => {
    // waits 30 (abandoned), 10 (answered), 50 (abandoned), 0 (answered): (30 + 10 + 50 + 0) / 2 = 45
    expect(estimatePatience([
      { wait: 30, abandoned: true }, { wait: 10, abandoned: false }, { wait: 50, abandoned: true }, { wait: 0, abandoned: false },
    ])).toBe(45);
    expect(estimatePatience([{ wait: 10, abandoned: false }])).toBeNull();
  });

  it('handle times are drawn from the empirical distribution', () => {
    expect([0, 0.24, 0.25, 0.99].map((u) => quantile([10, 20, 30, 40], u))).toEqual([10, 10, 20, 40]);
  });
});

describe('what-if on a small warehouse', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await Warehouse.open(join(dir, 'what-if.duckdb'));
    const rows = [];
    // Monday 2026-01-05 (Berlin is UTC+1 in winter): 40 calls from 08:00 UTC, one a minute;
    // every 4th is a refund. Plus one call at 03:00 UTC, before anyone's shift.
    for (let n = 0; n < 40; n++) {
      const at = new Date(Date.UTC(2026, 0, 5, 8, n)).toISOString();
      rows.push(call(n, at, n % 4 === 0 ? { intent: 'refund' } : {}));
    }
    rows.push(call(99, '2026-01-05T03:00:00Z', { intent: 'night' }));
    // Two abandoned calls tell the patience: waits 100 and 140 with 40 answered at 0 s -> 240 / 2 = 120 s.
    rows.push(call(100, '2026-01-05T12:00:00Z', { status: 'abandoned', abandoned: true, agent_id: null, talk_seconds: null, queue_wait_seconds: 100, abandon_stage: 'queue' }));
    rows.push(call(101, '2026-01-05T12:05:00Z', { status: 'abandoned', abandoned: true, agent_id: null, talk_seconds: null, queue_wait_seconds: 140, abandon_stage: 'queue' }));
    // A caller who hung up after 20 s in the IVR never reached a queue: no arrival, and no say in the patience.
    rows.push(call(102, '2026-01-05T13:00:00Z', { status: 'abandoned', abandoned: true, agent_id: null, talk_seconds: null, queue_wait_seconds: 20, abandon_stage: 'ivr' }));
    await loadInteractions(wh, rows);
  });
  afterAll(() => wh?.close());

  const proposed = parseRuleset(`
version: 1
name: split-refunds
queues:
  - id: general
    channel: phone
    agents:
      - { count: 2, shift: { days: [1, 2, 3, 4, 5], start: 9, end: 17, timeZone: Europe/Berlin } }
  - id: billing
    channel: phone
    agents: [{ count: 1, skills: [billing] }]
layers:
  - name: intents
    precedence: 10
    rules:
      - { id: refunds, when: { intent: refund }, then: { queue: billing, skills: [billing] } }
default: { queue: general }
`);

  it('routes the same customers both ways and compares per queue', async () => {
    const r = await simulateWhatIf(wh, proposed, { seed: 3 });
    expect(r.current).toBe('actual routing');
    expect(r.historicalContacts).toBe(43);
    expect(r.patienceSeconds.phone).toBeCloseTo(120, 9);
    const billing = r.queues.find((q) => q.queue === 'billing')!;
    const general = r.queues.find((q) => q.queue === 'general')!;
    // current: all 43 went to general; proposed: 10 refunds (n = 0, 4, ..., 36) to billing, 33 stay
    expect(general.current!.offered).toBe(43);
    expect(general.proposed!.offered).toBe(33);
    expect(billing.current?.offered ?? 0).toBe(0);
    expect(billing.proposed!.offered).toBe(10);
    expect(general.difference.offered).toBe(-10);
    // 10 refund calls a 4 minutes apart, 60 s each, one always-on billing agent: nobody waits
    expect(billing.proposed!.asa).toBe(0);
    expect(billing.proposed!.serviceLevel).toBe(1);
  });

  it('the same seed gives the same report; scale 2 doubles the contacts', async () => {
    const strip = (x: { seconds: number }) => ({ ...x, seconds: 0 });
    expect(strip(await simulateWhatIf(wh, proposed, { seed: 5 }))).toEqual(strip(await simulateWhatIf(wh, proposed, { seed: 5 })));
    expect((await simulateWhatIf(wh, proposed, { seed: 5, scale: 2 })).contacts).toBe(86);
  });

  it('compares two rulesets when one is given as current', async () => {
    const current = parseRuleset(`
version: 1
name: one-queue
queues: [{ id: general, channel: phone, agents: [{ count: 3 }] }]
layers: [{ name: none, precedence: 1, rules: [] }]
default: { queue: general }
`);
    const r = await simulateWhatIf(wh, proposed, { seed: 3, current });
    expect(r.current).toBe('one-queue');
    expect(r.queues.find((q) => q.queue === 'general')!.current!.offered).toBe(43);
    // 3 always-on agents, calls a minute apart lasting 60 s: the night call is answered at once
    expect(r.queues.find((q) => q.queue === 'general')!.current!.asa).toBe(0);
  });
});

describe('shifts are local wall-clock time', () => {
  it('a 03:00 UTC call waits for the 09:00 Berlin shift: 5 h in winter (UTC+1), 4 h in summer (UTC+2)', async () => {
    const wh = await Warehouse.open(join(dir, 'shifts.duckdb'));
    try {
      // No abandoned calls in this history, so patience is unbounded and both calls are answered.
      await loadInteractions(wh, [call(1, '2026-01-05T03:00:00Z'), call(2, '2026-07-06T03:00:00Z')]); // both Mondays
      const ruleset = parseRuleset(`
version: 1
name: office-hours
queues:
  - id: general
    channel: phone
    agents: [{ count: 1, shift: { days: [1], start: 9, end: 17, timeZone: Europe/Berlin } }]
layers: [{ name: none, precedence: 1, rules: [] }]
default: { queue: general }
`);
      const r = await simulateWhatIf(wh, ruleset, { keepOutcomes: true });
      expect(r.patienceSeconds.phone).toBeNull();
      expect(r.outcomes!.proposed.map((o) => [o.interactionId, o.outcome, o.waitSeconds])).toEqual([
        ['p:1', 'answered', 5 * 3600],
        ['p:2', 'answered', 4 * 3600],
      ]);
    } finally {
      wh.close();
    }
  });
});
