// The `sentiment` package (AFINN-165 word scores) ships no types; this is the part we use.
declare module 'sentiment' {
  interface AnalysisResult {
    score: number;
    comparative: number;
    tokens: string[];
    positive: string[];
    negative: string[];
  }
  export default class Sentiment {
    analyze(phrase: string, options?: { language?: string }): AnalysisResult;
  }
}
