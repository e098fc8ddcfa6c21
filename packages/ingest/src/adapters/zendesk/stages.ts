/**
 * The interactions of the tickets and ticket events that runs since the source's last successful
 * one (the current one included) landed: a run that stopped before its stages left its records
 * for the next. Every landed record has its raw row, written in the same commit.
 */
const touchedTickets = `SELECT 'zendesk:' || CASE WHEN stream = 'tickets' THEN native_id ELSE payload->>'ticket_id' END
  FROM raw_records
  WHERE source = 'zendesk' AND stream IN ('tickets', 'ticket_events')
    AND run_id IN (SELECT id FROM ingest_runs WHERE source = 'zendesk' AND status <> 'succeeded'
      AND started_at >= coalesce((SELECT max(started_at) FROM ingest_runs WHERE source = 'zendesk' AND status = 'succeeded'), '-infinity'::TIMESTAMPTZ))`;

/**
 * Named SQL stages run after a Zendesk run has landed records (each idempotent, so a resumed run
 * ends exactly like an unbroken one). They derive what a single vendor record cannot know.
 */
export const zendeskStages: { name: string; sql: string }[] = [
  {
    // Ticket events name users; an author who is an agent becomes `zendesk:agent:<id>`, anyone else a customer.
    name: 'zendesk_event_authors',
    sql: `UPDATE events SET author_role = CASE WHEN a.id IS NOT NULL THEN 'agent' ELSE 'customer' END,
             author_id = coalesce(a.id, events.author_id)
          FROM (SELECT e.rowid AS rid, ag.id FROM events e
                LEFT JOIN agents ag ON ag.id = 'zendesk:agent:' || substr(e.author_id, length('zendesk:user:') + 1)
                WHERE e.author_role IS NULL AND e.interaction_id LIKE 'zendesk:%' AND e.author_id LIKE 'zendesk:user:%') a
          WHERE events.rowid = a.rid`,
  },
  {
    // Only the tickets a run since the last successful one landed (itself included) can have a
    // new timeline; the whole source's events were read again on every run before.
    // First public agent reply, first and last solve, reopens and whether an agent took it, from
    // the timeline: answered once an agent replied publicly or was assigned (or the ticket has an
    // assignee); first resolution the first move to solved or closed, whatever the ticket's state
    // now (a ticket solved, reopened and still open was resolved once: the reopen rate counts it).
    name: 'zendesk_interaction_timeline',
    sql: `UPDATE interactions SET first_response_at = t.first_reply, resolved_at = t.last_solved, reopen_count = t.reopens,
            first_resolved_at = t.first_solved,
            answered = (t.first_reply IS NOT NULL OR coalesce(t.assigned, false) OR interactions.agent_id IS NOT NULL)
          FROM (SELECT interaction_id,
                  min(occurred_at) FILTER (WHERE type = 'message' AND author_role = 'agent' AND is_public) AS first_reply,
                  max(occurred_at) FILTER (WHERE type = 'status_change' AND to_value = 'solved') AS last_solved,
                  min(occurred_at) FILTER (WHERE type = 'status_change' AND to_value IN ('solved', 'closed')) AS first_solved,
                  bool_or(type = 'assignment' AND to_value IS NOT NULL) AS assigned,
                  count(*) FILTER (WHERE type = 'reopen')::INTEGER AS reopens
                FROM events WHERE interaction_id IN (${touchedTickets}) GROUP BY interaction_id) t
          WHERE interactions.id = t.interaction_id
            AND (interactions.first_response_at IS DISTINCT FROM t.first_reply OR interactions.resolved_at IS DISTINCT FROM t.last_solved
                 OR interactions.reopen_count <> t.reopens
                 OR interactions.first_resolved_at IS DISTINCT FROM t.first_solved
                 OR interactions.answered IS DISTINCT FROM (t.first_reply IS NOT NULL OR coalesce(t.assigned, false) OR interactions.agent_id IS NOT NULL))`,
  },
];
