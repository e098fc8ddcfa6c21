import type { Warehouse } from '../database.ts';
import { crossPredict, intentTokens, summarize, trainIntentModel, type Prediction } from './classifier.ts';
import { compileRules, firstMatch, type IntentRule, type RuleInput } from './rules.ts';
import { contactSql, textOf } from './stage.ts';

export interface IntentEvaluation {
  /** Contacts with a known (true) intent that were scored. */
  contacts: number;
  /** Share a rule labelled, and how often the rule was right. */
  ruleCoverage: number;
  ruleAccuracy: number | null;
  /** The classifier on contacts as if no rule covered them (cross-validated, trained on rule labels only). */
  accuracy: number | null;
  unknownShare: number;
  /** Rules first, the classifier for the rest: right among labelled, and the share left unknown. */
  endToEndAccuracy: number | null;
  endToEndUnknownShare: number;
  byChannel: Array<{ channel: string; contacts: number; accuracy: number | null; unknownShare: number }>;
}

/**
 * Measures the intent stage against contacts whose true intent is known (a demo warehouse, or an
 * account whose agents set intents): the intents are hidden, the rules label what they cover, and
 * each contact is also predicted by a classifier trained, fold by fold (k-fold), only on the
 * rule labels of the other folds, as the stage would for contacts no rule covers.
 *
 * @example
 * await evaluateIntents(wh, { rules: [{ id: 'tag-refund', intent: 'refund', tags: ['refund'] }], threshold: 0.9, minExamples: 20 })
 */
export async function evaluateIntents(
  wh: Warehouse, o: { rules: readonly IntentRule[]; threshold: number; minExamples: number; folds?: number; limit?: number },
): Promise<IntentEvaluation> {
  // A sample chosen by a hash of the id (the same every run) keeps a large warehouse affordable.
  const rows = await wh.all<RuleInput & { id: string; intent: string }>(
    contactSql("i.intent IS NOT NULL AND i.direction = 'inbound'") + ` ORDER BY hash(p.id), p.id LIMIT ${Math.max(1, Math.floor(o.limit ?? 20_000))}`,
  );
  const rules = compileRules(o.rules);
  const ruled = rows.map((r) => firstMatch(rules, r)?.rule.intent ?? null);
  const tokens = rows.map((r) => intentTokens(textOf(r)));
  // Training labels are the rules' (a contact no rule covers teaches nothing).
  const labelledIdx = rows.map((_, i) => i).filter((i) => ruled[i] !== null);
  const cv = await crossPredict(labelledIdx.map((i) => ({ tokens: tokens[i], intent: ruled[i]! })), { folds: o.folds, minExamples: o.minExamples });
  // A contact a rule labelled gets the prediction of the model that did not see its fold; one no
  // rule covers, that of the model trained on every rule label (it never saw it either).
  const predictions: Prediction[] = new Array(rows.length);
  labelledIdx.forEach((i, k) => (predictions[i] = cv[k]));
  const unlabelled = rows.map((_, i) => i).filter((i) => ruled[i] === null);
  if (unlabelled.length > 0) {
    const model = trainIntentModel(labelledIdx.map((i) => ({ tokens: tokens[i], intent: ruled[i]! })), o.minExamples);
    for (const i of unlabelled) predictions[i] = model?.predict(tokens[i]) ?? { intent: null, confidence: 0 };
  }
  const truth = rows.map((r) => r.intent);
  const model = summarize(predictions, truth, o.threshold);
  const endToEnd = summarize(
    rows.map((_, i) => (ruled[i] !== null ? { intent: ruled[i], confidence: 1 } : predictions[i])), truth, o.threshold,
  );
  const ruleRight = labelledIdx.filter((i) => ruled[i] === truth[i]).length;
  const channels = [...new Set(rows.map((r) => r.channel))].sort();
  return {
    contacts: rows.length,
    ruleCoverage: rows.length ? labelledIdx.length / rows.length : 0,
    ruleAccuracy: labelledIdx.length ? ruleRight / labelledIdx.length : null,
    accuracy: model.accuracy,
    unknownShare: model.unknownShare,
    endToEndAccuracy: endToEnd.accuracy,
    endToEndUnknownShare: endToEnd.unknownShare,
    byChannel: channels.map((channel) => {
      const idx = rows.map((_, i) => i).filter((i) => rows[i].channel === channel);
      const s = summarize(idx.map((i) => predictions[i]), idx.map((i) => truth[i]), o.threshold);
      return { channel, contacts: idx.length, accuracy: s.accuracy, unknownShare: s.unknownShare };
    }),
  };
}
