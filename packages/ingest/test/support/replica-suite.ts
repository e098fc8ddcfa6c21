import { afterEach, expect, it } from 'vitest';
import type { Warehouse } from '@helpdesk/core';
import { runIngest, type Adapter, type RunResult } from '../../src/index.ts';
import { startReplica, type DataFaults, type Replica, type TransportFaults, type VendorBehaviour } from '../../replicas/index.ts';
import { credentialsOf } from './credentials.ts';
import { fastEffects, snapshot, tempWarehouse } from './harness.ts';
import { killAndResume } from './kill-and-resume.ts';

/** Everything a test of the suite can see: the world the replica serves, the replica, the warehouse. */
export interface SuiteContext<W> {
  world: W;
  replica: Replica;
  wh: Warehouse;
}

/** One vendor plugged into the shared replica suite. */
export interface ReplicaSuiteConfig<W> {
  /** Adapter name; also the key of its test credentials. */
  vendor: string;
  adapter: Adapter;
  /** The seeded world the replica serves (`size` = primary records). */
  world(opts: { seed: number; size: number; faults?: DataFaults }): W;
  behaviour(world: W, pageSize: number): VendorBehaviour;
  seed: number;
  size: number;
  pageSize: number;
  /** The stream of the primary records (tickets, contacts, calls, ...). */
  primaryStream: string;
  /** Connection options beyond baseUrl, credentials and timeoutMs. */
  options?: Record<string, unknown>;
  /**
   * The replica's records, and only those, are in the warehouse: counts and checksums of ids and
   * versions, expected canonical row counts, and the wrong-typed records quarantined with reasons.
   */
  expectExactly(wh: Warehouse, world: W): Promise<void>;
  /** Extra checks after the plain full run (stats, run log, identities). */
  afterFullRun?(result: RunResult, ctx: SuiteContext<W>): Promise<void> | void;
  /** Extra checks after the second, idle run (e.g. the look-back window was read again). */
  afterSecondRun?(result: RunResult): void;
  /** How the 429 case is named (which rate-limit headers the replica sends). */
  rateLimitLabel: string;
  /** The Retry-After the replica sends on 429, when it sends one: the client must have slept exactly that. */
  retryAfterMs?: number;
  /**
   * "A record updated between two pages": `same-run` when the vendor's order moves updated records
   * to the end (the run reads them again); `full-refresh` when the vendor has no modified-since
   * filter and only the next full refresh catches them.
   */
  updateBetweenPages: { count: number; catchBy: 'same-run' | 'full-refresh'; name?: string; check?(world: W): void };
  /**
   * The all-at-once case: how many updated and wrong-typed records, and the run that must follow the
   * first before the warehouse is exact (`none`: exact after the first run).
   */
  mixed: { updateBetweenPages: number; wrongTypes: number; then: 'none' | 'incremental' | 'full-refresh' };
  expiredToken: { after: number; message: RegExp; secret: string; checkRunLog?: boolean };
  kill: { seeds: number[]; worldSeed: number; size: number; pageSize: number };
}

const transport: [string, TransportFaults, number?][] = [
  ['500/502/503', { serverError: 0.3 }],
  ['connection reset', { connectionReset: 0.2 }],
  ['a response slower than the client timeout', { slow: 0.1, slowMs: 800 }, 200],
  ['truncated JSON', { truncated: 0.2 }],
];
const data: [string, DataFaults][] = [
  ['the same record on two pages', { duplicateAcrossPages: true }],
  ['unknown extra fields', { extraFields: true }],
  ['missing optional fields', { missingOptional: true }],
  ['wrong types', { wrongTypes: 4 }],
];
const everyTransportFault: TransportFaults = { rateLimit: 0.1, serverError: 0.1, connectionReset: 0.05, truncated: 0.05, slow: 0.03, slowMs: 800 };

/**
 * The replica suite every API adapter passes (call it inside the vendor's `describe`): a full run
 * lands exactly the replica's records; a second run changes nothing; every misbehaviour alone and
 * all at once still ends exactly (wrong types quarantined with reasons, never twice); an expired
 * token fails clearly and a renewed one completes; SIGKILL at seeded random points then resume
 * ends with the same warehouse as an unbroken run.
 *
 * @example
 * describe('zendesk adapter against its replica', () => { replicaSuite({ vendor: 'zendesk', ... }); });
 */
