import { describe, expect, it } from 'vitest';
import { parseRuleset, RulesetError } from '../src/routing/ruleset-load.ts';
import { join } from 'node:path';
import { checkPeriod, datasetOptions, getDataset, registerKpiDatasets } from '../src/export/index.ts';
import { Warehouse } from '../src/index.ts';
import { simulateWhatIf } from '../src/routing/what-if.ts';
import { tempDir } from './helpers.ts';

/**
 * Sizes a request may ask for are bounded before any work starts: a routing upload staffing
 * 30,000 agents used to simulate for 15 s on the request thread, a KPI table over fifty years ran
 * for 15 s, and an unknown time zone failed only once the response was streaming.
 */
const ruleset = (agents: string) => `
version: 1
name: big
queues:
  - id: general
    channel: chat
    agents:
${agents}
layers:
  - name: base
    precedence: 1
    rules:
      - { id: all, when: { channel: chat }, then: { queue: general } }
`;

function refusal(text: string): string[] {
  try {
    parseRuleset(text, 'upload.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(RulesetError);
    return (error as RulesetError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the ruleset to be refused');
}

describe('bounds checked before work starts', () => {
  it('a routing upload with 30,000 agents in one group is refused with the limit', () => {
    expect(refusal(ruleset('      - { count: 30000 }'))).toEqual([
      'queues[0].agents[0].count: at most 2000 agents per group',
      'queues: 30000 agents in all; a ruleset staffs at most 5000',
    ]);
  });

  it('groups within the per-group limit but 6,000 agents in all are refused too', () => {
    // 3 groups of 2,000 = 6,000 > 5,000.
    expect(refusal(ruleset('      - { count: 2000 }\n      - { count: 2000 }\n      - { count: 2000 }'))).toEqual([
      'queues: 6000 agents in all; a ruleset staffs at most 5000',
    ]);
    // 2,000 + 2,000 + 1,000 = 5,000: the most.
    expect(() => parseRuleset(ruleset('      - { count: 2000 }\n      - { count: 2000 }\n      - { count: 1000 }'), 'ok.yaml')).not.toThrow();
  });

  it('a KPI table over fifty years is refused; a year and a day is the most', () => {
    registerKpiDatasets({ registryVersion: 't', kpis: [], daily: async () => ({ rows: [], businessHoursCalendar: null }) });
    const kpi = getDataset('kpi_daily');
    // 1976-01-01 .. 2026-01-01: 50 years with 13 leap days = 18,263 days, inclusive of both ends.
    expect(() => checkPeriod(kpi, { from: '1976-01-01', to: '2026-01-01' })).toThrow('kpi_daily: a period of at most 366 days (--from 1976-01-01 --to 2026-01-01 is 18264 days)');
    // 2024-01-01 .. 2024-12-31 is 366 days (a leap year): allowed; one more day is not.
    expect(() => checkPeriod(kpi, { from: '2024-01-01', to: '2024-12-31' })).not.toThrow();
    expect(() => checkPeriod(kpi, { from: '2024-01-01', to: '2025-01-01' })).toThrow(/at most 366 days/);
  });

  it('an unknown time zone or a non-boolean option is refused when the options are read', () => {
    const kpi = getDataset('kpi_daily');
    expect(() => datasetOptions(kpi, { tz: 'Mars/Olympus_Mons' })).toThrow('option tz: must be an IANA time zone such as Europe/Berlin, got "Mars/Olympus_Mons"');
    expect(() => datasetOptions(kpi, { business_hours: 'yes' })).toThrow(/option business_hours: must be true or false/);
    expect(datasetOptions(kpi, { tz: 'Europe/Berlin' })).toEqual({ tz: 'Europe/Berlin', business_hours: 'false' });
  });

  it('a what-if simulation stops when its client has gone away', async () => {
    const wh = await Warehouse.open(join(tempDir('helpdesk-bounds-'), 'empty.duckdb'));
    try {
      const abort = new AbortController();
      abort.abort(new Error('the client went away'));
      // Stops at its first step with the signal's reason (not "nothing to simulate", which an empty warehouse would say next).
      await expect(simulateWhatIf(wh, parseRuleset(ruleset('      - { count: 2 }'), 'r.yaml'), { signal: abort.signal })).rejects.toThrow('the client went away');
    } finally {
      wh.close();
    }
  });
});
