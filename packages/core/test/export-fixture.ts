import { join } from 'node:path';
import { Warehouse } from '../src/index.ts';

/**
 * A small hand-built warehouse for the export tests (the demo generator is another issue's):
 * 3,000 interactions over ~77 days on five channels, 4 events each, 97 source contacts whose
 * identities (email, phone, name, handle) appear in subjects, bodies and Aircall contact ids,
 * 50 resolved customers and 200 cases. Names include non-ASCII letters to exercise UTF-8.
 */
export const FIXTURE = { interactions: 3000, eventsPerInteraction: 4, contacts: 97, customers: 50, cases: 200 };

const people = `
CREATE TEMP TABLE people AS
SELECT p,
  ['Alice', 'Bruno', 'Chloé', 'Dmitri', 'Eun-ji', 'Fatima', 'Gonçalo', 'Hannah', 'Ivan', 'Zoë'][p % 10 + 1]
    || ' ' || ['Jones', 'Müller', 'Okafor', 'Nakamura', 'Silva', 'Kowalski', 'Larsen'][p % 7 + 1] || ' ' || p AS name,
  'Person.' || p || '@Example.com' AS email,
  '+49 30 ' || lpad(CAST(1000000 + p * 7919 AS VARCHAR), 7, '0') AS phone,
  '@handle_' || p AS handle
FROM range(${FIXTURE.contacts}) t(p);`;

const interactions = `
INSERT INTO interactions (id, source, native_id, channel, direction, contact_id, customer_id, case_id, queue_id, team_id, agent_id,
  priority, language, country, intent, tags, subject, status, created_at, first_response_at, resolved_at, closed_at, updated_at,
  bot_involved, bot_contained, reopen_count, csat_score, queue_wait_seconds, talk_seconds, abandon_stage)
SELECT
  CASE i % 5 WHEN 2 THEN 'aircall:' ELSE 'zendesk:' END || i,
  CASE i % 5 WHEN 2 THEN 'aircall' ELSE 'zendesk' END,
  CAST(i AS VARCHAR),
  ['chat', 'email', 'phone', 'social', 'help_center'][i % 5 + 1],
  CASE WHEN i % 11 = 0 THEN 'outbound' ELSE 'inbound' END,
  CASE i % 5 WHEN 2 THEN 'aircall:number:' || regexp_replace(pp.phone, '[^0-9+]', '', 'g') ELSE 'zendesk:user:' || pp.p END,
  CASE WHEN pp.p < ${FIXTURE.customers} THEN 'cust-' || pp.p END,
  CASE WHEN i % 15 = 0 THEN 'case-' || (i // 15) % ${FIXTURE.cases} END,
  'queue-' || i % 4, 'team-' || i % 3, CASE WHEN i % 9 = 0 THEN NULL ELSE 'zendesk:agent:' || i % 13 END,
  ['low', 'normal', 'high', 'urgent'][i % 4 + 1], ['en', 'de', 'fr'][i % 3 + 1], CASE WHEN i % 6 = 0 THEN NULL ELSE 'DE' END,
  ['refund', 'delivery', 'login'][i % 3 + 1],
  CASE i % 4 WHEN 0 THEN [] WHEN 1 THEN ['vip', 'refund'] WHEN 2 THEN ['x', NULL] ELSE ['a-very-long-tag-value-beyond-twelve'] END,
  CASE WHEN i % 8 = 0 THEN NULL ELSE 'Order problem for ' || pp.name || ' <' || pp.email || '>' END,
  CASE WHEN i % 7 = 0 THEN 'open' ELSE 'solved' END,
  TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(i * 37),
  CASE WHEN i % 9 = 0 THEN NULL ELSE TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(i * 37 + 5) END,
  CASE WHEN i % 7 = 0 THEN NULL ELSE TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(i * 37 + 90) END,
  NULL,
  TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(i * 37 + 95),
  i % 10 = 0, i % 20 = 0, i % 13 = 0 AND i % 7 <> 0,
  CASE WHEN i % 4 = 0 THEN i % 5 + 1 END,
  CASE WHEN i % 5 IN (0, 2) THEN (i % 600) / 4.0 END,
  CASE WHEN i % 5 = 2 THEN (i % 900) * 1.5 END,
  CASE WHEN i % 5 = 2 AND i % 17 = 0 THEN 'queue' END
FROM range(${FIXTURE.interactions}) t(i) JOIN people pp ON pp.p = i % ${FIXTURE.contacts};`;

