import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pipelineStages, runIngest, runPipeline, zendeskAdapter, type IngestStep } from '../src/index.ts';
import { tempWarehouse } from './support/harness.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** One page of Zendesk tickets, each `[id, requester, created]`, in a folder of recorded pages. */
function ticketPages(dir: string, file: string, tickets: [number, number, string][]) {
  mkdirSync(join(dir, 'tickets'), { recursive: true });
  writeFileSync(join(dir, 'tickets', file), JSON.stringify({
    tickets: tickets.map(([id, requester, at]) => ({ id, requester_id: requester, status: 'open', via: { channel: 'email' }, created_at: at, updated_at: at })),
    end_of_stream: true,
  }));
}

describe('the pipeline', () => {
  it('declares its stages once, in order', () => {
    expect(pipelineStages).toEqual(['ingest', 'resolve', 'thread', 'intent', 'facts']);
  });

  it('keeps the last consistent state when a stage fails, says why, and skips what depends on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose, () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'users'));
    writeFileSync(join(dir, 'users/0001.json'), JSON.stringify({
      users: [1, 2].map((id) => ({ id, name: `Person ${id}`, email: `p${id}@example.com`, role: 'end-user', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' })),
    }));
    ticketPages(dir, '0001.json', [[10, 1, '2026-01-05T09:00:00Z'], [11, 2, '2026-01-05T10:00:00Z']]);
    const zendesk: IngestStep = { source: 'zendesk', run: () => runIngest({ warehouse: wh, adapter: zendeskAdapter, fromDir: dir }) };
    let refreshed = 0;
    const facts = async () => ({ refreshed: ++refreshed });

    const first = await runPipeline({ warehouse: wh, trigger: 'ingest', facts, ingest: [zendesk] });
    expect(first.status).toBe('succeeded');
    expect(first.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:succeeded', 'resolve:succeeded', 'thread:succeeded', 'facts:succeeded']);
    // Two people, one ticket each: 2 customers, 2 cases.
    const state = () => wh.all<{ customers: number; cases: number; unthreaded: number }>(`SELECT (SELECT count(*) FROM customers)::INTEGER AS customers,
      (SELECT count(*) FROM cases)::INTEGER AS cases, (SELECT count(*) FROM interactions WHERE case_id IS NULL)::INTEGER AS unthreaded`);
    expect(await state()).toEqual([{ customers: 2, cases: 2, unthreaded: 0 }]);
    const casesSql = `SELECT c.id, c.customer_id, c.opened_at, (SELECT string_agg(native_id, ',' ORDER BY native_id) FROM interactions i WHERE i.case_id = c.id) AS members
      FROM cases c ORDER BY c.id`;
    const casesBefore = await wh.all(casesSql);

    // Person 1 writes again two weeks later (a new case); threading then breaks when it writes the
    // cases (an index allows one case per customer), after its first statements ran in its transaction.
    ticketPages(dir, '0002.json', [[12, 1, '2026-01-19T12:00:00Z']]);
    await wh.run('CREATE UNIQUE INDEX one_case_each ON cases (customer_id)');
    const second = await runPipeline({ warehouse: wh, trigger: 'ingest', facts, ingest: [zendesk] });
    expect(second.status).toBe('failed');
    expect(second.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:succeeded', 'resolve:succeeded', 'thread:failed', 'facts:skipped']);
    expect(second.error).toMatch(/^case threading: .*(?:constraint|one_case_each)/i);
    expect(second.stages[3].error).toBe('case threading failed; facts are as before');
    expect(refreshed).toBe(1);
    // Cases as before: the new ticket has a customer (resolution committed) but no case yet.
    expect(await state()).toEqual([{ customers: 2, cases: 2, unthreaded: 1 }]);
    expect(await wh.all(casesSql)).toEqual(casesBefore);
    const [logged] = await wh.all<{ status: string; error: string }>('SELECT status, error FROM pipeline_runs WHERE id = $1', [second.runId]);
    expect(logged).toEqual({ status: 'failed', error: second.error });

    // Fixed: the next run (nothing new to ingest) still threads what is unthreaded.
    await wh.run('DROP INDEX one_case_each');
    const third = await runPipeline({ warehouse: wh, trigger: 'sync', facts, ingest: [zendesk] });
    expect(third.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:succeeded', 'resolve:succeeded', 'thread:succeeded', 'facts:succeeded']);
    // Ticket 12 comes 14 days after person 1's first (beyond the 72-hour window): a case of its own, 3 cases.
    expect(await state()).toEqual([{ customers: 2, cases: 3, unthreaded: 0 }]);
  });

  it('with resolve: false logs the later stages as skipped and touches nothing', async () => {
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    const result = await runPipeline({
      warehouse: wh, trigger: 'ingest', resolve: false, facts: async () => { throw new Error('must not run'); },
      ingest: [{ source: 'nothing', run: async () => ({ counts: { interactions: 0 } }) }],
    });
    expect(result.status).toBe('succeeded');
    expect(result.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:succeeded', 'resolve:skipped', 'thread:skipped', 'facts:skipped']);
    expect(result.stages[1].error).toMatch(/--no-resolve/);
  });

  it('labels intents after threading and before facts; a failed labelling leaves intents as they were and facts still run', async () => {
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose);
    const order: string[] = [];
    const facts = async () => (order.push('facts'), {});
    const nothing: IngestStep = { source: 'nothing', run: async () => ({ counts: { interactions: 1 } }) };
    const ok = await runPipeline({
      warehouse: wh, trigger: 'ingest', facts, ingest: [nothing], fullResolve: true,
      intents: async (_wh, o) => (order.push(`intent full=${o.full}`), { candidates: 0 }),
    });
    expect(ok.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:succeeded', 'resolve:succeeded', 'thread:succeeded', 'intent:succeeded', 'facts:succeeded']);
    expect(ok.stages[3].counts).toEqual({ candidates: 0 });
    expect(order).toEqual(['intent full=true', 'facts']);
    const failed = await runPipeline({
      warehouse: wh, trigger: 'ingest', facts, ingest: [nothing], intents: async () => { throw new Error('bad rule'); },
    });
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('intent labelling: bad rule');
    expect(failed.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:succeeded', 'resolve:succeeded', 'thread:succeeded', 'intent:failed', 'facts:succeeded']);
    // Nothing new and resolved: the intent stage is skipped with the others.
    const idle = await runPipeline({ warehouse: wh, trigger: 'sync', facts, intents: async () => { throw new Error('must not run'); } });
    expect(idle.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['resolve:skipped', 'thread:skipped', 'intent:skipped', 'facts:succeeded']);
  });
  it('checkpoints once, after its last stage, with DuckDB\'s threshold raised meanwhile and put back after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(dispose, () => rmSync(dir, { recursive: true, force: true }));
    ticketPages(dir, '0001.json', [[10, 1, '2026-01-05T09:00:00Z'], [11, 2, '2026-01-05T10:00:00Z']]);
    const wal = async () => Number((await wh.all<{ wal: string }>('SELECT wal_size AS wal FROM pragma_database_size()'))[0].wal.replace(/[^0-9.]/g, ''));
    const threshold = async () => (await wh.all<{ t: string }>("SELECT current_setting('checkpoint_threshold') AS t"))[0].t;
    const before = await threshold();
    expect(before).toMatch(/^16\.0 MiB$/);
    let seen: { wal: number; threshold: string } | undefined;
    const result = await runPipeline({
      warehouse: wh, trigger: 'sync', ingest: [{ source: 'zendesk', run: () => runIngest({ warehouse: wh, adapter: zendeskAdapter, fromDir: dir, checkpoint: false }) }],
      facts: async () => {
        seen = { wal: await wal(), threshold: await threshold() };
        return {};
      },
    });
    expect(result.status).toBe('succeeded');
    // The ingest's rows and the later stages' were still in the WAL when the facts ran; after the run, none is.
    expect(seen!.wal).toBeGreaterThan(0);
    // 256 MB, which DuckDB prints in MiB.
    expect(seen!.threshold).toMatch(/^24\d\.\d MiB$/);
    expect(await wal()).toBe(0);
    expect(await threshold()).toBe(before);
  });
});
