import { env } from '$env/dynamic/private';
import { holds } from '$lib/server/auth/guard';
import { registerExportDatasets } from '$lib/server/export-datasets';
import { requireWarehouse } from '$lib/server/warehouse';
import { exportResponse } from '../../../export/[dataset]/export-response';
import type { RequestHandler } from './$types';

/** `GET /api/v1/export/<dataset>`: the export endpoint, reachable with an API token. */
export const GET: RequestHandler = async ({ params, url, locals, request }) => {
  registerExportDatasets();
  return exportResponse({
    warehouse: await requireWarehouse(), dataset: params.dataset, searchParams: url.searchParams, key: env.HELPDESK_EXPORT_KEY,
    mayIncludePii: holds(locals, 'export.pii'), log: (message) => console.error(message),
    // Two exports at once per person (token or session), interrupted when the client goes away.
    user: locals.user?.id, signal: request.signal,
  });
};
