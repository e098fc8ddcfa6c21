import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerAuth, defaultEffects, HttpClient, retryAfterMs } from '../src/index.ts';

const servers: { close: () => void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A loopback server answering from a script: one handler per request, in order. */
async function scripted(steps: ((res: import('node:http').ServerResponse) => void)[]) {
  let n = 0;
  let active = 0;
  let maxActive = 0;
  const server = createServer((_req, res) => {
    active++;
    maxActive = Math.max(maxActive, active);
    res.on('close', () => active--);
    (steps[Math.min(n++, steps.length - 1)])(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push({ close: () => { server.closeAllConnections(); server.close(); } });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => n, maxActive: () => maxActive };
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => (res: import('node:http').ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function client(url: string, sleeps: number[], extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  return new HttpClient({ baseUrl: url, auth: bearerAuth('t'), effects: defaultEffects({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 }), baseDelayMs: 100, ...extra });
}

describe('shared HTTP machinery', () => {
  it('retries 5xx with exponential backoff and full jitter: 0.5 x 100, 200, 400 ms', async () => {
    const s = await scripted([json({}, 503), json({}, 502), json({}, 500), json({ ok: true })]);
    const sleeps: number[] = [];
    const http = client(s.url, sleeps);
    expect((await http.getJson('/x')).body).toEqual({ ok: true });
    // random() = 0.5 times min(max, 100 * 2^attempt) for attempts 0, 1, 2.
    expect(sleeps).toEqual([50, 100, 200]);
    expect(http.stats).toMatchObject({ requests: 4, retries: 3 });
  });

  it('honours Retry-After on 429 (seconds and HTTP dates)', async () => {
    const s = await scripted([json({}, 429, { 'retry-after': '3' }), json({ ok: 1 })]);
    const sleeps: number[] = [];
    await client(s.url, sleeps).getJson('/x');
    expect(sleeps).toContain(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), Date.UTC(2026, 0, 1))).toBe(10_000);
  });

  it('pauses when the vendor says no requests remain, before the next request', async () => {
    const s = await scripted([json({ a: 1 }, 200, { 'x-left': '0' }), json({ b: 2 })]);
    const sleeps: number[] = [];
    const http = client(s.url, sleeps, { rateLimit: (h) => (h.get('x-left') === '0' ? 7000 : undefined) });
    await http.getJson('/a');
    await http.getJson('/b');
    expect(sleeps.length).toBe(1);
    expect(sleeps[0]).toBeGreaterThan(6900);
  });

  it('treats a truncated JSON body and a timeout as transient, and gives up after maxRetries with one line', async () => {
    const s = await scripted([(res) => { res.writeHead(200); res.end('{"tickets": [1, 2'); }, () => { /* never answers */ }, json({ done: true })]);
    const sleeps: number[] = [];
    const http = client(s.url, sleeps, { timeoutMs: 150 });
    expect((await http.getJson('/x')).body).toEqual({ done: true });
    expect(http.stats.errors[0]).toMatch(/unparseable JSON body/);
    expect(http.stats.errors[1]).toMatch(/no response within 150 ms/);
    const dead = await scripted([json({}, 500)]);
    await expect(client(dead.url, [], { maxRetries: 2 }).getJson('/y')).rejects.toThrow(/gave up after 3 attempts: 500/);
  });

  it('fails at once on a 4xx other than 401/429, with the vendor message', async () => {
    const s = await scripted([json({ error: 'InvalidEndpoint' }, 404)]);
    await expect(client(s.url, []).getJson('/nope?api_token=secret')).rejects.toThrow(/api_token=\*\*\*.*HTTP 404: \{"error":"InvalidEndpoint"\}/);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const s = await scripted([(res) => setTimeout(() => json({ ok: 1 })(res), 50)]);
    const http = client(s.url, [], { concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => http.getJson(`/p${i}`)));
    expect(s.maxActive()).toBe(2);
  });

  it('renews an OAuth token once on a 401 when the auth can refresh', async () => {
    const s = await scripted([json({ error: 'expired' }, 401), json({ ok: true })]);
    let token = 'old';
    const http = new HttpClient({ baseUrl: s.url, effects: defaultEffects(), auth: { headers: () => ({ authorization: `Bearer ${token}` }), refresh: async () => ((token = 'new'), true) } });
    expect((await http.getJson('/x')).body).toEqual({ ok: true });
    expect(token).toBe('new');
  });
});
