import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { AssignmentStore, QaError } from '@helpdesk/qa-sampler';
import { requireWarehouse } from '$lib/server/warehouse';
import { assertOwnAssignment } from '$lib/server/auth/qa-ownership';
import type { RequestHandler } from './$types';

const DraftBody = z.object({
  ratings: z.array(z.object({ categoryId: z.string().min(1), rating: z.number().int().nullable(), comment: z.string().max(5000).optional() })).max(200),
  comment: z.string().max(20000).optional(),
});

/** Autosave of a grading draft (not scored, not counted until submitted). */
export const POST: RequestHandler = async ({ params, request, locals }) => {
  const parsed = DraftBody.safeParse(await request.json().catch(() => null));
  if (!parsed.success) error(400, { message: `not a draft: ${parsed.error.issues[0]?.message ?? 'bad body'}` });
  const assignments = new AssignmentStore(await requireWarehouse());
  await assertOwnAssignment(assignments, locals, params.id);
  try {
    await assignments.saveDraft(params.id, parsed.data);
  } catch (reason) {
    if (reason instanceof QaError) error(409, { message: reason.message });
    throw reason;
  }
  return json({ saved: true });
};
