import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { disputeDecisions, QaError, QaStore } from '@helpdesk/qa-sampler';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
  const rows = await new QaStore(await requireWarehouse()).disputes();
  return { disputes: rows.map((d) => ({ ...d, proposed: JSON.parse(d.revised_ratings ?? '[]') as { categoryId: string; rating: number | null }[] })) };
};

const Resolution = z.object({
  id: z.string().min(1),
  decision: z.enum(disputeDecisions),
  resolvedBy: z.string().trim().min(1, 'say who resolves it'),
  comment: z.string().optional(),
  // "partly accepted": the categories whose proposed rating is taken, as `category=rating` pairs.
  revised: z.string().optional(),
});

export const actions: Actions = {
  resolve: async ({ request }) => {
    const parsed = Resolution.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? 'bad resolution' });
    const { id, decision, resolvedBy, comment, revised } = parsed.data;
    const revisedRatings = (revised ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((pair) => {
      const [categoryId, value] = pair.split('=').map((x) => x.trim());
      return { categoryId, rating: value === 'na' ? null : Number(value) };
    });
    try {
      const { score } = await new QaStore(await requireWarehouse()).resolveDispute(id, { decision, resolvedBy, comment, revisedRatings: decision === 'partly_accepted' ? revisedRatings : undefined });
      return { message: `Resolved: the review now scores ${score === null ? 'N/A' : score.toFixed(1)}.` };
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
  },
};
