import { error } from '@sveltejs/kit';
import { QaError, type AssignmentStore } from '@helpdesk/qa-sampler';
import { holds, reviewerIdOf, signedInUser } from './guard.ts';

/**
 * A reviewer grades only their own assignments; whoever assigns work (qa.assign) may open any.
 * Checked before the conversation is read, so nobody sees another reviewer's blind assignment.
 */
export async function assertOwnAssignment(assignments: AssignmentStore, locals: App.Locals, assignmentId: string): Promise<void> {
  const user = signedInUser(locals);
  if (holds(locals, 'qa.assign')) return;
  const reviewerId = await assignments.reviewerOf(assignmentId);
  if (reviewerId === null) error(404, { message: new QaError(`no assignment ${assignmentId}`).message });
  if (reviewerId !== reviewerIdOf(user)) error(403, { message: 'This assignment belongs to another reviewer.' });
}
