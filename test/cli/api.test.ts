import type { ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { helpdesk, repoRoot, tempDir } from './run-cli.ts';
import { startServe } from './serve-process.ts';

/**
 * The public API against the real built server: tokens made with the CLI, the same scorecard as
 * `helpdesk metrics --json`, refusals (revoked 401, agent 403, narrowed token 403, rate limit 429),
 * cursor paging with the export PII rules, the OpenAPI document, and the audit trail of every call.
 */
const dir = tempDir('helpdesk-api-');
const db = join(dir, 'demo.duckdb');
let port = 0;
let server: ChildProcess | undefined;
const secrets: Record<string, string> = {};
let revokedSecret = '';
let cliCard: unknown;
let cliCardRange: unknown;
let interactionCount = 0;
let chatCount = 0;
const ratePerMinute = 25;

function token(user: string, extra: string[] = []): { id: string; secret: string } {
  const made = helpdesk(['tokens', 'add', '--user', user, '--db', db, '--json', ...extra]);
  expect(made.status, made.stderr).toBe(0);
  return JSON.parse(made.stdout);
}

beforeAll(async () => {
  const built = helpdesk(['demo', '--db', db, '--seed', '5', '--interactions', '1500', '--via', 'direct', '--json']);
  expect(built.status, built.stderr).toBe(0);
  const resolved = helpdesk(['resolve', '--db', db, '--json']);
  expect(resolved.status, resolved.stderr).toBe(0);
  for (const role of ['analyst', 'agent', 'admin', 'supervisor']) secrets[role] = token(`${role}@demo.local`).secret;
  secrets.metricsOnly = token('supervisor@demo.local', ['--datasets', 'metrics']).secret;
  secrets.busy = token('analyst@demo.local', ['--name', 'busy']).secret;
  const doomed = token('analyst@demo.local', ['--name', 'doomed']);
  revokedSecret = doomed.secret;
  const revoked = helpdesk(['tokens', 'revoke', doomed.id, '--db', db, '--json']);
  expect(revoked.status, revoked.stderr).toBe(0);
  expect(JSON.parse(revoked.stdout).revokedAt).toMatch(/^\d{4}-/);

  const cli = helpdesk(['metrics', '--by', 'channel', '--kpi', 'volume,fcr', '--db', db, '--json']);
  expect(cli.status, cli.stderr).toBe(0);
  cliCard = JSON.parse(cli.stdout);
  const ranged = helpdesk(['metrics', '--by', 'channel,week', '--kpi', 'volume,fcr,first_response_time', '--from', '2026-02-02', '--to', '2026-02-15', '--channel', 'chat,email', '--db', db, '--json']);
  expect(ranged.status, ranged.stderr).toBe(0);
  cliCardRange = JSON.parse(ranged.stdout);

  const wh = await Warehouse.open(db);
  [{ n: interactionCount }] = await wh.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM interactions');
  [{ n: chatCount }] = await wh.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM interactions WHERE channel = 'chat'");
  wh.close();
  ({ port, process: server } = await startServe(db, { HELPDESK_API_RATE_PER_MINUTE: String(ratePerMinute), HELPDESK_EXPORT_KEY: 'test-key' }));
}, 180_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

const get = (path: string, secret?: string) =>
  fetch(`http://127.0.0.1:${port}${path}`, { headers: secret === undefined ? {} : { authorization: `Bearer ${secret}` } });

describe('/api/v1 with personal tokens', () => {
  test('a token from `helpdesk tokens add` gets the same scorecard as `helpdesk metrics --json`', async () => {
    const response = await get('/api/v1/metrics?by=channel&kpi=volume,fcr', secrets.analyst);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual(cliCard);
    // Not an empty agreement: five channels, each with its volume.
    expect(body.rows.length).toBe(5);
    expect(body.rows.reduce((sum: number, r: { volume: number }) => sum + r.volume, 0)).toBeGreaterThan(0);
    const ranged = await get('/api/v1/metrics?by=channel,week&kpi=volume,fcr,first_response_time&from=2026-02-02&to=2026-02-15&channel=chat,email', secrets.analyst);
    expect(await ranged.json()).toEqual(cliCardRange);
  });

  test('bad filters are a 400 with one line naming the parameter', async () => {
    const response = await get('/api/v1/metrics?kpi=nonsense', secrets.analyst);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/unknown KPI "nonsense"/);
    const typo = await get('/api/v1/metrics?chanel=chat', secrets.analyst);
    expect(typo.status).toBe(400);
  });

  test('no token, a made-up one and a revoked one get 401', async () => {
    expect((await get('/api/v1/metrics')).status).toBe(401);
    expect((await get('/api/v1/metrics', 'hdk_not-a-real-token')).status).toBe(401);
    const revoked = await get('/api/v1/metrics', revokedSecret);
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).message).toMatch(/revoked/);
  });

  test("an agent's token gets 403 on metrics; a token narrowed to metrics gets 403 elsewhere", async () => {
    expect((await get('/api/v1/metrics?kpi=volume', secrets.agent)).status).toBe(403);
    expect((await get('/api/v1/metrics?kpi=volume', secrets.metricsOnly)).status).toBe(200);
    expect((await get('/api/v1/interactions', secrets.metricsOnly)).status).toBe(403);
    expect((await get('/api/v1/interactions', secrets.supervisor)).status).toBe(200);
  });

  test('interactions: cursor pages cover every conversation once, PII redacted as in exports', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(`/api/v1/interactions?limit=400${cursor ? `&cursor=${cursor}` : ''}`, secrets.analyst);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { rows: { id: string; subject: string | null; channel: string }[]; next_cursor: string | null };
      for (const row of page.rows) {
        expect(seen.has(row.id)).toBe(false);
        seen.add(row.id);
        if (row.subject !== null) expect(row.subject).toBe('[redacted]');
      }
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    // 1,500 generated contacts plus callbacks: every one, in ceil(n / 400) pages.
    expect(seen.size).toBe(interactionCount);
    expect(pages).toBe(Math.ceil(interactionCount / 400));
    const chat = await (await get('/api/v1/interactions?channel=chat&limit=1000', secrets.analyst)).json();
    expect(chat.rows.length).toBe(Math.min(chatCount, 1000));
    expect(new Set(chat.rows.map((r: { channel: string }) => r.channel))).toEqual(new Set(['chat']));
    expect((await get('/api/v1/interactions?pii=include', secrets.analyst)).status).toBe(403);
    expect((await get('/api/v1/interactions?cursor=%%%', secrets.analyst)).status).toBe(400);
    const full = await (await get('/api/v1/interactions?pii=include&limit=50&channel=email', secrets.admin)).json();
    expect(full.rows.some((r: { subject: string | null }) => r.subject && r.subject !== '[redacted]')).toBe(true);
  });

  test('customers: contact details need contacts.read', async () => {
    const some = await (await get('/api/v1/interactions?limit=1000', secrets.admin)).json();
    const customerId = some.rows.find((r: { customer_id: string | null }) => r.customer_id)?.customer_id as string;
    expect(customerId).toBeTruthy();
    expect((await get(`/api/v1/customers/${encodeURIComponent(customerId)}`, secrets.analyst)).status).toBe(403);
    const response = await get(`/api/v1/customers/${encodeURIComponent(customerId)}`, secrets.supervisor);
    expect(response.status).toBe(200);
    const view = await response.json();
    expect(view.customer.id).toBe(customerId);
    expect(view.interactions.length).toBeGreaterThan(0);
    expect((await get('/api/v1/customers/nobody-at-all', secrets.supervisor)).status).toBe(404);
  });

  test('exports answer through the API as before', async () => {
    const response = await get('/api/v1/export/interactions?format=csv&channel=phone', secrets.analyst);
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^id,/);
    expect((await get('/api/v1/export/interactions?format=csv&pii=include', secrets.analyst)).status).toBe(403);
  });

  test('openapi.json is valid OpenAPI 3.1 and describes every /api/v1 route', async () => {
    const response = await get('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // Every route under src/routes/api/v1, as OpenAPI writes it ([id] -> {id}).
    const base = join(repoRoot, 'apps/dashboard/src/routes');
    const routes: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f === '+server.ts') routes.push('/' + relative(base, d).split(/[\\/]/).join('/').replace(/\[(\w+)\]/g, '{$1}'));
      }
    };
    walk(join(base, 'api/v1'));
    expect(routes.length).toBe(5);
    expect(Object.keys(document.paths).sort()).toEqual(routes.sort());
  });

  test('the actual responses match the schemas the OpenAPI document gives for them', async () => {
    // An independent JSON Schema validator (Ajv, draft 2020-12 as OpenAPI 3.1 uses) checks live
    // bodies against the served document: a handler drifting from its description fails here.
    const document = await (await get('/api/v1/openapi.json')).json();
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const check = (path: string, status: string, body: unknown) => {
      const schema = document.paths[path].get.responses[status].content['application/json'].schema;
      const validate = ajv.compile({ ...schema, components: document.components });
      const ok = validate(body);
      return ok ? [] : (validate.errors ?? []).map((e) => `${path} ${status}: ${e.instancePath} ${e.message}`);
    };
    const metrics = await (await get('/api/v1/metrics?by=channel,week&kpi=volume,fcr,first_response_time', secrets.analyst)).json();
    const page = await (await get('/api/v1/interactions?limit=200', secrets.admin)).json();
    const customerId = page.rows.find((r: { customer_id: string | null }) => r.customer_id).customer_id as string;
    const customer = await (await get(`/api/v1/customers/${encodeURIComponent(customerId)}`, secrets.supervisor)).json();
    const refused = await (await get('/api/v1/metrics', secrets.agent)).json();
    const bad = await (await get('/api/v1/metrics?kpi=nope', secrets.analyst)).json();
    expect([
      ...check('/api/v1/metrics', '200', metrics), ...check('/api/v1/interactions', '200', page), ...check('/api/v1/customers/{id}', '200', customer),
      ...check('/api/v1/metrics', '403', refused), ...check('/api/v1/metrics', '400', bad),
    ]).toEqual([]);
    // And the validator does reject what the document forbids (so the passes above mean something).
    expect(check('/api/v1/interactions', '200', { ...page, rows: [{ ...page.rows[0], id: 42 }] }).length).toBeGreaterThan(0);
    expect(check('/api/v1/metrics', '200', { rows: [] }).length).toBeGreaterThan(0);
  });

  test('calls past the per-token rate limit get 429 with Retry-After; other tokens are unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < ratePerMinute + 1; i++) statuses.push((await get('/api/v1/openapi.json', secrets.busy)).status);
    expect(statuses.slice(0, ratePerMinute).every((s) => s === 200)).toBe(true);
    const last = await get('/api/v1/openapi.json', secrets.busy);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get('/api/v1/metrics?kpi=volume', secrets.analyst)).status).toBe(200);
  });

  test('every call is in the audit log, refused ones included', async () => {
    const before = await (await get('/api/v1/metrics?kpi=volume', secrets.supervisor)).status;
    expect(before).toBe(200);
    await get('/api/v1/metrics', revokedSecret);
    server!.kill('SIGTERM');
    await new Promise((resolve) => server!.once('exit', resolve));
    server = undefined;
    const wh = await Warehouse.open(db);
    const rows = await wh.all<{ status: number; via: string; user_email: string | null; target: string }>(
      `SELECT CAST(json_extract(detail, '$.status') AS INTEGER) AS status, json_extract_string(detail, '$.via') AS via, user_email, target
       FROM audit_log WHERE action = 'api.call'`,
    );
    wh.close();
    const count = (status: number) => rows.filter((r) => r.status === status).length;
    expect(count(401)).toBeGreaterThanOrEqual(4);
    expect(count(403)).toBeGreaterThanOrEqual(5);
    expect(count(429)).toBe(2);
    expect(rows.filter((r) => r.via === 'token' && r.user_email === 'supervisor@demo.local' && r.target === '/api/v1/metrics').length).toBeGreaterThanOrEqual(2);
  });
});
