import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRedirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { parseMatrix, permissionMatrixMarkdown, matrixStart, matrixEnd, type MatrixRow } from '../src/lib/server/auth/permission-docs.ts';
import { roles, type Role } from '../src/lib/server/auth/permissions.ts';
import { authConfig } from '../src/lib/server/auth/config.ts';
import { createSession, sessionCookie } from '../src/lib/server/auth/sessions.ts';
import { addUser } from '../src/lib/server/auth/users.ts';
import { createToken } from '../src/lib/server/api/tokens.ts';

/**
 * Every role (and a signed-out visitor) against every route, form action and endpoint
 * method of the app, through the real `handle` of hooks.server.ts over a real warehouse. The list
 * of requests is read from src/routes (so a new route or action without a rule fails here), and
 * the expected answer of each is read from the matrix documented in README.md.
 */
const appDir = fileURLToPath(new URL('..', import.meta.url));
const routesDir = join(appDir, 'src', 'routes');

interface CodeRequest {
  route: string;
  request: string;
  kind: 'page' | 'endpoint';
}

/** Route ids with their requests, from the files under src/routes. */
function requestsInCode(): CodeRequest[] {
  const out: CodeRequest[] = [];
  const visit = (dir: string) => {
    const files = readdirSync(dir);
    const routeId = '/' + relative(routesDir, dir).split(/[\\/]/).filter(Boolean).join('/');
    if (files.some((f) => /^\+page(\.server)?\.(ts|svelte)$/.test(f))) {
      out.push({ route: routeId, request: 'GET', kind: 'page' });
      const server = join(dir, '+page.server.ts');
      if (existsSync(server)) {
        const text = readFileSync(server, 'utf8');
        const at = text.indexOf('export const actions');
        if (at >= 0) {
          const block = text.slice(at, text.indexOf('\n};', at));
          // Top-level keys of the actions object: `  name: async ...`, `  name: (event) => ...`, `  name(event) {`.
          for (const m of block.matchAll(/^ {2}(\w+)\s*(?::|\()/gm)) out.push({ route: routeId, request: m[1] === 'default' ? 'POST' : `POST ?/${m[1]}`, kind: 'page' });
        }
      }
    }
    const endpoint = files.find((f) => /^\+server\.(ts|js)$/.test(f));
    if (endpoint) {
      const text = readFileSync(join(dir, endpoint), 'utf8');
      for (const m of text.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) out.push({ route: routeId, request: m[1], kind: 'endpoint' });
    }
    for (const f of files) if (statSync(join(dir, f)).isDirectory()) visit(join(dir, f));
  };
  visit(routesDir);
  return out;
}

const readme = readFileSync(join(appDir, 'README.md'), 'utf8');
const documented = parseMatrix(readme);
const code = requestsInCode();

describe('the permission matrix is documented from the one source', () => {
  it('the README holds the matrix generated from permissions.ts', () => {
    const block = readme.slice(readme.indexOf(matrixStart), readme.indexOf(matrixEnd) + matrixEnd.length);
    expect(block, 'run `npm run docs:permissions -w apps/dashboard`').toBe(permissionMatrixMarkdown());
  });

  it('every route, form action and endpoint method in src/routes has a documented rule', () => {
    const missing = code.filter((c) => !documented.some((d) => d.route === c.route && d.request === c.request)).map((c) => `${c.route} ${c.request}`);
    expect(missing, 'add these to routeRules in src/lib/server/auth/permissions.ts').toEqual([]);
  });

  it('every documented rule belongs to a route that exists', () => {
    const stale = documented
      .filter((d) => !code.some((c) => c.route === d.route && (c.request === d.request || (d.request.startsWith('GET ?') && c.request === 'GET'))))
      .map((d) => `${d.route} ${d.request}`);
    expect(stale).toEqual([]);
  });

  it('the walk found the app (a sanity floor, so an empty walk cannot pass)', () => {
    // 25 screens and endpoints existed when sign-in landed; routes are only ever added.
    expect(new Set(code.map((c) => c.route)).size).toBeGreaterThanOrEqual(25);
    expect(code).toContainEqual({ route: '/qa/grade/[id]/draft', request: 'POST', kind: 'endpoint' });
    expect(code).toContainEqual({ route: '/routing', request: 'POST ?/upload', kind: 'page' });
  });
});

describe('hooks.server.ts enforces the documented matrix', () => {
  let dir: string;
  let handle: typeof import('../src/hooks.server.ts').handle;
  let closeWarehouse: () => Promise<void>;
  const tokens = new Map<Role, string>();
  const apiTokens = new Map<Role, string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpdesk-matrix-'));
    const db = join(dir, 'matrix.duckdb');
    process.env.HELPDESK_DB = db;
    // The requests below are addressed to http://app.test: allow that name (hooks refuse others).
    process.env.HELPDESK_ALLOWED_HOSTS = 'app.test';
    const wh = await Warehouse.open(db);
    for (const role of roles) {
      const user = await addUser(wh, { email: `${role}@example.test`, role, password: `password-of-${role}` });
      tokens.set(role, (await createSession(wh, user.id, authConfig({}))).token);
      apiTokens.set(role, (await createToken(wh, { email: user.email })).secret);
    }
    wh.close();
    ({ handle } = await import('../src/hooks.server.ts'));
    ({ closeWarehouse } = await import('../src/lib/server/warehouse.ts'));
  }, 60_000);

  afterAll(async () => {
    await closeWarehouse?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs one request through the real handle; `resolve` stands for the page or endpoint itself. */
  async function send(row: Pick<MatrixRow, 'route' | 'request'>, role: Role | null, headers: Record<string, string> = {}) {
    const [method, query = ''] = row.request.split(' ');
    const path = row.route.replace(/\[(\w+)\]/g, 'x1');
    const url = new URL(`http://app.test${path}${query}`);
    const token = role ? tokens.get(role) : undefined;
    const cookies = { get: (name: string) => (name === sessionCookie ? token : undefined) } as unknown as Cookies;
    const event = {
      request: new Request(url, { method, headers: { origin: url.origin, ...headers } }),
      url, route: { id: row.route }, params: {}, locals: {}, cookies, isDataRequest: false, isSubRequest: false,
      getClientAddress: () => '127.0.0.1', setHeaders: () => undefined, platform: undefined, fetch,
    } as unknown as RequestEvent;
    let reached = false;
    try {
      const response = await handle({
        event,
        resolve: async () => {
          reached = true;
          return new Response('ok');
        },
      });
      return { reached, status: response.status, location: response.headers.get('location') };
    } catch (thrown) {
      if (isRedirect(thrown)) return { reached, status: thrown.status, location: thrown.location };
      throw thrown;
    }
  }

  it('every role gets exactly what the matrix says, on every request', async () => {
    const wrong: string[] = [];
    for (const row of documented) {
      for (const role of roles) {
        const result = await send(row, role);
        const expected = row.allowed[role];
        const ok = expected ? result.reached && result.status === 200 : !result.reached && result.status === 403;
        if (!ok) wrong.push(`${role} ${row.request} ${row.route}: expected ${expected ? 'allow' : '403'}, got ${result.status}${result.reached ? ' (reached)' : ''}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('a signed-out visitor reaches only public routes: pages send to /login, everything else is 401', async () => {
    const wrong: string[] = [];
    for (const row of documented) {
      const result = await send(row, null);
      const isPageGet = row.request.startsWith('GET') && code.some((c) => c.route === row.route && c.kind === 'page');
      if (row.allowed['signed out']) {
        if (!result.reached) wrong.push(`${row.request} ${row.route}: public but refused (${result.status})`);
      } else if (result.reached) wrong.push(`${row.request} ${row.route}: reached while signed out`);
      else if (isPageGet ? result.status !== 303 || !result.location?.startsWith('/login?next=') : result.status !== 401) {
        wrong.push(`${row.request} ${row.route}: got ${result.status} ${result.location ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('every /api/v1 route answers a personal API token of each role exactly as the matrix says', async () => {
    const api = documented.filter((row) => row.route.startsWith('/api/v1/'));
    // metrics, interactions, customers/[id], export/[dataset] (with its PII gate), openapi.json, interactions' PII gate.
    expect(new Set(api.map((r) => r.route))).toEqual(new Set(code.filter((c) => c.route.startsWith('/api/v1/')).map((c) => c.route)));
    expect(api.length).toBe(7);
    const wrong: string[] = [];
    for (const row of api) {
      for (const role of roles) {
        const result = await send(row, null, { authorization: `Bearer ${apiTokens.get(role)}` });
        const expected = row.allowed[role];
        const ok = expected ? result.reached && result.status === 200 : !result.reached && result.status === 403;
        if (!ok) wrong.push(`${role} token ${row.request} ${row.route}: expected ${expected ? 'allow' : '403'}, got ${result.status}`);
      }
      // A credential that does not hold is refused outright, even where no credential is needed.
      const forged = await send(row, null, { authorization: 'Bearer hdk_forged' });
      if (forged.status !== 401 || forged.reached) wrong.push(`forged token ${row.request} ${row.route}: got ${forged.status}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('an API token opens nothing outside /api/v1', async () => {
    const result = await send({ route: '/interactions', request: 'GET' }, null, { authorization: `Bearer ${apiTokens.get('admin')}` });
    expect(result).toMatchObject({ reached: false, status: 303 });
  });

  it('a route id without a rule is refused even to the admin', async () => {
    const result = await send({ route: '/brand-new-screen', request: 'GET' }, 'admin');
    expect(result).toMatchObject({ reached: false, status: 403 });
  });

  it('a form action the rule does not name is refused', async () => {
    const result = await send({ route: '/qa/scorecards', request: 'POST ?/delete' }, 'admin');
    expect(result).toMatchObject({ reached: false, status: 403 });
  });

  it('a cross-site POST is refused before any rule, even with a valid admin session', async () => {
    const result = await send({ route: '/qa/scorecards', request: 'POST ?/save' }, 'admin', { origin: 'https://evil.example' });
    expect(result).toMatchObject({ reached: false, status: 403 });
  });

  it('an unknown or forged session cookie counts as signed out', async () => {
    tokens.set('admin', 'forged-token-forged-token-forged');
    const result = await send({ route: '/admin/users', request: 'GET' }, 'admin');
    expect(result.status).toBe(303);
    expect(result.reached).toBe(false);
  });
});

describe('customer text is never rendered as HTML', () => {
  it('no Svelte file under src uses {@html}', () => {
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const path = join(dir, f);
        if (statSync(path).isDirectory()) visit(path);
        // Comments may name it (to warn against it); markup may not use it.
        else if (f.endsWith('.svelte') && /\{@html\s/.test(readFileSync(path, 'utf8').replace(/<!--[\s\S]*?-->/g, ''))) offenders.push(relative(appDir, path));
      }
    };
    visit(join(appDir, 'src'));
    expect(offenders).toEqual([]);
  });
});
