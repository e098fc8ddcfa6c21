import { auditActions, readAudit } from '$lib/server/auth/audit';
import { authWarehouse } from '$lib/server/auth/runtime';
import type { PageServerLoad } from './$types';

const pageSize = 100;

/** The audit log, newest first, filtered by user and action. */
export const load: PageServerLoad = async ({ url }) => {
  const { wh } = await authWarehouse();
  const page = Math.max(1, Math.min(100_000, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
  const user = url.searchParams.get('user')?.slice(0, 320) || undefined;
  const action = url.searchParams.get('action')?.slice(0, 100) || undefined;
  const { rows, total } = await readAudit(wh, { user, action, limit: pageSize, offset: (page - 1) * pageSize });
  const actions = await auditActions(wh);
  return { rows, total, page, pageSize, user: user ?? '', action: action ?? '', actions };
};
