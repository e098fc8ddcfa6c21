import { customerView, tierAtCreationSql, type CustomerView, type Warehouse } from '@helpdesk/core';

export interface CustomerTimeline extends CustomerView {
  /** CRM attributes with their validity intervals, newest first. */
  attributes: Array<{ attribute: string; value: string; valid_from: string; valid_to: string | null; source: string | null; contact_id: string | null }>;
  /** The account tier over time, oldest first: one period per change (`tier` null: no tier then). */
  tierHistory: TierPeriod[];
}

export interface TierPeriod {
  tier: string | null;
  from: string;
  /** When the next period starts; null while it lasts. */
  to: string | null;
}

/**
 * The tier of a customer over time from the stored tier intervals (on the customer or on its
 * contact records). At each instant an interval starts or ends, the tier is decided by the rule
 * the metrics apply to an interaction created then (core's tierAtCreationSql: the latest interval
 * valid at that instant; none valid, no tier); consecutive equal values are one period.
 *
 * @example
 * await tierHistory(wh, 'cus_12') // [{ tier: 'basic', from: '2026-01-01...', to: '2026-02-01...' }, { tier: 'vip', from: '2026-02-01...', to: null }]
 */
export async function tierHistory(warehouse: Warehouse, customerId: string): Promise<TierPeriod[]> {
  const rows = await warehouse.all<{ change_at: string; tier: string | null }>(
    `WITH m_tier AS (
       SELECT 'customer' AS key, value, valid_from, valid_to FROM customer_attributes
       WHERE attribute = 'tier' AND (customer_id = $1 OR contact_id IN (SELECT contact_id FROM identities WHERE customer_id = $1))
     ),
     m_change AS (
       SELECT row_number() OVER (ORDER BY change_at) AS id, 'customer' AS key, change_at AS created_at
       FROM (SELECT valid_from AS change_at FROM m_tier UNION SELECT valid_to FROM m_tier WHERE valid_to IS NOT NULL)
     )
     SELECT c.created_at AS change_at, t.tier FROM m_change c LEFT JOIN (${tierAtCreationSql('m_change', 'm_tier')}) t ON t.id = c.id
     ORDER BY c.created_at`,
    [customerId],
  );
  const periods: TierPeriod[] = [];
  for (const row of rows) {
    const last = periods.at(-1);
    if (last && last.tier === row.tier) continue;
    if (last) last.to = row.change_at;
    periods.push({ tier: row.tier, from: row.change_at, to: null });
  }
  // A history that ends with no tier ends there.
  if (periods.at(-1)?.tier === null) periods.pop();
  return periods;
}

/**
 * The single customer view: identities, why each contact record belongs (identity resolution's
 * explanation), CRM attributes over time, cases and every interaction across channels. Accepts a
 * customer id, an email, a phone number or a contact id; null when nothing matches.
 *
 * @example
 * const view = await customerTimeline(wh, 'cust_12');
 * view?.interactions.length // 7
 */
export async function customerTimeline(warehouse: Warehouse, query: string): Promise<CustomerTimeline | null> {
  const view = await customerView(warehouse, query);
  if (!view) return null;
  const id = String(view.customer.id);
  const attributes = await warehouse.all<CustomerTimeline['attributes'][number]>(
    `SELECT attribute, value, valid_from, valid_to, source, contact_id FROM customer_attributes
     WHERE customer_id = $1 OR contact_id IN (SELECT contact_id FROM identities WHERE customer_id = $1)
     ORDER BY attribute, valid_from DESC`,
    [id],
  );
  return { ...view, attributes, tierHistory: await tierHistory(warehouse, id) };
}
