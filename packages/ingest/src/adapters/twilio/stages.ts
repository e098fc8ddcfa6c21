/**
 * Facts no single Twilio record knows, derived from all the events of each inbound call (its
 * `<Dial>` legs and its TaskRouter task), the way the Aircall adapter stores them:
 * - queue wait: from entering the TaskQueue to the accepted reservation (or to the caller
 *   hanging up); without TaskRouter, from the call's start to the first answered leg;
 * - abandonment: a call that entered a queue or rang an agent but that no agent answered is
 *   `abandoned` with `abandon_stage = 'queue'` (the cancel reason is the `queue_leave` body); an
 *   ended call that never entered a queue nor rang an agent ended in the call flow (the IVR): it is
 *   `abandoned` with `abandon_stage = 'ivr'`, like Aircall's `abandoned_in_ivr`, so that it is
 *   reported apart and never counted as a call offered to the queue;
 * - the answering agent (the last accepted worker, else the last answering endpoint), first
 *   response, resolution and talk time (the answered legs' durations);
 * - wrap-up: from the end of the call (when TaskRouter moves a voice task to wrapping) to the
 *   task's completion;
 * - the outcome columns: answered when an agent accepted it or a leg was answered, abandoned as above.
 * Idempotent: every value is recomputed from the events and the call's own columns.
 */
export const twilioCallOutcomes = {
  name: 'twilio_call_outcomes',
  sql: `UPDATE interactions SET
      queue_id = coalesce(e.queue, interactions.queue_id),
      agent_id = coalesce(e.worker, e.endpoint),
      first_response_at = e.answered,
      resolved_at = CASE WHEN e.answered IS NOT NULL THEN interactions.closed_at END,
      queue_wait_seconds = CASE
        WHEN e.entered IS NOT NULL THEN epoch(coalesce(e.answered, e.left_at, interactions.closed_at, e.entered) - e.entered)
        WHEN e.answered IS NOT NULL THEN greatest(0, epoch(e.answered - interactions.created_at))
        ELSE interactions.queue_wait_seconds END,
      talk_seconds = coalesce(e.leg_talk, CASE WHEN e.answered IS NOT NULL THEN epoch(interactions.closed_at - e.answered) END),
      status = CASE WHEN e.answered IS NULL AND interactions.status <> 'open' THEN 'abandoned' ELSE interactions.status END,
      abandon_stage = CASE WHEN e.answered IS NULL AND interactions.status <> 'open' THEN CASE WHEN e.entered IS NOT NULL OR e.offers > 0 THEN 'queue' ELSE 'ivr' END END,
      abandoned = e.answered IS NULL AND interactions.status <> 'open',
      answered = CASE WHEN e.answered IS NOT NULL THEN true WHEN interactions.status <> 'open' THEN false END,
      wrap_up_seconds = CASE WHEN e.answered IS NOT NULL AND e.completed IS NOT NULL AND interactions.closed_at IS NOT NULL
        THEN greatest(0, epoch(e.completed - interactions.closed_at)) END
    FROM (SELECT interaction_id,
            min(occurred_at) FILTER (WHERE type = 'queue_enter') AS entered,
            arg_min(to_value, occurred_at) FILTER (WHERE type = 'queue_enter') AS queue,
            min(occurred_at) FILTER (WHERE (type = 'assignment' AND author_role = 'agent') OR type = 'call_answered') AS answered,
            min(occurred_at) FILTER (WHERE type = 'queue_leave') AS left_at,
            arg_max(to_value, occurred_at) FILTER (WHERE type = 'assignment' AND author_role = 'agent') AS worker,
            arg_max(to_value, occurred_at) FILTER (WHERE type = 'call_answered') AS endpoint,
            sum(value_num) FILTER (WHERE type = 'call_answered') AS leg_talk,
            count(*) FILTER (WHERE type = 'assignment' AND author_role = 'system') AS offers,
            max(occurred_at) FILTER (WHERE type = 'wrap_up_end') AS completed
          FROM events WHERE interaction_id LIKE 'twilio:%' GROUP BY interaction_id) e
    WHERE interactions.id = e.interaction_id AND interactions.source = 'twilio' AND interactions.direction = 'inbound'`,
};
