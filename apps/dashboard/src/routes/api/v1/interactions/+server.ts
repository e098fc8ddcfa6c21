import { error, json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { ExportError } from '@helpdesk/core/export';
import { CursorError, interactionsPage } from '$lib/server/api/interactions';
import { firstIssue, InteractionsQuery } from '$lib/server/api/schemas';
import { requireWarehouse } from '$lib/server/warehouse';
import type { RequestHandler } from './$types';

/** `GET /api/v1/interactions?from&to&channel&limit&cursor&pii`: one row per conversation, paged by cursor. */
export const GET: RequestHandler = async ({ url }) => {
  const parsed = InteractionsQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) error(400, { message: firstIssue(parsed.error) });
  // hooks.server.ts already refuses pii=include without export.pii (a query gate of the matrix).
  try {
    return json(await interactionsPage(await requireWarehouse(), { ...parsed.data, key: env.HELPDESK_EXPORT_KEY }));
  } catch (reason) {
    if (reason instanceof CursorError || reason instanceof ExportError) error(400, { message: reason.message });
    throw reason;
  }
};
