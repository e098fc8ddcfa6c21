import { describe, expect, test } from 'vitest';
import { permute32, permuteDecimal, Random, Weighted } from '../src/random.ts';

describe('seeded randomness', () => {
  test('the same seed, stream and index give the same sequence; another index another one', () => {
    const a = Random.for(42, 3, 17);
    const b = Random.for(42, 3, 17);
    const c = Random.for(42, 3, 18);
    const draws = (r: Random) => Array.from({ length: 5 }, () => r.nextUint32());
    const first = draws(a);
    expect(draws(b)).toEqual(first);
    expect(draws(c)).not.toEqual(first);
  });

  test('draws are uniform enough: mean near 0.5 and every decile filled', () => {
    const rng = Random.for(7, 1);
    const deciles = new Array(10).fill(0);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      sum += x;
      deciles[Math.floor(x * 10)]++;
    }
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.01);
    for (const n of deciles) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  test('vendor-id permutations never map two indexes to one id', () => {
    const ids = new Set<number>();
    for (let i = 0; i < 100_000; i++) ids.add(permute32(i, 0x5eed));
    expect(ids.size).toBe(100_000);
    const phones = new Set<number>();
    for (let i = 0; i < 100_000; i++) phones.add(permuteDecimal(i, 5, 0x51));
    expect(phones.size).toBe(100_000);
    expect(Math.max(...phones)).toBeLessThan(100_000);
  });

  test('a weighted draw follows its weights', () => {
    const table = new Weighted(['a', 'b', 'c'], [1, 2, 7]);
    const rng = Random.for(1, 1);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 50_000; i++) counts[table.draw(rng)]++;
    expect(counts.a / 50_000).toBeCloseTo(0.1, 1);
    expect(counts.b / 50_000).toBeCloseTo(0.2, 1);
    expect(counts.c / 50_000).toBeCloseTo(0.7, 1);
  });
});
