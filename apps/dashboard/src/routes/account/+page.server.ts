import { fail } from '@sveltejs/kit';
import { apiDatasets, createToken, listTokens, parseDatasets, revokeToken } from '$lib/server/api/tokens';
import { writeAudit } from '$lib/server/auth/audit';
import { signedInUser } from '$lib/server/auth/guard';
import { authWarehouse } from '$lib/server/auth/runtime';
import { UserError } from '$lib/server/auth/users';
import { readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

/** The signed-in person's account: who they are, and their personal API tokens for /api/v1. */
export const load: PageServerLoad = async ({ locals }) => {
  const user = signedInUser(locals);
  const { wh } = await authWarehouse();
  return { tokens: await listTokens(wh, user.id), datasets: [...apiDatasets] };
};

export const actions: Actions = {
  createToken: async ({ request, locals }) => {
    const user = signedInUser(locals);
    const form = await readForm(request);
    const { wh } = await authWarehouse();
    try {
      const chosen = form.getAll('datasets').map(String);
      const { token, secret } = await createToken(wh, { email: user.email, name: String(form.get('name') ?? ''), datasets: parseDatasets(chosen) });
      await writeAudit(wh, { action: 'tokens.add', target: token.id, user: { id: user.id, email: user.email, role: user.role }, detail: { datasets: token.datasets } });
      // Shown once, on this response only; the warehouse keeps its SHA-256.
      return { created: { id: token.id, secret } };
    } catch (reason) {
      if (reason instanceof UserError) return fail(400, { message: reason.message });
      throw reason;
    }
  },
  revokeToken: async ({ request, locals }) => {
    const user = signedInUser(locals);
    const form = await readForm(request);
    const { wh } = await authWarehouse();
    try {
      const token = await revokeToken(wh, String(form.get('id') ?? ''), { userId: user.id });
      await writeAudit(wh, { action: 'tokens.revoke', target: token.id, user: { id: user.id, email: user.email, role: user.role } });
      return { message: `Revoked ${token.prefix}….` };
    } catch (reason) {
      if (reason instanceof UserError) return fail(400, { message: reason.message });
      throw reason;
    }
  },
};
