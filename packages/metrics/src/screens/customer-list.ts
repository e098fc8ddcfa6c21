import { BindParams, type Warehouse } from '@helpdesk/core';
import type { MetricsConfig, MetricsConfigInput } from '../metrics-config.ts';
import { outcomesQuery } from '../outcomes.ts';

export const customerSortColumns = ['contacts', 'channels', 'open_cases', 'last_contact'] as const;
export type CustomerSort = (typeof customerSortColumns)[number];

export interface CustomerListRow {
  id: string;
  display_name: string | null;
  primary_email: string | null;
  primary_phone: string | null;
  /** Interactions linked to the customer by identity resolution. */
  contacts: number;
  channels: number;
  open_cases: number;
  last_contact: string | null;
  vip: boolean;
  /**
   * With the repeat-contacter filter: the customer's contacts in the window that the outcome reader
   * marks a repeat contact (another contact followed within the repeat window); null without it.
   */
  repeat_contacts: number | null;
}

/** The repeat-contacter filter's window: interactions created in [start, end), UTC instants. */
export interface RepeatWindow {
  start: string;
  end: string;
  /** The settings' metrics config (its repeat window); the registry's defaults otherwise. */
  config?: MetricsConfig | MetricsConfigInput;
}

/** The most rows one call returns (a CSV of the whole list). */
export const customerListMaxRows = 1_000_000;

export interface CustomerList {
  rows: CustomerListRow[];
  /** Customers matching the filter, before the limit. */
  total: number;
}

// A customer is VIP while a CRM tier attribute says so and has not been superseded (valid_to open).
const vipCustomers = `SELECT DISTINCT coalesce(a.customer_id, i.customer_id) AS customer_id
  FROM customer_attributes a LEFT JOIN (SELECT DISTINCT contact_id, customer_id FROM identities) i ON i.contact_id = a.contact_id
  WHERE a.attribute = 'tier' AND a.value = 'vip' AND a.valid_to IS NULL`;

/**
 * The customer list of the single customer view: every resolved customer with its contact count,
 * channels, open cases, last contact and VIP flag, sorted (descending, ties by id) and limited.
 * `repeat` keeps the customers with at least one repeat contact among their interactions created in
 * the window, as the metrics' outcome reader decides it (the repeat_contact_rate KPI's membership),
 * never by a rule of its own.
 *
 * @example
 * const { rows } = await customerList(wh, { sort: 'channels', vip: true, limit: 100 });
 * const repeaters = await customerList(wh, { repeat: { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' } });
 */
export async function customerList(
  warehouse: Warehouse,
  options: { sort?: CustomerSort; vip?: boolean; repeat?: RepeatWindow; limit?: number } = {},
): Promise<CustomerList> {
  const sort: CustomerSort = customerSortColumns.includes(options.sort as CustomerSort) ? (options.sort as CustomerSort) : 'contacts';
  const limit = Math.max(1, Math.min(customerListMaxRows, Math.trunc(options.limit ?? 100)));
  // The outcome reader binds $1..$n; this query's own parameter (the limit) follows.
  const outcomes = options.repeat ? await outcomesQuery(warehouse, options.repeat) : null;
  const params = outcomes ? [...outcomes.params] : [];
  const paged = new BindParams({ after: params });
  const repeatJoin = outcomes
    ? `JOIN (SELECT customer_key, count(*) FILTER (WHERE repeat_contact) AS repeat_contacts FROM (${outcomes.sql}) o
             GROUP BY customer_key HAVING count(*) FILTER (WHERE repeat_contact) > 0) r ON r.customer_key = c.id`
    : '';
  const conditions = [...(options.vip ? ['v.customer_id IS NOT NULL'] : [])];
  const from = `FROM customers c
    LEFT JOIN (SELECT customer_id, count(*) AS contacts, count(DISTINCT channel) AS channels, max(created_at) AS last_contact
               FROM interactions WHERE customer_id IS NOT NULL GROUP BY customer_id) s ON s.customer_id = c.id
    LEFT JOIN (SELECT customer_id, count(*) AS open_cases FROM cases WHERE status = 'open' AND customer_id IS NOT NULL GROUP BY customer_id) o ON o.customer_id = c.id
    LEFT JOIN (${vipCustomers}) v ON v.customer_id = c.id
    ${repeatJoin}
    ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`;
  // `sort` is one of the fixed column names above, never the request's text.
  const rows = await warehouse.all<CustomerListRow>(
    `SELECT c.id, c.display_name, c.primary_email, c.primary_phone,
       coalesce(s.contacts, 0)::INTEGER AS contacts, coalesce(s.channels, 0)::INTEGER AS channels,
       coalesce(o.open_cases, 0)::INTEGER AS open_cases, s.last_contact, v.customer_id IS NOT NULL AS vip,
       ${outcomes ? 'r.repeat_contacts::INTEGER' : 'NULL::INTEGER'} AS repeat_contacts
     ${from}
     ORDER BY ${sort} DESC NULLS LAST, c.id LIMIT ${paged.add(limit)}`,
    paged.values,
  );
  const [{ total }] = await warehouse.all<{ total: number }>(`SELECT count(*)::INTEGER AS total ${from}`, params);
  return { rows, total };
}

