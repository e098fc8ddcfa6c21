import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { beforeAll, describe, expect, test } from 'vitest';
import { helpdesk, rawQuery, repoRoot, tempDir } from './run-cli.ts';

const dir = tempDir('helpdesk-cli-export-');
const db = join(dir, 'demo.duckdb');

/** Plain SQL through the raw driver, independently of @helpdesk/core and the export code. */
const query = <T = Record<string, unknown>>(sql: string): Promise<T[]> => rawQuery<T>(db, sql);

function files(root: string): string[] {
  if (statSync(root).isFile()) return [root];
  return readdirSync(root).flatMap((name) => files(join(root, name)));
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function expectUsageError(result: { status: number | null; stderr: string }, pattern: RegExp) {
  expect(result.status).toBe(2);
  expect(result.stderr.split('\n')[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  const demo = helpdesk(['demo', '--db', db, '--seed', '5', '--interactions', '600', '--days', '14', '--json']);
  expect(demo.status, demo.stderr).toBe(0);
}, 60_000);

describe('helpdesk export', () => {
  test('parquet partitioned by date and channel: every file reads back with hyparquet, rows and checksums match', async () => {
    const out = join(dir, 'pq');
    const run = helpdesk(['export', 'events', '--db', db, '--format', 'parquet', '--out', out, '--partition', 'date,channel',
      '--from', '2026-10-25', '--to', '2026-10-27', '--channel', 'chat,email', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(run.stdout);
    // The same filter in plain SQL: events of chat and email interactions on 25-27 October (UTC days).
    const expected = await query<{ n: number; seq_sum: number }>(
      `SELECT count(*)::INTEGER AS n, sum(e.seq)::INTEGER AS seq_sum FROM events e JOIN interactions i ON i.id = e.interaction_id
       WHERE i.channel IN ('chat', 'email') AND e.occurred_at >= '2026-10-25 00:00:00+00' AND e.occurred_at < '2026-10-28 00:00:00+00'`,
    );
    expect(expected[0].n).toBeGreaterThan(0);
    expect(manifest).toMatchObject({ dataset: 'events', format: 'parquet', rowCount: expected[0].n, partitionBy: ['date', 'channel'],
      filters: { from: '2026-10-25', to: '2026-10-27', channels: ['chat', 'email'] }, pii: { mode: 'redact' } });
    const written = files(join(out, 'events.parquet'));
    expect(written.length).toBeGreaterThan(1);
    let rows = 0, seqSum = 0;
    for (const path of written) {
      // Hive layout: events.parquet/date=YYYY-MM-DD/channel=<channel>/data_N.parquet
      const [, day, channel] = /date=(\d{4}-\d{2}-\d{2})\/channel=(\w+)\//.exec(relative(out, path))!;
      expect(['2026-10-25', '2026-10-26', '2026-10-27']).toContain(day);
      expect(['chat', 'email']).toContain(channel);
      const data = readFileSync(path);
      const objects = (await parquetReadObjects({ file: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), compressors })) as Record<string, unknown>[];
      rows += objects.length;
      for (const o of objects) seqSum += o.seq as number;
      const entry = manifest.files.find((f: { path: string }) => f.path === relative(out, path));
      expect(entry).toMatchObject({ bytes: data.byteLength, sha256: sha256(path), rows: objects.length });
    }
    expect(rows).toBe(expected[0].n);
    expect(seqSum).toBe(expected[0].seq_sum);
  });

  test.each([
    ['arrow', 'events.arrow'],
    ['arrow-stream', 'events.arrows'],
  ])('%s reads back with apache-arrow with the warehouse rows', async (format, file) => {
    const out = join(dir, format);
    const run = helpdesk(['export', 'events', '--db', db, '--format', format, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Wrote [\d,]+ rows of events as /);
    const table = tableFromIPC(readFileSync(join(out, file)));
    const [{ n, seq_sum, csat }] = await query<{ n: number; seq_sum: number; csat: number }>(
      "SELECT count(*)::INTEGER AS n, sum(seq)::INTEGER AS seq_sum, sum(value_num) FILTER (WHERE type = 'csat')::DOUBLE AS csat FROM events",
    );
    expect(table.numRows).toBe(n);
    let seqSum = 0, csatSum = 0;
    for (const row of table) {
      seqSum += row.seq;
      if (row.type === 'csat') csatSum += row.value_num;
    }
    expect(seqSum).toBe(seq_sum);
    expect(csatSum).toBeCloseTo(csat, 6);
    const manifest = JSON.parse(readFileSync(join(out, `${file}.manifest.json`), 'utf8'));
    expect(manifest.files[0].sha256).toBe(sha256(join(out, file)));
  });

  test('csv of customers: redacted by default, hashed with the key from the environment, included on request', async () => {
    const emails = (await query<{ id: string; value: string }>("SELECT id, value FROM identities WHERE kind = 'email'"));
    expect(emails.length).toBeGreaterThan(0);
    const csv = (pii: string, env: Record<string, string> = {}) => {
      const out = join(dir, `csv-${pii}`);
      const run = helpdesk(['export', 'customers', '--db', db, '--format', 'csv', '--out', out, '--pii', pii], { env });
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(join(out, 'customers.csv'), 'utf8');
    };
    const redacted = csv('redact');
    for (const { value } of emails) expect(redacted).not.toContain(value);
    const hashed = csv('hash', { HELPDESK_EXPORT_KEY: 'cli-test-key' });
    for (const { value } of emails.slice(0, 20)) {
      expect(hashed).not.toContain(value);
      expect(hashed).toContain(createHmac('sha256', 'cli-test-key').update(value.trim().toLowerCase()).digest('hex'));
    }
    const included = csv('include');
    for (const { value } of emails.slice(0, 20)) expect(included).toContain(value);
  });

  test('the daily KPI table equals `helpdesk metrics --by day,channel` and stamps the registry version', async () => {
    const out = join(dir, 'kpi');
    const run = helpdesk(['export', 'kpi_daily', '--db', db, '--format', 'parquet', '--out', out, '--from', '2026-10-24', '--to', '2026-10-26', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(run.stdout);
    const metrics = helpdesk(['metrics', '--db', db, '--by', 'day,channel', '--from', '2026-10-24', '--to', '2026-10-26', '--json']);
    const card = JSON.parse(metrics.stdout);
    expect(manifest).toMatchObject({ metricRegistryVersion: card.registryVersion, reportingTimeZone: 'UTC', rowCount: card.rows.length });
    const data = readFileSync(join(out, 'kpi_daily.parquet'));
    const rows = (await parquetReadObjects({ file: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), compressors })) as Record<string, unknown>[];
    for (const expected of card.rows) {
      const row = rows.find((r) => (r.day as Date).toISOString().startsWith(expected.day) && r.channel === expected.channel)!;
      for (const kpi of ['volume', 'first_response_time', 'csat', 'fcr', 'abandonment_rate']) expect(row[kpi]).toBe(expected[kpi]);
    }
  });

  test('the routing replay export agrees with `helpdesk routing replay`', async () => {
    const out = join(dir, 'replay');
    const ruleset = join(repoRoot, 'data/rulesets/demo.yaml');
    const run = helpdesk(['export', 'routing_replay', '--db', db, '--format', 'arrow', '--out', out, '--option', `ruleset=${ruleset}`, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(helpdesk(['routing', 'replay', '--db', db, '--rules', ruleset, '--json']).stdout);
    const table = tableFromIPC(readFileSync(join(out, 'routing_replay.arrow')));
    let agreed = 0, compared = 0, fixed = 0;
    for (const row of table) {
      if (row.actual_first_queue !== null) compared++;
      if (row.agrees) agreed++;
      if (row.fixes_misroute) fixed++;
    }
    expect({ interactions: table.numRows, compared, agreed, fixed }).toEqual({
      interactions: summary.interactions, compared: summary.compared, agreed: summary.agreed, fixed: summary.misroutes.fixedByRuleset,
    });
  });

  test('a progress bar is drawn on a terminal, and not when stderr is a pipe', () => {
    const out = join(dir, 'tty');
    // `script` gives the CLI a pseudo-terminal, as a user's shell would.
    const cli = [process.execPath, join(repoRoot, 'apps/dashboard/bin/helpdesk.js'), 'export', 'events', '--db', db, '--format', 'arrow', '--out', out].map((a) => `'${a}'`).join(' ');
    const tty = spawnSync('script', ['-qec', cli, '/dev/null'], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, INIT_CWD: repoRoot }, timeout: 60_000 });
    expect(tty.status, tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/export events \[[█░]+\] 100%/);
    const piped = helpdesk(['export', 'events', '--db', db, '--format', 'arrow', '--out', join(dir, 'piped')]);
    expect(piped.stderr).toBe('');
  });

  test.each([
    [['export', 'nope', '--format', 'csv', '--out', 'x'], /unknown dataset "nope"; known: .*events/],
    [['export', 'events', '--format', 'xlsx', '--out', 'x'], /--format must be one of parquet, arrow, arrow-stream, csv, got "xlsx"/],
    [['export', 'events', '--format', 'csv'], /--out <dir> is required/],
    [['export', 'events', '--format', 'arrow', '--out', 'x', '--partition', 'date'], /--partition applies to parquet and csv/],
    [['export', 'events', '--format', 'csv', '--out', 'x', '--from', '2026-02-30'], /not a calendar date/],
    [['export', 'routing_replay', '--format', 'csv', '--out', 'x'], /needs --option ruleset=/],
    [['export', 'events', '--format', 'csv', '--out', 'x', '--option', 'ruleset'], /--option takes name=value/],
  ])('%j is a usage error with one clear line', (args, pattern) => {
    const run = helpdesk([...args, '--db', db], { cwd: dir });
    expectUsageError(run, pattern);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  test('an existing export is not overwritten without --force', () => {
    const out = join(dir, 'force');
    expect(helpdesk(['export', 'cases', '--db', db, '--format', 'csv', '--out', out]).status).toBe(0);
    const again = helpdesk(['export', 'cases', '--db', db, '--format', 'csv', '--out', out]);
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/already exists; pass --force/);
    expect(helpdesk(['export', 'cases', '--db', db, '--format', 'csv', '--out', out, '--force']).status).toBe(0);
  });
});
