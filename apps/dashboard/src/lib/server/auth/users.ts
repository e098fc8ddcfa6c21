import { randomUUID } from 'node:crypto';
import type { Warehouse } from '@helpdesk/core';
import { hashPassword, passwordProblem } from './passwords.ts';
import { isRole, roles, type Role } from './permissions.ts';

/**
 * Accounts in the warehouse (`users`, migration 7), read and written through Kysely. Shared by the web app and `helpdesk users`;
 * it imports nothing from SvelteKit so the CLI and tests can use it directly.
 */
export interface User {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
  agentId: string | null;
  disabled: boolean;
  demo: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export class UserError extends Error {
  override readonly name = 'UserError';
}

interface UserRow {
  id: string; email: string; display_name: string | null; role: string; agent_id: string | null; disabled: boolean; demo: boolean;
  created_at: string; last_login_at: string | null; password_hash: string | null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const emailPattern = /^[^\s@]+@[^\s@]+$/;

function toUser(row: UserRow): User {
  // A role removed from the code since the row was written holds nothing: treat it as disabled.
  const known = isRole(row.role);
  return {
    id: row.id, email: row.email, displayName: row.display_name, role: (known ? row.role : 'agent') as Role, agentId: row.agent_id,
    disabled: row.disabled || !known, demo: row.demo, createdAt: row.created_at, lastLoginAt: row.last_login_at,
  };
}

const columns = ['id', 'email', 'display_name', 'role', 'agent_id', 'disabled', 'demo', 'created_at', 'last_login_at', 'password_hash'] as const;

export async function countUsers(wh: Warehouse): Promise<number> {
  const { n } = await wh.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

export async function listUsers(wh: Warehouse): Promise<User[]> {
  return (await wh.db.selectFrom('users').select(columns).orderBy('email').execute()).map(toUser);
}

export async function findUserByEmail(wh: Warehouse, email: string): Promise<(User & { passwordHash: string | null }) | null> {
  const row: UserRow | undefined = await wh.db.selectFrom('users').select(columns).where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

export async function findUserById(wh: Warehouse, id: string): Promise<User | null> {
  const row: UserRow | undefined = await wh.db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

export interface NewUser {
  email: string;
  role: string;
  /** Omit for an account that signs in only through the trusted SSO header. */
  password?: string;
  displayName?: string;
  agentId?: string;
  demo?: boolean;
  /** Demo accounts use the documented short passwords; everyone else meets the length rule. */
  skipPasswordRule?: boolean;
}

/** Adds an account; a duplicate email, an unknown role or a short password is a UserError. */
export async function addUser(wh: Warehouse, input: NewUser, now = new Date()): Promise<User> {
  const email = normalizeEmail(input.email);
  if (!emailPattern.test(email)) throw new UserError(`"${input.email}" is not an email address`);
  if (!isRole(input.role)) throw new UserError(`"${input.role}" is not a role; roles are ${roles.join(', ')}`);
  if (input.password !== undefined && !input.skipPasswordRule) {
    const problem = passwordProblem(input.password);
    if (problem) throw new UserError(problem);
  }
  if (await findUserByEmail(wh, email)) throw new UserError(`there is already a user ${email}`);
  const hash = input.password === undefined ? null : await hashPassword(input.password);
  const id = `user_${randomUUID()}`;
  const at = now.toISOString();
  await wh.db
    .insertInto('users')
    .values({
      id, email, display_name: input.displayName ?? null, role: input.role, password_hash: hash, agent_id: input.agentId ?? null, disabled: false,
      demo: !!input.demo, created_at: at, updated_at: at, last_login_at: null,
    })
    .execute();
  return (await findUserById(wh, id))!;
}

async function requireUser(wh: Warehouse, email: string): Promise<User> {
  const user = await findUserByEmail(wh, email);
  if (!user) throw new UserError(`there is no user ${normalizeEmail(email)}`);
  return user;
}

/**
 * Refuses a change that would leave no enabled admin: then nobody could manage accounts or read
 * the audit log any more, from the web app at least.
 */
async function keepAnAdmin(wh: Warehouse, user: User, after: { role: string; disabled: boolean }): Promise<void> {
  const staysAdmin = after.role === 'admin' && !after.disabled;
  if (user.role !== 'admin' || user.disabled || staysAdmin) return;
  const { n } = await wh.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .where('id', '<>', user.id)
    .executeTakeFirstOrThrow();
  if (Number(n) === 0) throw new UserError(`${user.email} is the last active admin; make someone else admin first`);
}

/** Whether two emails name the same account (as stored: trimmed, lower case). */
export const sameAccount = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && normalizeEmail(a) === normalizeEmail(b);

// Two admins demoting each other at the same moment must not both see "another admin is left".
let adminChanges: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const next = adminChanges.then(run);
  adminChanges = next.catch(() => undefined);
  return next;
}

export function setRole(wh: Warehouse, email: string, role: string, now = new Date()): Promise<User> {
  return oneAtATime(async () => {
    if (!isRole(role)) throw new UserError(`"${role}" is not a role; roles are ${roles.join(', ')}`);
    const user = await requireUser(wh, email);
    await keepAnAdmin(wh, user, { role, disabled: user.disabled });
    await wh.db.updateTable('users').set({ role, updated_at: now.toISOString() }).where('id', '=', user.id).execute();
    return (await findUserById(wh, user.id))!;
  });
}

/** Disables (or re-enables) an account; disabling also ends its sessions. */
export function setDisabled(wh: Warehouse, email: string, disabled: boolean, now = new Date()): Promise<User> {
  return oneAtATime(async () => {
    const user = await requireUser(wh, email);
    await keepAnAdmin(wh, user, { role: user.role, disabled });
    await wh.db.updateTable('users').set({ disabled, updated_at: now.toISOString() }).where('id', '=', user.id).execute();
    if (disabled) await wh.db.deleteFrom('user_sessions').where('user_id', '=', user.id).execute();
    return (await findUserById(wh, user.id))!;
  });
}

/** Links an account to the agent it is (`agents.id`), so an agent sees their own QA reviews. */
export async function linkAgent(wh: Warehouse, email: string, agentId: string | null, now = new Date()): Promise<User> {
  const user = await requireUser(wh, email);
  if (agentId) {
    const agent = await wh.db.selectFrom('agents').select('id').where('id', '=', agentId).executeTakeFirst();
    if (!agent) throw new UserError(`there is no agent ${agentId}`);
  }
  await wh.db.updateTable('users').set({ agent_id: agentId, updated_at: now.toISOString() }).where('id', '=', user.id).execute();
  return (await findUserById(wh, user.id))!;
}