const events = `
INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, author_id, is_public, body, from_value, to_value, value_num)
SELECT x.id || ':' || s, x.id, s, x.created_at + to_seconds(s * 61),
  ['message', 'message', 'status_change', 'csat'][s + 1],
  ['customer', 'agent', 'system', 'customer'][s + 1],
  CASE s WHEN 0 THEN x.contact_id WHEN 3 THEN x.contact_id WHEN 1 THEN 'zendesk:agent:' || x.n % 13 ELSE NULL END,
  CASE WHEN s < 2 THEN true END,
  CASE s WHEN 0 THEN 'Hi, this is ' || pp.name || ', reach me at ' || pp.email || ' or ' || pp.phone || ' (' || pp.handle || ')'
         WHEN 1 THEN CASE WHEN x.n % 2 = 0 THEN 'ok' ELSE 'Thanks, we are on it.' END END,
  CASE s WHEN 2 THEN 'open' END, CASE s WHEN 2 THEN 'solved' END,
  CASE s WHEN 3 THEN x.n % 5 + 1 END
FROM (SELECT id, contact_id, created_at, CAST(native_id AS INTEGER) AS n FROM interactions) x
JOIN people pp ON pp.p = x.n % ${FIXTURE.contacts}
CROSS JOIN range(${FIXTURE.eventsPerInteraction}) r(s);`;

const identities = `
INSERT INTO identities (id, contact_id, source, kind, raw_value, value, verified, customer_id, first_seen_at, last_seen_at)
SELECT 'idn-' || p || '-' || k.kind, 'zendesk:user:' || p, 'zendesk', k.kind,
  CASE k.kind WHEN 'email' THEN email WHEN 'phone' THEN phone WHEN 'name' THEN name ELSE handle END,
  CASE k.kind WHEN 'email' THEN lower(email) WHEN 'phone' THEN regexp_replace(phone, '[^0-9]', '', 'g') WHEN 'name' THEN name ELSE lower(handle) END,
  k.kind = 'email', CASE WHEN p < ${FIXTURE.customers} THEN 'cust-' || p END,
  TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_hours(p), TIMESTAMPTZ '2026-04-01 00:00:00+00' + to_hours(p * 5)
FROM people CROSS JOIN (VALUES ('email'), ('phone'), ('name'), ('social_handle')) k(kind);

INSERT INTO customers (id, display_name, primary_email, primary_phone, created_at, updated_at)
SELECT 'cust-' || p, name, lower(email), phone, TIMESTAMPTZ '2026-04-02 00:00:00+00', TIMESTAMPTZ '2026-04-02 00:00:00+00'
FROM people WHERE p < ${FIXTURE.customers};

INSERT INTO cases (id, customer_id, intent, opened_at, closed_at, status, link_reason)
SELECT 'case-' || c, 'cust-' || c % ${FIXTURE.customers}, ['refund', 'delivery', 'login'][c % 3 + 1],
  TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_hours(c * 9), CASE WHEN c % 4 <> 0 THEN TIMESTAMPTZ '2026-03-02 00:00:00+00' + to_hours(c * 9) END,
  CASE WHEN c % 4 <> 0 THEN 'closed' ELSE 'open' END, 'explicit source link'
FROM range(${FIXTURE.cases}) t(c);`;

/** Builds the fixture warehouse in `dir` and returns it open. */
export async function buildExportFixture(dir: string): Promise<Warehouse> {
  const wh = await Warehouse.open(join(dir, 'fixture.duckdb'));
  await wh.withConnection(async (connection) => {
    for (const sql of [people, interactions, events, identities]) await connection.run(sql);
  });
  await wh.checkpoint();
  return wh;
}

/** Every email, phone and name of the source (raw and normalized), for the "no PII leaks" checks. */
export async function sourcePii(wh: Warehouse): Promise<string[]> {
  const rows = await wh.all<{ v: string }>(`
    SELECT raw_value AS v FROM identities WHERE kind IN ('email', 'phone', 'name', 'social_handle')
    UNION SELECT value FROM identities WHERE kind IN ('email', 'phone', 'name', 'social_handle')
    UNION SELECT display_name FROM customers UNION SELECT primary_email FROM customers UNION SELECT primary_phone FROM customers`);
  return rows.map((r) => r.v);
}
