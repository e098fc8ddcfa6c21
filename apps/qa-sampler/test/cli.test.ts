import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '@helpdesk/core';
import { ScorecardStore } from '../src/scorecard-store.ts';
import { agent, insert, interaction } from './fixtures.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../dashboard/bin/helpdesk.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'helpdesk-qa-cli-'));
const db = join(dir, 'qa.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function helpdesk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args, '--db', db], { env: { ...process.env, INIT_CWD: dir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  const wh = await Warehouse.open(db);
  // a1: 4 chats in March, a2: 3, a3: 1; one bot-contained chat; one conversation in April (outside the range)
  const rows = [
    ...[2, 3, 4, 5].map((d) => interaction(`m-a1-${d}`, { agent_id: 'a1', created_at: `2026-03-0${d}T09:00:00Z` })),
    ...[6, 7, 8].map((d) => interaction(`m-a2-${d}`, { agent_id: 'a2', channel: 'email', created_at: `2026-03-0${d}T09:00:00Z` })),
    interaction('m-a3-9', { agent_id: 'a3', created_at: '2026-03-09T09:00:00Z' }),
    interaction('m-bot', { agent_id: null, created_at: '2026-03-09T10:00:00Z', bot_contained: true }),
    interaction('m-april', { agent_id: 'a1', created_at: '2026-04-01T00:00:00Z' }),
  ];
  await insert(wh, { agents: [agent('a1', 'Anna Berg', 't1'), agent('a2', 'Ben Okafor', 't1'), agent('a3', 'Cleo Diaz', 't2')], interactions: rows });
  wh.close();
});

describe('helpdesk qa', () => {
  test('sample --dry-run --json prints {strategy, seed, items} with per-agent quotas met', async () => {
    const args = ['qa', 'sample', '--strategy', 'stratified', '--per-agent', '2', '--from', '2026-03-01', '--to', '2026-03-31', '--seed', '7', '--dry-run', '--json'];
    const first = await helpdesk(...args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(Object.keys(out)).toEqual(['strategy', 'seed', 'items']);
    expect(out.strategy).toBe('stratified');
    expect(out.seed).toBe(7);
    // a1: 2 of 4, a2: 2 of 3, a3: 1 of 1 (short); the bot conversation and April are out
    const per = (a: string) => out.items.filter((i: { agentId: string }) => i.agentId === a).length;
    expect([per('a1'), per('a2'), per('a3'), out.items.length]).toEqual([2, 2, 1, 5]);
    expect(Object.keys(out.items[0])).toEqual(['interactionId', 'agentId', 'channel', 'reason']);
    expect(out.items[0].reason).toBe('stratified: 2 of 4 for agent a1 (quota 2)');
    expect(out.items.some((i: { interactionId: string }) => i.interactionId === 'm-april')).toBe(false);
    // the same seed again gives the same sample
    expect(JSON.parse((await helpdesk(...args)).stdout)).toEqual(out);
  });

  test('a sample is assigned only when a scorecard applies, and then leaves the next sample', async () => {
    const args = ['qa', 'sample', '--strategy', 'random', '--size', '3', '--from', '2026-03-01', '--to', '2026-03-31', '--seed', '1', '--assign', 'a1,r1', '--blind'];
    const refused = await helpdesk(...args);
    expect(refused).toMatchObject({ code: 1, stderr: 'helpdesk qa: no scorecard applies to m-a1-3 (channel chat); add one without conditions\n' });
    const wh = await Warehouse.open(db);
    expect(await wh.all('SELECT count(*) AS n FROM qa_samples')).toEqual([{ n: 0 }]); // nothing half-stored
    await new ScorecardStore(wh).save({ id: 'general', name: 'General', categories: [{ id: 'tone', name: 'Tone', scale: '5-point' }] });
    wh.close();
    const stored = await helpdesk(...args);
    expect(stored.stderr).toBe('');
    expect(stored.stdout).toMatch(/Stored as sample-.*, 3 assignments made\./);
    const next = JSON.parse((await helpdesk('qa', 'sample', '--strategy', 'random', '--size', '100', '--from', '2026-03-01', '--to', '2026-03-31', '--seed', '1', '--dry-run', '--json')).stdout);
    expect(next.items).toHaveLength(8 - 3); // 8 human-handled March conversations, 3 already assigned
    const scores = await helpdesk('qa', 'scores', '--by', 'team', '--json');
    expect(JSON.parse(scores.stdout)).toMatchObject({ by: 'team', rows: [], warning: null });
  });

  test('mistakes get one clear line and a non-zero exit', async () => {
    const noQuota = await helpdesk('qa', 'sample', '--strategy', 'stratified');
    expect(noQuota.code).toBe(2);
    expect(noQuota.stderr).toContain('stratified sampling needs one of --per-agent');
    const badTarget = await helpdesk('qa', 'sample', '--strategy', 'targeted', '--targets', 'angry', '--dry-run');
    expect(badTarget.stderr).toContain('unknown target "angry"');
    const unknown = await helpdesk('qa', 'calibration', 'nope');
    expect(unknown).toMatchObject({ code: 1, stderr: 'helpdesk qa: no calibration session "nope"\n' });
  });
});
