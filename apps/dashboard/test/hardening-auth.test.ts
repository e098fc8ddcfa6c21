import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { authConfig, defaultAllowedHosts, hostAllowed, isLoopback } from '../src/lib/server/auth/config.ts';
import { ensureDemoAccounts } from '../src/lib/server/auth/demo-accounts.ts';
import { signIn } from '../src/lib/server/auth/login.ts';
import { passwordProblem } from '../src/lib/server/auth/passwords.ts';
import { unlockAccount } from '../src/lib/server/auth/rate-limit.ts';
import { createSession, sessionCookie, userForToken } from '../src/lib/server/auth/sessions.ts';
import { addUser, findUserByEmail, setDisabled, setRole, UserError } from '../src/lib/server/auth/users.ts';

/**
 * The sign-in and network findings of the second hardening pass, each written as the attack first:
 * guessing that locks the owner out, a letter-case twist past the self-demotion guard, the last
 * admin removed, blank and common passwords, demo passwords on a network, DNS rebinding, and audit
 * rows for views that showed nothing.
 */
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

let dir: string;
let wh: Warehouse;
const config = authConfig({ HOST: '127.0.0.1' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'helpdesk-hardening-'));
  wh = await Warehouse.open(join(dir, 'auth.duckdb'));
});
afterAll(() => {
  wh?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('guessing cannot lock the owner out', () => {
  it('the right password from a client that signed in before passes while another client guesses', async () => {
    await addUser(wh, { email: 'owner@example.test', role: 'admin', password: 'the owner passphrase' });
    const t = Date.parse('2026-03-02T10:00:00Z');
    // The owner signed in from their machine yesterday.
    expect((await signIn(wh, { email: 'owner@example.test', password: 'the owner passphrase', address: '10.0.0.2' }, config, t - 86_400_000)).ok).toBe(true);
    for (let i = 0; i < 25; i++) {
      await signIn(wh, { email: 'owner@example.test', password: `guess ${i}`, address: `10.6.0.${i % 3}` }, config, t + i * 1000);
    }
    // The guesser's own client is slowed down...
    const guesser = await signIn(wh, { email: 'owner@example.test', password: 'guess again', address: '10.6.0.0' }, config, t + 30_000);
    expect(guesser).toMatchObject({ ok: false, status: 429 });
    // ...a client that never signed in to this account waits too (25 failures > 20 from all clients)...
    const stranger = await signIn(wh, { email: 'owner@example.test', password: 'the owner passphrase', address: '10.7.7.7' }, config, t + 30_000);
    expect(stranger).toMatchObject({ ok: false, status: 429 });
    // ...but the owner, from the known client, gets in at once.
    const owner = await signIn(wh, { email: 'owner@example.test', password: 'the owner passphrase', address: '10.0.0.2' }, config, t + 30_000);
    expect(owner.ok).toBe(true);
  });

  it('five failures from one client pause only that client (30 s), not the account', async () => {
    await addUser(wh, { email: 'victim2@example.test', role: 'analyst', password: 'victim two passphrase' });
    const t = Date.parse('2026-03-03T10:00:00Z');
    for (let i = 0; i < 5; i++) await signIn(wh, { email: 'victim2@example.test', password: `guess ${i}`, address: '10.0.0.1' }, config, t + i * 1000);
    // The same client, 10 s after its fifth failure (at +4 s): wait until +34 s -> 20 s left.
    const same = await signIn(wh, { email: 'victim2@example.test', password: 'victim two passphrase', address: '10.0.0.1' }, config, t + 14_000);
    expect(same).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 20 });
    // Another client (never seen) with the right password: 5 failures overall is under 20, so it passes.
    expect((await signIn(wh, { email: 'victim2@example.test', password: 'victim two passphrase', address: '10.0.0.9' }, config, t + 14_000)).ok).toBe(true);
  });

  it("an admin's unlock clears an account's failures from every client", async () => {
    await addUser(wh, { email: 'locked@example.test', role: 'analyst', password: 'locked passphrase x' });
    const t = Date.parse('2026-03-04T10:00:00Z');
    for (let i = 0; i < 25; i++) await signIn(wh, { email: 'locked@example.test', password: `guess ${i}`, address: `10.8.0.${i}` }, config, t + i * 100);
    const before = await signIn(wh, { email: 'locked@example.test', password: 'locked passphrase x', address: '10.9.0.1' }, config, t + 5_000);
    expect(before).toMatchObject({ ok: false, status: 429 });
    await unlockAccount(wh, 'locked@example.test', t + 6_000);
    expect((await signIn(wh, { email: 'locked@example.test', password: 'locked passphrase x', address: '10.9.0.1' }, config, t + 7_000)).ok).toBe(true);
  });
});

