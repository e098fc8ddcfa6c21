// `npm run bench -- abuse [--seconds 60] [--quiet-seconds 15] [--users 20] [--hostile 2] [--expensive 2] [--interactions 20000] [--tickets 2000] [--seed 42]`:
// the built web app on a copy of a demo warehouse, with Zendesk configured as a scheduled source
// against a loopback replica. For `--seconds`, `--users` signed-in users browse the screens while
// an admin presses "Sync now" (again whenever the job ends), and a stream of hostile requests runs
// beside them (XSS and SQL in parameters, oversized bodies, cross-site POSTs, bad cookies, bad
// paths), and `--expensive` streams of expensive-but-valid requests (the widest KPI period and
// full-table exports the bounds allow, the largest routing upload, a what-if at the top scale).
// Before that, `--quiet-seconds` of the users browsing alone give the quiet p95 to compare with,
// and a probe (a sign-in page every 100 ms) measures the longest time a request waited behind
// others (`longestStallMs`). Every user is signed in as a demo role and browses the screens that
// role may open; any answer that is not the screen (a redirect to /login, a refusal, an error page
// or payload), in the quiet or under load, fails the bench, as does an expensive request that is
// not served (a 429 from the per-person slots aside): figures that time a redirect are not figures.
// Reports request counts and latencies, 5xx responses, lock errors, and whether the data
// is exactly the replica's truth afterwards (count and checksum of ids and updated-at), with the
// rest of the warehouse unchanged. Build the app first: `npm run build -w apps/dashboard`.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Warehouse, latestSchemaVersion, rulesetLimits } from '@helpdesk/core';
import { startReplica, zendeskBehaviour, zendeskWorld, type ZendeskWorld } from '@helpdesk/ingest/replicas';
import { canView, type Role } from '../src/lib/server/auth/permissions.ts';
import { startBuiltServer } from './built-server.ts';
import { notScreenData, signInAs } from './session.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** A hostile value may hold a lone surrogate, which encodeURIComponent refuses: send U+FFFD in its place, as a browser does. */
const safeEncode = (v: string) => encodeURIComponent(v.replace(/\p{Cs}/gu, '\ufffd'));

const replicaCredentials = { email: 'agent@replica.example', apiToken: 'replica-token' };
const roles = ['admin', 'supervisor', 'qa_reviewer', 'leadership', 'analyst', 'agent'] as const;
/** Server log lines that mean the one-process-per-file rule or a write conflict bit us. */
const lockPattern = /could not set lock|conflicting lock|in use by another process|Transaction conflict|write-write conflict|TransactionContext Error/i;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/**
 * The demo warehouse, built once per seed, size, generator and schema version (via `.partial`, so a
 * broken build is never reused). A file left by older code would be migrated and resolved by the
 * server as it starts, changing the rows the bench fingerprints before it.
 */
async function demoWarehouse(seed: number, interactions: number): Promise<string> {
  const { buildDemoWarehouse, generatorVersion } = (await import('@helpdesk/demo-data')) as { buildDemoWarehouse: (p: string, o: object) => Promise<unknown>; generatorVersion: string };
  const path = join(tmpdir(), `helpdesk-abuse-bench-demo-s${seed}-n${interactions}-g${generatorVersion}-v${latestSchemaVersion}.duckdb`);
  if (existsSync(path)) return path;
  console.log(`building a ${interactions.toLocaleString('en')}-interaction demo warehouse at ${path} (once)...`);
  const partial = `${path}.partial`;
  await buildDemoWarehouse(partial, { seed, interactions, days: 90 });
  rmSync(`${partial}.wal`, { force: true });
  renameSync(partial, path);
  return path;
}

function startServer(env: Record<string, string>) {
  return startBuiltServer(env, 30_000);
}

/** sha256 over sorted `id|updated-at` lines (ISO, milliseconds), the same on both sides. */
function checksum(pairs: [string, string][]): string {
  return createHash('sha256').update(pairs.map(([id, at]) => `${id}|${new Date(at).toISOString()}`).sort().join('\n')).digest('hex');
}

/**
 * Everything outside the replica's tickets: row count and checksum of the other sources'
 * interactions and events. Customers are not in it: the sync's pipeline resolves the new users,
 * which adds customers (and may join a new user to an existing one), as every sync should.
 */
