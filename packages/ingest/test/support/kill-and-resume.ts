import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Warehouse } from '@helpdesk/core';
import { adapterByName, runIngest } from '../../src/index.ts';
import { prng } from '../../replicas/index.ts';
import { credentialsOf } from './credentials.ts';
import { fastEffects, snapshot, tempWarehouse } from './harness.ts';

const childScript = fileURLToPath(new URL('./ingest-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Runs `vendor` against `url` once unbroken (the reference), then in a child process killed with
 * SIGKILL at a seeded random point (after the k-th committed batch plus a random 0-40 ms, so some
 * kills land inside a transaction), then again in-process to completion; returns both snapshots.
 */
export async function killAndResume(vendor: string, url: string, seed: number) {
  const reference = await tempWarehouse();
  const victim = await tempWarehouse();
  try {
    const options = { baseUrl: url, ...credentialsOf(vendor) };
    let batches = 0;
    await runIngest({ warehouse: reference.wh, adapter: adapterByName(vendor), batchSize: 50, options, effects: fastEffects(), onProgress: () => void batches++ });
    victim.wh.close();
    const rnd = prng(seed * 7919 + 1);
    const killAt = rnd.int(1, Math.max(1, batches - 1));
    const killAfter = rnd.int(0, 40);
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, vendor, victim.path, url], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk.split('\n').filter((l) => l.startsWith('committed')).length;
      if (seen >= killAt) setTimeout(() => child.kill('SIGKILL'), killAfter);
    });
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const wh = await Warehouse.open(victim.path);
    try {
      const committed = (await wh.all<{ n: number }>('SELECT count(*) AS n FROM ingest_records'))[0].n;
      const resumed = await runIngest({ warehouse: wh, adapter: adapterByName(vendor), batchSize: 50, options, effects: fastEffects() });
      const statuses = (await wh.all<{ status: string }>('SELECT status FROM ingest_runs ORDER BY started_at')).map((s) => s.status);
      return { resumed, killed: exit.signal === 'SIGKILL', killAt, batches, committed, statuses, after: await snapshot(wh), expected: await snapshot(reference.wh), wh };
    } finally {
      wh.close();
    }
  } finally {
    reference.dispose();
    victim.dispose();
  }
}
