import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyIntents, Warehouse, type ClassifyTask } from '@helpdesk/core';
import type { PipelineResult } from '@helpdesk/ingest';
import { hubspotBehaviour, hubspotWorld, startReplica, zendeskBehaviour, zendeskWorld } from '@helpdesk/ingest/replicas';
import { loadSourcesConfig, SourcesConfigError } from '../src/lib/server/sources-config.ts';
import { requestSync, sourcesScheduler, sourcesView, syncChangedData } from '../src/lib/server/sources-scheduler.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sources-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const zendeskEnv = { ZENDESK_URL: 'http://127.0.0.1:9', ZENDESK_EMAIL: 'agent@example.com', ZENDESK_API_TOKEN: 'tok-SECRET-123' };

function configError(env: Record<string, string>, dir = tempDir()): string {
  try {
    loadSourcesConfig(env, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(SourcesConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('sources configuration', () => {
  it('no configuration means no scheduled sources', () => {
    expect(loadSourcesConfig({}, tempDir())).toEqual({ sources: [], described: [], origin: [] });
  });

  it('HELPDESK_SOURCES names adapters; connection options and tokens come from their environment variables, shown redacted', () => {
    const config = loadSourcesConfig({ ...zendeskEnv, HUBSPOT_ACCESS_TOKEN: 'hub-SECRET', HELPDESK_SOURCES: 'zendesk, hubspot:15', HELPDESK_SYNC_EVERY_MINUTES: '3' }, tempDir());
    expect(config.sources.map((s) => [s.adapter.name, s.everyMinutes])).toEqual([['zendesk', 3], ['hubspot', 15]]);
    expect(config.described[0]).toEqual({ name: 'zendesk', everyMinutes: 3, options: { baseUrl: 'http://127.0.0.1:9', email: 'agent@example.com', apiToken: '***' } });
    expect(config.sources[0].options).toMatchObject({ apiToken: 'tok-SECRET-123' });
    expect(JSON.stringify(config.described)).not.toContain('SECRET');
  });

  it('a JSON file sets options and intervals; the environment supplies the token', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sources.json'), JSON.stringify({ sources: { zendesk: { everyMinutes: 10, options: { baseUrl: 'http://127.0.0.1:7', pageSize: 50 } }, hubspot: { enabled: false } } }));
    const config = loadSourcesConfig({ ZENDESK_EMAIL: 'a@b.c', ZENDESK_API_TOKEN: 'x', HELPDESK_SOURCES_FILE: 'sources.json' }, dir);
    expect(config.sources).toHaveLength(1);
    expect(config.sources[0].options).toMatchObject({ baseUrl: 'http://127.0.0.1:7', pageSize: 50 });
    expect(config.described[0].everyMinutes).toBe(10);
    expect(config.origin).toEqual(['sources.json']);
  });

  it('a missing token names the variable to set', () => {
    const message = configError({ HELPDESK_SOURCES: 'zendesk', ZENDESK_URL: 'http://127.0.0.1:9' });
    expect(message).toBe('sources config: zendesk: apiToken: give an API token with the agent email, or an OAuth token (set ZENDESK_API_TOKEN)');
  });

  it('a token in the file is refused without echoing it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 's.json'), JSON.stringify({ sources: { zendesk: { options: { baseUrl: 'http://h.example', email: 'a@b.c', apiToken: 'file-SECRET-999' } } } }));
    const message = configError({ HELPDESK_SOURCES_FILE: 's.json' }, dir);
    expect(message).toContain('zendesk.options.apiToken: secrets are read from the environment only; remove it from the file and set ZENDESK_API_TOKEN');
    expect(message).not.toContain('file-SECRET-999');
  });

  it('every problem is listed, one per line, and none prints a secret from the environment', () => {
    const message = configError({ ...zendeskEnv, ZENDESK_URL: 'not a url', HELPDESK_SOURCES: 'zendesk,jira,zendesk:0,Bad Name', HELPDESK_SYNC_EVERY_MINUTES: '2.5' });
    expect(message.split('\n').map((l) => l.trim())).toEqual([
      'sources config: HELPDESK_SYNC_EVERY_MINUTES: must be a whole number of minutes',
      // The list grows with the adapter registry.
      expect.stringMatching(/^HELPDESK_SOURCES: unknown source "jira"; known: zendesk, hubspot, aircall, intercom, [a-z, ]+$/),
      'HELPDESK_SOURCES zendesk: must be at least 1 minute',
      'HELPDESK_SOURCES: "Bad Name" is not a source name (e.g. zendesk or zendesk:10)',
      'zendesk: baseUrl: Invalid URL (set ZENDESK_URL)',
    ]);
    expect(message).not.toContain('tok-SECRET-123');
  });

  it('a file that is missing, not JSON, or has unknown keys gets one clear line', () => {
    const dir = tempDir();
    expect(configError({ HELPDESK_SOURCES_FILE: 'nope.json' }, dir)).toBe(`sources config: HELPDESK_SOURCES_FILE: cannot read ${join(dir, 'nope.json')} (ENOENT)`);
    writeFileSync(join(dir, 'bad.json'), '{"sources": {');
    expect(configError({ HELPDESK_SOURCES_FILE: 'bad.json' }, dir)).toMatch(/^sources config: .*bad\.json: not valid JSON \(/);
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ sources: { zendesk: { every: 5 } } }));
    expect(configError({ HELPDESK_SOURCES_FILE: 'keys.json' }, dir)).toMatch(/keys\.json: sources\.zendesk: Unrecognized key: "every"$/);
  });
});