export const journeyKinds = ['chat-callback-email-csat', 'vip', 'bot-handoff', 'social-complaint'] as const;
export type JourneyKind = (typeof journeyKinds)[number];

export interface JourneyExample {
  kind: JourneyKind;
  customer_id: string;
  display_name: string | null;
  /** The case the example is about (null for a VIP example, which is about the customer). */
  case_id: string | null;
  interaction_id: string | null;
  at: string;
  /** Channels of the case (or the customer) in time order. */
  channels: string[];
}

/**
 * Real examples of the journeys a vendor demo should show, found in the warehouse by query: a case
 * that starts in chat, gets a phone callback, continues by email and carries a CSAT score; VIP
 * customers; bot handoffs; social complaints moved to a private channel. Up to `perKind` each,
 * newest first.
 */
export async function journeyExamples(warehouse: Warehouse, perKind = 5): Promise<JourneyExample[]> {
  const limit = Math.max(1, Math.min(50, Math.trunc(perKind)));
  const caseChannels = `(SELECT list(x.channel ORDER BY x.created_at, x.id) FROM interactions x WHERE x.case_id = k.case_id)`;
  const sql = `
    WITH callbacks AS (SELECT DISTINCT interaction_id FROM events WHERE type = 'callback_completed'),
    journey AS (
      SELECT ca.id AS case_id, ca.customer_id, NULL::VARCHAR AS interaction_id, ca.opened_at AS at
      FROM cases ca
      WHERE ca.customer_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM interactions ch
          JOIN interactions cb ON cb.case_id = ch.case_id AND cb.channel = 'phone' AND cb.direction = 'outbound' AND cb.created_at > ch.created_at
            AND cb.id IN (SELECT interaction_id FROM callbacks)
          JOIN interactions em ON em.case_id = ch.case_id AND em.channel = 'email' AND em.created_at > cb.created_at
          WHERE ch.case_id = ca.id AND ch.channel = 'chat')
        AND EXISTS (SELECT 1 FROM interactions r WHERE r.case_id = ca.id AND r.csat_score IS NOT NULL)
      ORDER BY ca.opened_at DESC, ca.id LIMIT ${limit}),
    handoff AS (
      SELECT case_id, customer_id, id AS interaction_id, created_at AS at FROM interactions
      WHERE bot_handoff_at IS NOT NULL AND customer_id IS NOT NULL ORDER BY created_at DESC, id LIMIT ${limit}),
    social AS (
      SELECT case_id, customer_id, id AS interaction_id, created_at AS at FROM interactions
      WHERE channel = 'social' AND customer_id IS NOT NULL AND list_contains(tags, 'moved_to_dm')
      ORDER BY created_at DESC, id LIMIT ${limit}),
    vip AS (
      SELECT NULL::VARCHAR AS case_id, i.customer_id, NULL::VARCHAR AS interaction_id, max(i.created_at) AS at FROM interactions i
      WHERE i.customer_id IN (${vipCustomers})
      GROUP BY i.customer_id ORDER BY count(*) DESC, i.customer_id LIMIT ${limit}),
    examples AS (
      SELECT 'chat-callback-email-csat' AS kind, *, 1 AS o FROM journey
      UNION ALL SELECT 'vip', *, 2 FROM vip
      UNION ALL SELECT 'bot-handoff', *, 3 FROM handoff
      UNION ALL SELECT 'social-complaint', *, 4 FROM social)
    SELECT k.kind, k.customer_id, c.display_name, k.case_id, k.interaction_id, k.at,
      CASE WHEN k.case_id IS NULL
        THEN (SELECT list(DISTINCT x.channel ORDER BY x.channel) FROM interactions x WHERE x.customer_id = k.customer_id)
        ELSE ${caseChannels} END AS channels
    FROM examples k JOIN customers c ON c.id = k.customer_id
    ORDER BY k.o, k.at DESC, k.customer_id`;
  return warehouse.all<JourneyExample>(sql);
}
