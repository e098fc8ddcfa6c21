import { join } from 'node:path';
import { Warehouse } from '@helpdesk/core';
import { describe, expect, test } from 'vitest';
import { buildDemoByRoute, buildDemoInWorker } from '../src/index.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir();

describe('building the demo on a worker thread', () => {
  test('stages and progress reach the caller, and the summary matches the file', async () => {
    const path = join(dir, 'relay', 'demo.duckdb');
    const stages: string[] = [];
    const progress: Array<[number, number]> = [];
    const summary = await buildDemoInWorker(path, {
      seed: 5, interactions: 400, via: 'direct',
      onStage: (stage) => stages.push(stage),
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(stages.slice(0, 2)).toEqual(['planning', 'interactions written']);
    expect(stages.at(-1)).toBe('checkpoint');
    // Every fourth interaction (1% of 400) and once more at the end.
    expect(progress.length).toBe(101);
    expect(progress.at(-1)).toEqual([400, 400]);
    expect(progress.slice(0, 3)).toEqual([[4, 400], [8, 400], [12, 400]]);
    const wh = await Warehouse.open(path, { readOnly: true });
    try {
      const [counts] = await wh.all<{ interactions: number; events: number }>(
        'SELECT (SELECT count(*) FROM interactions)::INTEGER AS interactions, (SELECT count(*) FROM events)::INTEGER AS events');
      expect(counts).toEqual({ interactions: 400, events: summary.events });
      expect(summary.interactions).toBe(400);
    } finally {
      wh.close();
    }
  });

  test('a refused option comes back as the error the main thread would have thrown', async () => {
    await expect(buildDemoInWorker(join(dir, 'refused', 'demo.duckdb'), { seed: -1, interactions: 10 }))
      .rejects.toThrow(/^seed must be an integer from 0 to 4294967295, got -1$/);
    await expect(buildDemoInWorker(join(dir, 'refused', 'demo.duckdb'), { interactions: 10, via: 'fax' as 'direct' }))
      .rejects.toMatchObject({ name: 'RangeError' });
  });

  test('a heap too small for the build fails with a message saying so', async () => {
    await expect(buildDemoInWorker(join(dir, 'tiny-heap', 'demo.duckdb'), { interactions: 20_000, via: 'direct', heapLimitMb: 8 }))
      .rejects.toThrow('the demo build ran out of memory (its JavaScript heap is capped at 8 MB)');
  });
});

describe('the route picks the thread', () => {
  test('the heap cap binds the build through the adapters (a worker) and not the direct build (this thread)', async () => {
    const direct = await buildDemoByRoute(join(dir, 'route-direct', 'demo.duckdb'), { interactions: 300, via: 'direct', heapLimitMb: 8 });
    expect(direct.interactions).toBe(300);
    await expect(buildDemoByRoute(join(dir, 'route-adapters', 'demo.duckdb'), { interactions: 300, heapLimitMb: 8 }))
      .rejects.toThrow('the demo build ran out of memory (its JavaScript heap is capped at 8 MB)');
  });
});
