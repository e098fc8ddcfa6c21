/**
 * A seeded pseudo-random generator (mulberry32: 32-bit state, passes the usual small-crush
 * style checks, more than enough for queue simulation). Written here rather than taken from a
 * package because core declares no random library and the whole generator is eight lines;
 * what matters is that a seed always gives the same stream on every platform.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, always, for seed 42
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An exponential draw with the given mean from a uniform u in [0, 1). */
export function exponentialFromUniform(u: number, mean: number): number {
  return -Math.log(1 - u) * mean;
}
