import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { disputeDecisions, DisputeStore, QaError, ReviewStore } from '@helpdesk/qa-sampler';
import { holds, signedInUser } from '$lib/server/auth/guard';
import { requireWarehouse } from '$lib/server/warehouse';
import { readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

/**
 * Disputes. Whoever resolves them (qa.disputes.resolve) sees all of them; an agent sees only the
 * reviews of their own conversations (their account is linked to an agent id) and their own
 * disputes, and may dispute a review.
 */
export const load: PageServerLoad = async ({ locals }) => {
  const user = signedInUser(locals);
  const wh = await requireWarehouse();
  const resolver = holds(locals, 'qa.disputes.resolve');
  const agentId = user.agentId;
  const rows = (await new DisputeStore(wh).list()).filter((d) => resolver || (agentId !== null && d.agent_id === agentId));
  const ownReviews =
    !resolver && agentId
      ? await new ReviewStore(wh).ofAgent(agentId)
      : [];
  return {
    resolver,
    linked: agentId !== null,
    ownReviews,
    disputes: rows.map((d) => ({ ...d, proposed: JSON.parse(d.revised_ratings ?? '[]') as { categoryId: string; rating: number | null }[] })),
  };
};

const Resolution = z.object({
  id: z.string().min(1),
  decision: z.enum(disputeDecisions),
  comment: z.string().optional(),
  // "partly accepted": the categories whose proposed rating is taken, as `category=rating` pairs.
  revised: z.string().optional(),
});

const Filing = z.object({
  review: z.string().min(1),
  reason: z.string().trim().min(1, 'say why the review is wrong').max(5000),
  proposed: z.string().max(2000).optional(),
});

/** `empathy=2, tone=na` -> ratings; anything else is a clear error. */
function pairs(text: string | undefined): { categoryId: string; rating: number | null }[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((pair) => {
    const [categoryId, value] = pair.split('=').map((x) => x.trim());
    if (!categoryId || value === undefined || (value !== 'na' && !/^\d+$/.test(value))) throw new QaError(`"${pair}" is not category=rating`);
    return { categoryId, rating: value === 'na' ? null : Number(value) };
  });
}

export const actions: Actions = {
  resolve: async ({ request, locals }) => {
    const user = signedInUser(locals);
    const parsed = Resolution.safeParse(Object.fromEntries(await readForm(request)));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? 'bad resolution' });
    const { id, decision, comment, revised } = parsed.data;
    try {
      const revisedRatings = pairs(revised);
      const { score } = await new DisputeStore(await requireWarehouse()).resolve(id, { decision, resolvedBy: user.email, comment, revisedRatings: decision === 'partly_accepted' ? revisedRatings : undefined });
      return { message: `Resolved: the review now scores ${score === null ? 'N/A' : score.toFixed(1)}.` };
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
  },
  /** An agent disputes one of their own reviews (the store refuses anyone else's). */
  file: async ({ request, locals }) => {
    const user = signedInUser(locals);
    if (!user.agentId) return fail(400, { message: 'Your account is not linked to an agent; ask an admin to link it.' });
    const parsed = Filing.safeParse(Object.fromEntries(await readForm(request)));
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? 'bad dispute' });
    try {
      const id = await new DisputeStore(await requireWarehouse()).file(parsed.data.review, { agentId: user.agentId, reason: parsed.data.reason, proposedRatings: pairs(parsed.data.proposed) });
      return { message: `Dispute ${id} filed.` };
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
  },
};
