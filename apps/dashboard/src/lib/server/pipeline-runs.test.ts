import { Warehouse } from '@helpdesk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineRunsFor } from './pipeline-runs';

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  // Twelve runs an hour apart (r01 oldest .. r12 newest). r12 failed in identity resolution, quoting a
  // bad email; its threading and facts stages were skipped. r11 succeeded with all four stages.
  const runs = Array.from({ length: 12 }, (_, k) => {
    const id = `r${String(k + 1).padStart(2, '0')}`;
    const at = `2026-03-01 ${String(k).padStart(2, '0')}:00:00+00`;
    return `('${id}', 'sync', '${at}', '${at}', '${k === 11 ? 'failed' : 'succeeded'}', ${k === 11 ? "'identity resolution failed: bad email ann@example.com'" : 'NULL'})`;
  });
  await wh.run(`
    INSERT INTO pipeline_runs (id, trigger, started_at, finished_at, status, error) VALUES ${runs.join(', ')};
    INSERT INTO pipeline_stages (run_id, seq, stage, source, started_at, seconds, status, counts, error) VALUES
      ('r11', 0, 'ingest', 'zendesk', '2026-03-01 10:00:00+00', 2.5, 'succeeded', '{"inserted": 40, "updated": 2, "quarantined": 1}', NULL),
      ('r11', 1, 'resolve', NULL, '2026-03-01 10:00:03+00', 1.25, 'succeeded', '{"contacts": 30, "customers": 25, "merges": 5}', NULL),
      ('r11', 2, 'thread', NULL, '2026-03-01 10:00:05+00', 0.5, 'succeeded', '{"cases": 20, "crossChannelCases": 4}', NULL),
      ('r11', 3, 'facts', NULL, '2026-03-01 10:00:06+00', 0.75, 'succeeded', '{}', NULL),
      ('r12', 0, 'ingest', 'zendesk', '2026-03-01 11:00:00+00', 1.0, 'succeeded', '{"inserted": 3, "updated": 0, "quarantined": 0}', NULL),
      ('r12', 1, 'resolve', NULL, '2026-03-01 11:00:01+00', 0.1, 'failed', NULL, 'bad email ann@example.com'),
      ('r12', 2, 'thread', NULL, '2026-03-01 11:00:01+00', NULL, 'skipped', NULL, 'an earlier stage failed'),
      ('r12', 3, 'facts', NULL, '2026-03-01 11:00:01+00', NULL, 'skipped', NULL, 'an earlier stage failed');
  `);
});
afterAll(() => wh.close());

const as = (role: string) => ({ user: { role } }) as unknown as App.Locals;

describe('pipeline runs for the Sources and Data health screens', () => {
  it('the ten newest runs, each with its stages in order, timing and counts', async () => {
    const runs = await pipelineRunsFor(as('admin'), wh);
    expect(runs.map((r) => r.id)).toEqual(['r12', 'r11', 'r10', 'r09', 'r08', 'r07', 'r06', 'r05', 'r04', 'r03']);
    expect(runs[1].stages.map((s) => [s.stage, s.source, s.status, s.seconds, s.counts])).toEqual([
      ['ingest', 'zendesk', 'succeeded', 2.5, { inserted: 40, updated: 2, quarantined: 1 }],
      ['resolve', null, 'succeeded', 1.25, { contacts: 30, customers: 25, merges: 5 }],
      ['thread', null, 'succeeded', 0.5, { cases: 20, crossChannelCases: 4 }],
      ['facts', null, 'succeeded', 0.75, {}],
    ]);
    // A reader with contacts.read sees the error as recorded.
    expect([runs[0].status, runs[0].error, runs[0].stages.map((s) => [s.stage, s.status, s.error])]).toEqual([
      'failed', 'identity resolution failed: bad email ann@example.com',
      [['ingest', 'succeeded', null], ['resolve', 'failed', 'bad email ann@example.com'], ['thread', 'skipped', 'an earlier stage failed'], ['facts', 'skipped', 'an earlier stage failed']],
    ]);
  });

  it('masks emails and numbers in errors for a reader without contacts.read (an analyst on Data health)', async () => {
    const [failed] = await pipelineRunsFor(as('analyst'), wh);
    expect(failed.error).toBe('identity resolution failed: bad email [redacted]');
    expect(failed.stages[1].error).toBe('bad email [redacted]');
    expect(failed.stages[2].error).toBe('an earlier stage failed');
    expect((await pipelineRunsFor(as('analyst'), wh, 3)).map((r) => r.id)).toEqual(['r12', 'r11', 'r10']);
  });
});
