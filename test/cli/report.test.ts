import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { startMailSink, type MailSink } from './mail-sink.ts';
import { helpdesk, helpdeskAsync, tempDir } from './run-cli.ts';

/**
 * Review packs: `helpdesk report weekly --out FILE` writes HTML whose every KPI number equals
 * `helpdesk metrics --json` for the same week (read from both outputs here), and the same pack
 * emailed through a real SMTP server carries the same numbers, its recipients and the chart image.
 */
const dir = tempDir('helpdesk-report-');
const db = join(dir, 'demo.duckdb');
let sink: MailSink;
const week = { from: '2026-10-19', to: '2026-10-25' };

beforeAll(async () => {
  const built = helpdesk(['demo', '--db', db, '--seed', '11', '--interactions', '2500', '--via', 'direct', '--json']);
  expect(built.status, built.stderr).toBe(0);
  sink = await startMailSink();
}, 180_000);

afterAll(async () => {
  await sink?.close();
});

type Cell = { channel: string; kpi: string; value: number | null };
/** Every KPI cell of a pack: data-channel, data-kpi and data-value, in the order they appear. */
function cells(html: string): Cell[] {
  return [...html.matchAll(/data-channel="([^"]+)" data-kpi="([^"]+)" data-value="([^"]*)"/g)].map((m) => ({ channel: m[1], kpi: m[2], value: m[3] === '' ? null : Number(m[3]) }));
}

function metricsCells(kpiIds: string[]): Cell[] {
  const r = helpdesk(['metrics', '--from', week.from, '--to', week.to, '--by', 'channel', '--kpi', kpiIds.join(','), '--db', db, '--json']);
  expect(r.status, r.stderr).toBe(0);
  const card = JSON.parse(r.stdout) as { rows: Record<string, number | string | null>[] };
  const out: Cell[] = [];
  for (const row of card.rows) for (const id of kpiIds) if (id in row) out.push({ channel: String(row.channel), kpi: id, value: row[id] === null ? null : Number(row[id]) });
  return out;
}

describe('helpdesk report', () => {
  test('the weekly HTML file shows the numbers `helpdesk metrics --json` gives for the same week', async () => {
    const out = join(dir, 'weekly.html');
    const r = helpdesk(['report', 'weekly', '--from', week.from, '--to', week.to, '--out', out, '--db', db, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h1>Weekly KPI review: 2026-10-19 – 2026-10-25</h1>');
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/]{1000,}/);
    const shown = cells(html);
    const ids = [...new Set(shown.map((c) => c.kpi))];
    expect(ids).toEqual(expect.arrayContaining(['volume', 'fcr', 'csat', 'abandonment_rate', 'first_response_time', 'aht']));
    const fromCli = metricsCells(ids);
    // Each channel shows the KPIs that apply to it: compare cell by cell wherever the pack shows one.
    const key = (c: Cell) => `${c.channel}/${c.kpi}`;
    const cli = new Map(fromCli.map((c) => [key(c), c.value]));
    expect(shown.length).toBeGreaterThan(25);
    for (const c of shown) expect([key(c), c.value]).toEqual([key(c), cli.get(key(c))]);
    // Volume by hand: interactions created that week, per channel.
    const wh = await Warehouse.open(db, { readOnly: true });
    const counts = await wh.all<{ channel: string; n: number }>(
      "SELECT channel, count(*)::INTEGER AS n FROM interactions WHERE created_at >= '2026-10-19T00:00:00Z' AND created_at < '2026-10-26T00:00:00Z' GROUP BY channel",
    );
    wh.close();
    for (const { channel, n } of counts) expect(shown.find((c) => c.channel === channel && c.kpi === 'volume')?.value).toBe(n);
  }, 120_000);

  test('the weekly review emailed over SMTP: subject, recipients, the same numbers, the chart attached', async () => {
    const r = await helpdeskAsync(['report', 'weekly', '--from', week.from, '--to', week.to, '--email', 'lead@example.test,cx@example.test', '--db', db, '--json'], {
      env: { HELPDESK_SMTP_HOST: '127.0.0.1', HELPDESK_SMTP_PORT: String(sink.port), HELPDESK_SMTP_FROM: 'reports@helpdesk.test' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).deliveries).toEqual([expect.objectContaining({ kind: 'email', status: 'sent' })]);
    expect(sink.mails.length).toBe(1);
    const [{ mail, to }] = sink.mails;
    expect(mail.subject).toBe('[helpdesk] Weekly KPI review: 2026-10-19 – 2026-10-25');
    expect(to.sort()).toEqual(['cx@example.test', 'lead@example.test']);
    const html = String(mail.html);
    const png = mail.attachments.find((a) => a.contentType === 'image/png');
    expect(png?.cid).toBe('volume-trend@helpdesk');
    expect(html).toContain('src="cid:volume-trend@helpdesk"');
    // PNG signature, and an image of some size (a chart, not an empty canvas).
    expect(png!.content.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png!.content.length).toBeGreaterThan(5000);
    const shown = cells(html);
    const cli = new Map(metricsCells([...new Set(shown.map((c) => c.kpi))]).map((c) => [`${c.channel}/${c.kpi}`, c.value]));
    for (const c of shown) expect(c.value).toBe(cli.get(`${c.channel}/${c.kpi}`));
    expect(mail.text).toMatch(/^Weekly KPI review: 2026-10-19 – 2026-10-25 \(UTC\)/);
  }, 120_000);

  test('a pack without SMTP settings fails with one line; a bad range is a usage error', async () => {
    const noSmtp = helpdesk(['report', 'daily', '--email', 'a@example.test', '--db', db], { env: { HELPDESK_SMTP_HOST: '' } });
    expect(noSmtp.status).not.toBe(0);
    expect(noSmtp.stderr).toMatch(/HELPDESK_SMTP_HOST/);
    const bad = helpdesk(['report', 'weekly', '--from', 'last-week', '--out', join(dir, 'x.html'), '--db', db]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--from must be a day YYYY-MM-DD, got "last-week"/);
  }, 60_000);
});
