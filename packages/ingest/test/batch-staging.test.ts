import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalRows } from '../src/framework/adapter.ts';
import { commitStaged, stageBatch, type Batch, type StagedRecord } from '../src/framework/batch-writer.ts';
import { tempWarehouse } from './support/harness.ts';

/** Partial canonical rows: columns left out are staged as NULL, as the writer does for any row. */
const partial = (rows: Record<string, unknown[]>) => rows as unknown as CanonicalRows;
const interaction = (n: number, subject: string) => ({
  id: `test:${n}`, source: 'test', native_id: String(n), channel: 'email', direction: 'inbound', priority: 'normal', bot_involved: false, bot_contained: false, reopen_count: 0,
  abandoned: false, callback_requested: false, escalated: false, tags: ['a', 'b'], subject, status: 'open', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z',
});
const event = (n: number, seq: number, body: string) => ({
  id: `test:${n}:${seq}`, interaction_id: `test:${n}`, seq, occurred_at: `2026-01-01T00:0${seq}:00.000Z`, type: 'message',
  author_role: 'customer', author_id: `test:user:${n}`, is_public: true, body, from_value: null, to_value: null, value_num: null,
});

/** A batch whose raw payloads come from JavaScript (no page text), as an in-memory adapter gives them. */
function batchOf(records: StagedRecord[], extra: Partial<Batch> = {}): Batch {
  return {
    runId: 'run-1', source: 'test', stream: 'tickets', fetchedAt: '2026-01-03T00:00:00.000Z', versionOrder: 'time',
    pages: [], records, quarantined: [], checkpoint: 'p1', stateKey: 'tickets', ...extra,
  };
}

