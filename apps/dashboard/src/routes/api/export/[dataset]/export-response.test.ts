import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHttpError } from '@sveltejs/kit';
import { Type, tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { Warehouse } from '@helpdesk/core';
import { buildDemoWarehouse } from '@helpdesk/demo-data';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerExportDatasets } from '$lib/server/export-datasets';
import { exportResponse } from './export-response';

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-export-endpoint-'));
let warehouse: Warehouse;
beforeAll(async () => {
  await buildDemoWarehouse(join(dir, 'demo.duckdb'), { seed: 7, interactions: 400, days: 10 });
  warehouse = await Warehouse.open(join(dir, 'demo.duckdb'));
  registerExportDatasets();
});
afterAll(() => {
  warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (dataset: string, query: string, mayIncludePii = false, key?: string) =>
  exportResponse({ warehouse, dataset, searchParams: new URLSearchParams(query), mayIncludePii, key });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (reason) {
    if (isHttpError(reason)) return { status: reason.status, message: reason.body.message };
    throw reason;
  }
  throw new Error('expected a refusal');
}

describe('GET /api/export/<dataset>', () => {
  test('streams Arrow IPC whose rows and values equal the warehouse', async () => {
    const response = await get('interactions', 'format=arrows&channel=chat,phone&from=2026-10-25');
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    // The same filter in plain SQL: chat and phone contacts from 2026-10-25 00:00 UTC on.
    const expected = await warehouse.all<{ n: number; waits: number; csat: number }>(
      `SELECT count(*) AS n, round(sum(coalesce(queue_wait_seconds, 0)), 3) AS waits, sum(coalesce(csat_score, 0)) AS csat
       FROM interactions WHERE channel IN ('chat', 'phone') AND created_at >= TIMESTAMPTZ '2026-10-25 00:00:00+00'`,
    );
    expect(expected[0].n).toBeGreaterThan(0);
    expect(table.numRows).toBe(expected[0].n);
    let waits = 0, csat = 0;
    const channels = new Set<string>();
    for (const row of table) {
      waits += row.queue_wait_seconds ?? 0;
      csat += row.csat_score ?? 0;
      channels.add(row.channel);
      // Timestamps arrive as epoch milliseconds at UTC.
      expect(row.created_at).toBeGreaterThanOrEqual(Date.UTC(2026, 9, 25));
    }
    expect(Math.round(waits * 1000) / 1000).toBe(expected[0].waits);
    expect(csat).toBe(expected[0].csat);
    expect([...channels].sort()).toEqual(['chat', 'phone']);
    expect(table.schema.fields.find((f) => f.name === 'channel')!.type.typeId).toBe(Type.Dictionary);
  });

  test('Parquet downloads read back with hyparquet and the temp folder is gone afterwards', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('helpdesk-http-export-')).length;
    const response = await get('events', 'format=parquet&channel=email');
    const bytes = await response.arrayBuffer();
    const rows = (await parquetReadObjects({ file: bytes, compressors })) as Record<string, unknown>[];
    const [{ n }] = await warehouse.all<{ n: number }>("SELECT count(*) AS n FROM events e JOIN interactions i ON i.id = e.interaction_id WHERE i.channel = 'email'");
    expect(rows).toHaveLength(n);
    expect(response.headers.get('x-export-rows')).toBe(String(n));
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['email']));
    // Message bodies are redacted by default.
    expect(new Set(rows.filter((r) => r.body !== null).map((r) => r.body))).toEqual(new Set(['[redacted]']));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the file stream closes after the last read
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('helpdesk-http-export-')).length).toBe(before);
  });

  test('pii=hash gives HMAC-SHA256 of the normalized email under the server key', async () => {
    const response = await get('customers', 'format=arrow&pii=hash', false, 'endpoint-test-key');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    const emails = await warehouse.all<{ value: string }>("SELECT value FROM identities WHERE kind = 'email'");
    expect(emails.length).toBeGreaterThan(0);
    const exported: string[] = [];
    for (const row of table) {
      if (row.kind === 'email') exported.push(row.value);
      // Sighting ids embed the identifier (`<contact>:email:<address>`), so they are hashed too.
      expect(row.identity_id).toMatch(/^[0-9a-f]{64}$/);
    }
    const expected = emails.map(({ value }) => createHmac('sha256', 'endpoint-test-key').update(value.trim().toLowerCase()).digest('hex'));
    expect(exported.sort()).toEqual(expected.sort());
  });

  test('the daily KPI table is served with the reporting time zone option', async () => {
    const response = await get('kpi_daily', 'format=arrows&from=2026-10-28&to=2026-10-29&tz=Europe/Berlin');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    const days = new Set<string>();
    for (const row of table) days.add(new Date(row.day).toISOString().slice(0, 10));
    expect([...days].sort()).toEqual(['2026-10-28', '2026-10-29']);
    // volume per day summed over channels = interactions created that Berlin day (UTC+1 after 25 Oct).
    const [{ n }] = await warehouse.all<{ n: number }>(
      "SELECT count(*) AS n FROM interactions WHERE created_at >= TIMESTAMPTZ '2026-10-27 23:00:00+00' AND created_at < TIMESTAMPTZ '2026-10-29 23:00:00+00'",
    );
    let volume = 0;
    for (const row of table) volume += row.volume ?? 0;
    expect(volume).toBe(n);
  });

  test.each([
    ['nope', 'format=arrows', 400, /unknown dataset "nope"/],
    ['events', 'format=xlsx', 400, /format must be one of/],
    ['events', 'from=2026-02-30', 400, /not a calendar date/],
    ['events', 'channel=fax', 400, /channels/],
    ['events', 'pii=everything', 400, /pii must be/],
    ['events', 'pii=include', 403, /export\.pii/],
    ['routing_replay', 'format=arrows', 400, /needs --option ruleset/],
    // Refused before a byte streams (these used to start a 200 Arrow stream and then drop it, or run for seconds).
    ['kpi_daily', 'format=arrows&tz=Mars/Olympus_Mons', 400, /option tz: must be an IANA time zone/],
    ['kpi_daily', 'format=csv&from=1976-01-01&to=2026-01-01', 400, /at most 366 days/],
    ['kpi_daily', 'format=arrows&business_hours=maybe', 400, /must be true or false/],
  ])('%s?%s is refused with %i', async (dataset, query, status, message) => {
    const refused = await refusal(get(dataset, query));
    expect(refused.status).toBe(status);
    expect(refused.message).toMatch(message);
  });

  test('one person runs at most two exports at once; a third is a 429 until one ends', async () => {
    const user = 'user-1';
    // CSV responses hold their slot until the file has been read (or the download abandoned).
    const first = await exportResponse({ warehouse, dataset: 'events', searchParams: new URLSearchParams('format=csv'), mayIncludePii: false, user });
    const second = await exportResponse({ warehouse, dataset: 'cases', searchParams: new URLSearchParams('format=csv'), mayIncludePii: false, user });
    const third = await refusal(exportResponse({ warehouse, dataset: 'cases', searchParams: new URLSearchParams('format=csv'), mayIncludePii: false, user }));
    expect(third).toEqual({ status: 429, message: 'At most 2 exports or simulations at once per person: wait for one to finish.' });
    // Someone else is not held up by user-1.
    await (await exportResponse({ warehouse, dataset: 'cases', searchParams: new URLSearchParams('format=csv'), mayIncludePii: false, user: 'user-2' })).text();
    await first.text();
    await second.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the file streams close on the next ticks
    const again = await exportResponse({ warehouse, dataset: 'cases', searchParams: new URLSearchParams('format=csv'), mayIncludePii: false, user });
    expect((await again.text()).split('\n')[0]).toMatch(/^id,/);
  });

  test('an export whose client has gone away is interrupted and leaves no file', async () => {
    const ours = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('helpdesk-http-export-')));
    const before = ours();
    const abort = new AbortController();
    abort.abort();
    const refused = await refusal(exportResponse({ warehouse, dataset: 'events', searchParams: new URLSearchParams('format=parquet'), mayIncludePii: false, user: 'user-3', signal: abort.signal }));
    expect(refused.message).toBe('the export was cancelled');
    expect([...ours()].filter((f) => !before.has(f))).toEqual([]);
    // Its slot was given back: user-3 can run two more at once.
    for (const dataset of ['cases', 'events']) {
      const response = await exportResponse({ warehouse, dataset, searchParams: new URLSearchParams('format=csv'), mayIncludePii: false, user: 'user-3' });
      await response.text();
    }
  });

  test('pii=include is served when the caller may see PII', async () => {
    const response = await get('customers', 'format=arrows&pii=include', true);
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    const [{ value }] = await warehouse.all<{ value: string }>("SELECT value FROM identities WHERE kind = 'email' LIMIT 1");
    expect(table.toArray().some((row) => row.value === value)).toBe(true);
  });
});
