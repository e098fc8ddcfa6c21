import type { BindParams } from '@helpdesk/core';

/**
 * Concurrent chat load per agent by a sweep: +1 when an assigned chat starts (its assignment to that agent,
 * else the bot hand-off, else the first reply), -1 when it ends (closed, else resolved, else its
 * last event). Ends sort before starts at the same instant, so back-to-back chats never look
 * simultaneous. Every chat counts, whenever it was created, so the load at the start of a range
 * includes chats still open from before it. Each segment between two steps carries the load and
 * belongs to the bucket of its start. Average = sum(load x seconds) / seconds with load > 0.
 */
export const concurrencySegmentsTable = 'metrics_cache_chat_load';

/**
 * The load segments of the agents whose id is in table `agents` (column `agent_id`, a table the
 * cache chose), or of every agent. One agent's sweep reads only that agent's chats, so the cache
 * can rebuild the agents a sync touched (facts-delta.ts).
 */
export function concurrencySegmentsQuery(agents?: string): string {
  return /* sql */ `
WITH m_chats AS (
  SELECT id, agent_id, created_at, bot_handoff_at, first_response_at, resolved_at, closed_at
  FROM interactions WHERE channel = 'chat' AND agent_id IS NOT NULL${agents ? ` AND agent_id IN (SELECT agent_id FROM ${agents})` : ''}
),
-- The chat reaches the agent at its assignment to that agent (an assignment to a team inbox is
-- still waiting in the queue).
m_chat_events AS (
  SELECT e.interaction_id, min(e.occurred_at) FILTER (WHERE e.type = 'assignment' AND e.to_value = c.agent_id) AS assigned_at,
    max(e.occurred_at) AS last_at
  FROM events e JOIN m_chats c ON c.id = e.interaction_id GROUP BY 1
),
m_spans AS (
  SELECT c.agent_id,
    coalesce(ev.assigned_at, c.bot_handoff_at, c.first_response_at, c.created_at) AS start_at,
    coalesce(c.closed_at, c.resolved_at, ev.last_at) AS end_at
  FROM m_chats c LEFT JOIN m_chat_events ev ON ev.interaction_id = c.id
),
m_steps AS (
  SELECT agent_id, start_at AS ts, 1 AS d FROM m_spans WHERE end_at > start_at
  UNION ALL SELECT agent_id, end_at, -1 FROM m_spans WHERE end_at > start_at
),
m_load AS (
  SELECT agent_id, ts,
    sum(d) OVER (PARTITION BY agent_id ORDER BY ts, d ROWS UNBOUNDED PRECEDING) AS load,
    lead(ts) OVER (PARTITION BY agent_id ORDER BY ts, d) AS next_ts
  FROM m_steps
)
SELECT l.agent_id, a.team_id, 'chat' AS channel, l.ts, l.load, epoch(l.next_ts) - epoch(l.ts) AS seconds
FROM m_load l LEFT JOIN agents a ON a.id = l.agent_id
WHERE l.next_ts IS NOT NULL AND l.next_ts > l.ts
`;
}
export const concurrencySegmentsSql = concurrencySegmentsQuery();

/**
 * Per dimension, the time-weighted average load and the peak, over segments starting in
 * [start, end). `dims` maps output names to SQL over the segments (agent_id, team_id, channel, ts).
 *
 * @example
 * concurrencySql(p, start, end, { agent: 'agent_id' }, false) // rows { agent, concurrency, concurrency_peak }
 */
export function concurrencySql(p: BindParams, start: string, end: string, dims: Record<string, string>, cached: boolean): string {
  const s = p.add(start);
  const e = p.add(end);
  const dimSelect = Object.entries(dims).map(([name, sql]) => `${sql} AS "${name}"`);
  const segments = cached ? concurrencySegmentsTable : `(${concurrencySegmentsSql})`;
  return /* sql */ `
SELECT ${dimSelect.length ? dimSelect.join(', ') + ',' : ''}
  sum(load * seconds) FILTER (WHERE load > 0) / nullif(sum(seconds) FILTER (WHERE load > 0), 0) AS concurrency,
  max(load) AS concurrency_peak
FROM ${segments}
WHERE ts >= CAST(${s} AS TIMESTAMPTZ) AND ts < CAST(${e} AS TIMESTAMPTZ) AND load > 0
GROUP BY ALL
`;
}
