import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Customer, CustomerParams, ErrorBody, ExportParams, ExportQuery, interactionsPage, InteractionsQuery, MetricsQuery, Scorecard } from './schemas.ts';

/**
 * The OpenAPI 3.1 description of /api/v1, generated from the same zod schemas the handlers parse
 * with (@asteasolutions/zod-to-openapi). Served at /api/v1/openapi.json.
 */
export function openApiDocument(serverUrl?: string) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'token', {
    type: 'http', scheme: 'bearer',
    description: 'A personal API token (`helpdesk tokens add`, or the account page). It acts with its owner\'s role, optionally narrowed to some datasets.',
  });
  const security = [{ [bearer.name]: [] }];
  const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
  const refusals = {
    400: json(ErrorBody, 'a bad filter or parameter'),
    401: json(ErrorBody, 'no token, or an unknown, revoked or disabled one'),
    403: json(ErrorBody, 'the token\'s role or datasets do not cover this'),
    429: json(ErrorBody, 'too many calls with this token; see Retry-After'),
  };

  registry.registerPath({
    method: 'get', path: '/api/v1/metrics', operationId: 'getMetrics', security,
    summary: 'KPI scorecard', description: 'The same JSON as `helpdesk metrics --json` with the same filters. Needs dashboards.view.',
    request: { query: MetricsQuery },
    responses: { 200: json(Scorecard, 'the scorecard'), ...refusals },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/interactions', operationId: 'listInteractions', security,
    summary: 'Conversations with their outcome facts, one row each',
    description: 'Paged by an opaque cursor in id order. Personal data follows the export rules (`pii`). Needs interactions.list.',
    request: { query: InteractionsQuery },
    responses: { 200: json(interactionsPage(), 'one page'), ...refusals },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/customers/{id}', operationId: 'getCustomer', security,
    summary: 'One customer: identities with reasons, cases, interactions', description: 'Needs contacts.read; written to the audit log.',
    request: { params: CustomerParams },
    responses: { 200: json(Customer, 'the customer'), 404: json(ErrorBody, 'no such customer'), ...refusals },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/export/{dataset}', operationId: 'exportDataset', security,
    summary: 'A dataset as Arrow IPC, Parquet or CSV', description: 'As `/api/export/{dataset}`. Needs export.data; `pii=include` needs export.pii.',
    request: { params: ExportParams, query: ExportQuery },
    responses: {
      200: {
        description: 'the file',
        content: Object.fromEntries(
          ['application/vnd.apache.arrow.stream', 'application/vnd.apache.arrow.file', 'application/vnd.apache.parquet', 'text/csv'].map((type) => [type, { schema: z.string().meta({ format: 'binary' }) }]),
        ),
      },
      ...refusals,
    },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/openapi.json', operationId: 'openApi', summary: 'This description', security: [],
    responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Helpdesk workbench API', version: '1',
      description: 'Read-only access to KPIs, conversations, customers and exports with a personal API token (`Authorization: Bearer hdk_...`). Every call is written to the audit log; calls are rate limited per token.',
    },
    servers: serverUrl ? [{ url: serverUrl }] : [],
  });
}
