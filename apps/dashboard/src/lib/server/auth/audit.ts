import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AuditLogTable, Warehouse } from '@helpdesk/core';

/**
 * The audit log (`audit_log`): who opened personal data (an interaction's messages, a customer's
 * contact details, a grading view) and who exported what. Append-only; admins read it at /admin/audit.
 */
export interface AuditEntry {
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  user?: { id: string; email: string; role: string } | null;
  address?: string | null;
}

export async function writeAudit(wh: Warehouse, entry: AuditEntry, now = new Date()): Promise<void> {
  await wh.db
    .insertInto('audit_log')
    .values({
      id: `audit_${randomUUID()}`, occurred_at: now.toISOString(), user_id: entry.user?.id ?? null, user_email: entry.user?.email ?? null,
      role: entry.user?.role ?? null, action: entry.action, target: entry.target?.slice(0, 500) ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null, address: entry.address ?? null,
    })
    .execute();
}

/** One audit row as the admin screen reads it (the table's columns but the user id). */
export type AuditRow = Omit<AuditLogTable, 'user_id'>;

/** Newest first; optionally only one user's or one action's entries. */
export async function readAudit(wh: Warehouse, options: { user?: string; action?: string; limit?: number; offset?: number } = {}): Promise<{ rows: AuditRow[]; total: number }> {
  let filtered = wh.db.selectFrom('audit_log');
  if (options.user) filtered = filtered.where('user_email', '=', options.user.trim().toLowerCase());
  if (options.action) filtered = filtered.where('action', '=', options.action);
  // Paging values are bound like the filters, and whole numbers, so a caller's NaN or fraction cannot reach the SQL.
  const whole = (value: number | undefined, fallback: number) => (Number.isFinite(value) ? Math.trunc(value as number) : fallback);
  const limit = Math.min(Math.max(whole(options.limit, 100), 1), 1000);
  const offset = Math.max(whole(options.offset, 0), 0);
  const rows = await filtered
    .select(['id', 'occurred_at', 'user_email', 'role', 'action', 'target', sql<string | null>`detail::VARCHAR`.as('detail'), 'address'])
    .orderBy('occurred_at', 'desc')
    .orderBy('id')
    .limit(sql<number>`${limit}::INTEGER`)
    .offset(sql<number>`${offset}::INTEGER`)
    .execute();
  const { n } = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(n) };
}

/** Every action the log holds, for the filter's choices. */
export async function auditActions(wh: Warehouse): Promise<string[]> {
  return (await wh.db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()).map((r) => r.action);
}
