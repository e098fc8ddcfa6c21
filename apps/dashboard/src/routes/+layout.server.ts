import { canView, routeRules } from '$lib/server/auth/permissions';
import type { LayoutServerLoad } from './$types';

/** Who is signed in, and which screens of the navigation they may open (the rest are hidden). */
export const load: LayoutServerLoad = async ({ locals }) => {
  const user = locals.user;
  const allowed = Object.keys(routeRules).filter((routeId) => canView(user?.role ?? null, routeId));
  return { user: user ? { email: user.email, role: user.role, displayName: user.displayName } : null, allowed };
};
