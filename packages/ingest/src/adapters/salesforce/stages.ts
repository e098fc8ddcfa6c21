/**
 * Named SQL stages run after a Salesforce run has landed records (each idempotent, so a resumed
 * run ends exactly like an unbroken one): the facts of a case that its own row does not carry but
 * its history, emails, comments and chats do.
 */
export const salesforceStages: { name: string; sql: string }[] = [
  {
    // A deleted case takes its events along when its deletion lands, but the history rows and
    // children read after it in the same run (or recorded before the deletion) would come back
    // without it: events of a case the ledger knows and the warehouse no longer holds go too.
    name: 'salesforce_deleted_cases',
    sql: `DELETE FROM events WHERE interaction_id LIKE 'salesforce:case:%'
            AND interaction_id IN (SELECT 'salesforce:case:' || native_id FROM ingest_records WHERE source = 'salesforce' AND stream = 'cases')
            AND interaction_id NOT IN (SELECT id FROM interactions WHERE source = 'salesforce')`,
  },
  {
    // A comment's author is a user: one of the org's agents (a Standard user), else a portal
    // customer, whose id then says user rather than agent.
    name: 'salesforce_comment_authors',
    sql: `UPDATE events SET author_role = CASE WHEN a.agent IS NOT NULL THEN 'agent' ELSE 'customer' END,
             author_id = coalesce(a.agent, 'salesforce:user:' || substr(events.author_id, length('salesforce:agent:') + 1))
          FROM (SELECT e.rowid AS rid, ag.id AS agent FROM events e LEFT JOIN agents ag ON ag.id = e.author_id
                WHERE e.author_role IS NULL AND e.type = 'message' AND e.interaction_id LIKE 'salesforce:case:%'
                  AND e.author_id LIKE 'salesforce:agent:%') a
          WHERE events.rowid = a.rid`,
  },
  {
    // First response: the first public message by an agent (an outgoing email, a published comment,
    // an accepted chat). Reopens: the history's closed-to-open changes. The queue: a case an agent
    // owns keeps the queue it last sat in up to its resolution (owner changes from the history);
    // a chat's wait: the first accepted chat of the case.
    name: 'salesforce_case_timeline',
    sql: `UPDATE interactions SET first_response_at = t.first_reply, reopen_count = t.reopens,
             queue_id = coalesce(interactions.queue_id, t.last_queue), team_id = coalesce(interactions.team_id, t.last_queue),
             queue_wait_seconds = coalesce(t.chat_wait, interactions.queue_wait_seconds)
          FROM (SELECT e.interaction_id,
                  min(e.occurred_at) FILTER (WHERE e.type = 'message' AND e.author_role = 'agent' AND e.is_public) AS first_reply,
                  count(*) FILTER (WHERE e.type = 'reopen')::INTEGER AS reopens,
                  arg_max(CASE WHEN e.to_value LIKE 'salesforce:queue:%' THEN e.to_value ELSE e.from_value END, e.occurred_at)
                    FILTER (WHERE e.type IN ('assignment', 'transfer') AND e.body IS NULL
                      AND (e.to_value LIKE 'salesforce:queue:%' OR e.from_value LIKE 'salesforce:queue:%')
                      AND (i.resolved_at IS NULL OR e.occurred_at <= i.resolved_at)) AS last_queue,
                  arg_min(e.value_num, e.occurred_at) FILTER (WHERE e.type = 'assignment' AND e.body = 'chat') AS chat_wait
                FROM events e JOIN interactions i ON i.id = e.interaction_id
                WHERE e.interaction_id LIKE 'salesforce:case:%' GROUP BY e.interaction_id) t
          WHERE interactions.id = t.interaction_id
            AND (interactions.first_response_at IS DISTINCT FROM t.first_reply OR interactions.reopen_count <> t.reopens
                 OR (interactions.queue_id IS NULL AND t.last_queue IS NOT NULL)
                 OR interactions.queue_wait_seconds IS DISTINCT FROM coalesce(t.chat_wait, interactions.queue_wait_seconds))`,
  },
  {
    // The outcome columns from the whole timeline, so the history decides them rather than the
    // current row: answered once an agent owned the case (an assignment to an agent, a chat
    // accepted) or replied publicly; first resolved at the first change to a closed status (the
    // row's ClosedDate when the org tracks no status history), and only while or once resolved;
    // escalated once the history escalated it, even if the flag was cleared later; outbound when
    // the org wrote first (an agent's email or comment before any customer message).
    name: 'salesforce_case_outcomes',
    sql: `UPDATE interactions SET
             answered = coalesce(interactions.answered, false) OR t.agent_took OR interactions.first_response_at IS NOT NULL,
             first_resolved_at = CASE WHEN t.first_solved IS NOT NULL THEN t.first_solved
                                      WHEN interactions.resolved THEN interactions.resolved_at END,
             escalated = interactions.escalated OR t.escalation,
             direction = CASE WHEN t.first_author = 'agent' THEN 'outbound' ELSE 'inbound' END
          FROM (SELECT e.interaction_id,
                  bool_or(e.type = 'assignment' AND e.to_value LIKE 'salesforce:agent:%') AS agent_took,
                  min(e.occurred_at) FILTER (WHERE e.type = 'status_change' AND e.to_value = 'solved') AS first_solved,
                  bool_or(e.type = 'transfer' AND e.to_value = 'escalated') AS escalation,
                  arg_min(e.author_role, e.occurred_at) FILTER (WHERE e.type = 'message' AND e.author_role IN ('agent', 'customer')) AS first_author
                FROM events e WHERE e.interaction_id LIKE 'salesforce:case:%' GROUP BY e.interaction_id) t
          WHERE interactions.id = t.interaction_id`,
  },
];
