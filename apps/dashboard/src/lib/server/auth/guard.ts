import { error } from '@sveltejs/kit';
import { can, type Permission } from './permissions.ts';
import type { User } from './users.ts';

/**
 * For loads and actions that narrow what a permitted user sees (a reviewer's own assignments, an
 * agent's own reviews). Whether the route may be opened at all is hooks.server.ts's decision.
 */
export function signedInUser(locals: App.Locals): User {
  if (!locals.user) error(401, { message: 'Sign in first.' });
  return locals.user;
}

export function holds(locals: App.Locals, permission: Permission): boolean {
  return can(locals.user?.role, permission);
}

/** The reviewer id a signed-in person grades under: their email. */
export const reviewerIdOf = (user: User) => user.email;
