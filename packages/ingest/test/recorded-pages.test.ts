import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runIngest, zendeskAdapter } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const ticket = (id: number, updated: string) => ({ id, created_at: '2026-01-01T00:00:00Z', updated_at: updated, status: 'open', via: { channel: 'chat' } });

describe('offline mode (--from-dir)', () => {
  it('imports pages in file order, quarantines a file that is not JSON with its text, and resumes after the last committed file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pages-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'tickets'));
    writeFileSync(join(dir, 'tickets/0001.json'), JSON.stringify({ tickets: [ticket(1, '2026-01-02T00:00:00Z'), ticket(2, '2026-01-02T00:00:00Z')], end_of_stream: false }));
    writeFileSync(join(dir, 'tickets/0002.json'), '{"tickets": [ {"id": 3');
    writeFileSync(join(dir, 'tickets/0003.json'), JSON.stringify({ tickets: [ticket(2, '2026-01-03T00:00:00Z'), { ...ticket(4, 'yesterday') }], end_of_stream: true }));
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    const first = await runIngest({ warehouse: wh, adapter: zendeskAdapter, fromDir: dir });
    expect(first.mode).toBe('file');
    // Ticket 2 comes twice in the batch: its later version wins; ticket 4 has a bad timestamp; the
    // broken file is quarantined by the stream its folder is named after.
    expect(first.stats.tickets).toMatchObject({ fetched: 4, duplicates: 1, inserted: 2, updated: 0, quarantined: 2 });
    expect(await wh.all('SELECT native_id, updated_at FROM interactions ORDER BY 1')).toEqual([
      { native_id: '1', updated_at: '2026-01-02T00:00:00.000Z' }, { native_id: '2', updated_at: '2026-01-03T00:00:00.000Z' },
    ]);
    const q = await wh.all<{ native_id: string | null; reason: string; payload: string }>('SELECT native_id, reason, payload FROM quarantine ORDER BY reason');
    expect(q[1]).toMatchObject({ native_id: '4', reason: 'tickets: updated_at: expected an ISO-8601 timestamp with an offset' });
    expect(q[0]).toMatchObject({ native_id: null, payload: '{"tickets": [ {"id": 3' });
    expect(q[0].reason).toMatch(/^tickets\/0002\.json: not valid JSON/);
    expect(await wh.all("SELECT cursor FROM ingest_state WHERE stream = 'tickets@file'")).toEqual([{ cursor: 'tickets/0003.json' }]);
    // A new page arrives: only it is read on the next run.
    writeFileSync(join(dir, 'tickets/0004.json'), JSON.stringify({ tickets: [ticket(5, '2026-01-04T00:00:00Z')] }));
    const second = await runIngest({ warehouse: wh, adapter: zendeskAdapter, fromDir: dir });
    expect(second.stats.tickets).toMatchObject({ fetched: 1, inserted: 1, pages: 1 });
  });

  it('a missing folder is one clear error', async () => {
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    const result = await runIngest({ warehouse: wh, adapter: zendeskAdapter, fromDir: '/nonexistent/pages' });
    expect(result).toMatchObject({ status: 'failed', error: '--from-dir /nonexistent/pages: no such folder' });
    expect(await wh.all('SELECT status, error FROM ingest_runs')).toEqual([{ status: 'failed', error: '--from-dir /nonexistent/pages: no such folder' }]);
  });
});