describe('staging a batch: payloads and canonical rows as separate columns', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  it('lands payloads given in JavaScript as they are, rows of two tables, a refused record and a refused page', async () => {
    const w = await tempWarehouse();
    cleanups.push(w.dispose);
    // Quotes, a backslash and a newline would have to be escaped twice if the payload were nested
    // in another JSON text; digits beyond 2^53 must survive as written.
    const payload1 = '{"id":1,"subject":"say \\"hi\\"\\\\ \\n","big":12345678901234567890}';
    const records: StagedRecord[] = [
      { nativeId: '1', version: '2026-01-02T00:00:00.000Z', page: -1, pos: -1, payload: payload1, reason: null,
        rows: partial({ interactions: [interaction(1, 'say "hi"\\ \n')], events: [event(1, 0, 'first'), event(1, 1, 'second')] }) },
      { nativeId: '2', version: '2026-01-02T00:00:00.000Z', page: -1, pos: -1, payload: '{"id":2}', reason: null,
        rows: partial({ interactions: [interaction(2, 'half an emoji \ud83d here')] }) },
      { nativeId: '3', version: '2026-01-02T00:00:00.000Z', page: -1, pos: -1, payload: '{"id":3,"status":"weird"}', reason: 'tickets: unknown ticket status "weird"', rows: null },
    ];
    const quarantined = [{ nativeId: null, reason: 'tickets/000009.json: not JSON', payload: '{oops' }];
    const counts = await w.wh.withConnection(async (c) => commitStaged(c, await stageBatch(c, batchOf(records, { quarantined }))));
    expect(counts).toEqual({ inserted: 2, updated: 0, unchanged: 0, quarantined: 2, deleted: 0 });

    const raw = await w.wh.all<{ native_id: string; payload: string }>('SELECT native_id, payload::VARCHAR AS payload FROM raw_records ORDER BY native_id');
    expect(raw).toEqual([{ native_id: '1', payload: payload1 }, { native_id: '2', payload: '{"id":2}' }]);
    expect(await w.wh.all('SELECT id, subject, tags FROM interactions ORDER BY id')).toEqual([
      { id: 'test:1', subject: 'say "hi"\\ \n', tags: ['a', 'b'] },
      { id: 'test:2', subject: 'half an emoji \ufffd here', tags: ['a', 'b'] },
    ]);
    // New events carry the provisional seq -1 - seq until the run renumbers them.
    expect(await w.wh.all("SELECT id, seq, body, strftime(occurred_at, '%H:%M') AS at FROM events ORDER BY body")).toEqual([
      { id: 'test:1:0', seq: -1, body: 'first', at: '00:00' }, { id: 'test:1:1', seq: -2, body: 'second', at: '00:01' },
    ]);
    expect(await w.wh.all('SELECT native_id, version FROM ingest_records ORDER BY native_id')).toEqual([
      { native_id: '1', version: '2026-01-02T00:00:00.000Z' }, { native_id: '2', version: '2026-01-02T00:00:00.000Z' },
    ]);
    expect(await w.wh.all('SELECT native_id, reason, payload FROM quarantine ORDER BY reason')).toEqual([
      { native_id: null, reason: 'tickets/000009.json: not JSON', payload: '{oops' },
      { native_id: '3', reason: 'tickets: unknown ticket status "weird"', payload: '{"id":3,"status":"weird"}' },
    ]);
    expect(await w.wh.all("SELECT cursor FROM ingest_state WHERE stream = 'tickets'")).toEqual([{ cursor: 'p1' }]);
  });

  it('counts a newer version as updated, an older one as unchanged, and leaves no staging table behind', async () => {
    const w = await tempWarehouse();
    cleanups.push(w.dispose);
    const record = (n: number, version: string, subject: string): StagedRecord => ({
      nativeId: String(n), version, page: -1, pos: -1, payload: `{"id":${n},"v":"${version}"}`, reason: null, rows: partial({ interactions: [interaction(n, subject)] }),
    });
    await w.wh.withConnection(async (c) => {
      await commitStaged(c, await stageBatch(c, batchOf([record(1, '2026-01-02', 'one'), record(2, '2026-01-02', 'two')])));
      const counts = await commitStaged(c, await stageBatch(c, batchOf([record(1, '2026-01-05', 'one again'), record(2, '2026-01-01', 'two stale')])));
      expect(counts).toEqual({ inserted: 0, updated: 1, unchanged: 1, quarantined: 0, deleted: 0 });
      const temps = await c.run("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE temporary");
      expect(await temps.getRowObjectsJS()).toEqual([{ n: 0 }]);
    });
    expect(await w.wh.all('SELECT id, subject FROM interactions ORDER BY id')).toEqual([
      { id: 'test:1', subject: 'one again' }, { id: 'test:2', subject: 'two' },
    ]);
    // Two raw rows from the first batch and one for the update.
    expect(await w.wh.all("SELECT native_id, payload::VARCHAR AS p FROM raw_records ORDER BY native_id, p")).toEqual([
      { native_id: '1', p: '{"id":1,"v":"2026-01-02"}' }, { native_id: '1', p: '{"id":1,"v":"2026-01-05"}' }, { native_id: '2', p: '{"id":2,"v":"2026-01-02"}' },
    ]);
  });

  it('lands raw payloads and ledger rows in fetch order, whatever order the ids sort in, beside a large ledger', async () => {
    const w = await tempWarehouse();
    cleanups.push(w.dispose);
    // A ledger far larger than the batch, so DuckDB may build its join on either side.
    await w.wh.run(`INSERT INTO ingest_records SELECT 'test', 'tickets', 'old-' || range, '2026-01-01', 'run-0' FROM range(200000)`);
    // 10,000 ids in an order unrelated to their value (k * 7919 mod 10007 visits 1..10006 once each).
    const ids = Array.from({ length: 10_000 }, (_, k) => String(((k + 1) * 7919) % 10007));
    const records: StagedRecord[] = ids.map((id) => ({
      nativeId: id, version: '2026-01-02', page: -1, pos: -1, payload: `{"id":${id}}`, reason: null, rows: partial({ interactions: [interaction(Number(id), 's')] }),
    }));
    expect(new Set(ids).size).toBe(10_000);
    await w.wh.withConnection(async (c) => commitStaged(c, await stageBatch(c, batchOf(records))));
    const raw = await w.wh.all<{ id: string }>('SELECT native_id AS id FROM raw_records ORDER BY rowid');
    const ledger = await w.wh.all<{ id: string }>("SELECT native_id AS id FROM ingest_records WHERE native_id NOT LIKE 'old-%' ORDER BY rowid");
    expect(raw.map((r) => r.id)).toEqual(ids);
    expect(ledger.map((r) => r.id)).toEqual(ids);
  });
});
