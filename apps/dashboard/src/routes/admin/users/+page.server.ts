import { fail } from '@sveltejs/kit';
import { roles } from '$lib/server/auth/permissions';
import { authWarehouse, forgetSessions } from '$lib/server/auth/runtime';
import { unlockAccount } from '$lib/server/auth/rate-limit';
import { addUser, findUserByEmail, linkAgent, listUsers, normalizeEmail, sameAccount, setDisabled, setRole, UserError } from '$lib/server/auth/users';
import { writeAudit } from '$lib/server/auth/audit';
import { readForm } from '$lib/server/form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async () => {
  const { wh } = await authWarehouse();
  const agents = await wh.all<{ id: string; name: string }>('SELECT id, name FROM agents WHERE NOT coalesce(is_bot, false) ORDER BY name, id');
  return { users: await listUsers(wh), roles: [...roles], agents };
};

/** Runs one account change, records it in the audit log, and turns a UserError into a 400. */
async function change(event: RequestEvent, what: string, run: (form: FormData) => Promise<{ email: string }>) {
  const form = await readForm(event.request);
  const { wh } = await authWarehouse();
  try {
    const user = await run(form);
    forgetSessions();
    const actor = event.locals.user;
    await writeAudit(wh, { action: `users.${what}`, target: user.email, user: actor && { id: actor.id, email: actor.email, role: actor.role }, detail: { role: form.get('role'), agent: form.get('agent') } });
    return { message: `${what === 'add' ? 'Added' : 'Updated'} ${user.email}.` };
  } catch (reason) {
    if (reason instanceof UserError) return fail(400, { message: reason.message });
    throw reason;
  }
}

const field = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** Whether the form's account is the signed-in admin's own (by account id, whatever the letter case). */
async function isSelf(event: RequestEvent, email: string): Promise<boolean> {
  const actor = event.locals.user;
  if (!actor) return false;
  if (sameAccount(email, actor.email)) return true;
  const target = await findUserByEmail((await authWarehouse()).wh, email);
  return !!target && target.id === actor.id;
}

export const actions: Actions = {
  add: (event) =>
    change(event, 'add', async (form) => {
      const { wh } = await authWarehouse();
      const password = String(form.get('password') ?? '');
      return addUser(wh, { email: field(form, 'email'), role: field(form, 'role'), password: password || undefined, displayName: field(form, 'name') || undefined, agentId: field(form, 'agent') || undefined });
    }),
  setRole: (event) =>
    change(event, 'set-role', async (form) => {
      const email = field(form, 'email');
      if (await isSelf(event, email)) throw new UserError('you cannot change your own role (another admin can)');
      return setRole((await authWarehouse()).wh, email, field(form, 'role'));
    }),
  disable: (event) =>
    change(event, 'disable', async (form) => {
      const email = field(form, 'email');
      if (await isSelf(event, email)) throw new UserError('you cannot disable your own account');
      return setDisabled((await authWarehouse()).wh, email, true);
    }),
  enable: (event) => change(event, 'enable', async (form) => setDisabled((await authWarehouse()).wh, field(form, 'email'), false)),
  /** Clears an account's failed sign-ins (from every client), e.g. after someone guessed at it. */
  unlock: (event) =>
    change(event, 'unlock', async (form) => {
      const { wh } = await authWarehouse();
      const email = normalizeEmail(field(form, 'email'));
      const user = await findUserByEmail(wh, email);
      if (!user) throw new UserError(`there is no user ${email}`);
      await unlockAccount(wh, user.email);
      return user;
    }),
  link: (event) => change(event, 'link', async (form) => linkAgent((await authWarehouse()).wh, field(form, 'email'), field(form, 'agent') || null)),
};
