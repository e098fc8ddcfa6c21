import type { BindParams } from '@helpdesk/core';

/**
 * Backlog aging as of any instants, rebuilt from status events: an email interaction is open from
 * its creation, and after each status change to anything but solved/closed, until the next change
 * to solved or closed. So "the backlog last Tuesday 09:00" is answerable today, whatever the
 * tickets' current status. An interaction with no status events closes at its `resolved_at` when
 * the source marks it resolved.
 * Age is measured from creation; the buckets are 0-1 d, 1-3 d, 3-7 d, 7-14 d and over 14 d.
 */
export const backlogAgeColumns = ['backlog_0_1d', 'backlog_1_3d', 'backlog_3_7d', 'backlog_7_14d', 'backlog_over_14d'] as const;

/** The open spans of every email interaction, with the columns the backlog can be cut by. */
export const backlogSpansTable = 'metrics_cache_backlog_spans';

/**
 * The open spans of the email interactions whose id is in table `ids` (a table the cache chose),
 * or of every one. An interaction's spans depend on it and its own events only, so the cache can
 * rebuild those of the interactions a sync touched (facts-delta.ts).
 */
export function backlogSpansQuery(ids?: string): string {
  return /* sql */ `
WITH m_email AS (
  SELECT id, created_at, resolved, resolved_at FROM interactions WHERE channel = 'email'${ids ? ` AND id IN (SELECT id FROM ${ids})` : ''}
),
m_changes AS (
  SELECT e.interaction_id, e.occurred_at AS ts, e.seq, e.to_value NOT IN ('solved', 'closed') AS is_open
  FROM events e
  WHERE e.type = 'status_change' AND e.interaction_id IN (SELECT id FROM m_email)
),
m_states AS (
  SELECT id AS interaction_id, created_at AS ts, -1 AS seq, true AS is_open FROM m_email
  UNION ALL SELECT * FROM m_changes
  UNION ALL
  SELECT id, resolved_at, 2147483647, false FROM m_email
  WHERE resolved AND resolved_at IS NOT NULL AND id NOT IN (SELECT interaction_id FROM m_changes)
),
m_spans AS (
  SELECT interaction_id, is_open, ts AS open_from, lead(ts) OVER (PARTITION BY interaction_id ORDER BY ts, seq) AS open_to
  FROM m_states
)
SELECT s.interaction_id, i.created_at, s.open_from, coalesce(s.open_to, 'infinity'::TIMESTAMPTZ) AS open_to,
  i.channel, i.team_id, i.queue_id, i.agent_id, i.intent, i.language
FROM m_spans s JOIN interactions i ON i.id = s.interaction_id
WHERE s.is_open AND (s.open_to IS NULL OR s.open_to > s.open_from)
`;
}
export const backlogSpansSql = backlogSpansQuery();

/**
 * SQL giving, per point label and dimension, the backlog and its age buckets. `dims` maps output
 * names to SQL over the spans aliased `i` (columns channel, team_id, queue_id, agent_id, intent,
 * language, created_at); the spans come from the cache table when `cached`, else are computed in
 * the statement.
 *
 * @example
 * backlogSql(p, [{ label: 'as_of', at: '2024-03-05T08:00:00Z' }], { team: 'i.team_id' })
 */
export function backlogSql(p: BindParams, points: Array<{ label: string; at: string }>, dims: Record<string, string>, cached = false): string {
  const pts = p.table(points.map((pt) => ({ label: pt.label, ts: pt.at })), { label: 'VARCHAR', ts: 'TIMESTAMPTZ' });
  const names = Object.keys(dims).map((name) => `"${name}"`);
  const dimSelect = Object.entries(dims).map(([name, sql]) => `${sql} AS "${name}"`);
  const spans = cached ? backlogSpansTable : `(${backlogSpansSql})`;
  return /* sql */ `
SELECT label${names.length ? ', ' + names.join(', ') : ''},
  count(*) AS backlog,
  count(*) FILTER (WHERE age < 86400) AS backlog_0_1d,
  count(*) FILTER (WHERE age >= 86400 AND age < 3 * 86400) AS backlog_1_3d,
  count(*) FILTER (WHERE age >= 3 * 86400 AND age < 7 * 86400) AS backlog_3_7d,
  count(*) FILTER (WHERE age >= 7 * 86400 AND age < 14 * 86400) AS backlog_7_14d,
  count(*) FILTER (WHERE age >= 14 * 86400) AS backlog_over_14d
FROM (
  SELECT pt.label${dimSelect.length ? ', ' + dimSelect.join(', ') : ''}, epoch(pt.ts) - epoch(i.created_at) AS age
  FROM ${spans} i JOIN ${pts} pt ON pt.ts >= i.open_from AND pt.ts < i.open_to
)
GROUP BY ALL
`;
}
