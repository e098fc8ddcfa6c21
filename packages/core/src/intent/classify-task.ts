import { breathe } from '../breathe.ts';
import { crossPredict, intentTokens, summarize, tokensOf, trainIntentModel, type Example, type Prediction } from './classifier.ts';

/**
 * The intent stage's classifying, apart from its warehouse reads and writes: plain data in and
 * out, so that a caller can run it in a worker thread (the web server does: at 20,000 teaching
 * contacts it is tens of seconds of JavaScript, with single steps of seconds that no yielding
 * splits, during which a sync would hold every request).
 */
export interface ClassifyTask {
  /** The contacts the classifier learns from: their text and intent (from their source or a rule). */
  teachers: { text: string; intent: string }[];
  /** The texts to label, in order. */
  texts: string[];
  minExamples: number;
  /** Confidence at which a guess counts as a label (for the cross-validation summary). */
  threshold: number;
}

export interface ClassifyResult {
  /** Examples the model learnt from; 0 when no model could be trained. */
  trainedOn: number;
  cvAccuracy: number | null;
  cvUnknownShare: number | null;
  /** One per text of the task, in its order. */
  predictions: Prediction[];
}

/** How the stage classifies: in this thread by default (`classifyIntents`), or handed elsewhere. */
export type IntentClassifier = (task: ClassifyTask) => Promise<ClassifyResult>;

/**
 * Trains the text classifier on the teachers, cross-validates it and predicts every text.
 *
 * @example
 * const { predictions } = await classifyIntents({ teachers, texts: ['where is my refund'], minExamples: 20, threshold: 0.9 });
 * predictions[0] // { intent: 'refund', confidence: 0.99... }
 */
export async function classifyIntents(task: ClassifyTask): Promise<ClassifyResult> {
  const taught = await tokensOf(task.teachers.map((t) => t.text));
  const examples: Example[] = task.teachers.map((t, i) => ({ tokens: taught[i], intent: t.intent }));
  const model = trainIntentModel(examples, task.minExamples);
  const result: ClassifyResult = { trainedOn: 0, cvAccuracy: null, cvUnknownShare: null, predictions: [] };
  if (model) {
    result.trainedOn = model.examples;
    const cv = summarize(await crossPredict(examples, { minExamples: task.minExamples }), examples.map((e) => e.intent), task.threshold);
    result.cvAccuracy = cv.accuracy;
    result.cvUnknownShare = cv.unknownShare;
  }
  for (const [n, text] of task.texts.entries()) {
    await breathe(n);
    result.predictions.push(model?.predict(intentTokens(text)) ?? { intent: null, confidence: 0 });
  }
  return result;
}
