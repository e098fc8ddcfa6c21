declare module 'wink-naive-bayes-text-classifier' {
  interface WinkNaiveBayes {
    defineConfig(config: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    definePrepTasks(tasks: Array<(input: unknown) => unknown>): number;
    learn(input: string | string[], label: string): boolean;
    consolidate(): boolean;
    /** [label, log2 odds of the label against the others], best first. */
    computeOdds(input: string | string[]): Array<[string, number]>;
    predict(input: string | string[]): string;
    /** JSON of [config, samples, count, words, vocabulary]. */
    exportJSON(): string;
  }
  function winkNaiveBayes(): WinkNaiveBayes;
  export default winkNaiveBayes;
}

declare module 'wink-naive-bayes-text-classifier/src/prep-text.js' {
  /** Words without stop words, stemmed (Porter 2), a negated word prefixed with `!`. */
  function prepText(text: string): string[];
  export default prepText;
}
