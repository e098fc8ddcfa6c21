import type { Warehouse } from '@helpdesk/core';

/** Where the intents of one channel's inbound contacts came from. */
export interface IntentCoverageRow {
  channel: string;
  contacts: number;
  /** Given by the source (a vendor field, or the demo's own). */
  source: number;
  rule: number;
  model: number;
  /** No intent: the source gave none and neither a rule nor the classifier (at its threshold) did. */
  unknown: number;
  unknown_share: number;
}

/**
 * Per channel, how the inbound contacts got their intent: from their source, an intent rule, the
 * text classifier, or not at all (unknown), as the intent stage recorded it in `intent_labels`.
 *
 * @example
 * await intentCoverage(wh) // [{ channel: 'chat', contacts: 14610, source: 14610, rule: 0, model: 0, unknown: 0, unknown_share: 0 }, ...]
 */
export async function intentCoverage(warehouse: Warehouse): Promise<IntentCoverageRow[]> {
  return warehouse.all<IntentCoverageRow>(
    `SELECT i.channel, count(*)::INTEGER AS contacts,
       count(*) FILTER (WHERE i.intent IS NOT NULL AND l.interaction_id IS NULL)::INTEGER AS source,
       count(*) FILTER (WHERE i.intent IS NOT NULL AND l.method = 'rule')::INTEGER AS rule,
       count(*) FILTER (WHERE i.intent IS NOT NULL AND l.method = 'model')::INTEGER AS model,
       count(*) FILTER (WHERE i.intent IS NULL)::INTEGER AS unknown,
       (count(*) FILTER (WHERE i.intent IS NULL))::DOUBLE / count(*) AS unknown_share
     FROM interactions i LEFT JOIN intent_labels l ON l.interaction_id = i.id
     WHERE i.direction = 'inbound'
     GROUP BY 1 ORDER BY 1`,
  );
}
