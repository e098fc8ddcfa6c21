// `npm run bench -- scale [--interactions 10000000] [--seed 42] [--dir PATH] [--clients 20] [--seconds 15] [--sync-tickets 10000]`:
// the web app on a demo warehouse of N interactions (built once per seed, size, generator and
// schema version into --dir, default the OS temp folder, by the resumable direct build in a
// process of its own: an interrupted build continues on the next run). On a copy of it:
//   - firstLoadP95Ms: the first, uncached data request (__data.json) of every screen, p95 over screens;
//   - warmP95Ms: then --clients signed-in clients browsing the screens for --seconds, p95 of every request;
//   - syncToFreshSeconds: "Sync now" of a Zendesk replica of --sync-tickets new tickets, until the
//     overview's data request (over the replica's months) counts them, in its total and in its
//     volume KPI (the facts);
//   - resolveIncrementalSeconds: the resolve stage's seconds in the run log of that sync's pipeline;
//   - peakRssMb: the server process's peak resident memory (VmHWM);
//   - ratios.vsHandwritten: the overview's and the chat scorecard's first load over one hand-written
//     DuckDB statement computing their numbers from the base tables (the metrics bench's
//     hand-written scorecard; by channel over the period and the period before for the overview).
// Any answer that is not the screen's data fails the bench. The goals are printed with their verdicts.
// Build the app first: `npm run build -w apps/dashboard`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { latestSchemaVersion, Warehouse } from '@helpdesk/core';
import { generatorVersion } from '@helpdesk/demo-data';
import { startReplica, zendeskBehaviour, zendeskWorld } from '@helpdesk/ingest/replicas';
import { addDays, dataExtent, defaultRange } from '@helpdesk/metrics';
import { unflatten } from 'devalue';
import { scaleGoals, scaleReport } from './scale-figures.ts';
import { startBuiltServer } from './built-server.ts';
import { fetchScreen, signInAs } from './session.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const replicaCredentials = { email: 'agent@replica.example', apiToken: 'replica-token' };

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** The warehouse of `interactions`, built (or its interrupted build continued) if it is not finished; and its build's seconds over every run. */
function scaleWarehouse(dir: string, seed: number, interactions: number): { path: string; buildSeconds: number } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `helpdesk-scale-bench-demo-s${seed}-n${interactions}-g${generatorVersion}-v${latestSchemaVersion}.duckdb`);
  const sidecar = `${path}.build.json`;
  const state = () => (existsSync(sidecar) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as { seconds: number; done: boolean }) : null);
  if (!(existsSync(path) && state()?.done)) {
    console.log(`building (or continuing) a ${interactions.toLocaleString('en')}-interaction demo warehouse at ${path}...`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'apps', 'dashboard', 'bench', 'scale-build.ts'), path, String(interactions), String(seed)], {
      cwd: root, stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`the demo build stopped (exit ${child.status}${child.signal ? `, ${child.signal}` : ''}); run the bench again to continue it`);
  }
  return { path, buildSeconds: state()!.seconds };
}

function startServer(env: Record<string, string>) {
  return startBuiltServer(env, 60_000);
}

/** A process's peak resident memory so far (VmHWM), MB. */
function peakRssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  if (!line) throw new Error(`no VmHWM for process ${pid}`);
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** "Sync now" as the web app's form does it (enhanced: SvelteKit answers with JSON). */
async function syncNow(url: string, cookie: string): Promise<string> {
  const res = await fetch(`${url}/sources?/sync`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ source: 'zendesk' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, 'x-sveltekit-action': 'true', cookie },
  });
  const body = await res.text();
  const json = JSON.parse(body) as { type: string };
  if (json.type !== 'success') throw new Error(`"Sync now" was not started: ${body.slice(0, 300)}`);
  return json.type;
}

