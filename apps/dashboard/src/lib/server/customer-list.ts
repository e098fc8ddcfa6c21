import { error } from '@sveltejs/kit';
import { redactRow, type Warehouse } from '@helpdesk/core';
import { customerList, customerListMaxRows, customerSortColumns, localRangeBounds, type CustomerList, type CustomerSort, type MetricsConfig } from '@helpdesk/metrics';
import { toCsv } from '$lib/csv';

/** What the customer list shows, read from the URL: `?sort=channels&vip=1&repeat=1&from=&to=&tz=`. */
export interface CustomerListQuery {
  sort: CustomerSort;
  vip: boolean;
  /** Only customers with a repeat contact created in the window (the screen's from/to days in its zone). */
  repeat: boolean;
  window: { from: string; to: string; tz: string };
}

/** The list's parameters; an unknown sort falls back to contacts (never an error page). */
export function customerListQuery(params: URLSearchParams, window: CustomerListQuery['window']): CustomerListQuery {
  const sortParam = params.get('sort') ?? 'contacts';
  const sort: CustomerSort = (customerSortColumns as readonly string[]).includes(sortParam) ? (sortParam as CustomerSort) : 'contacts';
  return { sort, vip: params.get('vip') === '1', repeat: params.get('repeat') === '1', window };
}

/** The list for a query: `limit` rows (the page shows 100, the CSV all of them). */
export function loadCustomerList(warehouse: Warehouse, query: CustomerListQuery, config: MetricsConfig, limit: number): Promise<CustomerList> {
  const repeat = query.repeat ? { ...localRangeBounds(query.window.from, query.window.to, query.window.tz), config } : undefined;
  return customerList(warehouse, { sort: query.sort, vip: query.vip, repeat, limit });
}

/** The CSV's columns, in order (the list's, with the repeat count when the filter is on). */
const columns = ['id', 'display_name', 'primary_email', 'primary_phone', 'contacts', 'channels', 'open_cases', 'last_contact', 'vip'] as const;

/**
 * The customer list as CSV, every row of the filter, under the product's CSV policy (text cells
 * that a spreadsheet would run as a formula get a leading quote, see $lib/csv and core's
 * csv-policy) and the exports' PII rule: `pii=redact` (the default) writes `[redacted]` for the
 * names, emails and phones the PII catalogue marks on `customers`; `pii=include` keeps them and
 * needs export.pii (hooks refuse it first; `mayIncludePii` is the second lock). Hashing is the
 * dataset exports' business (`/api/export/customers?pii=hash`), not this list's.
 *
 * @example
 * const res = await customerListCsv(wh, query, config, { pii: 'redact', mayIncludePii: false });
 */
export async function customerListCsv(
  warehouse: Warehouse,
  query: CustomerListQuery,
  config: MetricsConfig,
  options: { pii: string | null; mayIncludePii: boolean },
): Promise<Response> {
  const pii = options.pii ?? 'redact';
  if (pii !== 'redact' && pii !== 'include') error(400, { message: 'pii must be redact or include (hashed customer data: the Exports screen, dataset customers)' });
  if (pii === 'include' && !options.mayIncludePii) error(403, { message: 'A customer list with names, emails and phones needs the export.pii permission.' });
  const list = await loadCustomerList(warehouse, query, config, customerListMaxRows);
  const access = { contacts: pii === 'include', messages: pii === 'include' };
  const header = query.repeat ? [...columns, 'repeat_contacts'] : [...columns];
  const rows = list.rows.map((row) => {
    const shown = redactRow('customers', row, access) as unknown as Record<string, unknown>;
    return header.map((c) => (c === 'last_contact' && shown[c] ? new Date(String(shown[c])).toISOString() : shown[c]));
  });
  const name = `customers${query.vip ? '-vip' : ''}${query.repeat ? `-repeat-${query.window.from}-${query.window.to}` : ''}.csv`;
  return new Response(toCsv(header, rows), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      'x-export-rows': String(list.rows.length),
    },
  });
}
