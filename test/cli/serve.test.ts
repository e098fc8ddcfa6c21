import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { helpdesk, tempDir } from './run-cli.ts';
import { startServe } from './serve-process.ts';

/**
 * `helpdesk serve` (what `npm start` runs) serves plain HTTP without an ORIGIN setting: a browser
 * signing in at http://localhost:PORT or http://127.0.0.1:PORT must pass the origin check, and a
 * form posted from another site must not.
 */
const dir = tempDir('helpdesk-serve-');
const db = join(dir, 'demo.duckdb');
let port = 0;
let server: ChildProcess;

beforeAll(async () => {
  const built = helpdesk(['demo', '--db', db, '--seed', '3', '--interactions', '400', '--via', 'direct', '--json']);
  expect(built.status, built.stderr).toBe(0);
  ({ port, process: server } = await startServe(db));
}, 120_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

async function signIn(host: string, origin: string): Promise<Response> {
  return fetch(`http://${host}:${port}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: origin.replace('PORT', String(port)), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'supervisor@demo.local', password: 'demo-supervisor' }),
  });
}

describe('helpdesk serve over plain HTTP', () => {
  test('a sign-in posted from the page itself is accepted under either name of the machine', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const response = await signIn(host, `http://${host}:PORT`);
      expect(response.status, host).toBe(303);
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie, host).toMatch(/^helpdesk_session=/);
      // Plain HTTP: a Secure cookie would never come back from the browser.
      expect(cookie.toLowerCase(), host).not.toContain('secure');
    }
  });

  test('a form posted from another site, or claiming https, is refused', async () => {
    expect((await signIn('localhost', 'http://evil.example')).status).toBe(403);
    expect((await signIn('localhost', 'https://localhost:PORT')).status).toBe(403);
  });
});
