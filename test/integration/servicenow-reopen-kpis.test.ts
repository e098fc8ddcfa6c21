import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { adapterByName, runIngest, runPipeline } from '@helpdesk/ingest';
import { refreshFacts, scorecard } from '@helpdesk/metrics';
import { tempDir } from '../cli/run-cli.ts';

// ServiceNow incidents through the adapter and the KPI registry: an incident has a resolution
// lifecycle whatever channel it came in on, so its reopens count in the reopen rate.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const LOG = join(repo, '..', 'shared', 'datasets', 'servicenow_incident_eventlog', 'incident_event_log_first5998.csv');

/** Reopened / total incidents by the system's own final reopen_count (each incident's last row), read with a plain split. */
function systemReopens(path: string): { reopened: number; incidents: number } {
  const [head, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = head.split(',');
  const last = new Map<string, number>();
  for (const line of lines) {
    const f = line.split(',');
    last.set(f[cols.indexOf('number')], Number(f[cols.indexOf('reopen_count')]));
  }
  return { reopened: [...last.values()].filter((n) => n > 0).length, incidents: last.size };
}

async function ingest(wh: Warehouse, file: string) {
  const result = await runPipeline({
    warehouse: wh, trigger: 'ingest', facts: refreshFacts,
    ingest: [{ source: 'servicenow', run: () => runIngest({ warehouse: wh, adapter: adapterByName('servicenow'), options: { file } }) }],
  });
  expect(result.error).toBeNull();
  expect(result.ingestRuns.map((r) => r.status)).toEqual(['succeeded']);
}

describe('ServiceNow reopens reach the reopen rate', () => {
  const dir = tempDir('helpdesk-servicenow-');
  let log: Warehouse;
  let small: Warehouse;
  beforeAll(async () => {
    log = await Warehouse.open(join(dir, 'log.duckdb'));
    await ingest(log, LOG);
    // Three incidents in the export's own columns and formats, one per contact_type.
    const header = 'number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at';
    const row = (n: string, state: string, reopens: number, caller: string, updated: string, contact: string, resolved: string, closed: string) =>
      [n, state, state === 'Closed' ? 'FALSE' : 'TRUE', '0', String(reopens), '1', 'TRUE', caller, 'Opened by  1', '01-03-2016 09:00', 'Created by 1', '01-03-2016 09:00',
        'Updated by 1', updated, contact, 'Location 1', 'Category 1', 'Subcategory 1', 'Symptom 1', '?', '2 - Medium', '2 - Medium', '3 - Moderate', 'Group 1',
        'Resolver 1', 'TRUE', 'FALSE', 'Do Not Notify', '?', '?', '?', '?', 'code 1', 'Resolved by 1', resolved, closed].join(',');
    const rows = [
      // INC9001 (Email): resolved 10:00, reopened (Active) 11:00, resolved 12:00, closed next day.
      row('INC9001', 'New', 0, 'Caller 1', '01-03-2016 09:00', 'Email', '?', '?'),
      row('INC9001', 'Resolved', 0, 'Caller 1', '01-03-2016 10:00', 'Email', '01-03-2016 10:00', '?'),
      row('INC9001', 'Active', 1, 'Caller 1', '01-03-2016 11:00', 'Email', '?', '?'),
      row('INC9001', 'Resolved', 1, 'Caller 1', '01-03-2016 12:00', 'Email', '01-03-2016 12:00', '?'),
      row('INC9001', 'Closed', 1, 'Caller 1', '02-03-2016 12:00', 'Email', '01-03-2016 12:00', '02-03-2016 12:00'),
      // INC9002 (Self service: filed on the portal's form): resolved once, closed.
      row('INC9002', 'New', 0, 'Caller 2', '01-03-2016 09:00', 'Self service', '?', '?'),
      row('INC9002', 'Resolved', 0, 'Caller 2', '01-03-2016 10:30', 'Self service', '01-03-2016 10:30', '?'),
      row('INC9002', 'Closed', 0, 'Caller 2', '02-03-2016 10:30', 'Self service', '01-03-2016 10:30', '02-03-2016 10:30'),
      // INC9003 (Phone): resolved 10:00, reopened 10:30, resolved 11:00; still Resolved (not yet closed).
      row('INC9003', 'New', 0, 'Caller 3', '01-03-2016 09:00', 'Phone', '?', '?'),
      row('INC9003', 'Resolved', 0, 'Caller 3', '01-03-2016 10:00', 'Phone', '01-03-2016 10:00', '?'),
      row('INC9003', 'Active', 1, 'Caller 3', '01-03-2016 10:30', 'Phone', '?', '?'),
      row('INC9003', 'Resolved', 1, 'Caller 3', '01-03-2016 11:00', 'Phone', '01-03-2016 11:00', '?'),
    ];
    const file = join(dir, 'incidents.csv');
    writeFileSync(file, [header, ...rows].join('\n') + '\n');
    small = await Warehouse.open(join(dir, 'small.duckdb'));
    await ingest(small, file);
  }, 180_000);
  afterAll(() => {
    log?.close();
    small?.close();
  });

  it('the UCI log keeps its exact reopen rate, 10 / 890, on the phone channel its incidents came in on', async () => {
    // SOURCES.md: final reopen_count 880 x 0, 9 x 1, 1 x 2 over 890 incidents, all of them closed
    // (so all ever resolved), every one with contact_type Phone: 10 / 890 = 0.011236.
    const truth = systemReopens(LOG);
    expect(truth).toEqual({ reopened: 10, incidents: 890 });
    const card = await scorecard(log, { from: '2016-01-01', to: '2016-12-31', by: ['channel'], kpis: ['volume', 'reopen_rate'] });
    expect(card.rows.map((r) => [r.channel, r.volume])).toEqual([['phone', 890]]);
    expect(card.rows[0].reopen_rate).toBeCloseTo(10 / 890, 12);
    const [total] = (await scorecard(log, { from: '2016-01-01', to: '2016-12-31', kpis: ['reopen_rate'] })).rows;
    expect(total.reopen_rate).toBeCloseTo(10 / 890, 12);
  });

  it("takes each incident's channel from its contact_type and counts every reopen it records", async () => {
    const card = await scorecard(small, { from: '2016-03-01', to: '2016-03-01', by: ['channel'], kpis: ['volume', 'reopen_rate'] });
    const by = Object.fromEntries(card.rows.map((r) => [r.channel, r]));
    // Email: INC9001 (reopened) and INC9002 (the portal's form): 1 / 2. Phone: INC9003, reopened and
    // resolved again: 1 / 1. Total 2 / 3.
    expect(Object.keys(by).sort()).toEqual(['email', 'phone']);
    expect(by.email).toMatchObject({ volume: 2, reopen_rate: 0.5 });
    expect(by.phone).toMatchObject({ volume: 1, reopen_rate: 1 });
    const [total] = (await scorecard(small, { from: '2016-03-01', to: '2016-03-01', kpis: ['reopen_rate'] })).rows;
    expect(total.reopen_rate).toBeCloseTo(2 / 3, 12);
  });
});
