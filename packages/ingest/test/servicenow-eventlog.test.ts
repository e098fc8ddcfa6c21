import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Warehouse } from '@helpdesk/core';
import { afterEach, describe, expect, it } from 'vitest';
import { runIngest } from '../src/index.ts';
import { servicenowAdapter } from '../src/adapters/servicenow/index.ts';
import { fastEffects, snapshot, tempWarehouse } from './support/harness.ts';

// Real data is read in place: <repo>/../shared/datasets, never copied into the repository.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const LOG = join(repoRoot, '..', 'shared', 'datasets', 'servicenow_incident_eventlog', 'incident_event_log_first5998.csv');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** `DD-MM-YYYY HH:MM` (UTC, as we import it) to ISO, by string surgery: independent of the adapter's luxon path. */
const iso = (t: string) => `${t.slice(6, 10)}-${t.slice(3, 5)}-${t.slice(0, 2)}T${t.slice(11, 13)}:${t.slice(14, 16)}:00.000Z`;

/**
 * The reference: the file read with a plain split (it has no quoted fields), each incident's last
 * row (the system's final word) and its last update in state Resolved.
 */
function reference(path: string) {
  const [head, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = head.split(',');
  const c = (name: string) => cols.indexOf(name);
  const byNumber = new Map<string, string[][]>();
  for (const line of lines) {
    const f = line.split(',');
    byNumber.set(f[c('number')], [...(byNumber.get(f[c('number')]) ?? []), f]);
  }
  return [...byNumber.entries()].map(([number, rows]) => {
    const last = rows[rows.length - 1];
    const resolvedRows = rows.filter((r) => r[c('incident_state')] === 'Resolved');
    return {
      number,
      reopenCount: Number(last[c('reopen_count')]),
      resolvedAt: last[c('resolved_at')] === '?' ? null : iso(last[c('resolved_at')]),
      lastResolvedUpdate: resolvedRows.length ? iso(resolvedRows[resolvedRows.length - 1][c('sys_updated_at')]) : null,
    };
  });
}

async function setup() {
  const temp = await tempWarehouse();
  cleanups.push(temp.dispose);
  return temp;
}

describe('ServiceNow incident event log (real data, UCI subset)', () => {
  it('every one of the 890 incidents gets the system reopen_count and resolved_at; mismatches are listed', async () => {
    const { wh } = await setup();
    const result = await runIngest({ warehouse: wh, adapter: servicenowAdapter, options: { file: LOG }, effects: fastEffects() });
    expect(result.status).toBe('succeeded');
    const ref = reference(LOG);
    expect(ref.length).toBe(890);
    const rows = await wh.all<{ native_id: string; reopen_count: number; resolved_at: string | null; status: string }>(
      "SELECT native_id, reopen_count, resolved_at, status FROM interactions WHERE source = 'servicenow'",
    );
    const got = new Map(rows.map((r) => [r.native_id, r]));
    expect(got.size).toBe(890);
    const mismatches: string[] = [];
    let missingInSource = 0;
    for (const r of ref) {
      const g = got.get(r.number);
      if (!g) { mismatches.push(`${r.number}: not imported`); continue; }
      if (g.reopen_count !== r.reopenCount) mismatches.push(`${r.number}: reopen_count ${g.reopen_count}, system says ${r.reopenCount}`);
      // Where the export left resolved_at empty (`?`), the system's own rule elsewhere is the last update in Resolved.
      const expected = r.resolvedAt ?? r.lastResolvedUpdate;
      if (r.resolvedAt === null) missingInSource++;
      if (g.resolved_at !== expected) mismatches.push(`${r.number}: resolved_at ${g.resolved_at}, system says ${expected}`);
    }
    expect(mismatches).toEqual([]);
    // SOURCES.md: final reopen_count 880 x 0, 9 x 1, 1 x 2; every incident reaches Closed.
    expect(ref.filter((r) => r.reopenCount === 1).length).toBe(9);
    expect(rows.filter((r) => r.reopen_count === 1).length).toBe(9);
    expect(rows.filter((r) => r.reopen_count === 2).length).toBe(1);
    expect(rows.every((r) => r.status === 'closed')).toBe(true);
    expect(missingInSource).toBe(29);
    // Reopen events agree with the count: 9 x 1 + 1 x 2 = 11.
    expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM events WHERE type = 'reopen'"))[0].n).toBe(11);
    // The same resolved time, derived from the events alone, where the system recorded one (890 - 29 = 861).
    const derived = await wh.all<{ native_id: string; at: string }>(
      `SELECT i.native_id, max(e.occurred_at) AS at FROM interactions i JOIN events e ON e.interaction_id = i.id
        WHERE e.type = 'status_change' AND e.to_value = 'solved' GROUP BY 1`,
    );
    expect(derived.length).toBe(890);
    const withSystemValue = ref.filter((r) => r.resolvedAt !== null);
    expect(withSystemValue.length).toBe(861);
    // A status_change event marks entering Resolved; the system's resolved_at is the last update while Resolved,
    // so the derived value can only be earlier or equal.
    const derivedBy = new Map(derived.map((d) => [d.native_id, d.at]));
    for (const r of withSystemValue) expect(derivedBy.get(r.number)! <= r.resolvedAt!).toBe(true);
    expect((await wh.all<{ n: number }>('SELECT count(*) AS n FROM quarantine'))[0].n).toBe(0);
  });

  it('a second import of the same file changes nothing', async () => {
    const { wh } = await setup();
    await runIngest({ warehouse: wh, adapter: servicenowAdapter, options: { file: LOG }, effects: fastEffects() });
    const before = await wh.all('SELECT * FROM events ORDER BY id');
    const again = await runIngest({ warehouse: wh, adapter: servicenowAdapter, options: { file: LOG }, fullRefresh: true, effects: fastEffects() });
    expect(again.stats.incidents).toMatchObject({ inserted: 0, updated: 0, unchanged: 890 });
    expect(await wh.all('SELECT * FROM events ORDER BY id')).toEqual(before);
  });

  it('an import stopped after its first page resumes and lands every incident exactly once', async () => {
    const { wh } = await setup();
    let pages = 0;
    const broken = await runIngest({
      warehouse: wh, adapter: servicenowAdapter, options: { file: LOG }, batchSize: 1, effects: fastEffects(),
      onProgress: () => { if (++pages === 2) throw new Error('killed'); },
    });
    expect(broken.status).toBe('failed');
    // Pages hold 200 incidents; the process died after committing two of them.
    expect((await wh.all<{ n: number }>('SELECT count(*) AS n FROM interactions'))[0].n).toBe(400);
    const resumed = await runIngest({ warehouse: wh, adapter: servicenowAdapter, options: { file: LOG }, effects: fastEffects() });
    expect(resumed.status).toBe('succeeded');
    // 890 - 400 = 490 read again after the checkpoint, none twice.
    expect(resumed.stats.incidents.inserted).toBe(490);
    expect(resumed.stats.incidents.fetched).toBe(490);
    expect((await wh.all<{ n: number }>('SELECT count(*) AS n FROM interactions'))[0].n).toBe(890);
    expect((await wh.all<{ n: number }>("SELECT count(*) AS n FROM events WHERE type = 'reopen'"))[0].n).toBe(11);
  });

  it('an import killed with SIGKILL mid-file resumes to exactly the rows of an unbroken import', async () => {
    const reference = await setup();
    await runIngest({ warehouse: reference.wh, adapter: servicenowAdapter, options: { file: LOG }, batchSize: 1, effects: fastEffects() });
    const victim = await setup();
    victim.wh.close();
    // The child prints one line per committed page; it is killed 0-30 ms after the second one, often inside a transaction.
    const src = pathToFileURL(join(repoRoot, 'packages', 'ingest', 'src', 'index.ts')).href;
    const code = `import { Warehouse } from '@helpdesk/core'; import { runIngest, servicenowAdapter } from '${src}';
      const wh = await Warehouse.open(${JSON.stringify(victim.path)});
      await runIngest({ warehouse: wh, adapter: servicenowAdapter, options: { file: ${JSON.stringify(LOG)} }, batchSize: 1,
        onProgress: () => process.stdout.write('committed\\n') });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: join(repoRoot, 'packages', 'ingest'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    let seen = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk.split('\n').filter((l) => l === 'committed').length;
      if (seen >= 2) setTimeout(() => child.kill('SIGKILL'), 7 * seen % 30);
    });
    const exit = await new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    expect({ exit, stderr: stderr.slice(0, 300) }).toEqual({ exit: 'SIGKILL', stderr: '' });
    const wh = await Warehouse.open(victim.path);
    try {
      const committed = (await wh.all<{ n: number }>('SELECT count(*) AS n FROM interactions'))[0].n;
      expect(committed).toBeGreaterThanOrEqual(400);
      expect(committed).toBeLessThan(890);
      const resumed = await runIngest({ warehouse: wh, adapter: servicenowAdapter, options: { file: LOG }, batchSize: 1, effects: fastEffects() });
      expect(resumed.status).toBe('succeeded');
      expect(resumed.stats.incidents.inserted).toBe(890 - committed);
      const strip = (snap: Record<string, unknown[]>) => ({ interactions: snap.interactions, events: snap.events, identities: snap.identities, quarantine: snap.quarantine });
      expect(strip(await snapshot(wh))).toEqual(strip(await snapshot(reference.wh)));
      const statuses = (await wh.all<{ status: string }>('SELECT status FROM ingest_runs ORDER BY started_at')).map((r) => r.status);
      expect(statuses).toEqual(['failed', 'succeeded']);
    } finally {
      wh.close();
    }
  });

  it('malformed rows and incidents are quarantined with their reasons, the rest imported', async () => {
    const { wh, path } = await setup();
    const head = readFileSync(LOG, 'utf8').split(/\r?\n/)[0];
    const row = (num: string, state: string, reopen: number, updated: string, resolved = '?') =>
      [num, state, 'TRUE', '0', String(reopen), '1', 'TRUE', 'Caller 1', 'Opened by 1', '01-03-2016 09:00', 'Created by 1', '01-03-2016 09:00',
        'Updated by 1', updated, 'Phone', 'Location 1', 'Category 1', 'Subcategory 1', 'Symptom 1', '?', '2 - Medium', '2 - Medium', '3 - Moderate',
        'Group 1', 'Resolver 1', 'TRUE', 'FALSE', 'Do Not Notify', '?', '?', '?', '?', 'code 1', 'Resolved by 1', resolved, '?'].join(',');
    const file = join(dirname(path), 'log.csv');
    writeFileSync(file, [
      head,
      row('INC1', 'New', 0, '01-03-2016 09:00'),
      row('INC1', 'Resolved', 0, '01-03-2016 10:00', '01-03-2016 10:00'),
      row('INC1', 'Active', 1, '02-03-2016 08:00'),
      row('INC1', 'Resolved', 1, '02-03-2016 11:30', '02-03-2016 11:30'),
      'INC2,New,TRUE,0',                                   // cut short: 4 fields
      row('INC3', 'New', 0, '2016-03-01 09:00'),            // wrong time format
    ].join('\n') + '\n');
    const result = await runIngest({ warehouse: wh, adapter: servicenowAdapter, options: { file }, effects: fastEffects() });
    expect(result.status).toBe('succeeded');
    const [inc1] = await wh.all<{ reopen_count: number; resolved_at: string; status: string; created_at: string }>(
      "SELECT reopen_count, resolved_at, status, created_at FROM interactions WHERE id = 'servicenow:INC1'");
    expect(inc1).toEqual({ reopen_count: 1, resolved_at: '2016-03-02T11:30:00.000Z', status: 'solved', created_at: '2016-03-01T09:00:00.000Z' });
    const q = await wh.all<{ native_id: string; reason: string }>('SELECT native_id, reason FROM quarantine ORDER BY native_id');
    expect(q).toHaveLength(2);
    expect(q[0]).toMatchObject({ native_id: 'INC3' });
    expect(q[0].reason).toMatch(/^incidents: rows\.0\.sys_updated_at: expected DD-MM-YYYY HH:MM/);
    expect(q[1]).toEqual({ native_id: 'line:6', reason: 'line 6: 4 fields where the header has 36' });
  });

  it('wall-clock times are read in the zone the option names', async () => {
    const { wh, path } = await setup();
    const lines = readFileSync(LOG, 'utf8').split('\n');
    const file = join(dirname(path), 'one.csv');
    writeFileSync(file, lines.slice(0, 5).join('\n') + '\n'); // INC0000045, opened 29-02-2016 01:16
    await runIngest({ warehouse: wh, adapter: servicenowAdapter, options: { file, timeZone: 'Asia/Kolkata' }, effects: fastEffects() });
    const [r] = await wh.all<{ created_at: string }>('SELECT created_at FROM interactions');
    // India is UTC+5:30 all year: 29 Feb 01:16 local = 28 Feb 19:46 UTC.
    expect(r.created_at).toBe('2016-02-28T19:46:00.000Z');
  });
});