describe('the last admin and the self guard', () => {
  it('the last active admin can be neither demoted nor disabled (CLI and web alike)', async () => {
    const fresh = await Warehouse.open(join(dir, 'admins.duckdb'));
    try {
      await addUser(fresh, { email: 'only@example.test', role: 'admin', password: 'only admin passphrase' });
      await expect(setRole(fresh, 'ONLY@example.test', 'analyst')).rejects.toThrow(new UserError('only@example.test is the last active admin; make someone else admin first'));
      await expect(setDisabled(fresh, 'only@example.test', true)).rejects.toThrow(UserError);
      expect((await findUserByEmail(fresh, 'only@example.test'))?.role).toBe('admin');
      // With a second active admin, either may go; two demotions at once leave one.
      await addUser(fresh, { email: 'second@example.test', role: 'admin', password: 'second admin passphrase' });
      const both = await Promise.allSettled([setRole(fresh, 'only@example.test', 'analyst'), setRole(fresh, 'second@example.test', 'analyst')]);
      expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const [{ n }] = await fresh.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM users WHERE role = 'admin' AND NOT disabled");
      expect(n).toBe(1);
    } finally {
      fresh.close();
    }
  });
});

describe('passwords', () => {
  it('refuses a password of ten spaces and passwords from the breached/common list', () => {
    expect(passwordProblem(' '.repeat(10))).toBe('a password cannot be only spaces');
    // Both are at least 10 characters, so the length rule alone let them through.
    expect(passwordProblem('password1234')).toMatch(/common or breached/);
    expect(passwordProblem('Qwertyuiop')).toMatch(/common or breached/);
    expect(passwordProblem('a long and personal passphrase')).toBeNull();
  });
});

describe('demo accounts on a network', () => {
  it('are on by default only when the server listens on the loopback', () => {
    expect(authConfig({ HOST: '127.0.0.1' }).demoAccounts).toBe(true);
    expect(authConfig({ HELPDESK_BIND_HOST: 'localhost' }).demoAccounts).toBe(true);
    expect(authConfig({ HOST: '0.0.0.0' }).demoAccounts).toBe(false);
    expect(authConfig({}).demoAccounts, "adapter-node's default bind is 0.0.0.0").toBe(false);
    expect(authConfig({ HOST: '0.0.0.0', HELPDESK_DEMO_ACCOUNTS: '1' }).demoAccounts).toBe(true);
    expect(isLoopback('::1') && isLoopback('127.0.0.2') && !isLoopback('10.0.0.1')).toBe(true);
  });

  it('existing demo accounts stop signing in and lose their sessions when the server is exposed', async () => {
    const demo = await Warehouse.open(join(dir, 'demo.duckdb'));
    try {
      await demo.run("INSERT INTO warehouse_meta VALUES ('demo.generator_version', '1.0.0')");
      await ensureDemoAccounts(demo);
      const exposed = authConfig({ HOST: '0.0.0.0' });
      const r = await signIn(demo, { email: 'admin@demo.local', password: 'demo-admin', address: '203.0.113.9' }, exposed);
      expect(r).toMatchObject({ ok: false, status: 401 });
      const user = await findUserByEmail(demo, 'admin@demo.local');
      const { token } = await createSession(demo, user!.id, config);
      expect(await userForToken(demo, token, config)).not.toBeNull();
      expect(await userForToken(demo, token, exposed)).toBeNull();
    } finally {
      demo.close();
    }
  });
});

describe('allowed hosts', () => {
  it('default to the bound address and localhost; a wildcard bind adds the machine names', () => {
    expect(defaultAllowedHosts('127.0.0.1', { hostname: 'box', addresses: ['10.0.0.5'] })).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(defaultAllowedHosts('0.0.0.0', { hostname: 'Box', addresses: ['10.0.0.5', 'fe80::1'] })).toEqual(['localhost', '127.0.0.1', '[::1]', 'box', '10.0.0.5', '[fe80::1]']);
    const allowed = authConfig({ HOST: '127.0.0.1' }).allowedHosts;
    expect(hostAllowed('localhost:3000', allowed)).toBe(true);
    expect(hostAllowed('[::1]:3000', allowed)).toBe(true);
    expect(hostAllowed('rebind.attacker.example:3000', allowed)).toBe(false);
    expect(hostAllowed('', allowed)).toBe(false);
    expect(authConfig({ HELPDESK_ALLOWED_HOSTS: 'helpdesk.example.com' }).allowedHosts).toEqual(['helpdesk.example.com']);
    expect(authConfig({ ORIGIN: 'https://help.example.com' }).allowedHosts).toContain('help.example.com');
  });
});

