import { fail, redirect } from '@sveltejs/kit';
import { signIn } from '$lib/server/auth/login';
import { authWarehouse, clientAddress, config, setSessionCookie } from '$lib/server/auth/runtime';
import { addUser, countUsers, UserError } from '$lib/server/auth/users';
import { readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

/**
 * First run: while the warehouse has no account at all (and is not the demo), whoever reaches the
 * server first creates the admin. Afterwards this page only sends people to sign in.
 */
export const load: PageServerLoad = async () => {
  const { wh, demo } = await authWarehouse();
  if (demo || (await countUsers(wh)) > 0) redirect(303, '/login');
  return {};
};

// Two first-run posts at once must not both see "no users" and both create an admin.
let creating: Promise<unknown> = Promise.resolve();

export const actions: Actions = {
  default: async (event) => {
    const form = await readForm(event.request);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) return fail(400, { email, message: 'The two passwords differ.' });
    const { wh, demo } = await authWarehouse();
    const run = creating.then(async () => {
      if (demo || (await countUsers(wh)) > 0) return 'taken' as const;
      await addUser(wh, { email, password, role: 'admin', displayName: String(form.get('name') ?? '').trim() || undefined });
      return 'created' as const;
    });
    creating = run.catch(() => undefined);
    let outcome: 'taken' | 'created';
    try {
      outcome = await run;
    } catch (reason) {
      if (reason instanceof UserError) return fail(400, { email, message: reason.message });
      throw reason;
    }
    if (outcome === 'taken') redirect(303, '/login');
    const result = await signIn(wh, { email, password, address: clientAddress(event) }, config());
    if (result.ok) setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
    redirect(303, '/admin/users');
  },
};
