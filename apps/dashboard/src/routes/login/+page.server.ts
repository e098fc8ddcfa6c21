import { fail, redirect } from '@sveltejs/kit';
import { demoAccounts } from '$lib/server/auth/demo-accounts';
import { signIn } from '$lib/server/auth/login';
import { authWarehouse, clientAddress, config, homeFor, safeNext, setSessionCookie } from '$lib/server/auth/runtime';
import { countUsers } from '$lib/server/auth/users';
import { readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

/** The sign-in page; a fresh non-demo warehouse without any account goes to first-run setup. */
export const load: PageServerLoad = async ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')) ?? homeFor(locals.user.role));
  const { wh, demo } = await authWarehouse();
  if (!demo && (await countUsers(wh)) === 0) redirect(303, '/setup');
  return {
    next: safeNext(url.searchParams.get('next')),
    demoAccounts: demo && config().demoAccounts ? demoAccounts : [],
    sso: !!config().sso,
  };
};

export const actions: Actions = {
  /** Form fields `email` and `password` (a contract: the abuse benchmark posts them). */
  default: async (event) => {
    const form = await readForm(event.request);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    const { wh } = await authWarehouse();
    const result = await signIn(wh, { email, password, address: clientAddress(event), userAgent: event.request.headers.get('user-agent') ?? undefined }, config());
    if (!result.ok) {
      if (result.retryAfterSeconds) event.setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
      return fail(result.status, { email: email.slice(0, 320), message: result.message });
    }
    setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
    redirect(303, safeNext(event.url.searchParams.get('next')) ?? homeFor(result.user.role));
  },
};