/** sha256 over sorted `id|updated-at` lines (ISO, milliseconds): computed the same way on both sides. */
function checksum(pairs: [string, string][]): string {
  return createHash('sha256').update(pairs.map(([id, at]) => `${id}|${new Date(at).toISOString()}`).sort().join('\n')).digest('hex');
}

async function setup() {
  const zWorld = zendeskWorld({ seed: 21, tickets: 60 });
  const zReplica = await startReplica(zendeskBehaviour(zWorld, { email: 'agent@replica.example', apiToken: 'replica-token', pageSize: 10 }));
  const hWorld = hubspotWorld({ seed: 21, contacts: 20 });
  const hReplica = await startReplica(hubspotBehaviour(hWorld, { accessToken: 'replica-hubspot-token' }));
  const dir = tempDir();
  const wh = await Warehouse.open(join(dir, 'w.duckdb'));
  cleanups.push(() => zReplica.close(), () => hReplica.close(), () => wh.close());
  const config = loadSourcesConfig({
    HELPDESK_SOURCES: 'zendesk:4,hubspot',
    ZENDESK_URL: zReplica.url, ZENDESK_EMAIL: 'agent@replica.example', ZENDESK_API_TOKEN: 'replica-token',
    HUBSPOT_URL: hReplica.url, HUBSPOT_ACCESS_TOKEN: 'replica-hubspot-token',
  }, dir);
  const timers: { ms: number; fn: () => void }[] = [];
  const results: string[] = [];
  const pipelines: PipelineResult[] = [];
  const lines: string[] = [];
  // The classifier as the server hands it over, here counted and run in this thread.
  const classified: ClassifyTask[] = [];
  const scheduler = sourcesScheduler({
    config, warehouse: async () => wh, log: (l) => lines.push(l),
    onResult: (r, p) => (results.push(`${r.source}:${r.status}`), pipelines.push(p)),
    classify: (task) => (classified.push(task), classifyIntents(task)),
    effects: { sleep: async () => {}, log: () => {} },
    every: (ms, fn) => (timers.push({ ms, fn }), () => void timers.splice(0)),
  });
  return { zWorld, wh, config, scheduler, timers, results, pipelines, classified, lines };
}

const settle = async (scheduler: ReturnType<typeof sourcesScheduler>) => scheduler.idle();

