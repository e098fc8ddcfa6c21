import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/**
 * Seeded shuffling on pure-rand's xoroshiro128+ (the generator fast-check uses), so a sample is
 * reproducible from its seed on any machine and Node version, unlike Math.random.
 */
export interface Shuffler {
  /** A new array with the items in a uniformly random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

/**
 * @example
 * seededShuffler(42).shuffle(['a', 'b', 'c']); // the same order for seed 42, every time
 */
export function seededShuffler(seed: number): Shuffler {
  const rng = xoroshiro128plus(seed);
  return {
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = uniformInt(rng, 0, i);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}
