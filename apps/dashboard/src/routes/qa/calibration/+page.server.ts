import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { QaError, qaStores } from '@helpdesk/qa-sampler';
import { holds } from '$lib/server/auth/guard';
import { pickedReviewers, qaPeople } from '$lib/server/qa-people';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

/** Sessions, and for whoever assigns work what a new session can be made of. */
export const load: PageServerLoad = async ({ locals }) => {
  const wh = await requireWarehouse();
  const qa = qaStores(wh);
  const sessions = await qa.calibration.sessions();
  if (!holds(locals, 'qa.assign')) return { sessions, create: null };
  const samples = await qa.samples.recent(30);
  const scorecards = (await qa.scorecards.current()).map((c) => ({ id: c.scorecardId, name: c.definition.name, version: c.version }));
  return { sessions, create: { samples, scorecards, reviewers: (await qaPeople(wh)).reviewers } };
};

const CreateForm = z.object({
  name: z.string().trim().min(1, 'a session needs a name').max(200),
  scorecardId: z.string().min(1, 'choose a scorecard'),
  sampleId: z.string().optional(),
  count: z.coerce.number().int().min(1).max(50).default(5),
  interactions: z.string().max(20_000).optional(),
});

export const actions: Actions = {
  /**
   * Creates a session from the first `count` conversations of a sample, or from a list of
   * conversation ids (one per line or comma-separated), and invites the ticked reviewers.
   */
  create: async ({ request }) => {
    const form = await request.formData();
    const parsed = CreateForm.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => v !== '')));
    if (!parsed.success) return fail(400, { message: parsed.error.issues.map((i) => i.message).join('; ') });
    const p = parsed.data;
    const wh = await requireWarehouse();
    const listed = (p.interactions ?? '').split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
    const qa = qaStores(wh);
    let interactionIds = [...new Set(listed)];
    if (p.sampleId) {
      const items = await qa.samples.interactionIds(p.sampleId, p.count);
      if (items.length === 0) return fail(400, { message: `sample ${p.sampleId} has no conversations` });
      interactionIds = [...new Set([...items, ...interactionIds])];
    }
    if (interactionIds.length === 0) return fail(400, { message: 'choose a sample or list the conversations to calibrate on' });
    let id: string;
    try {
      id = await qa.calibration.create({ name: p.name, scorecardId: p.scorecardId, interactionIds, reviewerIds: pickedReviewers(form) });
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
    redirect(303, `/qa/calibration/${encodeURIComponent(id)}`);
  },
};
