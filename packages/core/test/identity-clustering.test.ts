import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bcubedScores, connectedComponents, em, monotoneM, pairwiseScores, Warehouse } from '../src/index.ts';

const wh = await Warehouse.open(':memory:');

/** The plain reference: union-find with path halving, every node labelled by its component's minimum. */
function referenceComponents(edges: [number, number][]): Map<number, number> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    if (!parent.has(x)) parent.set(x, x);
    while (parent.get(x) !== x) {
      parent.set(x, parent.get(parent.get(x)!)!);
      x = parent.get(x)!;
    }
    return x;
  };
  for (const [a, b] of edges) {
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const labels = new Map<number, number>();
  const min = new Map<number, number>();
  for (const node of parent.keys()) {
    const root = find(node);
    min.set(root, Math.min(min.get(root) ?? node, node));
  }
  for (const node of parent.keys()) labels.set(node, min.get(find(node))!);
  return labels;
}

async function sqlComponents(edges: [number, number][]): Promise<Map<number, number>> {
  await wh.run('CREATE OR REPLACE TABLE test_edges (l INTEGER, r INTEGER)');
  if (edges.length) await wh.run(`INSERT INTO test_edges VALUES ${edges.map(([a, b]) => `(${a}, ${b})`).join(', ')}`);
  await connectedComponents(wh, 'test_edges', 'test_components');
  const rows = await wh.all<{ node: number; label: number }>('SELECT node, label FROM test_components');
  return new Map(rows.map((r) => [r.node, r.label]));
}

describe('clustering', () => {
  test('connected components in SQL equal a plain union-find on random graphs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })), { maxLength: 90 }),
        async (edges) => {
          const expected = referenceComponents(edges.filter(([a, b]) => a !== b));
          expect(await sqlComponents(edges)).toEqual(expected);
        },
      ),
      { numRuns: 60, seed: 20261126 },
    );
  });

  test('a long chain converges (pointer jumping) to its smallest node', async () => {
    const chain: [number, number][] = Array.from({ length: 499 }, (_, i) => [i + 1, i + 2]);
    const labels = await sqlComponents(chain);
    expect(labels.size).toBe(500);
    expect(new Set(labels.values())).toEqual(new Set([1]));
  });
});

describe('evaluation metrics', () => {
  test('pairwise precision and recall count pairs inside clusters and entities', () => {
    // clusters {a,b,c} {d}; entities {a,b} {c,d}: predicted pairs ab ac bc = 3, true pairs ab cd = 2, both: ab = 1
    const s = pairwiseScores(['1', '1', '1', '2'], ['x', 'x', 'y', 'y']);
    expect(s.precision).toBeCloseTo(1 / 3, 12);
    expect(s.recall).toBeCloseTo(1 / 2, 12);
    expect(s.f1).toBeCloseTo((2 * (1 / 3) * (1 / 2)) / (1 / 3 + 1 / 2), 12); // = 0.4
  });

  test('B-cubed averages per-record overlap', () => {
    // a: cluster {a,b,c} entity {a,b}: p 2/3 r 1; b same; c: p 1/3, r 1/2; d: cluster {d}, entity {c,d}: p 1, r 1/2
    const s = bcubedScores(['1', '1', '1', '2'], ['x', 'x', 'y', 'y']);
    expect(s.precision).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4, 12);
    expect(s.recall).toBeCloseTo((1 + 1 + 1 / 2 + 1 / 2) / 4, 12);
  });
});

describe('expectation maximisation', () => {
  test('recovers m and the share of matches from patterns made with known parameters', () => {
    // Two comparisons with levels (agree, disagree). True: lambda 0.2, m = (0.9, 0.1) and (0.8, 0.2),
    // u = (0.05, 0.95) and (0.1, 0.9). Expected counts of 100,000 pairs, computed by hand:
    // match share 0.2 -> 20,000 pairs: 14,400 (a,a) 3,600 (a,d) 1,600 (d,a) 400 (d,d)
    // non-match 80,000: 400 (a,a) 3,600 (a,d) 7,600 (d,a) 68,400 (d,d)
    const patterns = [
      { gammas: [0, 0], count: 14_400 + 400 },
      { gammas: [0, 1], count: 3_600 + 3_600 },
      { gammas: [1, 0], count: 1_600 + 7_600 },
      { gammas: [1, 1], count: 400 + 68_400 },
    ];
    const result = em(patterns, {
      levelCounts: [2, 2], u: [[0.05, 0.95], [0.1, 0.9]], active: [true, true], maxIterations: 500, convergence: 1e-10,
    });
    expect(result.lambda).toBeCloseTo(0.2, 3);
    expect(result.m[0][0]).toBeCloseTo(0.9, 3);
    expect(result.m[1][0]).toBeCloseTo(0.8, 3);
  });

  test('a closer level never weighs less than a looser one', () => {
    // Levels exact, near, else. EM saw no match at `exact` (m 0): weight log2(0/u) would be -infinity.
    // `near` has m/u = 0.6 / 0.02 = 30, so `exact` is raised to 30 * u = 30 * 0.001 = 0.03.
    const m = monotoneM([0, 0.6, 0.4], [0.001, 0.02, 0.979]);
    expect(m[0]).toBeCloseTo(0.03, 12);
    expect(m.slice(1)).toEqual([0.6, 0.4]);
    // Already falling weights (0.9/0.01 = 90 > 0.08/0.04 = 2) and the `else` level stay as they are.
    expect(monotoneM([0.9, 0.08, 0.02], [0.01, 0.04, 0.95])).toEqual([0.9, 0.08, 0.02]);
  });
});
