import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runIngest, zendeskAdapter } from '../src/index.ts';
import { fastEffects, tempWarehouse } from './support/harness.ts';

const ticket = (id: number, updatedAt: string, extra: Record<string, unknown> = {}) => ({
  id, created_at: '2026-01-01T00:00:00Z', updated_at: updatedAt, status: 'open', subject: `Order ${id}`, priority: 'normal',
  requester_id: 100 + id, assignee_id: null, group_id: null, tags: ['a'], via: { channel: 'email' }, satisfaction_rating: null, ...extra,
});

/** A recorded folder with the given ticket pages, each written exactly as given (raw text). */
function folder(pages: string[]): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'raw-landing-'));
  mkdirSync(join(dir, 'tickets'));
  pages.forEach((text, k) => writeFileSync(join(dir, 'tickets', `${String(k).padStart(6, '0')}.json`), text));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
const page = (tickets: unknown[]) => JSON.stringify({ tickets, after_cursor: null, end_of_stream: true });

describe('raw landing and the ledger in SQL', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));
  const setup = async (pages: string[]) => {
    const w = await tempWarehouse();
    const f = folder(pages);
    cleanups.push(w.dispose, f.dispose);
    return { wh: w.wh, dir: f.dir };
  };
  const run = (wh: Awaited<ReturnType<typeof setup>>['wh'], dir: string, fullRefresh = false) =>
    runIngest({ warehouse: wh, adapter: zendeskAdapter, fromDir: dir, streams: ['tickets'], fullRefresh, effects: fastEffects() });

  it('lands each raw record as the page had it, digits JSON.parse would round included', async () => {
    // 12345678901234567890 is above 2^53: a parse-and-serialise round trip would print 12345678901234567000.
    const text = page([ticket(1, '2026-01-02T00:00:00Z'), ticket(2, '2026-01-02T00:00:00Z')]).replace('"tags":["a"]', '"tags":["a"],"big":12345678901234567890');
    const { wh, dir } = await setup([text]);
    const result = await run(wh, dir);
    expect(result.status).toBe('succeeded');
    expect(result.stats.tickets).toMatchObject({ fetched: 2, inserted: 2, updated: 0, unchanged: 0, quarantined: 0 });
    const raw = await wh.all<{ native_id: string; payload: string }>("SELECT native_id, payload::VARCHAR AS payload FROM raw_records WHERE stream = 'tickets' ORDER BY native_id");
    expect(raw.map((r) => r.native_id)).toEqual(['1', '2']);
    expect(raw[0].payload).toContain('"big":12345678901234567890');
    expect(JSON.parse(raw[1].payload)).toEqual(ticket(2, '2026-01-02T00:00:00Z'));
  });

  it('takes the last of a duplicated key, as JSON.parse does, and lands that copy raw', async () => {
    const text = `{"tickets":[${JSON.stringify(ticket(1, '2026-01-02T00:00:00Z'))}],"tickets":[${JSON.stringify(ticket(2, '2026-01-03T00:00:00Z'))}],"end_of_stream":true}`;
    const { wh, dir } = await setup([text]);
    expect((await run(wh, dir)).status).toBe('succeeded');
    expect(await wh.all('SELECT id FROM interactions')).toEqual([{ id: 'zendesk:2' }]);
    const raw = await wh.all<{ payload: string }>("SELECT payload::VARCHAR AS payload FROM raw_records WHERE stream = 'tickets'");
    expect(raw.map((r) => JSON.parse(r.payload).id)).toEqual([2]);
  });

  it('turns half of a cut emoji into U+FFFD instead of failing the batch', async () => {
    const text = page([ticket(1, '2026-01-02T00:00:00Z')]).replace('"subject":"Order 1"', '"subject":"Order \\ud83d 1"');
    const { wh, dir } = await setup([text]);
    const result = await run(wh, dir);
    expect(result.error).toBeNull();
    expect(await wh.all('SELECT subject FROM interactions')).toEqual([{ subject: 'Order \ufffd 1' }]);
    const raw = await wh.all<{ payload: string }>('SELECT payload::VARCHAR AS payload FROM raw_records');
    expect(JSON.parse(raw[0].payload).subject).toBe('Order \ufffd 1');
  });

  it('classifies against the ledger: a newer version updates, an older or equal one is unchanged', async () => {
    const { wh, dir } = await setup([page([ticket(1, '2026-01-02T00:00:00Z'), ticket(2, '2026-01-02T00:00:00Z'), ticket(3, '2026-01-02T00:00:00Z')])]);
    expect((await run(wh, dir)).stats.tickets).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    // Ticket 1 is newer, 2 is older than what was landed, 3 is the same version: 1 update, 2 unchanged.
    writeFileSync(join(dir, 'tickets', '000000.json'), page([
      ticket(1, '2026-01-05T00:00:00Z', { subject: 'changed' }), ticket(2, '2026-01-01T12:00:00Z', { subject: 'stale' }), ticket(3, '2026-01-02T00:00:00Z'),
    ]));
    const second = await run(wh, dir, true);
    expect(second.stats.tickets).toMatchObject({ fetched: 3, inserted: 0, updated: 1, unchanged: 2, quarantined: 0 });
    expect(await wh.all('SELECT id, subject FROM interactions ORDER BY id')).toEqual([
      { id: 'zendesk:1', subject: 'changed' }, { id: 'zendesk:2', subject: 'Order 2' }, { id: 'zendesk:3', subject: 'Order 3' },
    ]);
    // 3 raw rows from the first run and one for the update.
    expect(await wh.all("SELECT count(*)::INTEGER AS n FROM raw_records WHERE stream = 'tickets'")).toEqual([{ n: 4 }]);
    expect(await wh.all("SELECT native_id, version FROM ingest_records WHERE stream = 'tickets' ORDER BY native_id")).toEqual([
      { native_id: '1', version: '2026-01-05T00:00:00.000Z' }, { native_id: '2', version: '2026-01-02T00:00:00.000Z' }, { native_id: '3', version: '2026-01-02T00:00:00.000Z' },
    ]);
  });

  it('quarantines a record its normalizer refuses only while it is new, with the reason and raw text', async () => {
    const { wh, dir } = await setup([page([ticket(1, '2026-01-02T00:00:00Z'), ticket(2, '2026-01-02T00:00:00Z', { status: 'weird' })])]);
    const first = await run(wh, dir);
    expect(first.stats.tickets).toMatchObject({ inserted: 1, quarantined: 1 });
    const q = await wh.all<{ native_id: string; reason: string; payload: string }>('SELECT native_id, reason, payload FROM quarantine');
    expect(q).toHaveLength(1);
    expect(q[0].native_id).toBe('2');
    expect(q[0].reason).toBe('tickets: unknown ticket status "weird"');
    expect(JSON.parse(q[0].payload).status).toBe('weird');
    // Read again: still refused, still new (it never reached the ledger), not quarantined twice.
    const second = await run(wh, dir, true);
    expect(second.stats.tickets).toMatchObject({ inserted: 0, unchanged: 1, quarantined: 1 });
    expect(await wh.all('SELECT count(*)::INTEGER AS n FROM quarantine')).toEqual([{ n: 1 }]);
  });
});
