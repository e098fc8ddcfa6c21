// `npm run bench -- web [--interactions N] [--seed N] [--days N] [--connections N] [--seconds N] [--role supervisor]`:
// p50/p95 server response time of each dashboard screen's data request (SvelteKit's __data.json)
// under 20 concurrent clients (autocannon), against the built web app serving a 1M-interaction
// demo warehouse, signed in as a demo role (supervisor by default: it may open every screen here).
// Also the cold time of each request (first call, nothing cached), and, as the raw DuckDB
// yardstick, one plain count over the same interactions. A redirect, an error status or an error
// payload in any answer fails the bench: its figures would time the wrong thing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Warehouse } from '@helpdesk/core';
import { buildDemoWarehouse } from '@helpdesk/demo-data';
import getPort from 'get-port';
import { fetchScreen, signInAs } from './session.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const builtServer = join(root, 'apps', 'dashboard', 'build', 'index.js');

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** The demo warehouse, built once per seed and size into the OS temp folder (via `.partial`, so a broken build is never reused). */
async function demoWarehouse(seed: number, interactions: number, days: number): Promise<{ path: string; buildSeconds: number }> {
  const path = join(tmpdir(), `helpdesk-web-bench-demo-s${seed}-n${interactions}-d${days}.duckdb`);
  if (existsSync(path)) return { path, buildSeconds: 0 };
  const partial = `${path}.partial`;
  const t = performance.now();
  console.log(`building a ${interactions.toLocaleString('en')}-interaction demo warehouse at ${path} (once)...`);
  await buildDemoWarehouse(partial, { seed, interactions, days });
  rmSync(`${partial}.wal`, { force: true });
  renameSync(partial, path);
  return { path, buildSeconds: (performance.now() - t) / 1000 };
}

async function startServer(db: string): Promise<{ url: string; stop: () => Promise<void> }> {
  if (!existsSync(builtServer)) throw new Error(`${builtServer} is missing: build the web app first (cd apps/dashboard && npx vite build)`);
  const port = await getPort({ host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [builtServer], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, HELPDESK_DB: db },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (const deadline = Date.now() + 30_000; ; ) {
    try {
      await fetch(`${url}/__ready`);
      return { url, stop };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw new Error('the web server did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = ((opts: object, done: (err: Error | null, result: { non2xx: number; errors: number; requests: { total: number } }) => void) => AutocannonInstance);

/** Runs autocannon against one URL and returns every response time it saw. */
async function load(url: string, cookie: string, connections: number, seconds: number) {
  const name = 'autocannon'; // installed in the test workspace (hoisted); no types shipped
  const autocannon = ((await import(name)) as { default: Autocannon }).default;
  const times: number[] = [];
  const result = await new Promise<{ non2xx: number; errors: number; requests: { total: number } }>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers: { cookie } }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), requests: result.requests.total, failures: result.non2xx + result.errors };
}

export default async function run(args: string[]) {
  const interactions = option(args, 'interactions', 1_000_000);
  const seed = option(args, 'seed', 7);
  const days = option(args, 'days', 90);
  const connections = option(args, 'connections', 20);
  const seconds = option(args, 'seconds', 8);
  const roleAt = args.indexOf('--role');
  const role = roleAt >= 0 ? args[roleAt + 1] : 'supervisor';
  const { path, buildSeconds } = await demoWarehouse(seed, interactions, days);

  // Pick a real interaction and an as-of moment, and time the raw DuckDB yardstick, before the server takes the file.
  const wh = await Warehouse.open(path);
  let sample: { id: string; last: string };
  let rawCountMs: number;
  try {
    [sample] = await wh.all<{ id: string; last: string }>(
      "SELECT (SELECT id FROM interactions WHERE channel = 'chat' ORDER BY created_at DESC LIMIT 1) AS id, strftime(max(created_at), '%Y-%m-%d') AS last FROM interactions",
    );
    const t = performance.now();
    await wh.all("SELECT channel, count(*) FROM interactions WHERE created_at >= CAST($1 AS TIMESTAMPTZ) - INTERVAL 30 DAY GROUP BY 1", [`${sample.last}T00:00:00Z`]);
    rawCountMs = performance.now() - t;
  } finally {
    wh.close();
  }
  const asOf = `${sample.last}T09:00`;
  const screens: Record<string, string> = {
    overview: '/__data.json',
    today: '/today/__data.json',
    scorecardChat: '/scorecards/chat/__data.json',
    scorecardPhone: '/scorecards/phone/__data.json',
    balanced: '/balanced/__data.json',
    backlog: `/backlog/__data.json?as_of=${asOf}`,
    interactionList: '/interactions/__data.json',
    kpiDrillDown: '/interactions/__data.json?kpi=csat&channel=chat',
    interaction: `/interactions/${encodeURIComponent(sample.id)}/__data.json`,
    health: '/health/__data.json',
    definitions: '/definitions/__data.json',
  };

  const server = await startServer(path);
  const figures: Record<string, number | string> = { role, interactions, connections, concurrency: connections, secondsPerScreen: seconds, buildSeconds, rawDuckdbCountMs: rawCountMs };
  let worstP95 = 0;
  let worstP50 = 0;
  try {
    const cookie = await signInAs(server.url, role);
    for (const [name, route] of Object.entries(screens)) {
      const url = `${server.url}${route}`;
      const { ms: coldMs } = await fetchScreen(server.url, route, cookie);
      const r = await load(url, cookie, connections, seconds);
      // autocannon counts redirects as non-2xx too; any of them means the figures timed something else.
      if (r.failures) throw new Error(`${name}: ${r.failures} of ${r.requests} answers under load were not 2xx`);
      await fetchScreen(server.url, route, cookie);
      figures[`${name}ColdMs`] = coldMs;
      figures[`${name}P50Ms`] = r.p50;
      figures[`${name}P95Ms`] = r.p95;
      figures[`${name}Requests`] = r.requests;
      worstP95 = Math.max(worstP95, r.p95);
      worstP50 = Math.max(worstP50, r.p50);
      console.log(`${name.padEnd(16)} cold ${coldMs.toFixed(0).padStart(6)} ms   p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms   ${r.requests} requests`);
    }
  } finally {
    await server.stop();
  }
  figures.p50Ms = worstP50;
  figures.p95Ms = worstP95;
  const worstColdMs = Math.max(...Object.entries(figures).filter(([k]) => k.endsWith('ColdMs')).map(([, v]) => Number(v)));
  figures.worstColdMs = worstColdMs;
  return { figures, ratios: { worstP95OverGoal150Ms: worstP95 / 150, worstColdOverRawCount: worstColdMs / rawCountMs } };
}
