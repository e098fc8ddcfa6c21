/** Precision, recall and their harmonic mean. */
export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const pairs = (n: number) => (n * (n - 1)) / 2;

function contingency(predicted: readonly string[], truth: readonly string[]) {
  if (predicted.length !== truth.length) throw new Error('predicted and truth must label the same records');
  const cell = new Map<string, number>();
  const byCluster = new Map<string, number>();
  const byEntity = new Map<string, number>();
  for (let i = 0; i < predicted.length; i++) {
    const key = `${predicted[i]}\u0000${truth[i]}`;
    cell.set(key, (cell.get(key) ?? 0) + 1);
    byCluster.set(predicted[i], (byCluster.get(predicted[i]) ?? 0) + 1);
    byEntity.set(truth[i], (byEntity.get(truth[i]) ?? 0) + 1);
  }
  return { cell, byCluster, byEntity };
}

/**
 * Pairwise scores of a clustering: a pair of records is predicted when both are in one cluster,
 * true when both belong to one entity. (A clustering with no predicted pair has precision 1.)
 * @example pairwiseScores(['a', 'a', 'b'], ['x', 'x', 'x']) // precision 1, recall 1/3
 */
export function pairwiseScores(predicted: readonly string[], truth: readonly string[]): Scores {
  const { cell, byCluster, byEntity } = contingency(predicted, truth);
  let tp = 0;
  for (const n of cell.values()) tp += pairs(n);
  let predictedPairs = 0;
  for (const n of byCluster.values()) predictedPairs += pairs(n);
  let truePairs = 0;
  for (const n of byEntity.values()) truePairs += pairs(n);
  const precision = predictedPairs === 0 ? 1 : tp / predictedPairs;
  const recall = truePairs === 0 ? 1 : tp / truePairs;
  return { precision, recall, f1: f1(precision, recall) };
}

/**
 * B-cubed scores: per record, the share of its cluster that is its entity (precision) and the share
 * of its entity that is in its cluster (recall), averaged over records.
 * @example bcubedScores(['a', 'a', 'b'], ['x', 'x', 'x']) // precision 1, recall (2/3 + 2/3 + 1/3) / 3
 */
export function bcubedScores(predicted: readonly string[], truth: readonly string[]): Scores {
  const { cell, byCluster, byEntity } = contingency(predicted, truth);
  let precision = 0;
  let recall = 0;
  for (const [key, n] of cell) {
    const [c, e] = key.split('\u0000');
    precision += (n * n) / byCluster.get(c)!;
    recall += (n * n) / byEntity.get(e)!;
  }
  const total = predicted.length || 1;
  precision /= total;
  recall /= total;
  return { precision, recall, f1: f1(precision, recall) };
}
