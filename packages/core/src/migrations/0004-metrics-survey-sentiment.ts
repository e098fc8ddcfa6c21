/**
 * Version 4 (packages/metrics): two tables the KPIs need that version 1 has no place for.
 * New tables only, so adapters and the demo generator that append to `interactions` are unaffected.
 * - nps_responses: Net Promoter answers (0-10), kept apart from CSAT because a survey may answer
 *   for a customer rather than one interaction.
 * - interaction_sentiment: the sentiment of the customer's first and last message of a social
 *   thread, scored once in TypeScript by the `sentiment` library and cached, because scoring text
 *   at query time is far too slow for a scorecard over a million interactions.
 */
export const metricsSurveySentiment = /* sql */ `
CREATE TABLE nps_responses (
  interaction_id VARCHAR NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
  responded_at TIMESTAMPTZ NOT NULL,
  source VARCHAR NOT NULL
);

CREATE TABLE interaction_sentiment (
  interaction_id VARCHAR PRIMARY KEY,
  first_score DOUBLE,
  last_score DOUBLE,
  customer_messages INTEGER NOT NULL,
  scored_with VARCHAR NOT NULL,
  scored_at TIMESTAMPTZ NOT NULL
);
`;
