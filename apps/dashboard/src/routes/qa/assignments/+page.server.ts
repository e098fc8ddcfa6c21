import { AssignmentStore } from '@helpdesk/qa-sampler';
import { holds, reviewerIdOf, signedInUser } from '$lib/server/auth/guard';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

/**
 * A reviewer's assignments: the signed-in reviewer's own (their reviewer id is their email).
 * Whoever assigns work (qa.assign) may look at anyone's with ?reviewer=.
 */
export const load: PageServerLoad = async ({ url, locals }) => {
  const user = signedInUser(locals);
  const asked = url.searchParams.get('reviewer')?.trim() || null;
  const reviewer = asked && holds(locals, 'qa.assign') ? asked : reviewerIdOf(user);
  const wh = await requireWarehouse();
  // Only ids, channel and status: a blind assignment must not reveal whose conversation it is.
  const rows = await new AssignmentStore(wh).forReviewer(reviewer);
  return {
    reviewer,
    assignments: rows.map((a) => ({
      id: a.id, interactionId: a.interaction_id, channel: a.channel ?? '', status: a.status, blind: a.blind,
      calibration: a.calibration_session_id, assignedAt: a.assigned_at,
    })),
  };
};
