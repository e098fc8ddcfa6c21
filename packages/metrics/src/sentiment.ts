/// <reference path="./sentiment-library.d.ts" />
import Sentiment from 'sentiment';
import type { Warehouse } from '@helpdesk/core';

/**
 * Social sentiment, scored by the `sentiment` package (AFINN-165 word list, maintained on npm)
 * rather than a word list of our own. Scoring text in SQL at query time is impossible and in
 * TypeScript per query too slow for a scorecard over a million interactions, so each social
 * thread is scored once and cached in `interaction_sentiment` (migration 0004); the KPI then reads
 * the cache. Only threads not yet scored are scored, so a refresh after an ingest is cheap.
 */
const analyzer = new Sentiment();
export const sentimentLibrary = 'sentiment@5 AFINN-165';

/**
 * The AFINN score of one message (sum of its words' scores, negation aware).
 *
 * @example
 * scoreText('I love it') // 3
 */
export function scoreText(text: string): number {
  return analyzer.analyze(text).score;
}

const pendingSql = /* sql */ `
SELECT e.interaction_id AS id, list(coalesce(e.body, '') ORDER BY e.seq) AS bodies
FROM events e JOIN interactions i ON i.id = e.interaction_id
WHERE i.channel = 'social' AND e.type = 'message' AND e.author_role = 'customer'
  AND NOT EXISTS (SELECT 1 FROM interaction_sentiment s WHERE s.interaction_id = e.interaction_id)
GROUP BY e.interaction_id
`;

const insertSql = /* sql */ `
INSERT INTO interaction_sentiment
SELECT id, first_score, last_score, messages, $2, now()
FROM (SELECT unnest(from_json($1, '[{"id":"VARCHAR","first_score":"DOUBLE","last_score":"DOUBLE","messages":"INTEGER"}]'), recursive := true))
`;

/**
 * Scores every social thread not yet in the cache; returns how many it scored.
 *
 * @example
 * await refreshSentiment(warehouse) // 1234
 */
export async function refreshSentiment(warehouse: Warehouse): Promise<number> {
  const pending = await warehouse.all<{ id: string; bodies: string[] }>(pendingSql);
  const scored = pending.map(({ id, bodies }) => ({
    id,
    first_score: scoreText(bodies[0]),
    last_score: scoreText(bodies[bodies.length - 1]),
    messages: bodies.length,
  }));
  for (let i = 0; i < scored.length; i += 20_000) {
    await warehouse.run(insertSql, [JSON.stringify(scored.slice(i, i + 20_000)), sentimentLibrary]);
  }
  return scored.length;
}
