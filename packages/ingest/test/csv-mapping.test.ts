import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runIngest } from '../src/index.ts';
import { csvAdapter } from '../src/adapters/csv/index.ts';
import { loadMapping } from '../src/adapters/csv/mapping.ts';
import { fastEffects, tempWarehouse } from './support/harness.ts';

// Real data is read in place from <repo>/../shared/datasets; the shipped mappings from <repo>/data/mappings.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const datasets = join(repoRoot, '..', 'shared', 'datasets');
const CALLS = join(datasets, 'anonymous_bank_callcenter_aug1999', 'calls_1999_08.csv');
const HELPDESK = join(datasets, 'helpdesk_italian_eventlog', 'helpdesk.csv');
const BANK_MAPPING = join(repoRoot, 'data', 'mappings', 'anonymous-bank-callcenter.json');
const HELPDESK_MAPPING = join(repoRoot, 'data', 'mappings', 'italian-helpdesk.json');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});
async function setup() {
  const temp = await tempWarehouse();
  cleanups.push(temp.dispose);
  return temp;
}

describe('generic CSV import with a mapping file', () => {
  it('the call-centre file imports with its malformed row quarantined with the reason and every other call counted', async () => {
    const { wh } = await setup();
    // The independent count: DuckDB's own CSV reader over the same file, every value as text.
    const [ref] = await wh.all<{ total: number; bad: number; phantom: number; hang: number; ser: number; queued_hang: number }>(
      `SELECT count(*) AS total,
              count(*) FILTER (WHERE TRY_CAST(call_id AS BIGINT) IS NULL) AS bad,
              count(*) FILTER (WHERE TRY_CAST(call_id AS BIGINT) IS NOT NULL AND outcome = 'PHANTOM') AS phantom,
              count(*) FILTER (WHERE TRY_CAST(call_id AS BIGINT) IS NOT NULL AND outcome = 'HANG') AS hang,
              count(*) FILTER (WHERE TRY_CAST(call_id AS BIGINT) IS NOT NULL AND outcome = 'HANG' AND q_start <> '0:00:00') AS queued_hang,
              sum(CAST(ser_time AS BIGINT)) FILTER (WHERE TRY_CAST(call_id AS BIGINT) IS NOT NULL AND outcome <> 'PHANTOM') AS ser
         FROM read_csv($1, all_varchar = true, header = true)`,
      [CALLS],
    );
    // SOURCES.md: 42,078 calls; the spreadsheet left one call_id as "2010-08-".
    expect(ref.total).toBe(42078);
    expect(ref.bad).toBe(1);
    // SOURCES.md: PHANTOM 310 (ghost calls, "to be ignored"); the malformed row is an AGENT call.
    expect(ref.phantom).toBe(310);
    const result = await runIngest({ warehouse: wh, adapter: csvAdapter, options: { file: CALLS, mapping: BANK_MAPPING }, effects: fastEffects() });
    expect(result.status).toBe('succeeded');
    // The mapping excludes the ghost calls: counted, never written (42,078 - 1 malformed - 310 = 41,767).
    expect(result.stats.rows).toMatchObject({ fetched: 42078, inserted: 41767, quarantined: 1, excluded: 310 });
    const [logged] = await wh.all<{ excluded: number }>("SELECT (stats->'$.streams.rows.excluded')::INTEGER AS excluded FROM ingest_runs");
    expect(logged.excluded).toBe(310);
    const q = await wh.all<{ native_id: string; reason: string; payload: string }>('SELECT native_id, reason, payload FROM quarantine');
    expect(q).toHaveLength(1);
    expect(q[0].reason).toBe('rows: line 31843: column call_id: "2010-08-" is not an integer');
    expect(q[0].payload).toContain('DORIT');
    const [got] = await wh.all<{ n: number; abandoned: number; queue: number; talk: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'abandoned') AS abandoned,
              count(*) FILTER (WHERE abandon_stage = 'queue') AS queue, sum(talk_seconds) AS talk FROM interactions WHERE source = 'bank-callcenter'`,
    );
    expect(got).toEqual({ n: ref.total - ref.bad - ref.phantom, abandoned: ref.hang, queue: ref.queued_hang, talk: ref.ser });
    // Hand-checked rows. Israel kept summer time (UTC+3) through August 1999.
    const one = await wh.all<Record<string, unknown>>(
      "SELECT created_at, status, abandon_stage, queue_wait_seconds, answered, abandoned, agent_id, contact_id FROM interactions WHERE id = 'bank-callcenter:AA0204/43678'");
    // 1999-08-01 0:10:10 in Israel = 1999-07-31 21:10:10 UTC; q_start 0:00:00 = never queued, so lost
    // in the IVR, after 17 s there (vru_exit 0:10:27 - vru_entry 0:10:10), not the 0 s of q_time.
    expect(one).toEqual([{ created_at: '1999-07-31T21:10:10.000Z', status: 'abandoned', abandon_stage: 'ivr', queue_wait_seconds: 17, answered: false, abandoned: true, agent_id: null, contact_id: null }]);
    const queued = await wh.all<Record<string, unknown>>(
      "SELECT abandon_stage, queue_wait_seconds, resolved FROM interactions WHERE id = 'bank-callcenter:AA0216/7910'");
    // q_start 10:00:37, q_exit 10:01:51: hung up in the queue after 74 s; a call has no resolution of its own.
    expect(queued).toEqual([{ abandon_stage: 'queue', queue_wait_seconds: 74, resolved: null }]);
    expect(await wh.all("SELECT count(*)::INTEGER AS n FROM interactions WHERE id IN ('bank-callcenter:AA0203/44973', 'bank-callcenter:AA0116/6643')")).toEqual([{ n: 0 }]);
    const odd = await wh.all<Record<string, unknown>>(
      "SELECT id, answered, abandoned, abandon_stage, queue_wait_seconds FROM interactions WHERE id IN ('bank-callcenter:AA0110/37846', 'bank-callcenter:AA0110/37823') ORDER BY id");
    expect(odd).toEqual([
      // AGENT with no service times but a named server (STEREN): served, so answered.
      { id: 'bank-callcenter:AA0110/37823', answered: true, abandoned: false, abandon_stage: null, queue_wait_seconds: 285 },
      // HANG with NO_SERVER whose service times run to 11:16:57: it waited its q_time of 12 s (11:11:57
      // to 11:12:09), not the 300 s to the end of the row.
      { id: 'bank-callcenter:AA0110/37846', answered: false, abandoned: true, abandon_stage: 'queue', queue_wait_seconds: 12 },
    ]);
    // The log's own figures with the ghosts left out (SOURCES.md; the 0.1829 and 184.4 s):
    // served calls (AGENT, 31,401) talk 184.4 s on average; 10,366 HANG = 7,309 that had queued
    // (SOURCES.md) + 3,057 lost in the IVR. Of the 7,309, 278 waited under 5 s (short abandons), so
    // the abandonment rate of calls that reached the queue, short abandons out, is
    // 7,031 / (41,767 - 3,057 - 278) = 7,031 / 38,432 = 0.18295.
    const [figures] = await wh.all<{ served: number; talk: number; queue_hang: number; short: number; ivr: number }>(
      `SELECT count(*) FILTER (WHERE answered)::INTEGER AS served, round(avg(talk_seconds) FILTER (WHERE answered), 1) AS talk,
              count(*) FILTER (WHERE abandoned AND abandon_stage = 'queue' AND queue_wait_seconds >= 5)::INTEGER AS queue_hang,
              count(*) FILTER (WHERE abandoned AND abandon_stage = 'queue' AND queue_wait_seconds < 5)::INTEGER AS short,
              count(*) FILTER (WHERE abandoned AND abandon_stage = 'ivr')::INTEGER AS ivr
         FROM interactions WHERE source = 'bank-callcenter'`);
    expect(figures).toEqual({ served: 31401, talk: 184.4, queue_hang: 7031, short: 278, ivr: 3057 });
    expect(figures.queue_hang + figures.short).toBe(7309);
    expect(figures.queue_hang / (41767 - figures.ivr - figures.short)).toBeCloseTo(0.1829, 4);
    const midnight = await wh.all<Record<string, unknown>>(
      "SELECT created_at, first_response_at, closed_at, queue_wait_seconds, talk_seconds, agent_id FROM interactions WHERE id = 'bank-callcenter:AA0208/7582'");
    // Entered 23:59:23 on 2 Aug, served 0:00:56 and done 0:01:15 on 3 Aug (local): minus 3 h.
    expect(midnight).toEqual([{ created_at: '1999-08-02T20:59:23.000Z', first_response_at: '1999-08-02T21:00:56.000Z', closed_at: '1999-08-02T21:01:15.000Z', queue_wait_seconds: 88, talk_seconds: 19, agent_id: 'bank-callcenter:agent:GELBER' }]);
  });

  it('the Italian help-desk event log becomes one ticket per case with reopens from "Resolve" then "Take in charge"', async () => {
    const { wh } = await setup();
    const result = await runIngest({ warehouse: wh, adapter: csvAdapter, options: { file: HELPDESK, mapping: HELPDESK_MAPPING }, effects: fastEffects() });
    expect(result.status).toBe('succeeded');
    // SOURCES.md: 21,348 events (lines after the header: 21,347) for 4,580 cases.
    expect(result.stats.rows).toMatchObject({ inserted: 4580, quarantined: 0 });
    const [case1] = await wh.all<Record<string, unknown>>("SELECT created_at, resolved_at, closed_at, status, reopen_count, agent_id FROM interactions WHERE id = 'italian-helpdesk:Case 1'");
    // Rome is UTC+2 until 28 Oct 2012 and UTC+1 after: 9 Oct 14:50:17 -> 12:50:17Z, 25 Oct 11:54:26 -> 09:54:26Z, 9 Nov 12:54:39 -> 11:54:39Z.
    expect(case1).toEqual({ created_at: '2012-10-09T12:50:17.000Z', resolved_at: '2012-10-25T09:54:26.000Z', closed_at: '2012-11-09T11:54:39.000Z', status: 'closed', reopen_count: 0, agent_id: 'italian-helpdesk:agent:Value 2' });
    // Reference: a plain split and the published rule, counted per case in time order.
    const lines = readFileSync(HELPDESK, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').slice(1).map((l) => l.split(','));
    const byCase = new Map<string, { at: string; i: number; activity: string }[]>();
    lines.forEach((f, i) => {
      const [y, mo, d, h, mi, s] = f[3].split(/[/ :]/).map(Number);
      const at = `${y}${String(mo).padStart(2, '0')}${String(d).padStart(2, '0')}${String(h).padStart(2, '0')}${String(mi).padStart(2, '0')}${String(s).padStart(2, '0')}`;
      byCase.set(f[0], [...(byCase.get(f[0]) ?? []), { at, i, activity: f[1] }]);
    });
    let reopens = 0;
    for (const acts of byCase.values()) {
      acts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i));
      let resolved = false;
      for (const a of acts) {
        if (a.activity === 'Resolve ticket') resolved = true;
        else if (a.activity === 'Take in charge ticket' && resolved) { reopens++; resolved = false; }
      }
    }
    expect(byCase.size).toBe(4580);
    const [got] = await wh.all<{ reopens: number }>("SELECT sum(reopen_count) AS reopens FROM interactions WHERE source = 'italian-helpdesk'");
    expect(got.reopens).toBe(reopens);
  });

  it('a mapping with a mistake is refused with one readable line', async () => {
    const { path } = await setup();
    const bad = join(dirname(path), 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(BANK_MAPPING, 'utf8')), timeZone: 'Mars/Olympus', chanel: 'phone' }));
    expect(() => loadMapping(bad)).toThrow(/^mapping .*bad\.json: .*(timeZone: not an IANA time zone|Unrecognized key)/);
    const { wh } = await setup();
    await expect(runIngest({ warehouse: wh, adapter: csvAdapter, options: { file: CALLS, mapping: bad } })).rejects.toThrow(/csv options: mapping: mapping .*bad\.json/);
  });

  it('JSONL rows go through the same mapping; a line that is not JSON is quarantined', async () => {
    const { wh, path } = await setup();
    const dir = dirname(path);
    const mapping = join(dir, 'm.json');
    writeFileSync(mapping, JSON.stringify({ source: 'phone-x', format: 'jsonl', id: 'id', timeFormat: "yyyy-MM-dd'T'HH:mm:ss", timeZone: 'America/New_York', channel: 'phone', created_at: 'start', closed_at: 'end', status: { column: 'result', map: { ok: 'closed', lost: 'abandoned' } }, queue_wait_seconds: 'wait' }));
    const file = join(dir, 'calls.jsonl');
    writeFileSync(file, [
      JSON.stringify({ id: 1, start: '2024-01-15T09:00:00', end: '2024-01-15T09:05:00', result: 'ok', wait: 12.5 }),
      '{"id": 2, "start": ',
      JSON.stringify({ id: 3, start: '2024-01-15T10:00:00', end: '', result: 'maybe', wait: 0 }),
    ].join('\n') + '\n');
    const result = await runIngest({ warehouse: wh, adapter: csvAdapter, options: { file, mapping }, effects: fastEffects() });
    expect(result.stats.rows).toMatchObject({ inserted: 1, quarantined: 2 });
    // New York is UTC-5 in January: 09:00 -> 14:00Z.
    expect(await wh.all('SELECT id, created_at, closed_at, status, queue_wait_seconds FROM interactions')).toEqual([
      { id: 'phone-x:1', created_at: '2024-01-15T14:00:00.000Z', closed_at: '2024-01-15T14:05:00.000Z', status: 'closed', queue_wait_seconds: 12.5 },
    ]);
    const reasons = (await wh.all<{ reason: string }>('SELECT reason FROM quarantine ORDER BY reason')).map((r) => r.reason);
    expect(reasons[0]).toMatch(/^line 2: not valid JSON/);
    expect(reasons[1]).toBe('rows: line 3: status column result: "maybe" is not in the mapping (known: ok, lost)');
  });

  it('a phone system export: numbers normalized as every adapter does, the withheld placeholder no customer, an IVR hang-up waits its own time', async () => {
    const { wh, path } = await setup();
    const dir = dirname(path);
    const mapping = join(dir, 'pbx.json');
    writeFileSync(mapping, JSON.stringify({
      source: 'pbx', id: 'id', timeFormat: 'yyyy-MM-dd HH:mm:ss', channel: 'phone', created_at: 'start', first_response_at: 'answered', closed_at: 'end',
      status: { column: 'result', map: { ok: 'closed', hangup: 'abandoned', test: 'closed' } }, abandonedInQueueIf: 'queued', queue_wait_seconds: 'wait',
      customer: { column: 'caller', kind: 'phone' }, exclude: { result: ['test'] },
    }));
    const file = join(dir, 'pbx.csv');
    writeFileSync(file, [
      'id,caller,start,queued,answered,end,result,wait',
      '1,+1 415-555-0102,2026-03-02 09:00:00,2026-03-02 09:00:20,2026-03-02 09:01:00,2026-03-02 09:05:00,ok,40',
      '2,+14155550102,2026-03-02 10:00:00,2026-03-02 10:00:15,2026-03-02 10:00:30,2026-03-02 10:02:00,ok,15',
      // Hung up in the IVR after 40 s: no queue, so no queue seconds; the wait is the row's own 40 s.
      '3,Anonymous,2026-03-02 11:00:00,,,2026-03-02 11:00:40,hangup,0',
      // A test call the phone system logs: excluded by the mapping.
      '4,+14155550199,2026-03-02 12:00:00,,,2026-03-02 12:00:05,test,0',
    ].join('\n') + '\n');
    const result = await runIngest({ warehouse: wh, adapter: csvAdapter, options: { file, mapping }, effects: fastEffects() });
    expect(result.stats.rows).toMatchObject({ fetched: 4, inserted: 3, excluded: 1, quarantined: 0 });
    expect(await wh.all('SELECT id, contact_id, abandon_stage, queue_wait_seconds FROM interactions ORDER BY id')).toEqual([
      { id: 'pbx:1', contact_id: 'pbx:contact:+14155550102', abandon_stage: null, queue_wait_seconds: 40 },
      { id: 'pbx:2', contact_id: 'pbx:contact:+14155550102', abandon_stage: null, queue_wait_seconds: 15 },
      { id: 'pbx:3', contact_id: null, abandon_stage: 'ivr', queue_wait_seconds: 40 },
    ]);
    expect(await wh.all('SELECT DISTINCT kind, value FROM identities')).toEqual([{ kind: 'phone', value: '+14155550102' }]);
  });
});

describe('file pages', () => {
  it('a malformed CSV row after the first page is quarantined with its page, and a resumed read neither repeats nor loses it', async () => {
    const { filePages } = await import('../src/adapters/csv/file-pages.ts');
    const temp = await tempWarehouse();
    cleanups.push(temp.dispose);
    const file = join(dirname(temp.path), 'p.csv');
    // Lines 2-4 good, line 5 has 3 fields, lines 6-7 good, line 8 bad again (trailing).
    writeFileSync(file, 'id,v\n1,a\n2,b\n3,c\n4,d,extra\n5,e\n6,f\n7\n');
    const read = async (state: string | null) => {
      const pages = [];
      for await (const p of filePages({ path: file, format: 'csv', state, pageSize: 2, toRecord: (rows) => rows[0].values.id })) pages.push(p);
      return pages.map((p) => ({ records: p.records, bad: (p.quarantine ?? []).map((q) => q.reason), at: p.checkpoint!.split('#')[1] }));
    };
    const all = await read(null);
    expect(all).toEqual([
      { records: ['1', '2'], bad: [], at: '2' },
      { records: ['3', '5'], bad: ['line 5: 3 fields where the header has 2'], at: '4' },
      { records: ['6'], bad: ['line 8: 1 fields where the header has 2'], at: '5' },
    ]);
    // Killed after the second page committed: the resumed read starts at record 5 ("6").
    const fingerprint = (await import('../src/adapters/csv/table-file.ts')).fileFingerprint(file);
    expect(await read(`${fingerprint}#4`)).toEqual([{ records: ['6'], bad: ['line 8: 1 fields where the header has 2'], at: '5' }]);
  });
});
