import { redirect } from '@sveltejs/kit';
import { requireWarehouse } from '$lib/server/warehouse';
import { endSession, sessionCookie } from '$lib/server/auth/sessions';
import { clearSessionCookie, forgetSessions } from '$lib/server/auth/runtime';
import type { Actions, PageServerLoad } from './$types';

/** Signing out is a POST (a link or an image could otherwise sign people out); GET shows the button. */
export const load: PageServerLoad = async () => ({});

export const actions: Actions = {
  default: async ({ cookies, url }) => {
    const token = cookies.get(sessionCookie);
    if (token) await endSession(await requireWarehouse(), token);
    forgetSessions();
    clearSessionCookie(cookies, url);
    redirect(303, '/login');
  },
};
