import { afterEach, describe, expect, it } from 'vitest';
import { ingestScheduler, zendeskAdapter } from '../src/index.ts';
import { startReplica, zendeskBehaviour, zendeskWorld } from '../replicas/index.ts';
import { credentials } from './support/credentials.ts';
import { fastEffects, tempWarehouse } from './support/harness.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('scheduled syncs', () => {
  it('runs a source on its schedule and on demand, one job at a time per source, each in the run log', async () => {
    const replica = await startReplica(zendeskBehaviour(zendeskWorld({ seed: 4, tickets: 30 }), { ...credentials.zendesk, pageSize: 10 }));
    const { wh, dispose } = await tempWarehouse();
    cleanups.push(() => replica.close(), dispose);
    const timers: { ms: number; fn: () => void }[] = [];
    let facts = 0;
    const scheduler = ingestScheduler({
      warehouse: wh, effects: fastEffects(), facts: async () => ({ refreshed: ++facts }),
      sources: [{ adapter: zendeskAdapter, options: { baseUrl: replica.url, ...credentials.zendesk }, everyMinutes: 3 }],
      every: (ms, fn) => (timers.push({ ms, fn }), () => timers.splice(0)),
    });
    scheduler.start();
    expect(timers.map((t) => t.ms)).toEqual([180_000]);
    // "Sync now" twice while the first is running: both callers get the same job.
    const [a, b] = [scheduler.runNow('zendesk'), scheduler.runNow('zendesk')];
    expect(a).toBe(b);
    expect(scheduler.isRunning('zendesk')).toBe(true);
    expect((await a).status).toBe('succeeded');
    timers[0].fn(); // the schedule fires: an incremental run that finds nothing new
    await new Promise((r) => setTimeout(r, 50));
    while (scheduler.isRunning('zendesk')) await new Promise((r) => setTimeout(r, 20));
    const runs = await wh.all<{ status: string }>('SELECT status FROM ingest_runs ORDER BY started_at');
    expect(runs).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    // Each sync is a pipeline run: the first resolved and threaded what it loaded and refreshed the
    // facts; the second found nothing new, so only the facts stage ran.
    const pipelines = await wh.all<{ trigger: string; stages: string }>(`SELECT r.trigger, string_agg(s.stage || ':' || s.status, ' ' ORDER BY s.seq) AS stages
      FROM pipeline_runs r JOIN pipeline_stages s ON s.run_id = r.id GROUP BY r.id, r.trigger, r.started_at ORDER BY r.started_at, r.id`);
    expect(pipelines).toEqual([
      { trigger: 'sync', stages: 'ingest:succeeded resolve:succeeded thread:succeeded facts:succeeded' },
      { trigger: 'sync', stages: 'ingest:succeeded resolve:skipped thread:skipped facts:succeeded' },
    ]);
    expect(facts).toBe(2);
    const [unplaced] = await wh.all<{ customers: number; cases: number }>(`SELECT
      (SELECT count(*) FROM interactions i WHERE customer_id IS NULL AND EXISTS (SELECT 1 FROM identities d WHERE d.contact_id = i.contact_id))::INTEGER AS customers,
      (SELECT count(*) FROM interactions WHERE case_id IS NULL)::INTEGER AS cases`);
    expect(unplaced).toEqual({ customers: 0, cases: 0 });
    scheduler.stop();
    expect(timers).toEqual([]);
    await expect(scheduler.runNow('hubspot')).rejects.toThrow('no scheduled source "hubspot"');
  });
});
