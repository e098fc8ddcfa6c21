-- The full scorecard (every KPI, daily x channel, UTC days, calendar time, default config) written
-- by hand as one DuckDB statement: the yardstick the benchmark compares the registry's SQL with.
-- $1 = range start, $2 = range end (UTC instants).
WITH
ck AS (
  SELECT id.contact_id, min(v.key) AS key
  FROM identities id
  JOIN (SELECT kind, value, min(contact_id) AS key FROM identities
        WHERE kind IN ('email', 'phone', 'chat_visitor', 'social_handle', 'crm_contact') GROUP BY ALL) v
    ON v.kind = id.kind AND v.value = id.value
  GROUP BY 1
),
inr AS (SELECT * FROM interactions WHERE created_at >= $1::TIMESTAMPTZ AND created_at < $2::TIMESTAMPTZ),
ev AS (
  SELECT interaction_id,
    count(*) FILTER (type = 'status_change') AS n_status,
    min(occurred_at) FILTER (type = 'message' AND author_role = 'customer') AS cust_at,
    min(occurred_at) FILTER (type = 'message' AND author_role = 'customer' AND is_public) AS pub_cust_at,
    bool_or(type = 'message' AND author_role = 'customer' AND NOT is_public) OR bool_or(type = 'transfer' AND to_value IN ('private', 'dm', 'direct_message')) AS priv,
    min(occurred_at) FILTER (type = 'bot_handoff') AS handoff_at,
    list(occurred_at) FILTER (type = 'message' AND author_role = 'agent' AND is_public) AS replies,
    min(occurred_at) FILTER (type = 'status_change' AND to_value IN ('solved', 'closed')) AS solved1,
    coalesce(max(occurred_at) FILTER (type = 'status_change' AND to_value = 'solved'), max(occurred_at) FILTER (type = 'status_change' AND to_value = 'closed')) AS solved_last,
    arg_max(to_value, seq) FILTER (type = 'status_change') AS last_status,
    count(*) FILTER (type = 'status_change' AND from_value = 'solved' AND to_value IN ('new', 'open', 'pending')) AS reopens,
    min(occurred_at) FILTER (type = 'callback_requested') AS cb_req,
    min(occurred_at) FILTER (type = 'callback_completed') AS cb_done,
    arg_max(value_num, seq) FILTER (type = 'csat') AS csat_ev,
    bool_or(type = 'article_view') AS viewed,
    max(occurred_at) AS last_at
  FROM events WHERE interaction_id IN (SELECT id FROM inr) GROUP BY 1
),
nxt AS (
  SELECT id, first_value(CASE WHEN channel <> 'help_center' AND direction = 'inbound' THEN created_at END IGNORE NULLS)
    OVER (PARTITION BY k ORDER BY created_at, id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_at
  FROM (SELECT i.*, coalesce(i.customer_id, ck.key, i.contact_id) AS k FROM interactions i LEFT JOIN ck USING (contact_id)
        WHERE i.created_at >= $1::TIMESTAMPTZ AND i.created_at < $2::TIMESTAMPTZ + INTERVAL 7 DAY)
  WHERE k IS NOT NULL
),
f0 AS (
  SELECT i.id, i.channel, i.direction, i.priority, i.agent_id, i.bot_involved, i.bot_contained, i.created_at,
    strftime(i.created_at, '%Y-%m-%d') AS day,
    coalesce(i.customer_id, ck.key, i.contact_id) AS k,
    i.channel <> 'help_center' AND i.direction = 'inbound' AS contact,
    CASE WHEN len(coalesce(ev.replies, [])) = 0 THEN i.first_response_at
      ELSE list_min(list_filter(ev.replies, lambda x: x >= greatest(coalesce(ev.cust_at, i.created_at), ev.handoff_at))) END AS reply_at,
    greatest(coalesce(ev.cust_at, i.created_at), ev.handoff_at) AS wait_from,
    CASE WHEN i.channel = 'social' THEN list_min(list_filter(ev.replies, lambda x: x >= ev.pub_cust_at)) END AS pub_reply_at,
    ev.pub_cust_at,
    CASE WHEN coalesce(ev.n_status, 0) > 0 THEN ev.solved1 ELSE i.resolved_at END AS solved1,
    CASE WHEN coalesce(ev.n_status, 0) > 0 THEN CASE WHEN ev.last_status IN ('solved', 'closed') THEN ev.solved_last END
         WHEN i.status IN ('solved', 'closed') THEN coalesce(i.resolved_at, i.closed_at) END AS solved_at,
    CASE WHEN coalesce(ev.n_status, 0) > 0 THEN ev.reopens ELSE i.reopen_count END AS reopens,
    coalesce(i.csat_score, ev.csat_ev) AS csat,
    nps.nps, nx.next_at, coalesce(ev.priv, false) AS priv,
    i.channel = 'phone' AND i.direction = 'inbound' AS offered,
    i.channel = 'phone' AND i.first_response_at IS NOT NULL AS answered,
    i.channel = 'phone' AND (i.abandon_stage IS NOT NULL OR i.status = 'abandoned') AS abandoned,
    CASE WHEN i.abandon_stage = 'hold' THEN NULL ELSE coalesce(epoch(ev.last_at) - epoch(i.created_at), i.queue_wait_seconds) END AS abandon_after,
    i.queue_wait_seconds AS wait_s, coalesce(i.hold_seconds, 0) AS hold_s,
    coalesce(i.talk_seconds, 0) + coalesce(i.hold_seconds, 0) + coalesce(i.wrap_up_seconds, 0) AS handle_s,
    ev.cb_req, least(ev.cb_done, cb.done) AS cb_done,
    s.first_score, s.last_score, coalesce(s.customer_messages, 0) AS n_msgs,
    i.channel = 'help_center' AND (i.article_id IS NOT NULL OR coalesce(ev.viewed, false)) AS viewed
  FROM inr i
  LEFT JOIN ck ON ck.contact_id = i.contact_id
  LEFT JOIN ev ON ev.interaction_id = i.id
  LEFT JOIN (SELECT c.parent_interaction_id AS id, min(e.occurred_at) AS done FROM interactions c
             JOIN events e ON e.interaction_id = c.id AND e.type = 'callback_completed'
             WHERE c.parent_interaction_id IN (SELECT id FROM inr) GROUP BY 1) cb ON cb.id = i.id
  LEFT JOIN nxt nx ON nx.id = i.id
  LEFT JOIN interaction_sentiment s ON s.interaction_id = i.id
  LEFT JOIN (SELECT interaction_id, arg_max(score, responded_at) AS nps FROM nps_responses GROUP BY 1) nps ON nps.interaction_id = i.id
),
f AS (
  SELECT *,
    epoch(reply_at) - epoch(wait_from) AS frt, epoch(solved_at) - epoch(created_at) AS ttr, epoch(solved1) - epoch(created_at) AS ttr1,
    epoch(pub_reply_at) - epoch(pub_cust_at) AS prt,
    coalesce(contact AND next_at <= created_at + INTERVAL 7 DAY, false) AS rep,
    abandoned AND coalesce(abandon_after < 5, false) AS short,
    solved_at IS NOT NULL OR bot_contained AS resolved,
    CASE priority WHEN 'urgent' THEN 3600 WHEN 'high' THEN 14400 WHEN 'normal' THEN 28800 ELSE 86400 END AS t_frt,
    CASE priority WHEN 'urgent' THEN 28800 WHEN 'high' THEN 86400 WHEN 'normal' THEN 259200 ELSE 432000 END AS t_res
  FROM f0
),
facts AS (
  SELECT day, channel,
    count(*) AS volume,
    quantile_cont(frt, [0.5, 0.9]) FILTER (channel IN ('chat', 'email', 'social') AND frt IS NOT NULL) AS frt_q, avg(frt) FILTER (channel IN ('chat', 'email', 'social')) AS frt_mean,
    quantile_cont(ttr, [0.5, 0.9]) FILTER (channel <> 'help_center' AND ttr IS NOT NULL) AS ttr_q, avg(ttr) FILTER (channel <> 'help_center') AS ttr_mean,
    quantile_cont(ttr1, [0.5, 0.9]) FILTER (channel <> 'help_center' AND ttr1 IS NOT NULL) AS ttr1_q, avg(ttr1) FILTER (channel <> 'help_center') AS ttr1_mean,
    count(*) FILTER (solved1 IS NOT NULL AND reopens > 0) / nullif(count(*) FILTER (solved1 IS NOT NULL), 0) AS reopen_rate,
    count(*) FILTER (contact AND resolved AND reopens = 0 AND NOT rep) / nullif(count(*) FILTER (contact AND resolved), 0) AS fcr,
    count(*) FILTER (contact AND rep) / nullif(count(*) FILTER (contact AND k IS NOT NULL), 0) AS repeat_contact_rate,
    count(*) FILTER (csat >= 4) / nullif(count(csat), 0) AS csat,
    100.0 * (count(*) FILTER (nps >= 9) - count(*) FILTER (nps <= 6)) / nullif(count(nps), 0) AS nps,
    sum(CASE WHEN contact THEN (reply_at IS NOT NULL AND frt <= t_frt)::INT + (solved_at IS NOT NULL AND ttr <= t_res)::INT END)
      / nullif(sum(CASE WHEN contact THEN (CASE WHEN reply_at IS NOT NULL THEN frt > t_frt ELSE epoch($2::TIMESTAMPTZ) - epoch(wait_from) > t_frt END)::INT
          + (CASE WHEN solved_at IS NOT NULL THEN ttr > t_res ELSE epoch($2::TIMESTAMPTZ) - epoch(created_at) > t_res END)::INT
          + (reply_at IS NOT NULL AND frt <= t_frt)::INT + (solved_at IS NOT NULL AND ttr <= t_res)::INT END), 0) AS sla_achievement,
    sum(CASE WHEN agent_id IS NULL OR bot_contained THEN 0 WHEN channel = 'phone' THEN handle_s
             ELSE 60 * CASE channel WHEN 'chat' THEN 12 WHEN 'email' THEN 9 WHEN 'social' THEN 7 ELSE 0 END END / 3600.0
        * CASE channel WHEN 'chat' THEN 38 WHEN 'email' THEN 34 WHEN 'phone' THEN 42 WHEN 'social' THEN 36 ELSE 0 END
        + CASE WHEN bot_involved THEN 0.6 ELSE 0 END) FILTER (channel <> 'help_center')
      / nullif(count(*) FILTER (contact AND resolved), 0) AS cost_per_resolution,
    count(*) FILTER (channel = 'chat' AND bot_contained) / nullif(count(*) FILTER (channel = 'chat' AND bot_involved), 0) AS containment_rate,
    count(*) FILTER (channel = 'chat' AND bot_contained AND NOT rep AND coalesce(csat, 5) > 2) / nullif(count(*) FILTER (channel = 'chat' AND bot_involved), 0) AS containment_quality,
    count(*) FILTER (offered) AS offered, count(*) FILTER (offered AND answered) AS answered,
    count(*) FILTER (offered AND abandoned) AS abandoned, count(*) FILTER (offered AND short) AS abandoned_short,
    count(*) FILTER (offered AND abandoned AND NOT short) / nullif(count(*) FILTER (offered AND NOT short), 0) AS abandonment_rate,
    quantile_cont(wait_s, [0.5, 0.9]) FILTER (offered AND answered AND wait_s IS NOT NULL) AS asa_q, avg(wait_s) FILTER (offered AND answered) AS asa_mean,
    count(*) FILTER (offered AND answered AND NOT short AND wait_s <= 20) / nullif(count(*) FILTER (offered AND NOT short), 0) AS service_level,
    quantile_cont(hold_s, [0.5, 0.9]) FILTER (channel = 'phone' AND answered) AS hold_q, avg(hold_s) FILTER (channel = 'phone' AND answered) AS hold_mean,
    quantile_cont(handle_s, [0.5, 0.9]) FILTER (channel = 'phone' AND answered) AS aht_q, avg(handle_s) FILTER (channel = 'phone' AND answered) AS aht_mean,
    count(*) FILTER (cb_req IS NOT NULL AND epoch(cb_done) - epoch(cb_req) <= 14400) / nullif(count(*) FILTER (cb_req IS NOT NULL), 0) AS callback_completion_rate,
    quantile_cont(prt, [0.5, 0.9]) FILTER (channel = 'social' AND prt IS NOT NULL) AS prt_q, avg(prt) FILTER (channel = 'social') AS prt_mean,
    count(*) FILTER (channel = 'social' AND pub_cust_at IS NOT NULL AND priv) / nullif(count(*) FILTER (channel = 'social' AND pub_cust_at IS NOT NULL), 0) AS public_to_private_rate,
    avg(last_score - first_score) FILTER (channel = 'social' AND n_msgs >= 2) AS sentiment_shift,
    count(*) FILTER (viewed AND k IS NOT NULL AND NOT coalesce(next_at <= created_at + INTERVAL 1 DAY, false)) / nullif(count(*) FILTER (viewed AND k IS NOT NULL), 0) AS self_service_containment
  FROM f GROUP BY ALL
),
days AS (SELECT strftime(d, '%Y-%m-%d') AS day, LEAST(d + INTERVAL 1 DAY, $2::TIMESTAMPTZ) AS at FROM range($1::TIMESTAMPTZ, $2::TIMESTAMPTZ, INTERVAL 1 DAY) r(d)),
em AS (SELECT id, created_at, status, resolved_at FROM interactions WHERE channel = 'email' AND created_at < $2::TIMESTAMPTZ),
st AS (
  SELECT id, t, o, lead(t) OVER (PARTITION BY id ORDER BY t, q) AS t2 FROM (
    SELECT id, created_at AS t, -1 AS q, true AS o FROM em
    UNION ALL SELECT interaction_id, occurred_at, seq, to_value NOT IN ('solved', 'closed') FROM events WHERE type = 'status_change' AND interaction_id IN (SELECT id FROM em)
    UNION ALL SELECT id, resolved_at, 2147483647, false FROM em WHERE status IN ('solved', 'closed') AND resolved_at IS NOT NULL
      AND id NOT IN (SELECT interaction_id FROM events WHERE type = 'status_change' AND interaction_id IN (SELECT id FROM em)))
),
backlog AS (
  SELECT d.day, 'email' AS channel, count(*) AS backlog,
    count(*) FILTER (epoch(d.at) - epoch(em.created_at) < 86400) AS b01,
    count(*) FILTER (epoch(d.at) - epoch(em.created_at) >= 86400 AND epoch(d.at) - epoch(em.created_at) < 259200) AS b13,
    count(*) FILTER (epoch(d.at) - epoch(em.created_at) >= 259200 AND epoch(d.at) - epoch(em.created_at) < 604800) AS b37,
    count(*) FILTER (epoch(d.at) - epoch(em.created_at) >= 604800 AND epoch(d.at) - epoch(em.created_at) < 1209600) AS b714,
    count(*) FILTER (epoch(d.at) - epoch(em.created_at) >= 1209600) AS b14
  FROM st JOIN days d ON d.at >= st.t AND d.at < coalesce(st.t2, 'infinity'::TIMESTAMPTZ) JOIN em ON em.id = st.id
  WHERE st.o AND (st.t2 IS NULL OR st.t2 > st.t)
  GROUP BY ALL
),
chats AS (
  SELECT c.agent_id, coalesce(e.assigned_at, c.bot_handoff_at, c.first_response_at, c.created_at) AS s, coalesce(c.closed_at, c.resolved_at, e.last_at) AS e
  FROM interactions c LEFT JOIN (SELECT interaction_id, min(occurred_at) FILTER (type = 'assignment') AS assigned_at, max(occurred_at) AS last_at FROM events
                        WHERE interaction_id IN (SELECT id FROM interactions WHERE channel = 'chat' AND agent_id IS NOT NULL) GROUP BY 1) e ON e.interaction_id = c.id
  WHERE c.channel = 'chat' AND c.agent_id IS NOT NULL
),
load AS (
  SELECT agent_id, t, sum(d) OVER (PARTITION BY agent_id ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS n, lead(t) OVER (PARTITION BY agent_id ORDER BY t, d) AS t2
  FROM (SELECT agent_id, s AS t, 1 AS d FROM chats WHERE e > s UNION ALL SELECT agent_id, e, -1 FROM chats WHERE e > s)
),
conc AS (
  SELECT strftime(t, '%Y-%m-%d') AS day, 'chat' AS channel,
    sum(n * (epoch(t2) - epoch(t))) FILTER (n > 0) / nullif(sum(epoch(t2) - epoch(t)) FILTER (n > 0), 0) AS concurrency, max(n) AS concurrency_peak
  FROM load WHERE t2 > t AND n > 0 AND t >= $1::TIMESTAMPTZ AND t < $2::TIMESTAMPTZ GROUP BY ALL
)
SELECT * FROM facts FULL JOIN backlog USING (day, channel) FULL JOIN conc USING (day, channel) ORDER BY day, channel
