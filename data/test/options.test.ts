import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import { describe, expect, test } from 'vitest';
import { buildDemoWarehouse } from '../src/index.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir();

describe('options and the target file', () => {
  test('bad options are refused before anything is written', async () => {
    const path = join(dir, 'refused.duckdb');
    await expect(buildDemoWarehouse(path, { seed: -1 })).rejects.toThrow(/seed/);
    await expect(buildDemoWarehouse(path, { interactions: 0 })).rejects.toThrow(/interactions/);
    await expect(buildDemoWarehouse(path, { days: 0 })).rejects.toThrow(/days/);
    await expect(buildDemoWarehouse(path, { end: 'next tuesday' })).rejects.toThrow(/end/);
    await expect(buildDemoWarehouse(path, { via: 'csv' as 'direct' })).rejects.toThrow(/via must be 'direct' or 'adapters', got "csv"/);
    expect(existsSync(path)).toBe(false);
  });

  test('an existing file and a stale WAL are replaced, and progress is reported up to the total', async () => {
    const path = join(dir, 'nested', 'replaced.duckdb');
    await buildDemoWarehouse(path, { interactions: 200 });
    writeFileSync(`${path}.wal`, 'not a wal');
    const progress: number[] = [];
    const stages: string[] = [];
    const summary = await buildDemoWarehouse(path, {
      interactions: 300, days: 10, end: '2025-01-01T00:00:00Z', onProgress: (done, total) => progress.push(done / total), onStage: (stage) => stages.push(stage),
    });
    expect(summary.interactions).toBe(300);
    expect(stages).toEqual([
      'planning', 'interactions written', 'people', 'people written',
      'ingest intercom', 'ingest aircall', 'ingest zendesk', 'ingest demo supplements', 'ingest hubspot', 'resolve', 'thread', 'intent', 'facts', 'qa program', 'metrics cache', 'checkpoint',
    ]);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const wh = await Warehouse.open(path, { readOnly: true });
    try {
      const [row] = await wh.all<{ n: number; first: string; last: string }>('SELECT count(*) AS n, min(created_at) AS first, max(created_at) AS last FROM interactions');
      expect(row.n).toBe(300);
      expect(row.first >= '2024-12-22T00:00:00.000Z').toBe(true);
      expect(row.last < '2025-01-01T00:00:00.000Z').toBe(true);
    } finally {
      wh.close();
    }
  });
});
