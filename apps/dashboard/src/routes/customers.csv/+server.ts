import { holds } from '$lib/server/auth/guard';
import { customerListCsv, customerListQuery } from '$lib/server/customer-list';
import { screenContext } from '$lib/server/screen';
import type { RequestHandler } from './$types';

/**
 * `GET /customers.csv?sort=&vip=1&repeat=1&from=&to=&tz=&pii=redact|include`: the whole customer
 * list of the Customers screen's filter as CSV (logic and PII rule in $lib/server/customer-list).
 */
export const GET: RequestHandler = async ({ url, locals }) => {
  const ctx = await screenContext(url);
  const query = customerListQuery(url.searchParams, { from: ctx.filters.from, to: ctx.filters.to, tz: ctx.filters.tz });
  // hooks.server.ts already refuses `pii=include` without export.pii; this is the second lock.
  return customerListCsv(ctx.warehouse, query, ctx.config, { pii: url.searchParams.get('pii'), mayIncludePii: holds(locals, 'export.pii') });
};
