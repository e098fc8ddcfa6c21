import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import type { Effects } from '../../src/index.ts';

/** A fresh warehouse file in a temp folder, removed by `dispose`. */
export async function tempWarehouse(): Promise<{ wh: Warehouse; path: string; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-test-'));
  const path = join(dir, 'test.duckdb');
  const wh = await Warehouse.open(path);
  return { wh, path, dispose: () => { try { wh.close(); } catch { /* closed already */ } rmSync(dir, { recursive: true, force: true }); } };
}

/** Effects that never really wait: sleeps are recorded, so a test can check Retry-After was honoured. */
export function fastEffects(): Partial<Effects> & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, log: () => {} };
}

/**
 * The checksum both sides are compared with: sha256 over sorted `id|timestamp` lines, where the
 * timestamp is normalized to ISO-8601 UTC with milliseconds.
 */
export function checksum(pairs: [string | number, string][]): string {
  const lines = pairs.map(([id, at]) => `${id}|${new Date(at).toISOString()}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Every canonical and operational row that a run must reproduce exactly (run ids and fetch times left out). */
export async function snapshot(wh: Warehouse): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) => wh.all(sql);
  return {
    interactions: await q('SELECT * FROM interactions ORDER BY id'),
    events: await q('SELECT * FROM events ORDER BY interaction_id, seq'),
    identities: await q('SELECT * FROM identities ORDER BY id'),
    agents: await q('SELECT * FROM agents ORDER BY id'),
    teams: await q('SELECT * FROM teams ORDER BY id'),
    queues: await q('SELECT * FROM queues ORDER BY id'),
    customer_attributes: await q('SELECT * FROM customer_attributes ORDER BY contact_id, attribute, valid_from'),
    raw: await q('SELECT source, stream, native_id, payload::VARCHAR AS payload FROM raw_records ORDER BY ALL'),
    ledger: await q('SELECT source, stream, native_id, version FROM ingest_records ORDER BY ALL'),
    quarantine: await q('SELECT source, stream, native_id, reason FROM quarantine ORDER BY ALL'),
  };
}
