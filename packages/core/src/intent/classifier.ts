/// <reference path="./wink.d.ts" />
import { createRequire } from 'node:module';
import type winkNaiveBayesType from 'wink-naive-bayes-text-classifier';
import { breathe } from '../breathe.ts';
import type prepTextType from 'wink-naive-bayes-text-classifier/src/prep-text.js';

// Loaded on first use: the language model takes a moment to load, and most commands never classify.
const require = createRequire(import.meta.url);
let loaded: { nb: typeof winkNaiveBayesType; prep: typeof prepTextType } | null = null;
const wink = () => (loaded ??= { nb: require('wink-naive-bayes-text-classifier') as typeof winkNaiveBayesType, prep: prepText() });

/**
 * The classifier library's own text preparation (its src/prep-text.js: words that are not stop
 * words, stemmed, `!` before a negated one), with wink-nlp running only the annotations those
 * read: sentence boundaries and negation. Its default pipe also tags parts of speech, entities
 * and sentiment, which none of the four reads, and took about a third of the stage's time.
 */
function prepText(): typeof prepTextType {
  // The NLP library and model the classifier depends on, whichever versions it resolves.
  const own = createRequire(require.resolve('wink-naive-bayes-text-classifier'));
  const nlp = own('wink-nlp')(own('wink-eng-lite-web-model'), ['sbd', 'negation']);
  const its = nlp.its;
  return (text: string) => {
    const tokens: string[] = [];
    nlp.readDoc(text).tokens().each((t: { out: (f: unknown) => unknown }) => {
      if (t.out(its.type) === 'word' && !t.out(its.stopWordFlag)) tokens.push(t.out(its.negationFlag) ? `!${t.out(its.stem)}` : (t.out(its.stem) as string));
    });
    return tokens;
  };
}

/**
 * The text classifier for contacts no rule covers: multinomial naive Bayes with add-one smoothing
 * (wink-naive-bayes-text-classifier) over stemmed words without stop words (its own preparation,
 * wink-nlp's English model). Deterministic: the same examples in the same order give the same
 * model. Its confidence in a label is the model's probability of that label against all the
 * others, 1 / (1 + 2^-odds) from the log2 odds it computes.
 */

/** Words of a text as the classifier sees them. */
export function intentTokens(text: string): string[] {
  return text.trim() === '' ? [] : wink().prep(text);
}

export interface Example {
  tokens: string[];
  intent: string;
}

export interface Prediction {
  /** The best label; null when no word of the text was seen in training. */
  intent: string | null;
  /** Its probability against the other labels (0 when there is no label). */
  confidence: number;
}

export interface IntentModel {
  /** The intents it learnt (those with at least `minExamples` examples), sorted. */
  intents: string[];
  examples: number;
  predict(tokens: string[]): Prediction;
}

/**
 * Trains on the examples with words, learning only the intents with at least `minExamples` of
 * them; null when fewer than two intents qualify or they use fewer than 10 distinct words.
 *
 * @example
 * const model = trainIntentModel(examples, 20);
 * model?.predict(intentTokens('Where is my refund?')) // { intent: 'refund', confidence: 0.99... }
 */
export function trainIntentModel(examples: readonly Example[], minExamples: number): IntentModel | null {
  const counts = new Map<string, number>();
  for (const e of examples) if (e.tokens.length > 0) counts.set(e.intent, (counts.get(e.intent) ?? 0) + 1);
  const intents = [...counts].filter(([, n]) => n >= minExamples).map(([intent]) => intent).sort();
  if (intents.length < 2) return null;
  const learnt = new Set(intents);
  // The library refuses a vocabulary under 10 words (too little to tell intents apart).
  const vocabulary = new Set(examples.flatMap((e) => (learnt.has(e.intent) ? e.tokens : [])));
  if (vocabulary.size < 10) return null;
  const nb = wink().nb();
  nb.defineConfig({ considerOnlyPresence: true, smoothingFactor: 1 });
  let n = 0;
  for (const e of examples) {
    if (e.tokens.length === 0 || !learnt.has(e.intent)) continue;
    nb.learn(e.tokens, e.intent);
    n += 1;
  }
  nb.consolidate();
  const bestOdds = oddsOf(nb.exportJSON());
  return {
    intents,
    examples: n,
    predict(tokens) {
      if (tokens.length === 0) return { intent: null, confidence: 0 };
      const best = bestOdds(tokens);
      if (best === null || !learnt.has(best[0])) return { intent: null, confidence: 0 };
      return { intent: best[0], confidence: 1 / (1 + 2 ** -best[1]) };
    },
  };
}

