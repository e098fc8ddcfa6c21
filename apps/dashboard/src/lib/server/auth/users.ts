import { randomUUID } from 'node:crypto';
import type { Warehouse } from '@helpdesk/core';
import { hashPassword, passwordProblem } from './passwords.ts';
import { isRole, roles, type Role } from './permissions.ts';

/**
 * Accounts in the warehouse (`users`, migration 7). Shared by the web app and `helpdesk users`;
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

const columns = 'id, email, display_name, role, agent_id, disabled, demo, created_at, last_login_at, password_hash';

export async function countUsers(wh: Warehouse): Promise<number> {
  const [row] = await wh.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM users');
  return row.n;
}

export async function listUsers(wh: Warehouse): Promise<User[]> {
  return (await wh.all<UserRow>(`SELECT ${columns} FROM users ORDER BY email`)).map(toUser);
}

export async function findUserByEmail(wh: Warehouse, email: string): Promise<(User & { passwordHash: string | null }) | null> {
  const [row] = await wh.all<UserRow>(`SELECT ${columns} FROM users WHERE email = $1`, [normalizeEmail(email)]);
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

export async function findUserById(wh: Warehouse, id: string): Promise<User | null> {
  const [row] = await wh.all<UserRow>(`SELECT ${columns} FROM users WHERE id = $1`, [id]);
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
  await wh.run(
    `INSERT INTO users (id, email, display_name, role, password_hash, agent_id, disabled, demo, created_at, updated_at, last_login_at)
     VALUES ($1, $2, $3, $4, $5, $6, false, $7, $8, $8, NULL)`,
    [id, email, input.displayName ?? null, input.role, hash, input.agentId ?? null, !!input.demo, at],
  );
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
  const [row] = await wh.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1", [user.id]);
  if (row.n === 0) throw new UserError(`${user.email} is the last active admin; make someone else admin first`);
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
    await wh.run('UPDATE users SET role = $1, updated_at = $2 WHERE id = $3', [role, now.toISOString(), user.id]);
    return (await findUserById(wh, user.id))!;
  });
}

/** Disables (or re-enables) an account; disabling also ends its sessions. */
export function setDisabled(wh: Warehouse, email: string, disabled: boolean, now = new Date()): Promise<User> {
  return oneAtATime(async () => {
    const user = await requireUser(wh, email);
    await keepAnAdmin(wh, user, { role: user.role, disabled });
    await wh.run('UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3', [disabled, now.toISOString(), user.id]);
    if (disabled) await wh.run('DELETE FROM user_sessions WHERE user_id = $1', [user.id]);
    return (await findUserById(wh, user.id))!;
  });
}

/** Links an account to the agent it is (`agents.id`), so an agent sees their own QA reviews. */
export async function linkAgent(wh: Warehouse, email: string, agentId: string | null, now = new Date()): Promise<User> {
  const user = await requireUser(wh, email);
  if (agentId) {
    const [agent] = await wh.all<{ id: string }>('SELECT id FROM agents WHERE id = $1', [agentId]);
    if (!agent) throw new UserError(`there is no agent ${agentId}`);
  }
  await wh.run('UPDATE users SET agent_id = $1, updated_at = $2 WHERE id = $3', [agentId, now.toISOString(), user.id]);
  return (await findUserById(wh, user.id))!;
}

