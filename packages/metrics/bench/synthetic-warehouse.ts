import type { Warehouse } from '@helpdesk/core';

/**
 * A synthetic warehouse for the benchmark, built in SQL, used only while `@helpdesk/demo-data`
 * does not export `buildDemoWarehouse` yet. Deterministic (DuckDB's `hash` of the row number and a
 * salt), realistic in shape: 30 % chat, 25 % email, 25 % phone, 8 % social, 12 % help-center
 * sessions, bot hand-offs, reopens, abandons, callbacks, CSAT and repeat contacts, and 5-8
 * events per interaction, so the scorecard does the same work as on the demo data.
 */
export async function buildSyntheticWarehouse(wh: Warehouse, options: { interactions: number; days: number; seed: number }): Promise<void> {
  const n = options.interactions;
  const span = options.days * 86400;
  const s = options.seed;
  const u = (k: number) => `((hash(i, ${s * 100 + k}) % 1000000) / 1000000.0)`;
  await wh.run(`
INSERT INTO teams SELECT 'team:' || t, 'Team ' || t, ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Europe/Paris', 'Europe/Berlin', 'Europe/Zurich'][t + 1], 'synthetic' FROM range(6) r(t);
INSERT INTO agents (id, source, native_id, name, team_id, time_zone, max_concurrency, is_bot)
  SELECT 'agent:' || a, 'synthetic', CAST(a AS VARCHAR), 'Agent ' || a, 'team:' || (a % 6), 'Europe/Berlin', 3, false FROM range(150) r(a);
CREATE TEMP TABLE syn AS
SELECT i,
  CASE WHEN ${u(0)} < 0.30 THEN 'chat' WHEN ${u(0)} < 0.55 THEN 'email' WHEN ${u(0)} < 0.80 THEN 'phone' WHEN ${u(0)} < 0.88 THEN 'social' ELSE 'help_center' END AS channel,
  TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(CAST(i AS DOUBLE) / ${n} * ${span} + ${u(7)} * 600) AS t0,
  ${u(1)} AS u1, ${u(2)} AS u2, ${u(3)} AS u3, ${u(4)} AS u4, ${u(5)} AS u5, ${u(6)} AS u6,
  hash(i, ${s * 100 + 8}) % 150 AS agent_n,
  'c' || (hash(i, ${s * 100 + 9}) % ${Math.max(1, Math.floor(n / 4))}) AS contact
FROM range(${n}) r(i);
CREATE TEMP TABLE syn2 AS
SELECT *,
  CASE channel WHEN 'chat' THEN 30 + u1 * 600 WHEN 'email' THEN 1800 + u1 * 172800 WHEN 'social' THEN 600 + u1 * 7200 END AS frt,
  CASE channel WHEN 'chat' THEN 300 + u2 * 1800 WHEN 'email' THEN u2 * 345600 WHEN 'social' THEN u2 * 21600 END AS work,
  channel = 'chat' AND u4 < 0.5 AS bot, channel = 'chat' AND u4 < 0.2 AS contained,
  channel = 'email' AND u3 < 0.08 AS reopened,
  channel IN ('email', 'social') AND u6 < 0.06 AS still_open,
  channel = 'phone' AND u2 < 0.08 AS abandoned,
  channel = 'phone' AND u6 < 0.05 AS callback,
  CASE WHEN channel IN ('chat', 'email', 'social', 'phone') AND u5 < 0.25 THEN 1 + CAST(floor(u6 * 4.999) AS INTEGER) END AS csat
FROM syn;
INSERT INTO interactions (id, source, native_id, channel, direction, contact_id, queue_id, team_id, agent_id, priority, language, intent, status,
  created_at, first_response_at, resolved_at, closed_at, updated_at, bot_involved, bot_handoff_at, bot_contained, reopen_count, csat_score,
  queue_wait_seconds, talk_seconds, hold_seconds, wrap_up_seconds, abandon_stage, article_id)
SELECT 'syn:' || i, 'synthetic', CAST(i AS VARCHAR), channel, 'inbound', contact, channel || ':q' || (agent_n % 3),
  CASE WHEN contained OR abandoned OR channel = 'help_center' THEN NULL ELSE 'team:' || (agent_n % 6) END,
  CASE WHEN contained OR abandoned OR channel = 'help_center' THEN NULL ELSE 'agent:' || agent_n END,
  ['low', 'normal', 'normal', 'high', 'urgent'][1 + CAST(floor(u3 * 4.999) AS INTEGER)], ['en', 'de', 'fr'][1 + (i % 3)],
  ['refund', 'delivery', 'login', 'billing', 'warranty', 'sizing'][1 + (i % 6)],
  CASE WHEN abandoned THEN 'abandoned' WHEN still_open THEN 'open' ELSE 'solved' END,
  t0,
  CASE WHEN channel = 'phone' AND NOT abandoned THEN t0 + to_seconds(u1 * 120)
       WHEN channel IN ('chat', 'email', 'social') AND NOT contained THEN t0 + to_seconds(frt + CASE WHEN bot THEN 60 ELSE 0 END) END,
  CASE WHEN still_open OR abandoned OR channel = 'help_center' THEN NULL
       WHEN channel = 'phone' THEN t0 + to_seconds(u1 * 120 + 120 + u3 * 600)
       WHEN contained THEN t0 + to_seconds(120)
       ELSE t0 + to_seconds(frt + work + CASE WHEN reopened THEN 86400 ELSE 0 END) END,
  NULL, t0, bot, CASE WHEN bot AND NOT contained THEN t0 + to_seconds(60) END, contained,
  CASE WHEN reopened THEN 1 ELSE 0 END, csat,
  CASE WHEN channel = 'phone' THEN CASE WHEN abandoned AND u4 < 0.3 THEN 2 ELSE u1 * 120 END END,
  CASE WHEN channel = 'phone' AND NOT abandoned THEN 120 + u3 * 600 END,
  CASE WHEN channel = 'phone' AND NOT abandoned THEN CASE WHEN u4 < 0.3 THEN u5 * 120 ELSE 0 END END,
  CASE WHEN channel = 'phone' AND NOT abandoned THEN 30 + u5 * 90 END,
  CASE WHEN abandoned THEN CASE WHEN u3 < 0.6 THEN 'queue' WHEN u3 < 0.85 THEN 'ivr' ELSE 'hold' END END,
  CASE WHEN channel = 'help_center' THEN 'article:' || (i % 40) END
FROM syn2;
INSERT INTO events
SELECT 'syn:' || i || ':' || e.seq, 'syn:' || i, e.seq, t0 + to_seconds(e.off), e.type, e.role, NULL, e.pub, e.body, e.fr, e.tv, e.num
FROM (
  SELECT *, unnest(CASE channel
    WHEN 'chat' THEN [
      {'seq': 0, 'off': 0.0, 'type': 'message', 'role': 'customer', 'pub': true, 'body': 'hello, my order is late', 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 1, 'off': 5.0, 'type': CASE WHEN bot THEN 'message' END, 'role': 'bot', 'pub': true, 'body': 'I can help', 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 2, 'off': 60.0, 'type': CASE WHEN bot AND NOT contained THEN 'bot_handoff' END, 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 3, 'off': CASE WHEN bot THEN 60 ELSE 0 END + frt * 0.5, 'type': CASE WHEN NOT contained THEN 'assignment' END, 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': 'agent:' || agent_n, 'num': NULL},
      {'seq': 4, 'off': CASE WHEN bot THEN 60 ELSE 0 END + frt, 'type': CASE WHEN NOT contained THEN 'message' END, 'role': 'agent', 'pub': true, 'body': 'on it', 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 5, 'off': CASE WHEN contained THEN 120 ELSE frt + work END, 'type': 'status_change', 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': 'open', 'tv': 'solved', 'num': NULL},
      {'seq': 6, 'off': CASE WHEN contained THEN 180 ELSE frt + work + 60 END, 'type': CASE WHEN csat IS NOT NULL THEN 'csat' END, 'role': 'customer', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': csat::DOUBLE}]
    WHEN 'email' THEN [
      {'seq': 0, 'off': 0.0, 'type': 'message', 'role': 'customer', 'pub': true, 'body': 'where is my refund', 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 1, 'off': 1.0, 'type': 'status_change', 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': 'new', 'tv': 'open', 'num': NULL},
      {'seq': 2, 'off': frt, 'type': 'message', 'role': 'agent', 'pub': true, 'body': 'we are checking', 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 3, 'off': frt + work, 'type': CASE WHEN NOT still_open THEN 'status_change' END, 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': 'open', 'tv': 'solved', 'num': NULL},
      {'seq': 4, 'off': frt + work + 18000, 'type': CASE WHEN reopened AND NOT still_open THEN 'status_change' END, 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': 'solved', 'tv': 'open', 'num': NULL},
      {'seq': 5, 'off': frt + work + 86400, 'type': CASE WHEN reopened AND NOT still_open THEN 'status_change' END, 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': 'open', 'tv': 'solved', 'num': NULL},
      {'seq': 6, 'off': frt + work + 86460, 'type': CASE WHEN csat IS NOT NULL THEN 'csat' END, 'role': 'customer', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': csat::DOUBLE}]
    WHEN 'phone' THEN [
      {'seq': 0, 'off': 0.0, 'type': 'queue_enter', 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 1, 'off': CASE WHEN abandoned AND u4 < 0.3 THEN 2 ELSE u1 * 120 END, 'type': CASE WHEN abandoned THEN 'queue_leave' ELSE 'call_answered' END, 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 2, 'off': u1 * 120 + 60, 'type': CASE WHEN NOT abandoned AND u4 < 0.3 THEN 'hold_start' END, 'role': 'agent', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 3, 'off': u1 * 120 + 60 + u5 * 120, 'type': CASE WHEN NOT abandoned AND u4 < 0.3 THEN 'hold_end' END, 'role': 'agent', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': u5 * 120},
      {'seq': 4, 'off': u1 * 120 + 120 + u3 * 600, 'type': CASE WHEN NOT abandoned THEN 'call_ended' END, 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 5, 'off': 30.0, 'type': CASE WHEN callback THEN 'callback_requested' END, 'role': 'customer', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 6, 'off': 30 + u1 * 21600, 'type': CASE WHEN callback THEN 'callback_completed' END, 'role': 'agent', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': NULL, 'num': NULL}]
    WHEN 'social' THEN [
      {'seq': 0, 'off': 0.0, 'type': 'message', 'role': 'customer', 'pub': true, 'body': ['this is terrible, so angry', 'still waiting for my parcel', 'quick question about sizes', 'your service is awful'][1 + CAST(floor(u3 * 3.999) AS INTEGER)], 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 1, 'off': frt, 'type': 'message', 'role': 'agent', 'pub': true, 'body': 'sorry, please DM us', 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 2, 'off': frt + 300, 'type': CASE WHEN u4 < 0.4 THEN 'message' END, 'role': 'customer', 'pub': false, 'body': 'here is my order number', 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 3, 'off': frt + work * 0.5, 'type': 'message', 'role': 'agent', 'pub': u4 >= 0.4, 'body': 'fixed it', 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 4, 'off': frt + work * 0.6, 'type': 'message', 'role': 'customer', 'pub': u4 >= 0.4, 'body': ['thanks, great help', 'ok', 'love it, awesome', 'still not happy'][1 + CAST(floor(u5 * 3.999) AS INTEGER)], 'fr': NULL, 'tv': NULL, 'num': NULL},
      {'seq': 5, 'off': frt + work, 'type': CASE WHEN NOT still_open THEN 'status_change' END, 'role': 'system', 'pub': NULL, 'body': NULL, 'fr': 'open', 'tv': 'solved', 'num': NULL}]
    ELSE [
      {'seq': 0, 'off': 0.0, 'type': 'article_view', 'role': 'customer', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': 'article:' || (i % 40), 'num': NULL},
      {'seq': 1, 'off': 90.0, 'type': CASE WHEN u1 < 0.3 THEN 'article_view' END, 'role': 'customer', 'pub': NULL, 'body': NULL, 'fr': NULL, 'tv': 'article:' || ((i + 7) % 40), 'num': NULL}]
    END) AS e
  FROM syn2
)
WHERE e.type IS NOT NULL;
INSERT INTO identities SELECT 'id:' || contact, contact, 'synthetic', 'email', contact || '@example.com', contact || '@example.com', true, NULL, TIMESTAMPTZ '2024-01-01 00:00:00+00', TIMESTAMPTZ '2024-01-01 00:00:00+00'
  FROM (SELECT DISTINCT contact FROM syn);
INSERT INTO warehouse_meta VALUES ('generator', 'metrics bench synthetic'), ('seed', '${s}');
DROP TABLE syn2; DROP TABLE syn;
`);
  await wh.checkpoint();
}