/**
 * The first of the library's `computeOdds` for a consolidated model (its export), to the last
 * bit: the same logarithms of the same integers, summed in the same order. The library sums each
 * word's count over the other labels once per label and word, so a prediction cost the square of
 * the labels; here each word's count over all labels is summed once, at load. Null where the
 * library answers `unknown` (no known word, or a best log odds of 0).
 */
function oddsOf(exported: string): (tokens: string[]) => [string, number] | null {
  // The export is [config, samples, count, words, vocabulary]; the smoothing factor is 1 (above).
  const [, samples, count, words, vocabulary] = JSON.parse(exported) as [
    unknown, Record<string, number>, Record<string, Record<string, number>>, Record<string, number>, string[],
  ];
  // The library's label order (its Object.keys of samples), which decides ties.
  const labels = Object.keys(samples);
  const known = new Set(vocabulary);
  const v = known.size;
  const counts = labels.map((l) => new Map(Object.entries(count[l] ?? {})));
  const total = new Map<string, number>();
  for (const c of counts) for (const [w, k] of c) total.set(w, (total.get(w) ?? 0) + k);
  const sum = labels.reduce((n, l) => n + samples[l], 0);
  const allWords = labels.reduce((n, l) => n + words[l], 0);
  return (tokens) => {
    const inVocabulary = tokens.filter((t) => known.has(t));
    let best: [string, number] | null = null;
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i];
      let lh = 0;
      let ilh = 0;
      if (inVocabulary.length > 0) {
        for (const w of inVocabulary) {
          const clw = counts[i].get(w) ?? 0;
          lh += Math.log2(clw + 1) - Math.log2(words[label] + v);
          ilh += lh === 0 ? 0 : Math.log2(total.get(w)! - clw + 1) - Math.log2(allWords - words[label] + v);
        }
        if (lh !== 0) {
          lh += Math.log2(samples[label]) - Math.log2(sum);
          ilh += Math.log2(sum - samples[label]) - Math.log2(sum);
        }
      }
      const odds = lh - ilh;
      // A stable descending sort keeps the first of equal odds.
      if (best === null || odds > best[1]) best = [label, odds];
    }
    return best && best[1] ? best : null;
  };
}

export interface CrossValidation {
  /** Examples scored. */
  examples: number;
  /** Correct among those labelled at or above the threshold; null when none was. */
  accuracy: number | null;
  /** Share left unknown (below the threshold, or no known word). */
  unknownShare: number;
}

/**
 * Words of each text, as `intentTokens`, giving way to other work as it goes. A text seen before
 * in the list shares its words (read-only) instead of being prepared again: teaching contacts
 * repeat texts (a third of the demo's 20,000), and preparing one is most of the stage's time.
 */
export async function tokensOf(texts: readonly string[]): Promise<string[][]> {
  const out: string[][] = new Array(texts.length);
  const seen = new Map<string, string[]>();
  for (let i = 0; i < texts.length; i += 1) {
    await breathe(i);
    let tokens = seen.get(texts[i]);
    if (!tokens) seen.set(texts[i], (tokens = intentTokens(texts[i])));
    out[i] = tokens;
  }
  return out;
}

/**
 * k-fold cross-validated predictions: example i is in fold i mod k and is predicted by a model
 * trained on the other folds only.
 */
export async function crossPredict(examples: readonly Example[], o: { folds?: number; minExamples: number }): Promise<Prediction[]> {
  const k = o.folds ?? 5;
  const out: Prediction[] = new Array(examples.length);
  for (let f = 0; f < k; f += 1) {
    await breathe(1, 1);
    const model = trainIntentModel(examples.filter((_, i) => i % k !== f), o.minExamples);
    for (let i = f, n = 0; i < examples.length; i += k, n += 1) {
      await breathe(n);
      out[i] = model?.predict(examples[i].tokens) ?? { intent: null, confidence: 0 };
    }
  }
  return out;
}

/**
 * Scores predictions against the true labels: a prediction below `threshold` (or without a label)
 * counts as unknown, the others as right or wrong.
 *
 * @example
 * summarize([{ intent: 'a', confidence: 0.95 }, { intent: 'b', confidence: 0.5 }], ['a', 'a'], 0.9) // { examples: 2, accuracy: 1, unknownShare: 0.5 }
 */
export function summarize(predictions: readonly Prediction[], truth: readonly string[], threshold: number): CrossValidation {
  let labelled = 0;
  let right = 0;
  for (let i = 0; i < predictions.length; i += 1) {
    const p = predictions[i];
    if (p.intent === null || p.confidence < threshold) continue;
    labelled += 1;
    if (p.intent === truth[i]) right += 1;
  }
  const n = predictions.length;
  return { examples: n, accuracy: labelled ? right / labelled : null, unknownShare: n ? (n - labelled) / n : 0 };
}
