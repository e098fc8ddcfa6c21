import { BindParams, type Warehouse } from '@helpdesk/core';
import { columnSql, exportKey, exportFilterConditions, parseExportFilters } from '@helpdesk/core/export';
import { csvList } from './metrics-query.ts';
import { interactionsDataset, type piiModes } from './schemas.ts';

/**
 * One page of conversations for GET /api/v1/interactions: the columns of the interactions export
 * dataset (its outcome facts included), with the same PII treatment as an export in the same
 * mode, in id order after the cursor. The cursor is the last id of the page, base64url-encoded,
 * and is bound as a parameter; the day and channel filters are the exports' validated literals.
 */
export interface InteractionsPageRequest {
  from?: string;
  to?: string;
  channel?: string;
  limit: number;
  cursor?: string;
  pii: (typeof piiModes)[number];
  /** The server's HELPDESK_EXPORT_KEY, for pii=hash (a random key otherwise, as in exports). */
  key?: string;
}

/** A request this endpoint cannot serve as asked (a 400). */
export class CursorError extends Error {
  override readonly name = 'CursorError';
}

export const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!id || encodeCursor(id) !== cursor) throw new CursorError('cursor is not one this API gave out');
  return id;
}

export async function interactionsPage(wh: Warehouse, request: InteractionsPageRequest): Promise<{ rows: Record<string, unknown>[]; next_cursor: string | null; pii: string }> {
  // An ephemeral key would give a customer another pseudonym on every page.
  if (request.pii === 'hash' && !request.key) throw new CursorError('pii=hash needs HELPDESK_EXPORT_KEY set on the server, so pseudonyms agree across pages');
  const dataset = interactionsDataset();
  const channels = csvList(request.channel);
  const filters = parseExportFilters({ ...(request.from ? { from: request.from } : {}), ...(request.to ? { to: request.to } : {}), ...(channels ? { channels } : {}) });
  const conditions = exportFilterConditions(dataset, filters);
  const p = new BindParams();
  if (request.cursor) conditions.push(`i.id > ${p.add(decodeCursor(request.cursor))}`);
  const key = exportKey(request.key || undefined);
  const select = dataset.columns.map((c) => `${columnSql(c, request.pii, key)} AS "${c.name}"`).join(', ');
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await wh.all<Record<string, unknown>>(
    `SELECT ${select} FROM ${dataset.from} ${where} ORDER BY i.id LIMIT ${p.add(request.limit + 1)}::INTEGER`,
    p.values,
  );
  const more = rows.length > request.limit;
  const page = more ? rows.slice(0, request.limit) : rows;
  return { rows: page, next_cursor: more ? encodeCursor(String(page[page.length - 1].id)) : null, pii: request.pii };
}
