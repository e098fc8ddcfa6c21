import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Warehouse } from '@helpdesk/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildDemoWarehouse, DemoNotResumableError } from '../src/index.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('helpdesk-demo-resume-');
const SIZE = 9_000;
// Three chunks: the kill after the first leaves one committed chunk and two to write.
const CHUNK = 3_000;
const SEED = 11;
const paths = { whole: join(dir, 'whole.duckdb'), resumed: join(dir, 'resumed.duckdb') };

// case_inputs: threading's hash per interaction, written in the order its query yields them.
const derived = /^(metrics_cache_|identity_|customers$|cases$|case_inputs$)/;

/** md5 of every row of every table in physical row order (derived tables: in value order), and its row count. */
async function tableHashes(path: string): Promise<Record<string, string>> {
  const wh = await Warehouse.open(path, { readOnly: true });
  try {
    const tables = await wh.all<{ name: string }>("SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1");
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const order = derived.test(name) ? 't::VARCHAR' : 't.rowid';
      const [row] = await wh.all<{ h: string; n: number }>(`SELECT md5(coalesce(string_agg(t::VARCHAR, '|' ORDER BY ${order}), '')) AS h, count(*) AS n FROM "${name}" t`);
      out[name] = `${row.n}:${row.h}`;
    }
    return out;
  } finally {
    wh.close();
  }
}

/** Runs the build in a child process that SIGKILLs itself right after recording `killAfter`. */
function buildInChild(killAfter: string | null) {
  return spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./resume-in-child.ts', import.meta.url)), paths.resumed, String(SEED), String(SIZE), String(CHUNK)], {
    env: { ...process.env, HELPDESK_DEMO_KILL_AFTER: killAfter ?? '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

type Left = { step: string; slots_done: number; interactions: number; events_of: number };

/** The recorded step, and how many interactions, and interactions with events, the killed run left committed. */
async function progressOf(path: string): Promise<Left | null> {
  const wh = await Warehouse.open(path, { readOnly: true });
  try {
    const [row] = await wh.all<Left>(`SELECT step, slots_done::INTEGER AS slots_done, (SELECT count(*) FROM interactions)::INTEGER AS interactions,
      (SELECT count(DISTINCT interaction_id) FROM events)::INTEGER AS events_of FROM demo_build_progress`);
    return row ?? null;
  } finally {
    wh.close();
  }
}

const kills: Array<{ signal: NodeJS.Signals | null; progress: Left | null }> = [];

beforeAll(async () => {
  await buildDemoWarehouse(paths.whole, { seed: SEED, interactions: SIZE, chunkInteractions: CHUNK, via: 'direct' });
  // Stopped four times by SIGKILL: after the first chunk was recorded, in the middle of the second
  // chunk's checkpoint (its interactions committed, its events not), after the people and after
  // the pipeline were recorded; then finished.
  for (const at of ['chunk:1', 'flush:2', 'people', 'pipeline']) {
    const child = buildInChild(at);
    kills.push({ signal: child.signal, progress: await progressOf(paths.resumed) });
  }
  const last = buildInChild(null);
  expect(last.status).toBe(0);
}, 600_000);

describe('a direct demo build continues after it is killed', () => {
  test('each run was killed where it was told, and left the last finished step recorded', () => {
    expect(kills.map((k) => k.signal)).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL', 'SIGKILL']);
    // chunk:1 is the first 3,000 interactions; people and pipeline come after all 9,000. The kill
    // inside the second chunk's checkpoint left 6,000 interactions committed, the events of only
    // the first 3,000 (every interaction has events) and the first chunk recorded.
    expect(kills.map((k) => k.progress)).toEqual([
      { step: 'chunk', slots_done: 3_000, interactions: 3_000, events_of: 3_000 },
      { step: 'chunk', slots_done: 3_000, interactions: 6_000, events_of: 3_000 },
      { step: 'people', slots_done: 9_000, interactions: 9_000, events_of: 9_000 },
      { step: 'pipeline', slots_done: 9_000, interactions: 9_000, events_of: 9_000 },
    ]);
  });

  test('the continued build holds the same rows in the same order in every table as an uninterrupted one', async () => {
    const [whole, resumed] = await Promise.all([tableHashes(paths.whole), tableHashes(paths.resumed)]);
    expect(whole.interactions).toMatch(/^9000:/);
    expect(whole).not.toHaveProperty('demo_build_progress');
    expect(Object.keys(resumed).filter((k) => resumed[k] !== whole[k])).toEqual([]);
    expect(resumed).toEqual(whole);
  });

  test('a finished warehouse, or an unfinished one of other options, is not continued', async () => {
    await expect(buildDemoWarehouse(paths.whole, { seed: SEED, interactions: SIZE, chunkInteractions: CHUNK, via: 'direct', resume: true }))
      .rejects.toThrow(DemoNotResumableError);
    const other = join(dir, 'other.duckdb');
    process.env.HELPDESK_DEMO_KILL_AFTER = '';
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./resume-in-child.ts', import.meta.url)), other, String(SEED), String(SIZE), String(CHUNK)], {
      env: { ...process.env, HELPDESK_DEMO_KILL_AFTER: 'staff' }, stdio: ['ignore', 'inherit', 'inherit'],
    });
    expect(child.signal).toBe('SIGKILL');
    await expect(buildDemoWarehouse(other, { seed: SEED + 1, interactions: SIZE, chunkInteractions: CHUNK, via: 'direct', resume: true }))
      .rejects.toThrow(/other options/);
  });
});
