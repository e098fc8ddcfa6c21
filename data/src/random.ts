/**
 * The only source of randomness in the demo world. Math.random and the clock never reach generated
 * values, so one seed always gives the same warehouse.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator) is 128 bits of state, passes
 * PractRand far beyond the few million draws we make per stream, and needs only 32-bit integer ops.
 * Every entity (a person, an interaction, an agent) gets its own stream derived from the seed and its
 * index, so generating item n never depends on how many draws item n-1 happened to make.
 *
 * @example
 * const rng = Random.for(42, Stream.person, 17);
 * const age = rng.int(18, 80);
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // Warm up so that similar seeds diverge before the first value is used.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A stream for one entity: (seed, stream kind, index) are mixed with splitmix32. */
  static for(seed: number, stream: number, index = 0): Random {
    let s = mix32(seed ^ 0x9e3779b9);
    s = mix32(s ^ Math.imul(stream + 1, 0x85ebca6b));
    s = mix32(s ^ (index | 0));
    s = mix32(s ^ Math.floor(index / 0x100000000));
    return new Random(s, mix32(s + 0x6d2b79f5), mix32(s + 0x2545f491), mix32(s + 0x9e3779b9));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Index drawn in proportion to `weights` (which need not sum to 1). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal (Box-Muller; the second value is dropped to keep streams simple). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape: handling times and response delays look like this. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

/** splitmix32 finalizer: a good 32-bit avalanche mix. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/**
 * A bijection on uint32 (every step is invertible), used to turn small sequential indexes into
 * random-looking but collision-free vendor ids: two people can never get the same id.
 */
export function permute32(x: number, key: number): number {
  x = (x ^ key) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A bijection on [0, 10^digits) (affine map, digit reversal, affine map), so that phone subscriber
 * numbers are unique per person yet do not look sequential.
 */
export function permuteDecimal(x: number, digits: number, key: number): number {
  if (digits > 8) throw new Error('permuteDecimal: at most 8 digits');
  const m = 10 ** digits;
  // Multipliers coprime with 10 keep the affine maps bijective.
  let y = (mulMod(x, 7_654_321, m) + (key % m)) % m;
  let reversed = 0;
  for (let i = 0; i < digits; i++) {
    reversed = reversed * 10 + (y % 10);
    y = Math.floor(y / 10);
  }
  return (mulMod(reversed, 3_141_593, m) + 1_234_567) % m;
}

function mulMod(a: number, b: number, m: number): number {
  // Exact in doubles: a < 10^8 and b < 10^7 keep the product below 2^53.
  return (a * b) % m;
}

/** Independent stream kinds, so that adding a draw in one kind never shifts another. */
export const Stream = {
  layout: 1,
  household: 2,
  person: 3,
  company: 4,
  staff: 5,
  calendar: 6,
  plan: 7,
  interaction: 8,
  identities: 9,
  crm: 10,
  email: 11,
  handle: 12,
  qa: 13,
  qaReviewer: 14,
  aircallContact: 15,
} as const;

/** A discrete distribution with a precomputed cumulative table, for draws in hot loops. */
export class Weighted<T> {
  private readonly cumulative: Float64Array;
  constructor(readonly items: readonly T[], weights: readonly number[]) {
    if (items.length !== weights.length || items.length === 0) throw new Error('Weighted: items and weights differ in length');
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    weights.forEach((w, i) => {
      total += w;
      this.cumulative[i] = total;
    });
    for (let i = 0; i < this.cumulative.length; i++) this.cumulative[i] /= total;
  }

  draw(rng: Random): T {
    return this.items[this.drawIndex(rng)];
  }

  drawIndex(rng: Random): number {
    const r = rng.next();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
