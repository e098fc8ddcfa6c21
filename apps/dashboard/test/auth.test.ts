import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { authConfig, ssoEmail } from '../src/lib/server/auth/config.ts';
import { demoAccounts, ensureDemoAccounts, isDemoWarehouse } from '../src/lib/server/auth/demo-accounts.ts';
import { signIn } from '../src/lib/server/auth/login.ts';
import { hashPassword, verifyPassword } from '../src/lib/server/auth/passwords.ts';
import { can, decide } from '../src/lib/server/auth/permissions.ts';
import { describeWait, throttle } from '../src/lib/server/auth/rate-limit.ts';
import { createSession, sessionExpiry, tokenDigest, userForToken } from '../src/lib/server/auth/sessions.ts';
import { addUser, findUserByEmail, setDisabled, UserError } from '../src/lib/server/auth/users.ts';
import { main } from '../src/cli/main.ts';

// argon2id costs tens of milliseconds per hash by design; on a machine shared by many jobs a few
// dozen of them can pass vitest's 5 s default, so allow more (a hang still fails).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let dir: string;
let wh: Warehouse;
const config = authConfig({ HOST: '127.0.0.1' });
const hour = 3_600_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'helpdesk-auth-'));
  wh = await Warehouse.open(join(dir, 'auth.duckdb'));
});
afterAll(() => {
  wh?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('password hashing (argon2id)', () => {
  it('stores a salted argon2id PHC string that verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a, 'a fresh random salt per hash').not.toBe(b);
    expect(await verifyPassword(a, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(a, 'correct horse batterY')).toBe(false);
  });

  it('a missing or malformed stored hash is a mismatch, not a crash', async () => {
    expect(await verifyPassword(null, 'anything')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });
});

describe('session expiry', () => {
  const created = '2026-03-01T08:00:00.000Z';
  const t0 = Date.parse(created);
  const session = (lastSeenHoursLater: number) => ({ created_at: created, last_seen_at: new Date(t0 + lastSeenHoursLater * hour).toISOString(), expires_at: new Date(t0 + 24 * hour).toISOString() });
  const cfg = { idleMs: 8 * hour, absoluteMs: 24 * hour };

  it('lives while used within the idle limit', () => {
    // last request at +10 h, now +17 h: 7 h idle < 8 h, 17 h < 24 h
    expect(sessionExpiry(session(10), t0 + 17 * hour, cfg)).toBeNull();
  });
  it('ends after the idle limit without a request', () => {
    // last request at +10 h, now +18 h: 8 h idle
    expect(sessionExpiry(session(10), t0 + 18 * hour, cfg)).toBe('idle');
  });
  it('ends at the absolute limit however active', () => {
    // last request a minute ago, but 24 h since sign-in
    expect(sessionExpiry(session(23.98), t0 + 24 * hour, cfg)).toBe('absolute');
  });
});

describe('sessions in the warehouse', () => {
  it('a token finds its user; only the digest is stored', async () => {
    const user = await addUser(wh, { email: 'Sess@Example.test', role: 'analyst', password: 'long enough password' });
    const { token } = await createSession(wh, user.id, config, {}, Date.parse('2026-03-01T08:00:00Z'));
    const rows = await wh.all<{ id: string }>('SELECT id FROM user_sessions WHERE user_id = $1', [user.id]);
    expect(rows).toEqual([{ id: tokenDigest(token) }]);
    expect(rows[0].id).not.toBe(token);
    const found = await userForToken(wh, token, config, Date.parse('2026-03-01T09:00:00Z'));
    expect(found?.user.email).toBe('sess@example.test');
  });

  it('an idle session is refused and removed', async () => {
    const user = await addUser(wh, { email: 'idle@example.test', role: 'analyst', password: 'long enough password' });
    const { token } = await createSession(wh, user.id, config, {}, Date.parse('2026-03-01T08:00:00Z'));
    // default idle limit 480 min: 08:00 + 8 h = 16:00
    expect(await userForToken(wh, token, config, Date.parse('2026-03-01T16:00:00Z'))).toBeNull();
    expect(await wh.all('SELECT * FROM user_sessions WHERE id = $1', [tokenDigest(token)])).toEqual([]);
  });

  it('a disabled account loses its sessions', async () => {
    const user = await addUser(wh, { email: 'gone@example.test', role: 'supervisor', password: 'long enough password' });
    const { token } = await createSession(wh, user.id, config);
    await setDisabled(wh, 'gone@example.test', true);
    expect(await userForToken(wh, token, config)).toBeNull();
  });
});

describe('sign-in throttling', () => {
  const policy = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 50, maxFailuresPerAccountAllClients: 20, windowMs: 15 * 60_000 };

  it('backs off one client of one account after five failures: 30 s, then doubling', () => {
    const now = Date.parse('2026-03-01T10:10:00Z');
    const counts = { pair: 5, lastPair: '2026-03-01T10:09:50Z', address: 5, oldestAddress: null, account: 5, lastAccount: null, knownClient: false };
    // 5 failures: wait 30 s after the last (10:09:50) -> free at 10:10:20, 20 s from now
    expect(throttle(counts, now, policy)).toEqual({ allowed: false, scope: 'account', retryAfterSeconds: 20 });
    // 7 failures: 30 s * 2^2 = 120 s after 10:09:50 -> 10:11:50, 110 s from now
    expect(throttle({ ...counts, pair: 7 }, now, policy)).toEqual({ allowed: false, scope: 'account', retryAfterSeconds: 110 });
    expect(throttle({ ...counts, pair: 4 }, now, policy)).toEqual({ allowed: true });
    expect(describeWait(300)).toBe('5 minutes');
  });

  it('one address guessing many accounts is paused per address', async () => {
    await addUser(wh, { email: 'victim@example.test', role: 'admin', password: 'the real password' });
    const strict = authConfig({ HELPDESK_LOGIN_MAX_FAILURES_PER_ADDRESS: '3' });
    const t = Date.parse('2026-03-03T10:00:00Z');
    for (let i = 0; i < 3; i++) await signIn(wh, { email: `nobody${i}@example.test`, password: 'x', address: '10.9.9.9' }, strict, t + i);
    const r = await signIn(wh, { email: 'victim@example.test', password: 'the real password', address: '10.9.9.9' }, strict, t + 10);
    expect(r).toMatchObject({ ok: false, status: 429 });
    expect(r.ok ? '' : r.message).toContain('your network address');
    // another address is unaffected
    expect((await signIn(wh, { email: 'victim@example.test', password: 'the real password', address: '10.9.9.8' }, strict, t + 20)).ok).toBe(true);
  });

  it('many simultaneous sign-ins of one account all succeed (no write conflict reaches anyone)', async () => {
    await addUser(wh, { email: 'shared@example.test', role: 'leadership', password: 'shared account password' });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(wh, { email: 'shared@example.test', password: 'shared account password', address: `10.2.0.${i}` }, config)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(12);
    const [{ n }] = await wh.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'shared@example.test'");
    expect(n).toBe(12);
  });

  it('an unknown email and a wrong password get the same answer', async () => {
    const a = await signIn(wh, { email: 'nobody@example.test', password: 'whatever', address: '10.1.1.1' }, config);
    const b = await signIn(wh, { email: 'sess@example.test', password: 'whatever', address: '10.1.1.2' }, config);
    expect(a).toEqual(b);
  });
});

describe('demo accounts', () => {
  it('exist only in a warehouse the demo generator marked', async () => {
    expect(await isDemoWarehouse(wh)).toBe(false);
    const demo = await Warehouse.open(join(dir, 'demo.duckdb'));
    try {
      await demo.run("INSERT INTO warehouse_meta VALUES ('demo.generator_version', '1.0.0')");
      expect(await isDemoWarehouse(demo)).toBe(true);
      await ensureDemoAccounts(demo);
      const r = await signIn(demo, { email: 'qa_reviewer@demo.local', password: 'demo-qa_reviewer', address: '127.0.0.1' }, config);
      expect(r.ok && r.user.role).toBe('qa_reviewer');
      expect(demoAccounts.map((a) => a.email)).toEqual(['admin@demo.local', 'supervisor@demo.local', 'qa_lead@demo.local', 'qa_reviewer@demo.local', 'leadership@demo.local', 'analyst@demo.local', 'agent@demo.local']);
    } finally {
      demo.close();
    }
  });
});

describe('accounts', () => {
  it('refuses a duplicate email, an unknown role and a short password with one line each', async () => {
    await expect(addUser(wh, { email: 'SESS@example.test', role: 'admin', password: 'long enough password' })).rejects.toThrow(new UserError('there is already a user sess@example.test'));
    await expect(addUser(wh, { email: 'x@example.test', role: 'boss', password: 'long enough password' })).rejects.toThrow(/is not a role/);
    await expect(addUser(wh, { email: 'y@example.test', role: 'agent', password: 'short' })).rejects.toThrow('a password needs at least 10 characters');
  });

  it('the permission helpers agree with the matrix on PII', () => {
    expect(can('admin', 'export.pii')).toBe(true);
    expect(can('analyst', 'export.pii')).toBe(false);
    expect(can('leadership', 'messages.read')).toBe(false);
    const url = new URL('http://x/api/export/interactions?pii=include');
    expect(decide({ routeId: '/api/export/[dataset]', method: 'GET', action: null, isPage: false, role: 'analyst', url })).toEqual({ allow: false, reason: 'forbidden' });
    expect(decide({ routeId: '/api/export/[dataset]', method: 'GET', action: null, isPage: false, role: 'analyst', url: new URL('http://x/api/export/interactions?pii=hash') })).toEqual({ allow: true });
  });
});

describe('helpdesk users', () => {
  function io(stdin?: string) {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (c) => (stdout += c));
    err.on('data', (c) => (stderr += c));
    return { io: { stdout: out, stderr: err, env: {}, cwd: dir, stdin: stdin === undefined ? undefined : Readable.from([stdin]) }, out: () => stdout, err: () => stderr };
  }
  const db = () => join(dir, 'cli.duckdb');

  it('adds, lists, changes the role of and disables accounts', async () => {
    (await Warehouse.open(db())).close();
    const add = io('a passphrase from stdin\n');
    expect(await main(['users', 'add', '--db', db(), '--email', 'Ana@Example.test', '--role', 'supervisor', '--password-stdin'], add.io)).toBe(0);
    expect(add.out()).toBe('added ana@example.test (supervisor)\n');

    expect(await main(['users', 'set-role', '--db', db(), '--email', 'ana@example.test', '--role', 'admin'], io().io)).toBe(0);
    // The last active admin cannot be disabled: a second admin first (SSO only, no password).
    const last = io();
    expect(await main(['users', 'disable', '--db', db(), '--email', 'ana@example.test'], last.io)).toBe(1);
    expect(last.err()).toContain('ana@example.test is the last active admin');
    expect(await main(['users', 'add', '--db', db(), '--email', 'bo@example.test', '--role', 'admin'], io().io)).toBe(0);
    expect(await main(['users', 'disable', '--db', db(), '--email', 'ana@example.test'], io().io)).toBe(0);
    const list = io();
    expect(await main(['users', 'list', '--db', db(), '--json'], list.io)).toBe(0);
    expect(JSON.parse(list.out())).toMatchObject([{ email: 'ana@example.test', role: 'admin', disabled: true }, { email: 'bo@example.test', role: 'admin', disabled: false }]);

    // The password from stdin is the one stored (the trailing newline is not part of it).
    const wh2 = await Warehouse.open(db());
    try {
      const stored = await findUserByEmail(wh2, 'ana@example.test');
      expect(await verifyPassword(stored!.passwordHash, 'a passphrase from stdin')).toBe(true);
    } finally {
      wh2.close();
    }
  });

  it('bad input is one line and a non-zero exit', async () => {
    const role = io();
    expect(await main(['users', 'add', '--db', db(), '--email', 'b@example.test', '--role', 'boss'], role.io)).toBe(1);
    expect(role.err()).toBe('helpdesk users: "boss" is not a role; roles are admin, supervisor, qa_lead, qa_reviewer, leadership, analyst, agent\n');
    const missing = io();
    expect(await main(['users', 'set-role', '--db', db(), '--email', 'b@example.test'], missing.io)).toBe(2);
    expect(missing.err()).toContain('users set-role needs --role');
    const nobody = io();
    expect(await main(['users', 'disable', '--db', db(), '--email', 'nobody@example.test'], nobody.io)).toBe(1);
    expect(nobody.err()).toBe('helpdesk users: there is no user nobody@example.test\n');
    const noFile = io();
    expect(await main(['users', 'list', '--db', join(dir, 'absent.duckdb')], noFile.io)).toBe(1);
    expect(noFile.err()).toMatch(/^helpdesk users: no warehouse at /);
  });
});

describe('trusted-header single sign-on', () => {
  const headers = new Headers({ 'x-forwarded-email': 'ana@example.test' });

  it('is off unless HELPDESK_SSO_HEADER is set: the header is ignored', () => {
    expect(authConfig({}).sso).toBeNull();
    expect(ssoEmail(authConfig({}), headers, '127.0.0.1')).toBeNull();
  });

  it('when on, is believed only from a trusted proxy address', () => {
    const cfg = authConfig({ HELPDESK_SSO_HEADER: 'X-Forwarded-Email', HELPDESK_SSO_TRUSTED_PROXIES: '10.0.0.5' });
    expect(ssoEmail(cfg, headers, '10.0.0.5')).toBe('ana@example.test');
    expect(ssoEmail(cfg, headers, '10.0.0.6')).toBeNull();
    expect(ssoEmail(cfg, new Headers(), '10.0.0.5')).toBeNull();
  });
});

describe('the address to return to after sign-in', () => {
  it('is a path on this site only (no open redirect)', async () => {
    const { safeNext } = await import('../src/lib/server/auth/runtime.ts');
    expect(safeNext('/customers?q=ana')).toBe('/customers?q=ana');
    for (const hostile of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/x\nSet-Cookie: a=b', '/logout', '/login?next=/']) {
      expect(safeNext(hostile), hostile).toBeNull();
    }
  });
});
