import type { Warehouse } from '@helpdesk/core';
import { describe, expect, it } from 'vitest';
import { memoized } from '../src/result-memo.ts';

describe('result memo', () => {
  it('computes a key once and evicts the least recently used once the rows exceed the budget', async () => {
    const wh = {} as Warehouse;
    const calls: string[] = [];
    const get = (key: string, rows: number) =>
      memoized(wh, key, async () => (calls.push(key), { rows: new Array(rows).fill(0) }), (v) => v.rows.length);
    await get('a', 90_000);
    await get('a', 90_000);
    await get('b', 90_000);
    await get('a', 90_000); // a is now the most recently used
    // 90k + 90k + 90k rows = 270k, over the 200k budget: b (least recently used) goes.
    await get('c', 90_000);
    await get('a', 90_000);
    await get('b', 90_000);
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not remember a failure', async () => {
    const wh = {} as Warehouse;
    let n = 0;
    const flaky = () => memoized(wh, 'k', async () => { n++; if (n === 1) throw new Error('busy'); return n; });
    await expect(flaky()).rejects.toThrow('busy');
    expect(await flaky()).toBe(2);
  });
});
