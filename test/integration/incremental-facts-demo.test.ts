import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { buildDemoWarehouse } from '@helpdesk/demo-data';
import { ensureMetricsCache, readRollupState, refreshMetricsCache, type MetricsCacheState } from '@helpdesk/metrics';
import { tempDir } from '../cli/run-cli.ts';

/**
 * A sync of 100 interactions into the 20,000-interaction demo: the metrics cache takes the
 * incremental path and ends exactly where a full rebuild of the same warehouse ends, row for row.
 */
describe('incremental facts on the 20k demo', () => {
  const dir = tempDir('helpdesk-incfacts-');
  let wh: Warehouse;
  let state: MetricsCacheState;
  const cacheTables = ['metrics_cache_facts', 'metrics_cache_backlog_spans', 'metrics_cache_chat_load'];
  /** The UTC days of the synced interactions, after the sync. */
  let syncedDays: string[];

  beforeAll(async () => {
    const path = join(dir, 'demo.duckdb');
    await buildDemoWarehouse(path, { seed: 42, interactions: 20_000, via: 'direct' });
    wh = await Warehouse.open(path);
    // The demo build ends with the facts stage: the first read (a server's first screen) finds the
    // facts and the daily rollup of this very data, and builds nothing.
    const first = await ensureMetricsCache(wh);
    expect([first.touchedDays, first.refresh]).toEqual([[], undefined]);
    expect(await readRollupState(wh)).toMatchObject({ version: first.version });
    await wh.run('CREATE TABLE before_facts AS FROM metrics_cache_facts');
    // The sync: 80 new interactions (copies of existing ones, a day later, same customers, with
    // their events) and 20 existing ones updated (reopened, reassigned, one more agent reply).
    await wh.run(`
CREATE TEMP TABLE synced AS SELECT id AS old_id, 'sync:' || id AS id FROM interactions ORDER BY hash(id, 1) LIMIT 80;
INSERT INTO interactions SELECT i.* REPLACE (s.id AS id, s.id AS native_id, i.created_at + INTERVAL 1 DAY AS created_at,
  i.updated_at + INTERVAL 1 DAY AS updated_at, i.first_response_at + INTERVAL 1 DAY AS first_response_at,
  i.resolved_at + INTERVAL 1 DAY AS resolved_at, i.closed_at + INTERVAL 1 DAY AS closed_at, i.first_resolved_at + INTERVAL 1 DAY AS first_resolved_at)
FROM interactions i JOIN synced s ON s.old_id = i.id;
INSERT INTO events SELECT e.* REPLACE ('sync:' || e.id AS id, s.id AS interaction_id, e.occurred_at + INTERVAL 1 DAY AS occurred_at)
FROM events e JOIN synced s ON s.old_id = e.interaction_id;
CREATE TEMP TABLE updated AS SELECT id FROM interactions WHERE id NOT LIKE 'sync:%' AND channel IN ('email', 'chat') ORDER BY hash(id, 2) LIMIT 20;
UPDATE interactions SET status = 'open', resolved = false, reopen_count = reopen_count + 1,
  agent_id = (SELECT min(id) FROM agents WHERE NOT is_bot), updated_at = updated_at + INTERVAL 2 DAY
WHERE id IN (SELECT id FROM updated);
INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, is_public, body)
SELECT id || ':sync-reply', id, 10000, created_at + INTERVAL 3 HOUR, 'message', 'agent', true, 'following up' FROM interactions WHERE id IN (SELECT id FROM updated);
`);
    syncedDays = (
      await wh.all<{ day: string }>(`SELECT DISTINCT strftime(timezone('UTC', created_at), '%Y-%m-%d') AS day FROM interactions
        WHERE id LIKE 'sync:%' OR id IN (SELECT id FROM updated) ORDER BY day`)
    ).map((r) => r.day);
    state = await ensureMetricsCache(wh);
    for (const table of cacheTables) await wh.run(`CREATE TABLE incremental_${table} AS FROM ${table}`);
    await refreshMetricsCache(wh, { full: true });
  }, 900_000);
  afterAll(() => wh?.close());

  it('takes the incremental path: the 100 synced interactions changed, a few hundred rows recomputed', () => {
    expect(state.refresh).toMatchObject({ mode: 'incremental', changed: 100 });
    // Changed 100, plus the other interactions of their customers and callback parents: far under
    // the 30 % (6,024 of 20,080 rows) at which the fallback would rebuild in full.
    expect(state.refresh!.affected).toBeGreaterThanOrEqual(100);
    expect(state.refresh!.affected).toBeLessThan(0.3 * 20_080);
    expect(state.refresh!.facts).toBe(20_080);
  });

  it.each(cacheTables)('leaves %s equal to a full rebuild, row for row', async (table) => {
    const [row] = await wh.all<{ missing: number; extra: number; rows: number }>(`SELECT
      (SELECT count(*) FROM (FROM ${table} EXCEPT ALL FROM incremental_${table}))::INTEGER AS missing,
      (SELECT count(*) FROM (FROM incremental_${table} EXCEPT ALL FROM ${table}))::INTEGER AS extra,
      (SELECT count(*) FROM ${table})::INTEGER AS rows`);
    expect(row.rows).toBeGreaterThan(0);
    expect({ missing: row.missing, extra: row.extra }).toEqual({ missing: 0, extra: 0 });
  });

  it('reports the touched days: every synced interaction\'s day, and exactly the days whose fact rows changed', async () => {
    const touched = state.touchedDays as string[];
    expect(Array.isArray(touched)).toBe(true);
    expect(syncedDays.filter((d) => !touched.includes(d))).toEqual([]);
    // Against the full rebuild: the days of rows that differ from before the sync, either way.
    const changed = await wh.all<{ day: string }>(`SELECT DISTINCT strftime(timezone('UTC', created_at), '%Y-%m-%d') AS day FROM (
      (FROM before_facts EXCEPT ALL FROM metrics_cache_facts) UNION ALL (FROM metrics_cache_facts EXCEPT ALL FROM before_facts))`);
    expect(changed.length).toBeGreaterThan(0);
    expect(touched).toEqual(changed.map((r) => r.day).sort());
  });
});
