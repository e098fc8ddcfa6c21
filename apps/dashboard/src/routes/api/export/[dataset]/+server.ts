import { env } from '$env/dynamic/private';
import { holds } from '$lib/server/auth/guard';
import { registerExportDatasets } from '$lib/server/export-datasets';
import { requireWarehouse } from '$lib/server/warehouse';
import { exportResponse } from './export-response';
import type { RequestHandler } from './$types';

/**
 * `GET /api/export/<dataset>?format=arrows|arrow|parquet|csv&from=&to=&channel=chat,email&pii=redact|hash|include[&tz=]`
 * streams a dataset for notebooks (`pyarrow.ipc.open_stream(urlopen(url))`) and the Exports screen.
 * The logic lives in export-response.ts (tested without a server).
 */
export const GET: RequestHandler = async ({ params, url, locals, request }) => {
  registerExportDatasets();
  return exportResponse({
    warehouse: await requireWarehouse(),
    dataset: params.dataset,
    searchParams: url.searchParams,
    key: env.HELPDESK_EXPORT_KEY,
    // hooks.server.ts already refuses `pii=include` without export.pii; this is the second lock.
    mayIncludePii: holds(locals, 'export.pii'),
    log: (message) => console.error(message),
    user: locals.user?.id,
    signal: request.signal,
  });
};
