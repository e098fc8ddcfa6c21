import { error, fail, redirect } from '@sveltejs/kit';
import { QaError, qaStores, scales, type Rating } from '@helpdesk/qa-sampler';
import { requireWarehouse } from '$lib/server/warehouse';
import { assertOwnAssignment } from '$lib/server/auth/qa-ownership';
import { piiAccess } from '$lib/server/pii';
import { redactRow } from '@helpdesk/core';
import type { Actions, PageServerLoad } from './$types';

/** The grading page: the conversation's whole case timeline (blinded when asked) beside the scorecard. */
export const load: PageServerLoad = async ({ params, locals }) => {
  const qa = qaStores(await requireWarehouse());
  await assertOwnAssignment(qa.assignments, locals, params.id);
  try {
    const view = await qa.assignments.gradingView(params.id);
    // The scale ranges travel with the data, so the page needs no import of the (server-side) engine.
    const categories = view.scorecard.categories.map((c) => ({ ...c, min: scales[c.scale].min, max: scales[c.scale].max }));
    // The timeline's customer ids and bodies under the catalogue's events rule (a reviewer has no contacts.read).
    const access = piiAccess(locals);
    const timeline = view.conversation.timeline.map((e) => {
      const row = redactRow('events', { author_role: e.authorRole, author_id: e.authorId, body: e.body }, access);
      return { ...e, authorId: row.author_id, body: row.body };
    });
    return { ...view, conversation: { ...view.conversation, timeline }, scorecard: { ...view.scorecard, categories } };
  } catch (reason) {
    if (reason instanceof QaError) error(404, { message: reason.message });
    throw reason;
  }
};

/** Reads `rating:<category>` (a scale point or `na`) and `comment:<category>` fields of the form. */
function ratingsFromForm(form: FormData): { ratings: Rating[]; comment?: string } {
  const ratings: Rating[] = [];
  for (const [key, value] of form) {
    if (!key.startsWith('rating:') || typeof value !== 'string') continue;
    const categoryId = key.slice('rating:'.length);
    if (value !== 'na' && !/^\d+$/.test(value)) throw new QaError(`category "${categoryId}": "${value}" is not a rating`);
    const comment = form.get(`comment:${categoryId}`);
    ratings.push({ categoryId, rating: value === 'na' ? null : Number(value), ...(typeof comment === 'string' && comment.trim() ? { comment: comment.trim() } : {}) });
  }
  const comment = form.get('comment');
  return { ratings, ...(typeof comment === 'string' && comment.trim() ? { comment: comment.trim() } : {}) };
}

export const actions: Actions = {
  submit: async ({ params, request, url, locals }) => {
    const qa = qaStores(await requireWarehouse());
    await assertOwnAssignment(qa.assignments, locals, params.id);
    let reviewer: string;
    try {
      const draft = ratingsFromForm(await request.formData());
      reviewer = (await qa.assignments.gradingView(params.id)).assignment.reviewerId;
      await qa.reviews.submit(params.id, draft);
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
    redirect(303, `/qa/assignments?reviewer=${encodeURIComponent(url.searchParams.get('reviewer') ?? reviewer)}&submitted=${encodeURIComponent(params.id)}`);
  },
};
