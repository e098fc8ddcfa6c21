import { randomUUID } from 'node:crypto';
import { BindParams, type AuditLogTable, type Warehouse } from '@helpdesk/core';

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
  await wh.run(
    'INSERT INTO audit_log (id, occurred_at, user_id, user_email, role, action, target, detail, address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [
      `audit_${randomUUID()}`, now.toISOString(), entry.user?.id ?? null, entry.user?.email ?? null, entry.user?.role ?? null, entry.action,
      entry.target?.slice(0, 500) ?? null, entry.detail ? JSON.stringify(entry.detail) : null, entry.address ?? null,
    ],
  );
}

/** One audit row as the admin screen reads it (the table's columns but the user id). */
export type AuditRow = Omit<AuditLogTable, 'user_id'>;

/** Newest first; optionally only one user's or one action's entries. */
export async function readAudit(wh: Warehouse, options: { user?: string; action?: string; limit?: number; offset?: number } = {}): Promise<{ rows: AuditRow[]; total: number }> {
  const where: string[] = [];
  const p = new BindParams();
  if (options.user) where.push(`user_email = ${p.add(options.user.trim().toLowerCase())}`);
  if (options.action) where.push(`action = ${p.add(options.action)}`);
  const filterValues = [...p.values];
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // Paging values are bound like the filters, so a caller's NaN or fraction cannot reach the SQL text.
  const whole = (value: number | undefined, fallback: number) => (Number.isFinite(value) ? Math.trunc(value as number) : fallback);
  const limit = Math.min(Math.max(whole(options.limit, 100), 1), 1000);
  const offset = Math.max(whole(options.offset, 0), 0);
  const rows = await wh.all<AuditRow>(
    `SELECT id, occurred_at, user_email, role, action, target, detail::VARCHAR AS detail, address FROM audit_log ${clause}
     ORDER BY occurred_at DESC, id LIMIT ${p.add(limit)}::INTEGER OFFSET ${p.add(offset)}::INTEGER`,
    p.values,
  );
  const [{ n }] = await wh.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM audit_log ${clause}`, filterValues);
  return { rows, total: n };
}
