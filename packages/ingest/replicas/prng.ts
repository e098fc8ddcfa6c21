/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same vendor world, so a
 * replica's records are reproducible across processes (tests, the bench, a killed-and-resumed run).
 *
 * @example
 * const rnd = prng(42); rnd.int(1, 6); rnd.pick(['a', 'b']);
 */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
export type Prng = ReturnType<typeof prng>;
