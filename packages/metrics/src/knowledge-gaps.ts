import type { Warehouse } from '@helpdesk/core';
import { customerKeyExpression } from './customer-key.ts';
import { assertZone, localRangeBounds } from './reporting-time.ts';

export interface KnowledgeGaps {
  /** Contact intents with volume in the range and no help-center article at all. */
  intentsWithoutArticle: Array<{ intent: string; contacts: number }>;
  /** Articles whose identified readers still contacted support on the same intent within 24 h. */
  articlesStillContacted: Array<{ article_id: string; intent: string; sessions: number; followed_by_contact: number; rate: number }>;
}

/**
 * Knowledge gaps of the help center. An article's intent is the intent of the sessions that
 * viewed it (the help center tags sessions, not articles).
 *
 * @example
 * await knowledgeGaps(warehouse, { from: '2024-03-01', to: '2024-03-31' })
 * // { intentsWithoutArticle: [{ intent: 'warranty', contacts: 310 }], articlesStillContacted: [...] }
 */
export async function knowledgeGaps(
  warehouse: Warehouse,
  options: { from: string; to: string; tz?: string; windowSeconds?: number },
): Promise<KnowledgeGaps> {
  const { start, end } = localRangeBounds(options.from, options.to, assertZone(options.tz ?? 'UTC'));
  const params = [start, end, options.windowSeconds ?? 86_400];
  const intentsWithoutArticle = await warehouse.all<{ intent: string; contacts: number }>(
    `SELECT intent, count(*) AS contacts FROM interactions
     WHERE channel <> 'help_center' AND direction = 'inbound' AND intent IS NOT NULL
       AND created_at >= CAST($1 AS TIMESTAMPTZ) AND created_at < CAST($2 AS TIMESTAMPTZ)
       AND intent NOT IN (SELECT intent FROM interactions WHERE channel = 'help_center' AND article_id IS NOT NULL AND intent IS NOT NULL)
     GROUP BY intent ORDER BY contacts DESC, intent`,
    params.slice(0, 2),
  );
  const articlesStillContacted = await warehouse.all<KnowledgeGaps['articlesStillContacted'][number]>(
    `WITH m_rows AS (
       SELECT i.id, i.channel, i.article_id, i.intent, i.created_at, ${customerKeyExpression} AS customer_key,
         CASE WHEN i.channel <> 'help_center' AND i.direction = 'inbound' THEN i.created_at END AS contact_at
       FROM interactions i
       WHERE i.intent IS NOT NULL AND i.created_at >= CAST($1 AS TIMESTAMPTZ) AND i.created_at < CAST($2 AS TIMESTAMPTZ) + to_seconds($3)
     ),
     m_next AS (
       SELECT *, first_value(contact_at IGNORE NULLS) OVER (
         PARTITION BY customer_key, intent ORDER BY created_at, id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_contact_at
       FROM m_rows WHERE customer_key IS NOT NULL
     )
     SELECT article_id, intent, count(*) AS sessions,
       count(*) FILTER (WHERE next_contact_at <= created_at + to_seconds($3)) AS followed_by_contact,
       (count(*) FILTER (WHERE next_contact_at <= created_at + to_seconds($3)))::DOUBLE / count(*) AS rate
     FROM m_next
     WHERE channel = 'help_center' AND article_id IS NOT NULL AND created_at < CAST($2 AS TIMESTAMPTZ)
     GROUP BY ALL HAVING count(*) FILTER (WHERE next_contact_at <= created_at + to_seconds($3)) > 0
     ORDER BY rate DESC, sessions DESC, article_id`,
    params,
  );
  return { intentsWithoutArticle, articlesStillContacted };
}
