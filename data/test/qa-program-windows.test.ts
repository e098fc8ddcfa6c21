import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import { runConsistencyChecks } from '@helpdesk/qa-sampler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDemoWarehouse } from '../src/index.ts';
import { consistencyChecksInWindows } from '../src/qa-program.ts';
import { tempDir } from './helpers.ts';

/**
 * The demo's QA program reads the consistency checks of every conversation of the period in
 * windows of consecutive conversations (one statement's result did not fit the build's DuckDB
 * memory at a million interactions). Windows must change nothing: the same (conversation, check,
 * passed, evidence) rows as the one statement over the whole range.
 */
const dir = tempDir('helpdesk-qa-windows-');
let wh: Warehouse;
const range = { start: '2026-08-01T00:00:00Z', end: '2026-11-01T00:00:00Z', asOf: '2026-11-01T00:00:00Z' };

beforeAll(async () => {
  await buildDemoWarehouse(join(dir, 'demo.duckdb'), { seed: 5, interactions: 3_000, via: 'direct' });
  wh = await Warehouse.open(join(dir, 'demo.duckdb'), { readOnly: true });
}, 300_000);

afterAll(() => wh?.close());

const line = (r: { interactionId: string; checkId: string; passed: boolean; evidence: string | null }) => `${r.interactionId} ${r.checkId} ${r.passed} ${r.evidence}`;

describe('consistency checks in windows of conversations', () => {
  test('give the rows of one statement over the whole range', async () => {
    const whole = (await runConsistencyChecks(wh, range)).map(line);
    // 3,000 interactions in windows of 250: twelve or more windows, so boundaries are crossed.
    const [{ n }] = await wh.all<{ n: number }>(
      'SELECT count(*)::INTEGER AS n FROM interactions WHERE created_at >= $1::TIMESTAMPTZ AND created_at < $2::TIMESTAMPTZ', [range.start, range.end]);
    expect(n).toBeGreaterThan(2_500);
    const windowed = (await consistencyChecksInWindows(wh, range, 250)).map(line);
    // Not an empty comparison: many results, both outcomes.
    expect(whole.length).toBeGreaterThan(1_000);
    expect(whole.some((l) => l.includes(' false '))).toBe(true);
    expect(whole.some((l) => l.includes(' true '))).toBe(true);
    expect(windowed.length).toBe(whole.length);
    expect([...windowed].sort()).toEqual([...whole].sort());
  });
});
