import { VARCHAR, DOUBLE } from '@duckdb/node-api';
import type { Warehouse } from '../database.ts';
import { breathe } from '../breathe.ts';
import { classifyIntents, type IntentClassifier } from './classify-task.ts';
import { compileRules, firstMatch, type IntentSettings, type RuleInput } from './rules.ts';

/** Contacts the classifier learns from at most, chosen by a hash of their id (the same ones every run). */
const maxTraining = 20_000;
/** Customer messages read per contact. */
const messagesRead = 3;

export interface IntentStageSummary {
  /** Contacts without an intent from their source that the stage looked at. */
  candidates: number;
  rule: number;
  model: number;
  unknown: number;
  /** Labelled contacts (from their source or a rule) the classifier learnt from; 0 when it was not needed. */
  trainedOn: number;
  /** Its 5-fold cross-validated accuracy on them (at the threshold), null when not trained. */
  cvAccuracy: number | null;
  cvUnknownShare: number | null;
}

interface Row extends RuleInput {
  id: string;
}

/** A contact's rule input: tags, subject and the first things the customer wrote or read (messages, help-center articles). */
/** Rows of the contacts matching `where` (on `interactions i`): rule input, intent, and text. */
export const contactSql = (where: string) => `
  WITH picked AS (SELECT i.id, i.channel, i.source, i.queue_id, i.tags, i.subject, i.intent FROM interactions i WHERE ${where}),
  m_rows AS (
    SELECT e.interaction_id, e.body, e.seq, row_number() OVER (PARTITION BY e.interaction_id ORDER BY e.seq) AS rn
    FROM events e JOIN picked p ON p.id = e.interaction_id
    WHERE e.type IN ('message', 'article_view') AND e.author_role = 'customer' AND e.body IS NOT NULL
  ),
  texts AS (SELECT interaction_id, string_agg(body, ' ' ORDER BY seq) AS text FROM m_rows WHERE rn <= ${messagesRead} GROUP BY 1)
  SELECT p.id, p.channel, p.source, p.queue_id, p.tags, p.subject, p.intent, coalesce(t.text, '') AS text
  FROM picked p LEFT JOIN texts t ON t.interaction_id = p.id`;

/**
 * The contacts labelled by their source or a rule (`full`: by their source only) that have a
 * subject or a customer text, the first `maxTraining` by a hash of their id, with their text.
 * The ids are chosen before any text is put together: only the chosen contacts' messages are read.
 */
const teachersSql = (full: boolean) => {
  const teacher = `i.intent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM intent_labels l WHERE l.interaction_id = i.id${full ? '' : " AND l.method <> 'rule'"})
    AND (i.subject IS NOT NULL OR EXISTS (SELECT 1 FROM events e WHERE e.interaction_id = i.id
      AND e.type IN ('message', 'article_view') AND e.author_role = 'customer' AND e.body IS NOT NULL))`;
  return contactSql(`i.id IN (SELECT i.id FROM interactions i WHERE ${teacher} ORDER BY hash(i.id), i.id LIMIT ${maxTraining})`) + ' ORDER BY hash(p.id), p.id';
};

export const textOf = (r: { subject: string | null; text: string }) => `${r.subject ?? ''} ${r.text}`;

/**
 * The intent stage: for every contact whose source gave no intent, the first matching rule
 * labels it; for the rest, the text classifier trained on the contacts with an intent (from their
 * source or a rule) labels it when its confidence reaches the threshold, and it stays unknown
 * (NULL) otherwise. Writes `interactions.intent` and one `intent_labels` row per contact looked
 * at. `full` looks again at the contacts labelled before (after the rules changed). `classify`
 * runs the classifier (default: in this thread; the web server hands it to a worker thread).
 *
 * @example
 * await wh.atomically((tx) => labelIntents(tx, parseIntentSettings({ rules: [{ id: 'r', intent: 'refund', tags: ['refund'] }] })))
 * // { candidates: 120, rule: 80, model: 31, unknown: 9, trainedOn: 5400, cvAccuracy: 0.93, cvUnknownShare: 0.1 }
 */
