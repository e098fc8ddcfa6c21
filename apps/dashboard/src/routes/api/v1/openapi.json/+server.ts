import { json } from '@sveltejs/kit';
import { openApiDocument } from '$lib/server/api/openapi';
import type { RequestHandler } from './$types';

/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 description, generated from the zod schemas. */
export const GET: RequestHandler = async ({ url }) => json(openApiDocument(url.origin));
