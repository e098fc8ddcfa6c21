import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { csvAdapter, runIngest, runPipeline } from '@helpdesk/ingest';
import { refreshFacts, scorecard } from '@helpdesk/metrics';
import { tempDir } from '../cli/run-cli.ts';

// The public bank call-centre log (../shared/datasets, SOURCES.md 2.4) through the shipped mapping,
// the CSV adapter and the KPI registry: the path a user takes with `helpdesk ingest csv`.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const CALLS = join(repo, '..', 'shared', 'datasets', 'anonymous_bank_callcenter_aug1999', 'calls_1999_08.csv');
const MAPPING = join(repo, 'data', 'mappings', 'anonymous-bank-callcenter.json');

describe('the bank call-centre log through the CSV adapter and the registry', () => {
  const dir = tempDir('helpdesk-bank-');
  let wh: Warehouse;
  let excluded = 0;
  beforeAll(async () => {
    wh = await Warehouse.open(join(dir, 'bank.duckdb'));
    // The pipeline `helpdesk ingest` runs: the import, then identity resolution, threading and facts.
    const result = await runPipeline({
      warehouse: wh, trigger: 'ingest', facts: refreshFacts,
      ingest: [{ source: 'csv', run: () => runIngest({ warehouse: wh, adapter: csvAdapter, options: { file: CALLS, mapping: MAPPING } }) }],
    });
    expect(result.error).toBeNull();
    excluded = result.ingestRuns[0].stats.rows.excluded;
  }, 180_000);
  afterAll(() => wh?.close());

  it('leaves the 310 ghost calls out and gives the log\'s own mean handle time, 184.4 s', async () => {
    // SOURCES.md: PHANTOM 310 ("to be ignored"); served calls (AGENT, 31,401 of them, 57 of which
    // have no service times and count as 0 s) talk 184.4 s on average. With the ghosts counted as
    // served calls (the old mapping) the mean was 183.1 s.
    expect(excluded).toBe(310);
    const card = await scorecard(wh, { from: '1999-07-31', to: '1999-09-02', kpis: ['aht', 'abandonment_rate'], stat: 'mean' });
    expect(card.rows).toHaveLength(1);
    expect(Number(card.rows[0].aht)).toBeCloseTo(184.401, 3);
  });

  it("abandons keep the log's stages: 7,309 hung up in the queue (278 of them within 5 s), 3,057 in the IVR", async () => {
    // SOURCES.md: 7,309 queued callers hung up. Queue abandons outside the short-abandon edge over the
    // calls that reached the queue is the log's 0.1829: 7,031 / (41,767 - 3,057 - 278).
    const [r] = await wh.all<{ queue: number; short: number; ivr: number; calls: number }>(`SELECT
        count(*) FILTER (WHERE abandoned AND abandon_stage = 'queue' AND queue_wait_seconds >= 5)::INTEGER AS queue,
        count(*) FILTER (WHERE abandoned AND abandon_stage = 'queue' AND queue_wait_seconds < 5)::INTEGER AS short,
        count(*) FILTER (WHERE abandoned AND abandon_stage = 'ivr')::INTEGER AS ivr, count(*)::INTEGER AS calls FROM interactions`);
    expect(r).toEqual({ queue: 7031, short: 278, ivr: 3057, calls: 41767 });
    expect(r.queue / (r.calls - r.ivr - r.short)).toBeCloseTo(0.1829, 4);
    // The registry's abandonment rate counts IVR hang-ups too (each waited its own IVR time, e.g. 17 s,
    // no longer the 0 s of a queue it never reached): (7,031 + IVR ones >= 5 s) / (41,767 - shorts).
    const [ivrShort] = await wh.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM interactions WHERE abandoned AND abandon_stage = 'ivr' AND queue_wait_seconds < 5");
    const card = await scorecard(wh, { from: '1999-07-31', to: '1999-09-02', kpis: ['abandonment_rate'] });
    const shorts = r.short + ivrShort.n;
    expect(Number(card.rows[0].abandonment_rate)).toBeCloseTo((r.queue + r.ivr - ivrShort.n) / (r.calls - shorts), 10);
  });
});
