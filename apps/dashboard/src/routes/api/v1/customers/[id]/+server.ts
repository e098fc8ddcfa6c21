import { error, json } from '@sveltejs/kit';
import { customerView } from '@helpdesk/core';
import { requireWarehouse } from '$lib/server/warehouse';
import type { RequestHandler } from './$types';

/** `GET /api/v1/customers/{id}`: what `helpdesk customer <id> --json` prints (audited in hooks). */
export const GET: RequestHandler = async ({ params }) => {
  if (params.id.length > 300) error(400, { message: 'id: too long' });
  const view = await customerView(await requireWarehouse(), params.id);
  if (!view) error(404, { message: `no customer found for "${params.id}"` });
  return json(view);
};
