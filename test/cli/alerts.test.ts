import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { startMailSink, type MailSink } from './mail-sink.ts';
import { helpdesk, helpdeskAsync, tempDir } from './run-cli.ts';

/**
 * Alerts end to end through the real CLI: rules in the warehouse, values checked against SQL
 * written here, a webhook receiver on the loopback that checks the HMAC signature and answers 500
 * once (the retry must follow), a real SMTP server (smtp-server) whose messages are parsed, the
 * cooldown (fires once, not twice) and the resolve notification once the value recovers.
 */
const dir = tempDir('helpdesk-alerts-');
const db = join(dir, 'demo.duckdb');
const secret = 'test-webhook-secret';

interface Hook { headers: IncomingMessage['headers']; body: string; status: number }
const hooks: Hook[] = [];
let failNext = 1;
let webhook: Server;
let webhookUrl = '';
let sink: MailSink;

let dataEnd = '';

beforeAll(async () => {
  const built = helpdesk(['demo', '--db', db, '--seed', '7', '--interactions', '1200', '--via', 'direct', '--json']);
  expect(built.status, built.stderr).toBe(0);
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = failNext > 0 ? 500 : 200;
      if (failNext > 0) failNext--;
      hooks.push({ headers: req.headers, body, status });
      res.writeHead(status).end(status === 200 ? 'ok' : 'boom');
    });
  });
  const port = await new Promise<number>((resolve) => webhook.listen(0, '127.0.0.1', () => resolve((webhook.address() as { port: number }).port)));
  webhookUrl = `http://127.0.0.1:${port}/hook`;
  sink = await startMailSink();
  const wh = await Warehouse.open(db);
  [{ last: dataEnd }] = await wh.all<{ last: string }>('SELECT max(created_at) AS last FROM interactions');
  wh.close();
}, 180_000);

afterAll(async () => {
  webhook?.close();
  await sink?.close();
});

const env = () => ({
  HELPDESK_WEBHOOK_SECRET: secret, HELPDESK_SMTP_HOST: '127.0.0.1', HELPDESK_SMTP_PORT: String(sink.port), HELPDESK_SMTP_FROM: 'alerts@helpdesk.test',
  HELPDESK_PUBLIC_URL: 'http://helpdesk.test', HELPDESK_WEBHOOK_RETRY_SECONDS: '0.2,0.4,0.6',
});
const cli = (args: string[]) => helpdeskAsync([...args, '--db', db, '--json'], { env: env() });
async function ok(args: string[]) {
  const r = await cli(args);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}
const minutes = (iso: string, n: number) => new Date(Date.parse(iso) + n * 60_000).toISOString();

