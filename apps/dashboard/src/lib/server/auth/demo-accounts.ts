import type { Warehouse } from '@helpdesk/core';
import { roles, type Role } from './permissions.ts';
import { addUser, findUserByEmail } from './users.ts';

/**
 * Demo mode: a warehouse built by `helpdesk demo` carries `warehouse_meta` key
 * `demo.generator_version` (written only by the demo generator, data/src/index.ts). Only then do
 * the documented accounts exist: `<role>@demo.local` with password `demo-<role>`, one per role,
 * listed on the sign-in page. Any other warehouse gets no built-in account at all.
 */
export const demoMarkerKey = 'demo.generator_version';

export const demoAccounts = roles.map((role) => ({ role, email: `${role}@demo.local`, password: `demo-${role}` }));

export async function isDemoWarehouse(wh: Warehouse): Promise<boolean> {
  const row = await wh.db.selectFrom('warehouse_meta').select('key').where('key', '=', demoMarkerKey).executeTakeFirst();
  return row !== undefined;
}

/** Creates the missing demo accounts (the agent account linked to the first human agent). */
export async function ensureDemoAccounts(wh: Warehouse): Promise<void> {
  const agent = await wh.db
    .selectFrom('agents')
    .select('id')
    .where((eb) => eb.not(eb.fn.coalesce('is_bot', eb.lit(false))))
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  for (const account of demoAccounts) {
    if (await findUserByEmail(wh, account.email)) continue;
    await addUser(wh, {
      email: account.email, role: account.role as Role, password: account.password, demo: true, skipPasswordRule: true,
      displayName: `Demo ${account.role.replace('_', ' ')}`, agentId: account.role === 'agent' ? agent?.id : undefined,
    });
  }
}