async function othersFingerprint(wh: Warehouse, world: ZendeskWorld): Promise<string> {
  const ids = JSON.stringify(world.tickets.map((t) => `zendesk:${t.id}`));
  const [row] = await wh.all<Record<string, string>>(
    `WITH mine AS (SELECT unnest(from_json($1, '["VARCHAR"]')) AS id)
     SELECT (SELECT count(*) || '/' || coalesce(sum(hash(id, updated_at)), 0) FROM interactions WHERE id NOT IN (SELECT id FROM mine) AND source <> 'zendesk')::VARCHAR AS other_sources,
            (SELECT count(*) || '/' || coalesce(sum(hash(id, occurred_at, body)), 0) FROM events WHERE interaction_id NOT LIKE 'zendesk:%')::VARCHAR AS other_events`,
    [ids],
  );
  return JSON.stringify(row);
}

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)) * 10) / 10;
}

interface Sample { at: number; ms: number; status: number }

/** One HTTP request with a time limit; network failures count as status 0. */
async function request(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<{ status: number; body: string; headers: Headers; ms: number }> {
  const t = performance.now();
  try {
    const res = await fetch(url, { redirect: 'manual', ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 30_000) });
    const body = await res.text();
    return { status: res.status, body, headers: res.headers, ms: performance.now() - t };
  } catch (error) {
    return { status: 0, body: String((error as Error).message), headers: new Headers(), ms: performance.now() - t };
  }
}

/** "Sync now" as the web app's form does it (enhanced: SvelteKit answers with JSON). */
async function syncNow(url: string, cookie: string | null): Promise<{ status: number; outcome: string; message: string }> {
  const res = await request(`${url}/sources?/sync`, {
    method: 'POST', body: new URLSearchParams({ source: 'zendesk' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, 'x-sveltekit-action': 'true', ...(cookie ? { cookie } : {}) },
  });
  try {
    const json = JSON.parse(res.body) as { type: string; status?: number; data?: string };
    // The action's data is devalue-encoded; the message is the only string we need from it.
    const message = /"((?:Sync of|zendesk is already|There is|No sources)[^"]*)"/.exec(json.data ?? '')?.[1] ?? '';
    return { status: res.status, outcome: json.type === 'success' ? 'started' : json.status === 409 ? 'busy' : `${json.type}:${json.status ?? ''}`, message };
  } catch {
    return { status: res.status, outcome: `http-${res.status}`, message: res.body.slice(0, 200) };
  }
}

const xss = '<script>alert(1)</script>';
const sqli = ["'; DROP TABLE interactions; --", "x' OR '1'='1", "') UNION SELECT body FROM events --"];
const hostileValues = [xss, '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', ...sqli, '\u0000', '%00', '\uD800', 'x'.repeat(20_000), '../../../etc/passwd', '{{7*7}}'];

