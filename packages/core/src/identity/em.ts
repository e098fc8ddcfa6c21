/**
 * Fellegi-Sunter parameter estimation by expectation maximisation, over aggregated comparison
 * patterns (one row per distinct vector of levels, with its pair count). The pairs themselves
 * stay in DuckDB; only the few thousand patterns come here, so each iteration is cheap.
 */

/** A distinct vector of comparison levels (-1 = missing) and how many pairs have it. */
export interface Pattern {
  gammas: number[];
  count: number;
}

export interface EmOptions {
  /** Number of levels per comparison (including the final `else`). */
  levelCounts: number[];
  /** u[c][level]: probability of the level among non-matches; fixed during EM. */
  u: number[][];
  /** Which comparisons this session estimates (false for those its blocking rule made trivial). */
  active: boolean[];
  /** Starting share of matches among the pairs. */
  lambda?: number;
  /** Starting m values; a geometric default favours the best levels. */
  m?: number[][];
  maxIterations?: number;
  convergence?: number;
}

export interface EmResult {
  m: number[][];
  lambda: number;
  iterations: number;
}

/** Geometric starting m: the best level most likely among matches. */
export function defaultM(levels: number): number[] {
  const raw = Array.from({ length: levels }, (_, i) => 0.5 ** (i + 1));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
}

const floor = 1e-9;

/**
 * Estimates m probabilities and the share of matches with u fixed (as Splink does).
 * @example
 * em([{ gammas: [0], count: 10 }, { gammas: [1], count: 90 }], { levelCounts: [2], u: [[0.01, 0.99]], active: [true] })
 */
export function em(patterns: Pattern[], options: EmOptions): EmResult {
  const { levelCounts, u, active } = options;
  const m = options.m?.map((row) => [...row]) ?? levelCounts.map(defaultM);
  let lambda = options.lambda ?? 0.3;
  const maxIterations = options.maxIterations ?? 25;
  const convergence = options.convergence ?? 1e-4;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // E step: the probability that each pattern is a match.
    const mSum = levelCounts.map((n) => new Array<number>(n).fill(0));
    const seen = levelCounts.map(() => 0);
    let matches = 0;
    let total = 0;
    const logPrior = Math.log(lambda / (1 - lambda));
    for (const p of patterns) {
      let logit = logPrior;
      for (let c = 0; c < p.gammas.length; c++) {
        const g = p.gammas[c];
        if (!active[c] || g < 0) continue;
        logit += Math.log(Math.max(m[c][g], floor) / Math.max(u[c][g], floor));
      }
      const prob = 1 / (1 + Math.exp(-logit));
      const w = prob * p.count;
      matches += w;
      total += p.count;
      for (let c = 0; c < p.gammas.length; c++) {
        const g = p.gammas[c];
        if (!active[c] || g < 0) continue;
        mSum[c][g] += w;
        seen[c] += w;
      }
    }
    // M step: new m per level and new share of matches.
    let change = 0;
    for (let c = 0; c < levelCounts.length; c++) {
      if (!active[c] || seen[c] === 0) continue;
      for (let l = 0; l < levelCounts[c]; l++) {
        const next = mSum[c][l] / seen[c];
        change = Math.max(change, Math.abs(next - m[c][l]));
        m[c][l] = next;
      }
    }
    const nextLambda = Math.min(Math.max(matches / Math.max(total, 1), 1e-9), 1 - 1e-9);
    change = Math.max(change, Math.abs(nextLambda - lambda));
    lambda = nextLambda;
    if (change < convergence) {
      iterations++;
      break;
    }
  }
  return { m, lambda, iterations };
}

/**
 * Makes each comparison's match weights fall with its levels: a closer agreement is never weaker
 * evidence of a match than a looser one. Where a fitted level weighs less than the next looser
 * level (too few matches to tell them apart), its m is raised to give it that level's weight.
 */
export function monotoneM(m: number[], u: number[]): number[] {
  const out = [...m];
  // The last level is `else` (disagreement); only the agreement levels are ordered.
  for (let l = out.length - 3; l >= 0; l--) {
    const looser = Math.max(out[l + 1], floor) / Math.max(u[l + 1], floor);
    if (Math.max(out[l], floor) / Math.max(u[l], floor) < looser) out[l] = looser * Math.max(u[l], floor);
  }
  return out;
}

/**
 * The share of matches among pairs with m and u both fixed (used to turn the blocked pairs into
 * the prior probability that two random records match).
 */
export function estimateLambda(patterns: Pattern[], m: number[][], u: number[][], start = 0.1, iterations = 50): number {
  let lambda = start;
  for (let i = 0; i < iterations; i++) {
    let matches = 0;
    let total = 0;
    const logPrior = Math.log(lambda / (1 - lambda));
    for (const p of patterns) {
      let logit = logPrior;
      for (let c = 0; c < p.gammas.length; c++) {
        const g = p.gammas[c];
        if (g >= 0) logit += Math.log(Math.max(m[c][g], floor) / Math.max(u[c][g], floor));
      }
      matches += p.count / (1 + Math.exp(-logit));
      total += p.count;
    }
    const next = Math.min(Math.max(matches / Math.max(total, 1), 1e-9), 1 - 1e-9);
    if (Math.abs(next - lambda) < 1e-7) return next;
    lambda = next;
  }
  return lambda;
}
