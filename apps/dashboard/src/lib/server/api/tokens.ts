import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Warehouse } from '@helpdesk/core';
import { findUserByEmail, findUserById, normalizeEmail, UserError, type User } from '../auth/users.ts';

/**
 * Personal API tokens for /api/v1 (`api_tokens`, migration 14). The secret is shown once, at
 * creation; the table keeps its SHA-256 and a short prefix to tell tokens apart in lists. A token
 * acts as its owner with the owner's current role (a role change or a disabled account applies at
 * once), optionally narrowed to some of the API's datasets. Imports nothing from SvelteKit so the
 * CLI (`helpdesk tokens`) and tests use it directly.
 */

/** The read-only datasets of the API a token may be narrowed to. */
export const apiDatasets = ['metrics', 'interactions', 'customers', 'export'] as const;
export type ApiDataset = (typeof apiDatasets)[number];

/** Which dataset an /api/v1 route id serves (null: the description, open to any token). */
export function datasetOfRoute(routeId: string): ApiDataset | null {
  const name = routeId.split('/')[3];
  return (apiDatasets as readonly string[]).includes(name) ? (name as ApiDataset) : null;
}

export interface ApiToken {
  id: string;
  userId: string;
  userEmail: string;
  name: string;
  prefix: string;
  /** null: every dataset the owner's role may read. */
  datasets: ApiDataset[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: string; user_id: string; email: string | null; name: string; prefix: string; datasets: string | null;
  created_at: string; last_used_at: string | null; revoked_at: string | null;
}

const tokenPrefix = 'hdk_';
export const digestOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

function toToken(row: TokenRow): ApiToken {
  return {
    id: row.id, userId: row.user_id, userEmail: row.email ?? '', name: row.name, prefix: row.prefix,
    datasets: row.datasets ? (JSON.parse(row.datasets) as ApiDataset[]) : null,
    createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at,
  };
}

/** Tokens with their owner's email (kept when the owner is gone, so a list still shows the token). */
function tokenRows(wh: Warehouse) {
  return wh.db
    .selectFrom('api_tokens as t')
    .leftJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 'u.email', 't.name', 't.prefix', 't.datasets', 't.created_at', 't.last_used_at', 't.revoked_at']);
}

export function parseDatasets(list: string | string[] | undefined | null): ApiDataset[] | null {
  if (list === undefined || list === null) return null;
  const items = (Array.isArray(list) ? list : list.split(',')).map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return null;
  for (const item of items) {
    if (!(apiDatasets as readonly string[]).includes(item)) throw new UserError(`"${item}" is not an API dataset; choose from ${apiDatasets.join(', ')}`);
  }
  return [...new Set(items)] as ApiDataset[];
}

/** Creates a token for the user with this email; the returned `secret` is never shown again. */
export async function createToken(
  wh: Warehouse, input: { email: string; name?: string; datasets?: ApiDataset[] | null }, now = new Date(),
): Promise<{ token: ApiToken; secret: string }> {
  const user = await findUserByEmail(wh, input.email);
  if (!user) throw new UserError(`there is no user ${normalizeEmail(input.email)}`);
  if (user.disabled) throw new UserError(`${user.email} is disabled`);
  const secret = tokenPrefix + randomBytes(32).toString('base64url');
  const id = `tok_${randomUUID()}`;
  const name = (input.name ?? '').trim().slice(0, 100) || `token ${now.toISOString().slice(0, 10)}`;
  await wh.db
    .insertInto('api_tokens')
    .values({
      id, user_id: user.id, name, token_hash: digestOf(secret), prefix: secret.slice(0, 12), datasets: input.datasets?.length ? JSON.stringify(input.datasets) : null,
      created_at: now.toISOString(), last_used_at: null, revoked_at: null,
    })
    .execute();
  const row = await tokenRows(wh).where('t.id', '=', id).executeTakeFirstOrThrow();
  return { token: toToken(row), secret };
}

/** Every token (or one user's), newest first; revoked ones included so the list tells the story. */
export async function listTokens(wh: Warehouse, userId?: string): Promise<ApiToken[]> {
  let query = tokenRows(wh);
  if (userId) query = query.where('t.user_id', '=', userId);
  const rows: TokenRow[] = await query.orderBy('t.created_at', 'desc').orderBy('t.id').execute();
  return rows.map(toToken);
}

/** Revokes a token by id or by its prefix; with `userId`, only that user's own. */
export async function revokeToken(wh: Warehouse, idOrPrefix: string, options: { userId?: string } = {}, now = new Date()): Promise<ApiToken> {
  const named = idOrPrefix.trim();
  const rows: TokenRow[] = await tokenRows(wh).where((eb) => eb.or([eb('t.id', '=', named), eb('t.prefix', '=', named)])).execute();
  const mine = rows.filter((r) => !options.userId || r.user_id === options.userId);
  if (mine.length === 0) throw new UserError(`there is no token ${idOrPrefix}`);
  if (mine.length > 1) throw new UserError(`${idOrPrefix} names ${mine.length} tokens; give the token id`);
  // A token revoked earlier keeps its first revocation time.
  await wh.db
    .updateTable('api_tokens')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now.toISOString())) }))
    .where('id', '=', mine[0].id)
    .execute();
  return toToken(await tokenRows(wh).where('t.id', '=', mine[0].id).executeTakeFirstOrThrow());
}

/** The live token and its owner for a presented secret, or null (unknown, revoked, owner disabled). */
export async function tokenOwner(wh: Warehouse, secret: string, now = new Date()): Promise<{ token: ApiToken; user: User } | null> {
  if (!secret.startsWith(tokenPrefix) || secret.length > 200) return null;
  const row: TokenRow | undefined = await tokenRows(wh).where('t.token_hash', '=', digestOf(secret)).executeTakeFirst();
  if (!row || row.revoked_at) return null;
  const user = await findUserById(wh, row.user_id);
  if (!user || user.disabled) return null;
  const token = toToken(row);
  // Once a minute is precise enough for "last used", and keeps reads from becoming writes.
  if (!token.lastUsedAt || now.getTime() - Date.parse(token.lastUsedAt) > 60_000) {
    await wh.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', token.id).execute().catch(() => undefined);
  }
  return { token, user };
}