/** The hostile requests, each with what a correct server must not do. */
function hostileRequests(url: string, cookie: string | null, interactionId: string) {
  const auth: Record<string, string> = cookie ? { cookie } : {};
  const list: { name: string; run: () => Promise<{ status: number; body: string }>; forbid?: (r: { status: number; body: string }) => string | null }[] = [];
  const enc = safeEncode;
  const noReflection = (r: { body: string }) => (r.body.includes(xss) || r.body.includes('<img src=x onerror=alert(1)>') ? 'payload reflected unescaped' : null);
  for (const v of hostileValues) {
    for (const path of ['/', '/today', '/interactions', '/backlog', '/balanced', '/scorecards/chat', '/customers']) {
      for (const param of ['team', 'agent', 'channel', 'from', 'tz', 'q', 'as_of', 'kpi', 'sort', 'page']) {
        list.push({ name: `param ${param}`, run: () => request(`${url}${path}?${param}=${enc(v)}`, { headers: auth }), forbid: noReflection });
      }
    }
    list.push({ name: 'path id', run: () => request(`${url}/interactions/${enc(v)}`, { headers: auth }), forbid: noReflection });
    list.push({ name: 'path channel', run: () => request(`${url}/scorecards/${enc(v)}`, { headers: auth }), forbid: noReflection });
    list.push({ name: 'export filter', run: () => request(`${url}/api/export/interactions?format=csv&from=${enc(v)}&channel=${enc(v)}`, { headers: auth }) });
    list.push({ name: 'export dataset', run: () => request(`${url}/api/export/${enc(v)}?format=csv`, { headers: auth }) });
    list.push({ name: 'bad cookie', run: () => request(`${url}/interactions`, { headers: { cookie: `helpdesk_session=${enc(v)}` } }) });
    list.push({
      name: 'sync unknown source',
      run: () => request(`${url}/sources?/sync`, { method: 'POST', body: new URLSearchParams({ source: v }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, 'x-sveltekit-action': 'true', ...auth } }),
      forbid: (r) => noReflection(r) ?? (/"type":"success"/.test(r.body) ? 'unknown source synced' : null),
    });
  }
  list.push({ name: 'raw bad cookie', run: () => request(`${url}/today`, { headers: { cookie: 'helpdesk_session="; DROP TABLE sessions; --; x=%E0%A4%A' } }) });
  list.push({ name: 'huge cookie', run: () => request(`${url}/today`, { headers: { cookie: `helpdesk_session=${'A'.repeat(12_000)}` } }) });
  list.push({ name: 'bad encoding', run: () => request(`${url}/interactions?team=%E0%A4%A&from=%ZZ`, { headers: auth }) });
  list.push({ name: 'bad path encoding', run: () => request(`${url}/interactions/%E0%A4%A`, { headers: auth }) });
  list.push({ name: 'traversal', run: () => request(`${url}/..%2f..%2f..%2fetc%2fpasswd`, { headers: auth }), forbid: (r) => (r.body.includes('root:x:0:0') ? 'file disclosed' : null) });
  // Cross-site POSTs: SvelteKit's origin check must refuse them (403), whatever the cookie.
  const crossSite = (path: string, body: BodyInit, type: string) => ({
    name: `cross-site POST ${path}`,
    run: () => request(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': type, origin: 'http://evil.example', ...auth } }),
    forbid: (r: { status: number }) => (r.status >= 200 && r.status < 400 ? 'cross-site POST accepted' : null),
  });
  list.push(crossSite('/sources?/sync', new URLSearchParams({ source: 'zendesk' }), 'application/x-www-form-urlencoded'));
  list.push(crossSite('/login', new URLSearchParams({ email: 'admin@demo.local', password: 'demo-admin' }), 'application/x-www-form-urlencoded'));
  list.push(crossSite('/qa/scorecards', new URLSearchParams({ definition: '{}' }), 'multipart/form-data; boundary=x'));
  // Oversized bodies: refused (413) or otherwise answered without a 5xx, never taken in.
  // Form actions answer enhanced requests with JSON {type, status}: a refused action is type "failure".
  const actionSucceeded = (r: { status: number; body: string }) => r.status === 200 && /"type":"(success|redirect)"/.test(r.body);
  list.push({
    name: 'oversized form body',
    run: () => request(`${url}/sources?/sync`, { method: 'POST', body: new URLSearchParams({ source: 'zendesk', pad: 'x'.repeat(8 * 1024 * 1024) }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, 'x-sveltekit-action': 'true', ...auth } }),
    forbid: (r) => (actionSucceeded(r) ? 'oversized body accepted' : null),
  });
  list.push({
    name: 'oversized JSON body',
    run: () => request(`${url}/qa/grade/${enc(interactionId)}/draft`, { method: 'POST', body: JSON.stringify({ pad: 'x'.repeat(8 * 1024 * 1024) }), headers: { 'content-type': 'application/json', origin: url, ...auth } }),
    forbid: (r) => (r.status >= 200 && r.status < 300 ? 'oversized body accepted' : null),
  });
  list.push({ name: 'unknown method', run: () => request(`${url}/interactions`, { method: 'PATCH', headers: auth }) });
  list.push({ name: 'DELETE', run: () => request(`${url}/sources`, { method: 'DELETE', headers: { origin: url, ...auth } }) });
  // Round-robin over the kinds, so that a short run still sends every kind of request.
  const byKind = new Map<string, typeof list>();
  for (const h of list) byKind.set(h.name, [...(byKind.get(h.name) ?? []), h]);
  const interleaved: typeof list = [];
  for (let i = 0; interleaved.length < list.length; i++) for (const kind of byKind.values()) if (kind[i]) interleaved.push(kind[i]);
  return interleaved;
}

/** The largest ruleset the upload accepts: the demo's, every group scaled so the agents total the limit. */
function largestRuleset(): string {
  const demo = readFileSync(join(root, 'data', 'rulesets', 'demo.yaml'), 'utf8');
  const counts = [...demo.matchAll(/count: (\d+)/g)].map((m) => Number(m[1]));
  const total = counts.reduce((a, b) => a + b, 0);
  const factor = Math.floor(rulesetLimits.agentsInTotal / total);
  return demo.replace(/count: (\d+)/g, (_, c: string) => `count: ${Math.min(rulesetLimits.agentsPerGroup, Number(c) * factor)}`);
}

/** Expensive but valid requests: each within the bounds, each as heavy as they allow. */
function expensiveRequests(url: string, cookie: string | null, last: string) {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const first = new Date(Date.parse(`${last}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const ruleset = largestRuleset();
  const upload = () => {
    const form = new FormData();
    form.set('file', new File([ruleset], 'largest.yaml', { type: 'application/yaml' }));
    return request(`${url}/routing?/upload`, { method: 'POST', body: form, headers: { origin: url, 'x-sveltekit-action': 'true', ...headers }, timeoutMs: 120_000 });
  };
  const get = (path: string) => () => request(`${url}${path}`, { headers, timeoutMs: 120_000 });
  // The two simulations first: each stream starts with one, so even a short run has both.
  return [
    { name: 'routing upload, largest', run: upload },
    { name: 'what-if at the top scale', run: get('/routing?simulate=1&scale=20') },
    { name: 'kpi_daily 366 days', run: get(`/api/export/kpi_daily?format=csv&from=${first}&to=${last}`) },
    { name: 'kpi_daily 366 days business hours', run: get(`/api/export/kpi_daily?format=arrows&from=${first}&to=${last}&business_hours=true&tz=Europe/Berlin`) },
    { name: 'events csv, all', run: get('/api/export/events?format=csv') },
    { name: 'interactions arrows, all', run: get('/api/export/interactions?format=arrows') },
    { name: 'customers parquet hashed', run: get('/api/export/customers?format=parquet&pii=hash') },
    { name: 'scorecard over a year', run: get(`/scorecards/phone?from=${first}&to=${last}`) },
  ];
}

/**
 * SQL injection through the page loads: each screen's data (`__data.json`) for a hostile value of
 * each parameter must equal its data for a plain value that matches nothing, once the value itself
 * is swapped for the plain one wherever the page echoes it (the filter bar, a "value ignored" line).
 * Anything else that differs is a leak (or a change); a 5xx is a failure either way.
 */
async function leakSweep(url: string, cookie: string | null): Promise<{ requests: number; errors: number; leaks: string[] }> {
  const control = 'no-such-value';
  const values = ["'; DROP TABLE interactions; --", "x' OR '1'='1", '<script>alert(1)</script>', 'a\u0000\'b'];
  const paths = ['/', '/today', '/interactions', '/backlog', '/balanced', '/scorecards/chat', '/customers'];
  const params = ['team', 'agent', 'queue', 'tier', 'intent', 'language', 'channel', 'from', 'tz', 'q', 'as_of', 'kpi', 'sort'];
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const out = { requests: 0, errors: 0, leaks: [] as string[] };
  // Every form the page may echo a value in: as is, JSON-escaped, cut to 60 characters (problem lines), URL-encoded.
  // (devalue, which writes __data.json, also escapes `<` as \u003C so that the JSON is safe inside HTML.)
  const json = (t: string) => JSON.stringify(t).slice(1, -1);
  const devalued = (t: string) => json(t).replace(/</g, '\\u003C');
  const forms = (v: string) =>
    [...new Set([v, json(v), devalued(v), v.slice(0, 60), json(v.slice(0, 60)), devalued(v.slice(0, 60)), safeEncode(v), new URLSearchParams({ x: v }).toString().slice(2)])]
      .sort((a, b) => b.length - a.length);
  const normalize = (body: string, v: string) => forms(v).reduce((text, f) => text.split(f).join('\u0001'), body).split(control).join('\u0001');
  for (const path of paths) {
    for (const param of params) {
      const data = (v: string) => request(`${url}${path === '/' ? '' : path}/__data.json?${new URLSearchParams({ [param]: v })}`, { headers });
      const base = await data(control);
      out.requests++;
      // A control that is not the page's data (a redirect to /login, an error) would compare equal to anything.
      const problem = base.status < 500 ? notScreenData(base.status, base.body) : null;
      if (problem) throw new Error(`leak sweep: ${path}/__data.json answered ${problem} for the control value, so the sweep would compare nothing`);
      for (const v of values) {
        const r = await data(v);
        out.requests++;
        if (r.status >= 500 || base.status >= 500) out.errors++;
        if (r.status !== base.status || normalize(r.body, v) !== normalize(base.body, control)) out.leaks.push(`${path}?${param}=${JSON.stringify(v)} (${r.status} vs ${base.status})`);
      }
    }
  }
  return out;
}

export default async function run(args: string[]) {
  const seconds = option(args, 'seconds', 60);
  const users = option(args, 'users', 20);
  const interactions = option(args, 'interactions', 20_000);
  const tickets = option(args, 'tickets', 2_000);
  const seed = option(args, 'seed', 42);
  const hostileStreams = option(args, 'hostile', 2);
  const expensiveStreams = option(args, 'expensive', 2);
  const quietSeconds = option(args, 'quiet-seconds', 15);
  const load = { before: loadavg()[0] };

  const demo = await demoWarehouse(seed, interactions);
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-abuse-'));
  const db = join(dir, 'abuse.duckdb');
  copyFileSync(demo, db);

  const world = zendeskWorld({ seed, tickets });
  const replica = await startReplica(zendeskBehaviour(world, { ...replicaCredentials, pageSize: 200 }));
  const good = world.tickets.filter((t) => !world.badTicketIds.has(t.id));

  let wh = await Warehouse.open(db);
  // The demo's Zendesk was another account (the build's own replica): its committed cursors are
  // tokens of that account, which this replica rightly refuses, so the bench's Zendesk starts afresh.
  await wh.run("DELETE FROM ingest_state WHERE source = 'zendesk'");
  const othersBefore = await othersFingerprint(wh, world);
  const [sample] = await wh.all<{ id: string; customer: string | null; last: string }>(
    "SELECT (SELECT id FROM interactions WHERE channel = 'chat' ORDER BY created_at DESC LIMIT 1) AS id, (SELECT id FROM customers LIMIT 1) AS customer, strftime(max(created_at), '%Y-%m-%d') AS last FROM interactions",
  );
  wh.close();

  writeFileSync(join(dir, 'sources.json'), JSON.stringify({ sources: { zendesk: { everyMinutes: 5, options: { baseUrl: replica.url, email: replicaCredentials.email, pageSize: 200 } } } }));
  const server = await startServer({ HELPDESK_DB: db, HELPDESK_SOURCES_FILE: join(dir, 'sources.json'), ZENDESK_API_TOKEN: replicaCredentials.apiToken, HELPDESK_DEMO: '1' });
  const url = server.url;
  const figures: Record<string, number> = {};
  try {
    // Sign in (a refused sign-in throws): one session per user, roles in turn; the admin's also presses "Sync now".
    const sessions: { role: Role; cookie: string }[] = [];
    for (let u = 0; u < users; u++) {
      const role = roles[u % roles.length];
      sessions.push({ role, cookie: await signInAs(url, role) });
    }
    const admin = { cookie: await signInAs(url, 'admin') };
    // The expensive stream is one supervisor (exports, routing uploads): its own session, its own export slots.
    const heavy = { cookie: await signInAs(url, 'supervisor') };
    figures.signedInUsers = sessions.length;

    // Each screen with its route id: a user browses only what its role may open (the permission
    // matrix), so every answer it gets must be the screen itself.
    const screens: { path: string; route: string }[] = [
      { path: '/', route: '/' }, { path: '/today', route: '/today' }, { path: '/scorecards/chat', route: '/scorecards/[channel]' },
      { path: '/scorecards/phone', route: '/scorecards/[channel]' }, { path: '/balanced', route: '/balanced' },
      { path: `/backlog?as_of=${sample.last}T09:00`, route: '/backlog' }, { path: '/interactions', route: '/interactions' },
      { path: '/interactions?kpi=csat&channel=chat', route: '/interactions' }, { path: `/interactions/${encodeURIComponent(sample.id)}`, route: '/interactions/[id]' },
      { path: '/customers', route: '/customers' }, ...(sample.customer ? [{ path: `/customers/${encodeURIComponent(sample.customer)}`, route: '/customers/[id]' }] : []),
      { path: '/health', route: '/health' }, { path: '/definitions', route: '/definitions' }, { path: '/routing', route: '/routing' }, { path: '/qa', route: '/qa' },
      { path: '/qa/disputes', route: '/qa/disputes' }, { path: '/exports', route: '/exports' }, { path: '/sources', route: '/sources' },
    ];
    const screensOf = (role: Role) => screens.filter((s) => canView(role, s.route)).map((s) => s.path);
    for (const role of new Set(sessions.map((s) => s.role))) if (!screensOf(role).length) throw new Error(`the ${role} role may open none of the bench's screens`);
    // Answers that were not the screen: `<who> <path>: <why>` -> count. Any of them fails the bench.
    const notScreens: Record<string, number> = {};
    const checkScreen = (who: string, path: string, r: { status: number; body: string; headers: Headers }) => {
      // No answer or a 5xx is a server failure: counted (status5xx, networkErrors) and in the verdict.
      if (r.status === 0 || r.status >= 500) return;
      const problem = notScreenData(r.status, r.body);
      if (problem) {
        const key = `${who} ${path}: ${problem}${r.headers.get('location') ? ` to ${r.headers.get('location')}` : ''}`;
        notScreens[key] = (notScreens[key] ?? 0) + 1;
      }
    };
    // Quiet: the users browse alone (no hostile or expensive stream, no sync) for the baseline.
    // The expensive requests in flight (name -> count), so that a long stall can be laid at their door.
    const inFlight = new Map<string, number>();
    const stalls: { ms: number; during: string }[] = [];
    const probe = async (until: number, into: number[]) => {
      while (Date.now() < until) {
        const during = [...inFlight.keys()].join(', ') || 'no expensive request';
        const r = await request(`${url}/login`);
        into.push(r.ms);
        stalls.push({ ms: r.ms, during });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const quiet: number[] = [];
    const quietProbes: number[] = [];
    const quietUntil = Date.now() + quietSeconds * 1000;
    await Promise.all([
      ...sessions.map(async ({ role, cookie }, u) => {
        const mine = screensOf(role);
        for (let i = u; Date.now() < quietUntil; i++) {
          const path = mine[i % mine.length];
          const r = await request(`${url}${path}`, { headers: { cookie } });
          checkScreen(role, path, r);
          quiet.push(r.ms);
        }
      }),
      probe(quietUntil, quietProbes),
    ]);

    const deadline = Date.now() + seconds * 1000;
    const browse: Sample[] = [];
    const statuses: Record<string, number> = {};
    const serverErrors: string[] = [];
    let lockInBodies = 0;
    const count = (kind: string, status: number) => {
      // 401/403 apart from other 4xx: a role refused a screen is the permission matrix at work.
      const key = `${kind}${status >= 500 ? '5xx' : status === 0 ? 'NetworkError' : status === 401 || status === 403 ? String(status) : `${Math.floor(status / 100)}xx`}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    };

    const userLoop = async (u: number) => {
      const { role, cookie } = sessions[u];
      const mine = screensOf(role);
      for (let i = u; Date.now() < deadline; i++) {
        const path = mine[i % mine.length];
        const t = Date.now();
        const r = await request(`${url}${path}`, { headers: { cookie } });
        checkScreen(role, path, r);
        browse.push({ at: t, ms: r.ms, status: r.status });
        count('browse', r.status);
        if (r.status >= 500 || r.status === 0) serverErrors.push(`${r.status} ${path}`);
        if (lockPattern.test(r.body)) lockInBodies++;
      }
    };

    const hostile = hostileRequests(url, admin.cookie, sample.id);
    const violations: Record<string, number> = {};
    let hostileSent = 0;
    const byKindStatus: Record<string, Set<number>> = {};
    const hostileLoop = async (offset: number) => {
      for (let i = offset; Date.now() < deadline; i += hostileStreams) {
        const h = hostile[i % hostile.length];
        const r = await h.run();
        hostileSent++;
        count('hostile', r.status);
        (byKindStatus[h.name] ??= new Set()).add(r.status);
        if (r.status >= 500) serverErrors.push(`${r.status} hostile ${h.name}`);
        const bad = h.forbid?.(r);
        if (bad) violations[bad] = (violations[bad] ?? 0) + 1;
        if (lockPattern.test(r.body)) lockInBodies++;
      }
    };

    const expensive = expensiveRequests(url, heavy.cookie, sample.last);
    const expensiveStatus: Record<string, number> = {};
    const expensiveMs: number[] = [];
    const expensiveLoop = async (offset: number) => {
      for (let i = offset; Date.now() < deadline; i += expensiveStreams) {
        const h = expensive[i % expensive.length];
        inFlight.set(h.name, (inFlight.get(h.name) ?? 0) + 1);
        const r = await h.run();
        if (inFlight.get(h.name) === 1) inFlight.delete(h.name);
        else inFlight.set(h.name, inFlight.get(h.name)! - 1);
        expensiveMs.push(r.ms);
        const key = `${h.name} ${r.status}`;
        expensiveStatus[key] = (expensiveStatus[key] ?? 0) + 1;
        count('expensive', r.status);
        if (r.status >= 500 || r.status === 0) serverErrors.push(`${r.status} expensive ${h.name}`);
        // Served, or refused for the person's slots (429); anything else means the stream did not load the server.
        if (r.status !== 429) {
          checkScreen('expensive', h.name, r);
          const refused = /^\{"type":"failure","status":(\d+)/.exec(r.body);
          if (refused) notScreens[`expensive ${h.name}: a refused action (${refused[1]})`] = (notScreens[`expensive ${h.name}: a refused action (${refused[1]})`] ?? 0) + 1;
        }
      }
    };
    const probes: number[] = [];

    // "Sync now" at the start, a second click at once (must be refused while it runs), and a new
    // sync whenever the previous one has ended, until the end of the run.
    const syncs = { started: 0, refusedWhileRunning: 0, other: [] as string[] };
    const syncLoop = async () => {
      await new Promise((r) => setTimeout(r, 1000));
      while (Date.now() < deadline - 3000) {
        const s = await syncNow(url, admin.cookie);
        if (s.outcome === 'started') syncs.started++;
        else if (s.outcome === 'busy') syncs.refusedWhileRunning++;
        else syncs.other.push(`${s.outcome} ${s.message}`.trim());
        await new Promise((r) => setTimeout(r, s.outcome === 'started' ? 200 : 2000));
      }
    };

    const t0 = performance.now();
    await Promise.all([
      ...sessions.map((_, u) => userLoop(u)), ...Array.from({ length: hostileStreams }, (_, k) => hostileLoop(k)),
      ...Array.from({ length: expensiveStreams }, (_, k) => expensiveLoop(k)), syncLoop(), probe(deadline, probes),
    ]);
    const elapsed = (performance.now() - t0) / 1000;

    // Let the last job finish before the sweep and before stopping the server (the page marks a
    // running source); the 5-minute schedule may start one during a long sweep.
    const idle = async () => {
      for (const until = Date.now() + 300_000; Date.now() < until; ) {
        const page = await request(`${url}/sources`, { headers: admin.cookie ? { cookie: admin.cookie } : {} });
        if (!/data-state="(running|queued)"/.test(page.body)) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    await idle();
    const sweep = args.includes('--no-sweep') ? null : await leakSweep(url, admin.cookie);
    await idle();
    await server.stop();
    const log = server.output();
    const lockLines = log.split('\n').filter((l) => lockPattern.test(l));

    // The truth: the replica's tickets exactly, the rest of the warehouse as it was.
    wh = await Warehouse.open(db);
    const landed = await wh.all<{ native_id: string; updated_at: string }>(
      `SELECT native_id, updated_at FROM interactions WHERE source = 'zendesk' AND native_id IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`,
      [JSON.stringify(world.tickets.map((t) => String(t.id)))],
    );
    const runs = await wh.all<{ status: string; started_at: string; finished_at: string | null; error: string | null }>(
      "SELECT status, started_at::VARCHAR AS started_at, finished_at::VARCHAR AS finished_at, error FROM ingest_runs WHERE source = 'zendesk' AND id NOT LIKE 'demo-%' ORDER BY started_at",
    );
    const othersAfter = await othersFingerprint(wh, world);
    wh.close();

    const spans = runs.map((r) => [Date.parse(r.started_at), Date.parse(r.finished_at ?? r.started_at)]);
    const during = browse.filter((s) => spans.some(([a, b]) => s.at >= a && s.at <= b)).map((s) => s.ms).sort((a, b) => a - b);
    const all = browse.map((s) => s.ms).sort((a, b) => a - b);
    const truthOk = landed.length === good.length && checksum(landed.map((r) => [r.native_id, r.updated_at])) === checksum(good.map((t) => [String(t.id), t.updated_at]));

    Object.assign(figures, {
      seconds: Math.round(elapsed), users, interactions, replicaTickets: good.length,
      browseRequests: browse.length, browseRps: Math.round((browse.length / elapsed) * 10) / 10,
      browseP50Ms: percentile(all, 0.5), browseP95Ms: percentile(all, 0.95), browseMaxMs: percentile(all, 1),
      browseDuringIngestRequests: during.length, browseDuringIngestP95Ms: percentile(during, 0.95),
      quietSeconds, browseQuietRequests: quiet.length, browseQuietP95Ms: percentile([...quiet].sort((a, b) => a - b), 0.95),
      // The longest a trivial request (the sign-in page) waited while the streams ran, and in the quiet.
      longestStallMs: percentile([...probes].sort((a, b) => a - b), 1), quietLongestStallMs: percentile([...quietProbes].sort((a, b) => a - b), 1),
      probeP95Ms: percentile([...probes].sort((a, b) => a - b), 0.95),
      hostileStreams, hostileRequests: hostileSent, hostileVariants: hostile.length,
      expensiveStreams, expensiveRequests: expensiveMs.length, expensiveP50Ms: percentile([...expensiveMs].sort((a, b) => a - b), 0.5),
      expensiveRefused429: Object.entries(expensiveStatus).filter(([k]) => k.endsWith(' 429')).reduce((n, [, v]) => n + v, 0),
      status5xx: (statuses.browse5xx ?? 0) + (statuses.hostile5xx ?? 0) + (statuses.expensive5xx ?? 0),
      networkErrors: (statuses.browseNetworkError ?? 0) + (statuses.hostileNetworkError ?? 0) + (statuses.expensiveNetworkError ?? 0),
      lockErrors: lockLines.length + lockInBodies, hostileViolations: Object.values(violations).reduce((a, b) => a + b, 0),
      syncsStarted: syncs.started, syncRefusedWhileRunning: syncs.refusedWhileRunning, ingestRuns: runs.length, ingestRunsFailed: runs.filter((r) => r.status !== 'succeeded').length,
      landedTickets: landed.length, truthMatches: truthOk ? 1 : 0, restUnchanged: othersAfter === othersBefore ? 1 : 0,
      sweepRequests: sweep?.requests ?? 0, sweepLeaks: sweep?.leaks.length ?? 0, sweep5xx: sweep?.errors ?? 0,
      loadAvgBefore: Math.round(load.before * 100) / 100, loadAvgAfter: Math.round(loadavg()[0] * 100) / 100,
    });
    for (const [k, v] of Object.entries(statuses)) figures[`status_${k}`] = v;
    console.log(`abuse: ${browse.length} browse + ${hostileSent} hostile requests in ${elapsed.toFixed(0)} s; statuses ${JSON.stringify(statuses)}`);
    console.log(`expensive requests -> statuses: ${JSON.stringify(expensiveStatus)}`);
    console.log(`browse p95 ${figures.browseP95Ms} ms beside the streams vs ${figures.browseQuietP95Ms} ms quiet; longest stall ${figures.longestStallMs} ms (quiet ${figures.quietLongestStallMs} ms)`);
    console.log(`longest stalls and the expensive requests in flight when they began: ${[...stalls].sort((a, b) => b.ms - a.ms).slice(0, 5).map((x) => `${Math.round(x.ms)} ms (${x.during})`).join('; ')}`);
    console.log(`hostile kinds -> statuses: ${Object.entries(byKindStatus).map(([k, v]) => `${k}: ${[...v].sort().join('/')}`).join('; ')}`);
    if (serverErrors.length) {
      console.log(`server errors (first 10): ${[...new Set(serverErrors)].slice(0, 10).join('; ')}`);
      const reasons = [...new Set(log.split('\n').filter((l) => /error/i.test(l)).map((l) => l.slice(0, 300)))];
      console.log(`server log's error lines (first 10 distinct):\n  ${reasons.slice(0, 10).join('\n  ')}`);
    }
    if (lockLines.length) console.log(`lock errors in the server log (first 5):\n${lockLines.slice(0, 5).join('\n')}`);
    if (Object.keys(violations).length) console.log(`hostile requests that got through: ${JSON.stringify(violations)}`);
    if (syncs.other.length) console.log(`other "Sync now" answers: ${[...new Set(syncs.other)].slice(0, 5).join('; ')}`);
    for (const r of runs.filter((x) => x.status !== 'succeeded')) console.log(`ingest run ${r.status}: ${r.error}`);
    if (sweep?.leaks.length) console.log(`page data that differs from the control (first 5): ${sweep.leaks.slice(0, 5).join('; ')}`);
    figures.notScreenAnswers = Object.values(notScreens).reduce((a, b) => a + b, 0);
    if (figures.notScreenAnswers) {
      console.log(JSON.stringify(figures));
      throw new Error(`${figures.notScreenAnswers} answers were not the screen, so the figures time something else (first 10): ${Object.entries(notScreens).slice(0, 10).map(([k, n]) => `${k} (x${n})`).join('; ')}`);
    }
    const verdict = figures.status5xx === 0 && figures.sweep5xx === 0 && figures.sweepLeaks === 0 && figures.lockErrors === 0 && truthOk && figures.restUnchanged === 1 && figures.hostileViolations === 0 && figures.ingestRunsFailed === 0;
    console.log(`abuse verdict: ${verdict ? 'PASS' : 'FAIL'} (5xx ${figures.status5xx + figures.sweep5xx}, page-data leaks ${figures.sweepLeaks}, lock errors ${figures.lockErrors}, truth ${truthOk ? 'equal' : 'DIFFERENT'}, rest ${figures.restUnchanged ? 'unchanged' : 'CHANGED'}, hostile violations ${figures.hostileViolations})`);
    return {
      figures,
      ratios: {
        serverErrorRate: (figures.status5xx) / Math.max(1, browse.length + hostileSent),
        browseDuringIngestP95VsOverall: figures.browseP95Ms ? figures.browseDuringIngestP95Ms / figures.browseP95Ms : 0,
        browseP95VsQuiet: figures.browseQuietP95Ms ? figures.browseP95Ms / figures.browseQuietP95Ms : 0,
      },
    };
  } finally {
    await server.stop();
    await replica.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
