import { error, json } from '@sveltejs/kit';
import { MetricsFilterError, metricsRequest, runMetrics } from '$lib/server/api/metrics-query';
import { firstIssue, MetricsQuery } from '$lib/server/api/schemas';
import { requireWarehouse } from '$lib/server/warehouse';
import type { RequestHandler } from './$types';

/** `GET /api/v1/metrics?from&to&channel&by&kpi&business_hours&tz&stat&as_of`: what `helpdesk metrics --json` prints. */
export const GET: RequestHandler = async ({ url }) => {
  const parsed = MetricsQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) error(400, { message: firstIssue(parsed.error) });
  const q = parsed.data;
  try {
    const request = metricsRequest({ from: q.from, to: q.to, channel: q.channel, by: q.by, kpi: q.kpi, businessHours: q.business_hours === 'true', tz: q.tz, stat: q.stat, asOf: q.as_of });
    return json(await runMetrics(await requireWarehouse(), request));
  } catch (reason) {
    if (reason instanceof MetricsFilterError) error(400, { message: reason.message.replace(/--([a-z-]+)/g, (_, flag: string) => flag.replace(/-/g, '_')) });
    throw reason;
  }
};