export async function labelIntents(
  wh: Warehouse, settings: IntentSettings, o: { full?: boolean; now?: () => Date; classify?: IntentClassifier } = {},
): Promise<IntentStageSummary> {
  const labelledAt = (o.now ?? (() => new Date()))().toISOString();
  // A label whose contact now has another intent from its source (re-ingested) is history.
  await wh.run(`DELETE FROM intent_labels WHERE interaction_id IN (
    SELECT l.interaction_id FROM intent_labels l LEFT JOIN interactions i ON i.id = l.interaction_id
    WHERE i.id IS NULL OR (i.intent IS NOT NULL AND i.intent IS DISTINCT FROM l.intent))`);
  const candidates = await wh.all<Row>(contactSql(
    o.full ? 'i.intent IS NULL OR i.id IN (SELECT interaction_id FROM intent_labels)' : 'i.intent IS NULL',
  ) + ' ORDER BY p.id');
  const summary: IntentStageSummary = { candidates: candidates.length, rule: 0, model: 0, unknown: 0, trainedOn: 0, cvAccuracy: null, cvUnknownShare: null };
  if (candidates.length === 0) return summary;

  const rules = compileRules(settings.rules);
  const out: { id: string; method: 'rule' | 'model' | 'unknown'; intent: string | null; rule: string | null; guess: string | null; confidence: number | null }[] = [];
  const rest: Row[] = [];
  for (const [n, row] of candidates.entries()) {
    await breathe(n);
    const hit = firstMatch(rules, row);
    if (hit) out.push({ id: row.id, method: 'rule', intent: hit.rule.intent, rule: hit.rule.id, guess: null, confidence: null });
    else rest.push(row);
  }

  if (rest.length > 0 && settings.classifier) {
    // Learn from contacts labelled by their source or a rule (never from the classifier's own labels).
    // A full run relabels every label, so none of them teaches; this run's rule labels are added below.
    const labelled = await wh.all<Row & { intent: string }>(teachersSql(o.full === true));
    const ruled = new Map(out.map((r) => [r.id, r.intent as string]));
    const teachers = [
      ...labelled.map((r) => ({ text: textOf(r), intent: r.intent })),
      ...candidates.filter((r) => ruled.has(r.id)).slice(0, maxTraining).map((r) => ({ text: textOf(r), intent: ruled.get(r.id)! })),
    ];
    const classified = await (o.classify ?? classifyIntents)({
      teachers, texts: rest.map(textOf), minExamples: settings.minExamples, threshold: settings.threshold,
    });
    summary.trainedOn = classified.trainedOn;
    summary.cvAccuracy = classified.cvAccuracy;
    summary.cvUnknownShare = classified.cvUnknownShare;
    for (const [n, row] of rest.entries()) {
      const p = classified.predictions[n];
      const sure = p.intent !== null && p.confidence >= settings.threshold;
      out.push({ id: row.id, method: sure ? 'model' : 'unknown', intent: sure ? p.intent : null, rule: null, guess: p.intent, confidence: p.intent === null ? null : p.confidence });
    }
  } else {
    for (const row of rest) out.push({ id: row.id, method: 'unknown', intent: null, rule: null, guess: null, confidence: null });
  }
  for (const r of out) summary[r.method] += 1;

  await wh.run('CREATE OR REPLACE TEMP TABLE _intent_new (interaction_id VARCHAR, method VARCHAR, intent VARCHAR, rule_id VARCHAR, guess VARCHAR, confidence DOUBLE)');
  try {
    const { appender, close } = await wh.appender('_intent_new');
    try {
      for (const [n, r] of out.entries()) {
        await breathe(n);
        appender.appendVarchar(r.id);
        appender.appendVarchar(r.method);
        for (const v of [r.intent, r.rule, r.guess]) v === null ? appender.appendNull() : appender.appendValue(v, VARCHAR);
        r.confidence === null ? appender.appendNull() : appender.appendValue(r.confidence, DOUBLE);
        appender.endRow();
      }
    } finally {
      close();
    }
    await wh.run('DELETE FROM intent_labels WHERE interaction_id IN (SELECT interaction_id FROM _intent_new)');
    await wh.run(`INSERT INTO intent_labels SELECT interaction_id, method, intent, rule_id, guess, confidence, $1::TIMESTAMPTZ FROM _intent_new`, [labelledAt]);
    await wh.run(`UPDATE interactions SET intent = n.intent FROM _intent_new n WHERE interactions.id = n.interaction_id AND interactions.intent IS DISTINCT FROM n.intent`);
  } finally {
    await wh.run('DROP TABLE IF EXISTS _intent_new');
  }
  return summary;
}
