import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { QaError, qaStores, SpotCheckStore } from '@helpdesk/qa-sampler';
import { reviewerIdOf, signedInUser } from '$lib/server/auth/guard';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

/** "Grade the grader": each reviewer's agreement with the lead's blind re-grades. */
export const load: PageServerLoad = async ({ locals }) => {
  const wh = await requireWarehouse();
  const lead = reviewerIdOf(signedInUser(locals));
  const qa = qaStores(wh);
  return { lead, open: await qa.assignments.openSpotChecks(lead), agreement: await qa.spotChecks.agreement() };
};

const CreateForm = z.object({
  percent: z.coerce.number().min(1, 'check at least 1 %').max(100, 'at most 100 %'),
  seed: z.coerce.number().int().min(0).max(2 ** 31).default(1),
  since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD').optional(),
});

export const actions: Actions = {
  /** Gives the signed-in lead blind re-grades of a share of each reviewer's reviews not yet checked. */
  create: async ({ request, locals }) => {
    const form = await request.formData();
    const parsed = CreateForm.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => v !== '')));
    if (!parsed.success) return fail(400, { message: parsed.error.issues.map((i) => i.message).join('; ') });
    try {
      const created = await new SpotCheckStore(await requireWarehouse()).create({
        leadId: reviewerIdOf(signedInUser(locals)), share: parsed.data.percent / 100, seed: parsed.data.seed,
        since: parsed.data.since ? `${parsed.data.since}T00:00:00.000Z` : undefined,
      });
      return { message: created.length ? `${created.length} spot checks added to your assignments.` : 'Nothing left to check: every review in range is already spot-checked.' };
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
  },
};