describe('scheduled syncs in the web server', () => {
  it('"Sync now" runs the job; a second click while it runs is told so; the result is in the run log and equals the replica', async () => {
    const { zWorld, wh, config, scheduler, results } = await setup();
    const first = requestSync(scheduler, 'zendesk');
    expect(first).toEqual({ ok: true, source: 'zendesk', state: 'running', message: 'Sync of zendesk started.' });
    const second = requestSync(scheduler, 'zendesk');
    expect(second).toMatchObject({ ok: false, status: 409, source: 'zendesk' });
    expect(second.message).toMatch(/^zendesk is already syncing \(since \d\d:\d\d:\d\d UTC\); one job at a time per source, so nothing new was started\.$/);
    // Screens keep reading while the job writes (their own connections; no lock errors).
    let reads = 0;
    while (scheduler.isRunning('zendesk')) {
      await wh.all('SELECT count(*) AS n FROM interactions');
      reads++;
    }
    await settle(scheduler);
    expect(reads).toBeGreaterThan(0);
    expect(results).toEqual(['zendesk:succeeded']);
    const runs = await wh.all<{ source: string; status: string }>('SELECT source, status FROM ingest_runs');
    expect(runs).toEqual([{ source: 'zendesk', status: 'succeeded' }]);
    const landed = await wh.all<{ native_id: string; updated_at: string }>("SELECT native_id, updated_at FROM interactions WHERE source = 'zendesk'");
    expect(landed.length).toBe(60);
    expect(checksum(landed.map((r) => [r.native_id, r.updated_at]))).toBe(checksum(zWorld.tickets.map((t) => [String(t.id), t.updated_at])));
    const [view] = await sourcesView(scheduler, config.described, wh);
    expect(view).toMatchObject({ name: 'zendesk', state: 'idle', since: null, everyMinutes: 4, last: { status: 'succeeded', error: null } });
    expect(view.runs).toHaveLength(1);
    expect((view.runs[0].stats as { streams: Record<string, { inserted: number }> }).streams.tickets.inserted).toBe(60);
    expect(view.options).toMatchObject({ apiToken: '***' });
  });

  it('a second source waits for the running one; the schedule fires incremental runs that find nothing new', async () => {
    const { wh, scheduler, timers, results } = await setup();
    scheduler.start();
    // zendesk every 4 minutes, hubspot every 5 (the default).
    expect(timers.map((t) => t.ms)).toEqual([240_000, 300_000]);
    const before = Date.now();
    const [z] = scheduler.status();
    expect(Date.parse(z.nextRunAt!) - before).toBeGreaterThan(239_000);
    expect(requestSync(scheduler, 'zendesk').ok).toBe(true);
    const h = requestSync(scheduler, 'hubspot');
    expect(h).toMatchObject({ ok: true, state: 'queued' });
    expect(requestSync(scheduler, 'hubspot')).toMatchObject({ ok: false, status: 409 });
    expect(requestSync(scheduler, 'hubspot').message).toMatch(/^hubspot is already waiting for its turn/);
    await settle(scheduler);
    timers[0].fn(); // zendesk's schedule fires
    await settle(scheduler);
    expect(results).toEqual(['zendesk:succeeded', 'hubspot:succeeded', 'zendesk:succeeded']);
    const runs = await wh.all<{ source: string; mode: string; inserted: number }>(
      "SELECT source, mode, (stats->'streams'->'tickets'->>'inserted')::INT AS inserted FROM ingest_runs ORDER BY started_at",
    );
    expect(runs).toEqual([
      { source: 'zendesk', mode: 'incremental', inserted: 60 },
      { source: 'hubspot', mode: 'incremental', inserted: null },
      { source: 'zendesk', mode: 'incremental', inserted: 0 },
    ]);
    // The runs did not overlap: each started after the previous one finished.
    const spans = await wh.all<{ ok: boolean }>(
      'SELECT bool_and(started_at >= prev) AS ok FROM (SELECT started_at, lag(finished_at) OVER (ORDER BY started_at) AS prev FROM ingest_runs) WHERE prev IS NOT NULL',
    );
    expect(spans).toEqual([{ ok: true }]);
    scheduler.stop();
    expect(timers).toEqual([]);
    expect(scheduler.status()[0].nextRunAt).toBeNull();
  }, 30_000); // four syncs, each a pipeline run (resolution, threading, facts) after its ingest

  it('a sync that lands records changes the screens\' data; one that finds nothing new does not; the intent stage classifies through the given classifier', async () => {
    const { wh, scheduler, pipelines, classified } = await setup();
    requestSync(scheduler, 'zendesk');
    await settle(scheduler);
    requestSync(scheduler, 'zendesk');
    await settle(scheduler);
    expect(pipelines.map(syncChangedData)).toEqual([true, false]);
    // The second found nothing: no stage after ingest ran but the facts, which moved on no day.
    expect(pipelines[1].stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:succeeded', 'resolve:skipped', 'thread:skipped', 'intent:skipped', 'facts:succeeded']);
    expect(pipelines[1].stages.at(-1)!.counts.touchedDays).toBe(0);
    // Every contact no rule labelled was handed to the classifier, by the first sync only.
    const [{ unruled }] = await wh.all<{ unruled: number }>("SELECT count(*) FILTER (method <> 'rule')::INTEGER AS unruled FROM intent_labels");
    expect(unruled).toBeGreaterThan(0);
    expect(classified.map((t) => t.texts.length)).toEqual([unruled]);
  }, 30_000);

  it('an unknown source is a 404, and a job that cannot run is remembered with its reason', async () => {
    const { scheduler, lines } = await setup();
    expect(requestSync(scheduler, 'jira')).toEqual({ ok: false, status: 404, source: 'jira', message: 'There is no configured source named "jira".' });
    const broken = sourcesScheduler({
      config: loadSourcesConfig({ HELPDESK_SOURCES: 'hubspot', HUBSPOT_URL: 'http://127.0.0.1:9', HUBSPOT_ACCESS_TOKEN: 'x' }, tempDir()),
      warehouse: async () => { throw new Error('the warehouse is locked by another process'); },
      log: (l) => lines.push(l),
    });
    requestSync(broken, 'hubspot');
    await broken.idle();
    expect(broken.status()[0].last).toMatchObject({ runId: null, status: 'failed', error: 'the warehouse is locked by another process' });
    expect(lines).toContain('ingest hubspot: could not run: the warehouse is locked by another process');
  });
});