describe('helpdesk alerts', () => {
  test('bad rules are refused with one line', async () => {
    const r = await cli(['alerts', 'add', '--name', 'x', '--kind', 'kpi', '--kpi', 'no_such_kpi', '--above', '1']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no_such_kpi/);
    const noThreshold = await cli(['alerts', 'add', '--name', 'x', '--kind', 'quarantine']);
    expect(noThreshold.stderr).toMatch(/threshold/);
  });

  test('run fires a KPI rule with the value SQL gives, delivers one signed webhook after a 500, and one email digest', async () => {
    await ok(['alerts', 'destination', 'add', '--webhook', webhookUrl]);
    await ok(['alerts', 'destination', 'add', '--email', 'lead@example.test']);
    await ok(['alerts', 'destination', 'add', '--email', 'ops@example.test']);
    const volume = await ok(['alerts', 'add', '--name', 'Chat volume spike', '--kind', 'kpi', '--kpi', 'volume', '--channel', 'chat', '--above', '3', '--window', '1440', '--cooldown', '60']);
    const quarantine = await ok(['alerts', 'add', '--name', 'Quarantine growing', '--kind', 'quarantine', '--above', '0', '--window', '60', '--cooldown', '30']);
    expect(volume.id).toMatch(/^rule_/);

    // Independent count: chat interactions created in the day before (and including) the newest one.
    const wh = await Warehouse.open(db);
    const end = new Date(Date.parse(dataEnd) + 1000).toISOString();
    const [{ n: chatDay }] = await wh.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM interactions WHERE channel = 'chat' AND created_at >= $1::TIMESTAMPTZ - INTERVAL 1 DAY AND created_at < $1::TIMESTAMPTZ",
      [end],
    );
    // A quarantined record ten minutes before the evaluation instant below.
    const at = minutes(new Date().toISOString(), 0);
    await wh.run("INSERT INTO quarantine VALUES ('q-test-1', NULL, 'zendesk', 'tickets', '42', 'missing requester', '{}', $1)", [minutes(at, -10)]);
    wh.close();
    expect(chatDay).toBeGreaterThan(3);

    const run = await ok(['alerts', 'run', '--at', at]);
    expect(run.evaluated).toBe(2);
    expect(run.fired.map((f: { rule: string }) => f.rule).sort()).toEqual(['Chat volume spike', 'Quarantine growing']);
    const firedVolume = run.fired.find((f: { rule: string }) => f.rule === 'Chat volume spike');
    expect(firedVolume).toMatchObject({ value: chatDay, threshold: 3 });
    expect(firedVolume.link).toBe(`/interactions?kpi=volume&from=${minutes(end, -1440).slice(0, 10)}&to=${end.slice(0, 10)}&channel=chat`);
    expect(run.fired.find((f: { rule: string }) => f.rule === 'Quarantine growing')).toMatchObject({ value: 1, threshold: 0, link: '/health' });

    // The webhook: first answer 500, then the retry, with the same body, signed over timestamp.body.
    expect(hooks.map((h) => h.status)).toEqual([500, 200]);
    for (const hook of hooks) {
      const expected = 'sha256=' + createHmac('sha256', secret).update(`${hook.headers['x-helpdesk-timestamp']}.${hook.body}`).digest('hex');
      expect(hook.headers['x-helpdesk-signature']).toBe(expected);
    }
    const body = JSON.parse(hooks[1].body);
    expect(body.digest).toBe(true);
    expect(body.text).toMatch(/Chat volume spike/);
    expect(body.events.map((e: { rule: string; value: number }) => [e.rule, e.value]).sort()).toEqual([['Chat volume spike', chatDay], ['Quarantine growing', 1]]);
    expect(body.events[0].link).toMatch(/^http:\/\/helpdesk\.test\//);
    const hookDelivery = run.deliveries.find((d: { kind: string }) => d.kind === 'webhook');
    expect(hookDelivery).toMatchObject({ status: 'sent', attempts: 2, httpStatus: 200 });

    // One email for both recipients: the digest of both firings.
    expect(sink.mails.length).toBe(1);
    const [{ mail, to }] = sink.mails;
    expect(to.sort()).toEqual(['lead@example.test', 'ops@example.test']);
    expect(mail.subject).toBe('[helpdesk] 2 alerts: 2 firing, 0 resolved');
    expect(mail.from?.text).toBe('alerts@helpdesk.test');
    const html = String(mail.html);
    expect(html).toContain(`data-value="${chatDay}"`);
    expect(html).toContain('Quarantine growing');
    expect(mail.text).toMatch(/Digest of 2 alerts/);
  }, 120_000);

  test('within its cooldown a rule in breach does not fire again; it resolves when the value recovers', async () => {
    const now = new Date();
    const again = await ok(['alerts', 'run', '--at', minutes(now.toISOString(), 5), '--no-deliver']);
    // Both still in breach (the quarantined record is 15 minutes old), both inside their cooldowns.
    expect(again.fired).toEqual([]);
    expect(again.resolved).toEqual([]);
    // 80 minutes later the record has left the quarantine rule's hour: resolved. The chat volume
    // rule is past its 60-minute cooldown and still in breach (the data has not moved): reminded.
    const later = await ok(['alerts', 'run', '--at', minutes(now.toISOString(), 80), '--no-deliver']);
    expect(later.resolved).toEqual([expect.objectContaining({ rule: 'Quarantine growing', value: 0, threshold: 0 })]);
    expect(later.fired.map((f: { rule: string }) => f.rule)).toEqual(['Chat volume spike']);
    const history = await ok(['alerts', 'history']);
    const events = history.firings.map((f: { rule: string; event: string }) => `${f.rule}:${f.event}`).sort();
    expect(events).toEqual(['Chat volume spike:fired', 'Chat volume spike:fired', 'Quarantine growing:fired', 'Quarantine growing:resolved']);
  }, 60_000);

  test('a resolve notification is delivered, and a webhook that keeps failing is recorded as failed', async () => {
    // Only the quarantine rule from here on: the chat rule would remind again after its cooldown.
    expect((await ok(['alerts', 'remove', 'Chat volume spike'])).name).toBe('Chat volume spike');
    expect((await ok(['alerts', 'list'])).rules.map((r: { name: string }) => r.name)).toEqual(['Quarantine growing']);
    // An SLA-risk rule with a threshold no demo backlog reaches: evaluated, never fired.
    await ok(['alerts', 'add', '--name', 'SLA risk', '--kind', 'sla', '--above', '100000', '--window', '60']);
    failNext = 10;
    const wh = await Warehouse.open(db);
    const base = new Date(Date.now() + 3 * 3600_000).toISOString();
    await wh.run("INSERT INTO quarantine VALUES ('q-test-2', NULL, 'zendesk', 'tickets', '43', 'bad date', '{}', $1)", [minutes(base, -5)]);
    wh.close();
    const fired = await ok(['alerts', 'run', '--at', base]);
    expect(fired.evaluated).toBe(2);
    expect(fired.fired.map((f: { rule: string }) => f.rule)).toEqual(['Quarantine growing']);
    const slaRule = (await ok(['alerts', 'list'])).rules.find((r: { name: string }) => r.name === 'SLA risk');
    expect(slaRule).toMatchObject({ state: 'ok', threshold: 100000 });
    expect(Number.isInteger(slaRule.lastValue) && slaRule.lastValue >= 0).toBe(true);
    const failed = fired.deliveries.find((d: { kind: string }) => d.kind === 'webhook');
    // The first try and three retries (HELPDESK_WEBHOOK_RETRY_SECONDS), every one answered 500.
    expect(failed).toMatchObject({ status: 'failed', attempts: 4, httpStatus: 500, lastError: 'HTTP 500' });
    failNext = 0;
    const resolved = await ok(['alerts', 'run', '--at', minutes(base, 90)]);
    expect(resolved.resolved.map((f: { rule: string }) => f.rule)).toEqual(['Quarantine growing']);
    const last = sink.mails[sink.mails.length - 1].mail;
    expect(last.subject).toBe('[helpdesk] RESOLVED: Quarantine growing');
    expect(JSON.parse(hooks[hooks.length - 1].body).events).toEqual([expect.objectContaining({ rule: 'Quarantine growing', event: 'resolved', value: 0 })]);
  }, 120_000);

  test('a pipeline rule fires on a stage that failed inside its window, naming the stage and its error', async () => {
    for (const name of ['Quarantine growing', 'SLA risk']) await ok(['alerts', 'remove', name]);
    await ok(['alerts', 'add', '--name', 'Pipeline failing', '--kind', 'pipeline', '--above', '0', '--window', '60', '--cooldown', '30']);
    const at = new Date(Date.now() + 12 * 3600_000).toISOString();
    const wh = await Warehouse.open(db);
    await wh.run("INSERT INTO pipeline_runs VALUES ('run-alert-test', 'sync', $1, $1, 'failed', 'resolve failed')", [minutes(at, -130)]);
    // Inside the hour: a failed resolution (counts) and a succeeded ingest (does not).
    // Two hours before: a failed threading (outside the window, does not count). Expected value: 1.
    await wh.run(
      `INSERT INTO pipeline_stages VALUES
        ('run-alert-test', 1, 'ingest', 'zendesk', NULL, $1, 1.5, 'succeeded', '{}', NULL),
        ('run-alert-test', 2, 'resolve', NULL, NULL, $2, 0.4, 'failed', NULL, 'Out of Memory Error'),
        ('run-alert-test', 3, 'thread', NULL, NULL, $3, 0.1, 'failed', NULL, 'older failure')`,
      [minutes(at, -20), minutes(at, -10), minutes(at, -120)],
    );
    wh.close();
    const run = await ok(['alerts', 'run', '--at', at, '--no-deliver']);
    expect(run.evaluated).toBe(1);
    expect(run.fired).toEqual([expect.objectContaining({ rule: 'Pipeline failing', value: 1, threshold: 0, link: '/sources' })]);
    const history = await ok(['alerts', 'history']);
    const message = JSON.stringify(history);
    expect(message).toMatch(/1 pipeline stage failed in the last hour \(allowed 0\); latest: resolve: Out of Memory Error/);
    // An hour and a half later the failure has left the window: resolved.
    const later = await ok(['alerts', 'run', '--at', minutes(at, 90), '--no-deliver']);
    expect(later.resolved).toEqual([expect.objectContaining({ rule: 'Pipeline failing', value: 0 })]);
  }, 60_000);
});
