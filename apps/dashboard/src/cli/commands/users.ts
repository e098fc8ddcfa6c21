import { existsSync } from 'node:fs';
import { Warehouse } from '@helpdesk/core';
import type { Command } from '../command.ts';
import { CliError, UsageError, displayPath, type CommandContext } from '../context.ts';
import { roles } from '../../lib/server/auth/permissions.ts';
import { unlockAccount } from '../../lib/server/auth/rate-limit.ts';
import { addUser, findUserByEmail, listUsers, setDisabled, setRole, UserError, type User } from '../../lib/server/auth/users.ts';

/**
 * `helpdesk users add|list|set-role|disable|unlock`: accounts of the web app, on the warehouse file
 * (stop the server first: it owns the file while it runs). Passwords come from stdin only, never
 * from a flag, so they stay out of shell history and process lists.
 */
export const usersCommand: Command = {
  name: 'users',
  summary: 'web app accounts: add, list, set-role, disable, unlock',
  usage: [
    'helpdesk users add --email E --role R [--password-stdin] [--agent ID] [--name N]',
    '       helpdesk users list',
    '       helpdesk users set-role --email E --role R',
    '       helpdesk users disable --email E',
    '       helpdesk users unlock --email E     (clears failed sign-ins of the account)',
    `  roles: ${roles.join(', ')}`,
  ].join('\n'),
  allowPositionals: true,
  options: {
    email: { type: 'string', description: 'the account\'s email (its sign-in name)', valueName: 'E' },
    role: { type: 'string', description: `one of ${roles.join(', ')}`, valueName: 'R' },
    'password-stdin': { type: 'boolean', description: 'read the password from stdin (first line); without it the account signs in only through SSO' },
    agent: { type: 'string', description: 'agents.id this person is (role agent: their own QA reviews)', valueName: 'ID' },
    name: { type: 'string', description: 'display name', valueName: 'N' },
  },
  async run(ctx, values, positionals) {
    const [action, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const need = (name: string) => text(name) ?? fail(`users ${action} needs --${name}`);
    switch (action) {
      case 'add': {
        const email = need('email');
        const role = need('role');
        const password = values['password-stdin'] ? await readPassword(ctx) : undefined;
        return withWarehouse(ctx, async (wh) => report(ctx, await addUser(wh, { email, role, password, agentId: text('agent'), displayName: text('name') }), 'added'));
      }
      case 'list':
        return withWarehouse(ctx, async (wh) => {
          const users = await listUsers(wh);
          if (ctx.json) ctx.emit(users);
          else if (users.length === 0) ctx.say('no users yet; add one with `helpdesk users add --email E --role admin --password-stdin`');
          else for (const u of users) ctx.say(`${u.email.padEnd(32)} ${u.role.padEnd(12)} ${u.disabled ? 'disabled' : 'active  '} ${u.agentId ?? ''}`.trimEnd());
          return 0;
        }, true);
      case 'set-role': {
        const email = need('email');
        const role = need('role');
        return withWarehouse(ctx, async (wh) => report(ctx, await setRole(wh, email, role), 'now'));
      }
      case 'disable': {
        const email = need('email');
        return withWarehouse(ctx, async (wh) => report(ctx, await setDisabled(wh, email, true), 'disabled'));
      }
      case 'unlock': {
        const email = need('email');
        return withWarehouse(ctx, async (wh) => {
          const user = await findUserByEmail(wh, email);
          if (!user) throw new UserError(`there is no user ${email.trim().toLowerCase()}`);
          await unlockAccount(wh, user.email);
          const { passwordHash: _, ...account } = user;
          return report(ctx, account, 'unlocked');
        });
      }
      case undefined:
        throw new UsageError('say what to do: add, list, set-role, disable or unlock');
      default:
        throw new UsageError(`unknown action "${action}"; use add, list, set-role, disable or unlock`);
    }
  },
};

function fail(message: string): never {
  throw new UsageError(message);
}

function report(ctx: CommandContext, user: User, verb: string): number {
  if (ctx.json) ctx.emit(user);
  else ctx.say(`${verb} ${user.email} (${user.role}${user.disabled ? ', disabled' : ''})`);
  return 0;
}

/** Opens the warehouse of --db for an accounts command; a UserError becomes a one-line CLI error. */
export async function withWarehouse(ctx: CommandContext, fn: (wh: Warehouse) => Promise<number>, readOnly = false): Promise<number> {
  // Read-only for `list` works on a file at the current schema only; otherwise open normally (migrates).
  if (!existsSync(ctx.db)) throw new CliError(`no warehouse at ${displayPath(ctx, ctx.db)}; build one with \`helpdesk demo\` or pass --db`);
  let wh: Warehouse;
  try {
    wh = await Warehouse.open(ctx.db, { readOnly });
  } catch (error) {
    if (readOnly && (error as { code?: string }).code === 'read_only') wh = await Warehouse.open(ctx.db);
    else throw error;
  }
  try {
    return await fn(wh);
  } catch (error) {
    if (error instanceof UserError) throw new CliError(error.message);
    throw error;
  } finally {
    wh.close();
  }
}

/** The first line of stdin, without its line ending. */
async function readPassword(ctx: CommandContext): Promise<string> {
  const stdin = ctx.io.stdin;
  if (!stdin) throw new CliError('no stdin to read the password from');
  let text = '';
  for await (const chunk of stdin) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  const password = text.split(/\r?\n/)[0];
  if (!password) throw new CliError('--password-stdin: stdin held no password');
  return password;
}
