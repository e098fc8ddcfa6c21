import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Warehouse } from '@helpdesk/core';
import { describe, expect, test } from 'vitest';
import { helpdesk, tempDir } from './run-cli.ts';

const dir = tempDir('helpdesk-cli-settings-');

async function emptyWarehouse(name: string): Promise<string> {
  const path = join(dir, name);
  (await Warehouse.open(path)).close();
  return path;
}

/** Reads rows with the raw driver, independently of @helpdesk/core and metrics. */
async function rows(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(sql);
  const out = reader.getRowObjectsJson() as Record<string, unknown>[];
  connection.closeSync();
  instance.closeSync();
  return out;
}

const json = (result: { status: number | null; stdout: string; stderr: string }) => {
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
};

describe('helpdesk settings', () => {
  test('set saves a version with who and what, and export --json round-trips through import', async () => {
    const a = await emptyWarehouse('a.duckdb');
    const b = await emptyWarehouse('b.duckdb');
    expect(json(helpdesk(['settings', 'export', '--json', '--db', a])).settingsVersion).toBe(0);

    const set = json(helpdesk(['settings', 'set', 'targets.first_response_time.channels.chat.target=90', 'slaPolicies.urgent.firstReplySeconds=1800', '--by', 'ana@example.com', '--json', '--db', a]));
    expect(set).toEqual({
      version: 1,
      changes: [
        { path: 'slaPolicies.urgent.firstReplySeconds', from: 3600, to: 1800 },
        { path: 'targets.first_response_time.channels.chat.target', from: 120, to: 90 },
      ],
    });
    const exported = json(helpdesk(['settings', 'export', '--json', '--db', a]));
    expect(exported).toMatchObject({ settingsVersion: 1, savedBy: 'ana@example.com' });
    expect(exported.settings.slaPolicies[0]).toMatchObject({ id: 'urgent', firstReplySeconds: 1800 });
    const file = join(dir, 'a-settings.json');
    writeFileSync(file, JSON.stringify(exported));

    const imported = json(helpdesk(['settings', 'import', file, '--json', '--db', b]));
    expect(imported.version).toBe(1);
    expect(imported.changes.map((c: { path: string }) => c.path).sort()).toEqual(['slaPolicies.urgent.firstReplySeconds', 'targets.first_response_time.channels.chat.target']);
    const back = json(helpdesk(['settings', 'export', '--json', '--db', b]));
    expect(back.settings).toEqual(exported.settings);
    // Importing the same document again changes nothing and makes no version.
    expect(json(helpdesk(['settings', 'import', file, '--json', '--db', b]))).toEqual({ version: 1, changes: [] });

    const audit = await rows(a, "SELECT user_email, action, detail::VARCHAR AS detail FROM audit_log WHERE action = 'settings.change'");
    expect(audit).toHaveLength(1);
    expect(audit[0].user_email).toBe('ana@example.com');
    expect(JSON.parse(audit[0].detail as string).changes).toHaveLength(2);
    const versions = await rows(b, 'SELECT version, source FROM settings_versions');
    expect(versions).toEqual([{ version: 1, source: 'import' }]);
  });

  test('a bad document or path is one line on stderr, exit 1, and nothing is saved', async () => {
    const c = await emptyWarehouse('c.duckdb');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ shortAbandonSeconds: -1 }));
    for (const args of [['import', bad], ['set', 'shortAbandonSecs=3'], ['set', 'slaPolicies.vip.firstReplySeconds=60']]) {
      const result = helpdesk(['settings', ...args, '--db', c]);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/settings/);
    }
    expect(await rows(c, 'SELECT count(*)::INTEGER AS n FROM settings_versions')).toEqual([{ n: 0 }]);
  });

  test('metrics reads the stored SLA policies, and --config overrides them for one run', async () => {
    const path = join(dir, 'demo.duckdb');
    expect(helpdesk(['demo', '--interactions', '600', '--seed', '5', '--db', path]).status).toBe(0);
    const sla = (extra: string[]) => json(helpdesk(['metrics', '--kpi', 'sla_achievement', '--by', 'channel', '--json', '--db', path, ...extra])).rows.find((r: { channel: string }) => r.channel === 'email').sla_achievement as number;
    const before = sla([]);
    // A first reply within 1 s: every replied email now misses its first-reply target.
    json(helpdesk(['settings', 'set', 'slaPolicies.normal.firstReplySeconds=1', 'slaPolicies.low.firstReplySeconds=1', 'slaPolicies.high.firstReplySeconds=1', 'slaPolicies.urgent.firstReplySeconds=1', '--json', '--db', path]));
    const after = sla([]);
    expect(after).toBeLessThan(before);
    const defaults = join(dir, 'defaults.json');
    writeFileSync(defaults, '{}');
    expect(sla(['--config', defaults])).toBe(before);
  });

  test('metrics breaks SLA achievement and first response time down by priority and tier', async () => {
    const path = join(dir, 'demo.duckdb');
    const [extent] = await rows(path, "SELECT strftime(min(created_at AT TIME ZONE 'UTC'), '%Y-%m-%d') AS first, strftime(max(created_at AT TIME ZONE 'UTC'), '%Y-%m-%d') AS last FROM interactions");
    const card = json(helpdesk(['metrics', '--by', 'priority,tier', '--kpi', 'sla_achievement,first_response_time', '--from', String(extent.first), '--to', String(extent.last), '--json', '--db', path]));
    expect(card.filters.by).toEqual(['priority', 'tier']);
    const priorities = (await rows(path, 'SELECT DISTINCT priority FROM interactions ORDER BY 1')).map((r) => r.priority);
    expect([...new Set(card.rows.map((r: { priority: string }) => r.priority))].sort()).toEqual(priorities);
    // The demo's customers have tiers: some rows carry one, and every row both KPIs.
    expect(card.rows.some((r: { tier: string | null }) => r.tier !== null)).toBe(true);
    for (const row of card.rows) expect(Object.keys(row)).toEqual(expect.arrayContaining(['priority', 'tier', 'sla_achievement', 'first_response_time']));
  });
});