export function replicaSuite<W>(config: ReplicaSuiteConfig<W>): void {
  const creds = credentialsOf(config.vendor);
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(opts: { faults?: TransportFaults; data?: DataFaults } = {}): Promise<SuiteContext<W>> {
    const world = config.world({ seed: config.seed, size: config.size, faults: opts.data });
    const replica = await startReplica(config.behaviour(world, config.pageSize), { seed: config.seed, faults: opts.faults });
    const temp = await tempWarehouse();
    cleanups.push(() => replica.close(), temp.dispose);
    return { world, replica, wh: temp.wh };
  }

  const run = (ctx: SuiteContext<W>, extra: { timeoutMs?: number; fullRefresh?: boolean; effects?: ReturnType<typeof fastEffects> } = {}) =>
    runIngest({
      warehouse: ctx.wh, adapter: config.adapter, batchSize: 40, fullRefresh: extra.fullRefresh,
      options: { baseUrl: ctx.replica.url, ...creds, ...config.options, timeoutMs: extra.timeoutMs ?? 5000 },
      effects: extra.effects ?? fastEffects(),
    });
  const quarantineCount = async (wh: Warehouse) => (await wh.all<{ n: number }>('SELECT count(*) AS n FROM quarantine'))[0].n;

  it('a full run lands exactly the replica records (count and checksum of ids and updated-at)', async () => {
    const ctx = await setup();
    const result = await run(ctx);
    expect(result.status, result.error ?? '').toBe('succeeded');
    await config.expectExactly(ctx.wh, ctx.world);
    await config.afterFullRun?.(result, ctx);
  });

  it('a second run with nothing new changes nothing', async () => {
    const ctx = await setup();
    await run(ctx);
    const before = await snapshot(ctx.wh);
    const second = await run(ctx);
    expect(second.status, second.error ?? '').toBe('succeeded');
    for (const s of Object.values(second.stats)) expect(s.inserted + s.updated + s.quarantined).toBe(0);
    config.afterSecondRun?.(second);
    expect(await snapshot(ctx.wh)).toEqual(before);
  });

  const transportCases: [string, TransportFaults, number?][] = [[config.rateLimitLabel, { rateLimit: 0.3 }], ...transport];
  it.each(transportCases)('with %s it still ends with exactly the replica records', async (_name, faults, timeoutMs) => {
    const ctx = await setup({ faults });
    const effects = fastEffects();
    const result = await run(ctx, { timeoutMs, effects });
    expect(result.status, result.error ?? '').toBe('succeeded');
    await config.expectExactly(ctx.wh, ctx.world);
    // The misbehaviour really happened, and was retried.
    expect(Object.values(ctx.replica.stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(Object.values(result.stats).reduce((a, s) => a + s.retries, 0)).toBeGreaterThan(0);
    if (faults.rateLimit && config.retryAfterMs !== undefined) expect(effects.sleeps).toContain(config.retryAfterMs);
  });

  it.each(data)('with %s it still ends with exactly the replica records', async (_name, faults) => {
    const ctx = await setup({ data: faults });
    const result = await run(ctx);
    expect(result.status, result.error ?? '').toBe('succeeded');
    await config.expectExactly(ctx.wh, ctx.world);
    if (faults.wrongTypes) expect(await quarantineCount(ctx.wh)).toBe(faults.wrongTypes);
  });

  const u = config.updateBetweenPages;
  const updateName = u.name ?? (u.catchBy === 'same-run'
    ? 'a record updated between two pages is read again in the same run'
    : 'a record updated between two pages is caught by the next full refresh (the vendor has no modified-since filter)');
  it(updateName, async () => {
    const ctx = await setup({ data: { updateBetweenPages: u.count } });
    const first = await run(ctx);
    expect(first.status, first.error ?? '').toBe('succeeded');
    const catching = u.catchBy === 'same-run' ? first : await run(ctx, { fullRefresh: true });
    expect(catching.status, catching.error ?? '').toBe('succeeded');
    expect(catching.stats[config.primaryStream].updated).toBe(u.count);
    u.check?.(ctx.world);
    await config.expectExactly(ctx.wh, ctx.world);
  });

  it('with every misbehaviour at once it still ends with exactly the replica records, bad ones quarantined once', async () => {
    const m = config.mixed;
    const ctx = await setup({
      faults: everyTransportFault,
      data: { duplicateAcrossPages: true, updateBetweenPages: m.updateBetweenPages, extraFields: true, missingOptional: true, wrongTypes: m.wrongTypes },
    });
    const first = await run(ctx, { timeoutMs: 250 });
    expect(first.status, first.error ?? '').toBe('succeeded');
    expect(first.stats[config.primaryStream].retries).toBeGreaterThan(0);
    if (m.then === 'none') await config.expectExactly(ctx.wh, ctx.world);
    else {
      const then = await run(ctx, { timeoutMs: 250, fullRefresh: m.then === 'full-refresh' });
      expect(then.status, then.error ?? '').toBe('succeeded');
      await config.expectExactly(ctx.wh, ctx.world);
    }
    // A later full read refuses the same bad records again but does not quarantine them twice.
    expect((await run(ctx, { timeoutMs: 250, fullRefresh: true })).status).toBe('succeeded');
    expect(await quarantineCount(ctx.wh)).toBe(m.wrongTypes);
  });

  it('an expired token fails the run with a clear message; a renewed token completes it exactly', async () => {
    const e = config.expiredToken;
    const ctx = await setup({ faults: { expireTokenAfter: e.after } });
    const failed = await run(ctx);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/rejected the credentials \(HTTP 401: /);
    expect(failed.error).toMatch(e.message);
    expect(failed.error).toMatch(/check or renew the token$/);
    expect(failed.error).not.toContain(e.secret);
    const [log] = await ctx.wh.all<{ status: string; error: string }>('SELECT status, error FROM ingest_runs');
    expect(log).toEqual({ status: 'failed', error: failed.error });
    ctx.replica.renewToken();
    const again = await run(ctx);
    expect(again.status, again.error ?? '').toBe('succeeded');
    await config.expectExactly(ctx.wh, ctx.world);
  });

  it.each(config.kill.seeds)('a run killed with SIGKILL at a random point (seed %i) and run again ends the same', async (seed) => {
    const k = config.kill;
    const world = config.world({ seed: k.worldSeed, size: k.size });
    const replica = await startReplica(config.behaviour(world, k.pageSize), { seed });
    cleanups.push(() => replica.close());
    const r = await killAndResume(config.vendor, replica.url, seed);
    expect(r.resumed.status, r.resumed.error ?? '').toBe('succeeded');
    expect(r.after).toEqual(r.expected);
    // The killed run is logged as interrupted (failed), never left "running".
    expect(r.statuses.at(-1)).toBe('succeeded');
    expect(r.statuses).not.toContain('running');
    console.log(`${config.vendor} seed ${seed}: killed after batch ${r.killAt} of ${r.batches} (${r.killed ? 'SIGKILL' : 'finished first'}), ${r.committed} records committed before`);
  }, 60_000);
}
