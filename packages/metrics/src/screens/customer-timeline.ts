import { customerView, type CustomerView, type Warehouse } from '@helpdesk/core';

export interface CustomerTimeline extends CustomerView {
  /** CRM attributes with their validity intervals, newest first. */
  attributes: Array<{ attribute: string; value: string; valid_from: string; valid_to: string | null; source: string | null; contact_id: string | null }>;
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
  return { ...view, attributes };
}
