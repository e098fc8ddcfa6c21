import type { Warehouse } from '@helpdesk/core';
import { runIngest, type Adapter, type PageRead, type RunResult } from '@helpdesk/ingest';

/**
 * Runs a real adapter (its schemas, normalization, runner, ledger, stages) over pages held in
 * memory instead of fetched over HTTP: the demo world's records in the vendor's own shape. Only
 * the named streams run; each yields its records in pages of `pageSize`, as the API would.
 *
 * The clock is fixed (the demo's end) and the run id is renamed to `demo-<adapter>-<seed>`, so
 * `ingest_runs`, `raw_records` and `ingest_records` are the same on every build of one seed.
 */
export async function ingestPages(
  warehouse: Warehouse,
  adapter: Adapter,
  pages: Record<string, () => Iterable<unknown[]>>,
  clock: { endMs: number; seed: number },
): Promise<RunResult> {
  const inMemory: Adapter = {
    ...adapter,
    streams: adapter.streams
      .filter((s) => s.name in pages)
      .map((s) => ({
        ...s,
        async *read(): AsyncIterable<PageRead> {
          let n = 0;
          for (const records of pages[s.name]()) yield { records, checkpoint: String(++n) };
        },
      })),
  };
  const result = await runIngest({
    warehouse, adapter: inMemory, options: demoOptions[adapter.name], batchSize: 5_000,
    effects: { now: () => clock.endMs, random: () => 0.5, fetch: () => Promise.reject(new Error('the demo ingest reads pages in memory')) },
  });
  if (result.status !== 'succeeded') throw new Error(`demo ingest through the ${adapter.name} adapter failed: ${result.error}`);
  const runId = `demo-${adapter.name}-${clock.seed}`;
  for (const table of ['raw_records', 'ingest_records']) {
    await warehouse.run(`UPDATE ${table} SET run_id = $1 WHERE run_id = $2`, [runId, result.runId]);
  }
  await warehouse.run('UPDATE ingest_runs SET id = $1 WHERE id = $2', [runId, result.runId]);
  return { ...result, runId };
}

/** Connection options that pass each adapter's schema; nothing is fetched. */
const demoOptions: Record<string, unknown> = {
  intercom: { baseUrl: 'http://demo.invalid', accessToken: 'demo' },
  zendesk: { baseUrl: 'http://demo.invalid', email: 'demo@example.invalid', apiToken: 'demo' },
  aircall: { baseUrl: 'http://demo.invalid', apiId: 'demo', apiToken: 'demo' },
  hubspot: { baseUrl: 'http://demo.invalid', accessToken: 'demo' },
  salesforce: { baseUrl: 'http://demo.invalid', accessToken: 'demo' },
};