describe('hooks.server.ts: rebinding and the audit log', () => {
  let handle: typeof import('../src/hooks.server.ts').handle;
  let closeWarehouse: () => Promise<void>;
  let token = '';
  let db: string;

  beforeAll(async () => {
    db = join(dir, 'hooks.duckdb');
    process.env.HELPDESK_DB = db;
    process.env.HOST = '127.0.0.1';
    const fresh = await Warehouse.open(db);
    await fresh.run("INSERT INTO warehouse_meta VALUES ('demo.generator_version', '1.0.0')");
    const user = await addUser(fresh, { email: 'sup@example.test', role: 'supervisor', password: 'supervisor passphrase' });
    token = (await createSession(fresh, user.id, authConfig({}))).token;
    fresh.close();
    ({ handle } = await import('../src/hooks.server.ts'));
    ({ closeWarehouse } = await import('../src/lib/server/warehouse.ts'));
  });
  afterAll(async () => {
    await closeWarehouse?.();
    delete process.env.HOST;
  });

  function event(url: URL, routeId: string, init: { method?: string; headers?: Record<string, string>; cookie?: string; isDataRequest?: boolean; params?: Record<string, string> } = {}) {
    const cookies = { get: (name: string) => (name === sessionCookie ? init.cookie : undefined) } as unknown as Cookies;
    return {
      request: new Request(url, { method: init.method ?? 'GET', headers: { host: url.host, ...init.headers } }),
      url, route: { id: routeId }, params: init.params ?? {}, locals: {}, cookies, isDataRequest: !!init.isDataRequest, isSubRequest: false,
      getClientAddress: () => '127.0.0.1', setHeaders: () => undefined, platform: undefined, fetch,
    } as unknown as RequestEvent;
  }

  it('a rebound name (Host: attacker) cannot sign in with the demo password or reach /setup', async () => {
    for (const [path, method] of [['/login', 'POST'], ['/setup', 'POST'], ['/setup', 'GET']] as const) {
      const url = new URL(`http://rebind.attacker.example:3000${path}`);
      let reached = false;
      const response = await handle({
        event: event(url, path, { method, headers: { origin: url.origin, 'content-type': 'application/x-www-form-urlencoded' } }),
        resolve: async () => {
          reached = true;
          return new Response('ok');
        },
      });
      expect(reached, `${method} ${path}`).toBe(false);
      expect(response.status).toBe(421);
    }
    // The same request addressed to localhost is let through to the page.
    const url = new URL('http://localhost:3000/login');
    const ok = await handle({ event: event(url, '/login', { method: 'POST', headers: { origin: url.origin } }), resolve: async () => new Response('ok') });
    expect(ok.status).toBe(200);
  });

  it('an admin cannot demote or disable themself by writing their email in another letter case', async () => {
    const { requireWarehouse } = await import('../src/lib/server/warehouse.ts');
    const wh2 = await requireWarehouse();
    const me = await addUser(wh2, { email: 'boss@example.test', role: 'admin', password: 'boss passphrase here' });
    await addUser(wh2, { email: 'other-admin@example.test', role: 'admin', password: 'other admin passphrase' });
    const { actions } = await import('../src/routes/admin/users/+page.server.ts');
    const post = (action: 'setRole' | 'disable', fields: Record<string, string>) => {
      const url = new URL(`http://localhost:3000/admin/users?/${action}`);
      const ev = event(url, '/admin/users', { method: 'POST' });
      const request = new Request(url, { method: 'POST', body: new URLSearchParams(fields) });
      return (actions[action] as (e: unknown) => Promise<unknown>)({ ...ev, request, locals: { user: me } });
    };
    expect(await post('setRole', { email: ' BOSS@Example.TEST ', role: 'agent' })).toMatchObject({ status: 400, data: { message: 'you cannot change your own role (another admin can)' } });
    expect(await post('disable', { email: 'Boss@example.test' })).toMatchObject({ status: 400, data: { message: 'you cannot disable your own account' } });
    const after = await findUserByEmail(wh2, 'boss@example.test');
    expect([after?.role, after?.disabled]).toEqual(['admin', false]);
  });

  async function auditRows(): Promise<number> {
    const { requireWarehouse } = await import('../src/lib/server/warehouse.ts');
    const [{ n }] = await (await requireWarehouse()).all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM audit_log WHERE action = 'interaction.view'");
    return n;
  }

  it('a refused or missing __data.json view is not written to the audit log; a served one is', async () => {
    const url = new URL('http://localhost:3000/interactions/nope/__data.json');
    const send = (body: string) =>
      handle({
        event: event(url, '/interactions/[id]', { cookie: token, isDataRequest: true, params: { id: 'nope' } }),
        resolve: async () => new Response(body, { headers: { 'content-type': 'application/json' } }),
      });
    const before = await auditRows();
    // What SvelteKit answers (status 200) when the load threw a 404, and when it redirected.
    await send('{"type":"data","nodes":[{"type":"data","data":[{}],"uses":{}},{"type":"error","error":{"message":"There is no interaction nope."},"status":404}]}');
    await send('{"type":"redirect","location":"/login"}');
    expect(await auditRows()).toBe(before);
    await send('{"type":"data","nodes":[{"type":"data","data":[{}],"uses":{}},{"type":"data","data":[{"view":1},1],"uses":{}}]}');
    expect(await auditRows()).toBe(before + 1);
  });
});