/** The page node's data of a SvelteKit data answer (devalue-encoded), decoded. */
function pageData(body: string): Record<string, unknown> {
  const parsed = JSON.parse(body) as { nodes: Array<{ type: string; data?: unknown[] } | null> };
  const node = parsed.nodes.at(-1);
  if (!node || node.type !== 'data' || !node.data) throw new Error('the answer holds no page data');
  return unflatten(node.data as never) as Record<string, unknown>;
}

/** What the overview says of a range: its interaction count and the volume KPI summed over channels (from the facts). */
function overviewCounts(body: string): { total: number; volume: number } {
  const data = pageData(body) as { total: { interactions: number }; kpis: { current: Array<{ volume?: number | null }> } };
  return { total: data.total.interactions, volume: data.kpis.current.reduce((n, r) => n + (r.volume ?? 0), 0) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median ms of `runs` runs of `sql` (after one unmeasured run, so that the file is read once before). */
async function timeSql(wh: Warehouse, sql: string, params: unknown[], runs = 3): Promise<number> {
  await wh.all(sql, params as never);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await wh.all(sql, params as never);
    ms.push(performance.now() - t);
  }
  return median(ms);
}

export default async function run(args: string[]) {
  const interactions = option(args, 'interactions', 10_000_000);
  const seed = option(args, 'seed', 42);
  const clients = option(args, 'clients', 20);
  const seconds = option(args, 'seconds', 15);
  const syncTickets = option(args, 'sync-tickets', 10_000);
  const dirAt = args.indexOf('--dir');
  const dir = dirAt >= 0 ? args[dirAt + 1] : (process.env.HELPDESK_SCALE_DIR ?? tmpdir());

  const { path, buildSeconds } = scaleWarehouse(dir, seed, interactions);
  // The bench's work on a copy beside it (the same disk), so the built warehouse is reused unchanged.
  const work = mkdtempSync(join(dir, 'helpdesk-scale-run-'));
  const db = join(work, 'scale.duckdb');
  console.log(`copying the warehouse to ${db}...`);
  copyFileSync(path, db);

  // The yardsticks, before the server holds the file: the hand-written statements over the
  // screens' default period (the last 30 days of data) and, for the overview, the 30 before.
  const handwritten = readFileSync(join(root, 'packages', 'metrics', 'bench', 'handwritten-scorecard.sql'), 'utf8');
  // The overview's KPIs are per channel over the period: the same statement with one "day" for the
  // whole period, without the backlog and concurrency parts the overview does not show.
  const byChannel = handwritten
    .replace("strftime(i.created_at, '%Y-%m-%d') AS day,", "'period' AS day,")
    .replace(/SELECT \* FROM facts FULL JOIN[^\n]*/, 'SELECT * FROM facts ORDER BY day, channel');
  if (byChannel === handwritten || !byChannel.includes("'period' AS day") || !byChannel.includes('SELECT * FROM facts ORDER BY')) {
    throw new Error('the hand-written scorecard changed shape: update the overview yardstick in scale.bench.ts');
  }
  let wh = await Warehouse.open(db);
  let range: { from: string; to: string };
  let sampleId: string | null;
  const hw: Record<string, number> = {};
  try {
    // The demo's Zendesk (if it had one) was another account; the bench's replica starts afresh.
    await wh.run("DELETE FROM ingest_state WHERE source = 'zendesk'");
    range = defaultRange(await dataExtent(wh), 30)!;
    [{ id: sampleId }] = await wh.all<{ id: string | null }>("SELECT (SELECT id FROM interactions WHERE channel = 'chat' ORDER BY created_at DESC LIMIT 1) AS id");
    const bounds = (from: string, to: string) => [`${from}T00:00:00Z`, `${addDays(to, 1)}T00:00:00Z`];
    const before = { from: addDays(range.from, -30), to: addDays(range.from, -1) };
    console.log(`hand-written yardsticks over ${range.from}..${range.to}...`);
    hw.overview = (await timeSql(wh, byChannel, bounds(range.from, range.to))) + (await timeSql(wh, byChannel, bounds(before.from, before.to)));
    hw.scorecardChat = await timeSql(wh, handwritten, bounds(range.from, range.to));
  } finally {
    wh.close();
  }

  const world = zendeskWorld({ seed, tickets: syncTickets });
  const good = world.tickets.filter((t) => !world.badTicketIds.has(t.id));
  // The replica's tickets are dated from January 2026 on, months before the demo's period.
  const syncRange = { from: '2025-12-01', to: '2026-03-31' };
  const replica = await startReplica(zendeskBehaviour(world, { ...replicaCredentials, pageSize: 1000 }));
  writeFileSync(join(work, 'sources.json'), JSON.stringify({ sources: { zendesk: { everyMinutes: 1440, options: { baseUrl: replica.url, email: replicaCredentials.email, pageSize: 1000 } } } }));
  const server = await startServer({ HELPDESK_DB: db, HELPDESK_SOURCES_FILE: join(work, 'sources.json'), ZENDESK_API_TOKEN: replicaCredentials.apiToken, HELPDESK_DEMO_ACCOUNTS: '1' });
  const url = server.url;
  let servePeakRssMb = 0;
  try {
    const sample = { id: sampleId, cookie: await signInAs(url, 'supervisor') };
    const screens: Record<string, string> = {
      overview: '/__data.json',
      today: '/today/__data.json',
      scorecardChat: '/scorecards/chat/__data.json',
      scorecardPhone: '/scorecards/phone/__data.json',
      balanced: '/balanced/__data.json',
      backlog: `/backlog/__data.json?as_of=${range.to}T09:00`,
      interactionList: '/interactions/__data.json',
      kpiDrillDown: '/interactions/__data.json?kpi=csat&channel=chat',
      ...(sample.id ? { interaction: `/interactions/${encodeURIComponent(sample.id)}/__data.json` } : {}),
      health: '/health/__data.json',
      definitions: '/definitions/__data.json',
    };
    // First loads: each screen's first data request, nothing cached for it yet.
    const firstLoadMs: Record<string, number> = {};
    for (const [name, route] of Object.entries(screens)) {
      firstLoadMs[name] = (await fetchScreen(url, route, sample.cookie)).ms;
      console.log(`first load ${name.padEnd(16)} ${firstLoadMs[name].toFixed(0).padStart(7)} ms`);
    }

    // Warm: the clients, each signed in, browse the screens in turn.
    const cookies: string[] = [];
    for (let c = 0; c < clients; c++) cookies.push(await signInAs(url, 'supervisor'));
    const routes = Object.values(screens);
    const warmMs: number[] = [];
    const warmByScreen = new Map<string, number[]>(routes.map((route) => [route, []]));
    const until = Date.now() + seconds * 1000;
    await Promise.all(cookies.map(async (cookie, c) => {
      for (let i = c; Date.now() < until; i++) {
        const route = routes[i % routes.length];
        const { ms } = await fetchScreen(url, route, cookie);
        warmMs.push(ms);
        warmByScreen.get(route)!.push(ms);
      }
    }));
    console.log(`warm: ${warmMs.length} requests by ${clients} clients in ${seconds} s`);
    // Which screens make the warm p95: each one's own p95 under the same load.
    for (const [name, route] of Object.entries(screens)) {
      const ms = [...warmByScreen.get(route)!].sort((a, b) => a - b);
      console.log(`warm ${name.padEnd(16)} p95 ${ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.95))].toFixed(0).padStart(6)} ms over ${ms.length}`);
    }
    // Each compared screen alone, warm.
    const warmAlone = async (route: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) ms.push((await fetchScreen(url, route, sample.cookie)).ms);
      return median(ms);
    };
    const warmOverview = await warmAlone(screens.overview);
    const warmScorecard = await warmAlone(screens.scorecardChat);

    // The sync: "Sync now" as an admin, then the overview over the replica's months until it counts every ticket.
    const admin = await signInAs(url, 'admin');
    const syncRoute = `/__data.json?from=${syncRange.from}&to=${syncRange.to}`;
    const baseline = overviewCounts((await fetchScreen(url, syncRoute, admin)).body);
    if (baseline.total !== 0) throw new Error(`the warehouse already holds ${baseline.total} interactions in ${syncRange.from}..${syncRange.to}`);
    const t0 = performance.now();
    await syncNow(url, admin);
    let fresh = baseline;
    for (const deadline = Date.now() + 1_800_000; fresh.total < good.length || fresh.volume < good.length; ) {
      if (Date.now() > deadline) throw new Error(`the overview did not show the ${good.length} synced tickets within 30 minutes (it shows ${JSON.stringify(fresh)})`);
      await new Promise((r) => setTimeout(r, 250));
      fresh = overviewCounts((await fetchScreen(url, syncRoute, admin)).body);
    }
    const syncToFreshSeconds = (performance.now() - t0) / 1000;
    if (fresh.total !== good.length) throw new Error(`the overview counts ${fresh.total} interactions in the replica's months, not its ${good.length} tickets`);
    console.log(`sync: ${good.length} tickets shown by the overview after ${syncToFreshSeconds.toFixed(1)} s`);
    // Let the sync's job end before stopping the server.
    for (const deadline = Date.now() + 600_000; Date.now() < deadline; ) {
      const page = await fetch(`${url}/sources`, { headers: { cookie: admin } });
      if (!/data-state="(running|queued)"/.test(await page.text())) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    servePeakRssMb = peakRssOf(server.pid);
    await server.stop();

    wh = await Warehouse.open(db, { readOnly: true });
    let resolveIncrementalSeconds: number;
    try {
      const stages = await wh.all<{ stage: string; seconds: number | null; status: string; trigger: string }>(
        `SELECT s.stage, s.seconds, s.status, r.trigger FROM pipeline_stages s JOIN pipeline_runs r ON r.id = s.run_id
         WHERE r.trigger <> 'demo' AND r.id IN (SELECT run_id FROM pipeline_stages WHERE stage = 'ingest' AND source = 'zendesk') ORDER BY r.started_at, s.seq`,
      );
      console.log(`the sync's pipeline: ${stages.map((s) => `${s.stage} ${s.status} ${s.seconds?.toFixed(2) ?? '-'} s`).join(', ')}`);
      const resolve = stages.find((s) => s.stage === 'resolve' && s.status === 'succeeded');
      if (!resolve || resolve.seconds === null) throw new Error(`the sync's pipeline logged no resolve stage: ${JSON.stringify(stages)}`);
      resolveIncrementalSeconds = resolve.seconds;
    } finally {
      wh.close();
    }

    const report = scaleReport({
      interactions, buildSeconds, firstLoadMs, warmMs, syncInteractions: good.length, syncToFreshSeconds, resolveIncrementalSeconds, servePeakRssMb,
      compared: {
        overview: { firstLoadMs: firstLoadMs.overview, warmMs: warmOverview, handwrittenMs: hw.overview },
        scorecardChat: { firstLoadMs: firstLoadMs.scorecardChat, warmMs: warmScorecard, handwrittenMs: hw.scorecardChat },
      },
    });
    console.log(`hand-written: overview ${hw.overview.toFixed(0)} ms, chat scorecard ${hw.scorecardChat.toFixed(0)} ms`);
    for (const g of report.goals) console.log(`goal ${g.goal.padEnd(26)} ${String(g.value).padStart(10)} < ${String(scaleGoals[g.goal]).padEnd(6)} ${g.met ? 'met' : 'NOT MET'}`);
    console.log(`scale: ${report.figures.goalsMet} of ${report.figures.goalsTotal} goals met`);
    return { figures: report.figures, ratios: report.ratios };
  } finally {
    await server.stop();
    await replica.close();
    rmSync(work, { recursive: true, force: true });
  }
}
