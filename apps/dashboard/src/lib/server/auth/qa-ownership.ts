import { error } from '@sveltejs/kit';
import { QaError, QaStore } from '@helpdesk/qa-sampler';
import { holds, reviewerIdOf, signedInUser } from './guard.ts';

/**
 * A reviewer grades only their own assignments; whoever assigns work (qa.assign) may open any.
 * Checked before the conversation is read, so nobody sees another reviewer's blind assignment.
 */
export async function assertOwnAssignment(qa: QaStore, locals: App.Locals, assignmentId: string): Promise<void> {
  const user = signedInUser(locals);
  if (holds(locals, 'qa.assign')) return;
  const [row] = await qa.wh.all<{ reviewer_id: string }>('SELECT reviewer_id FROM qa_assignments WHERE id = $1', [assignmentId]);
  if (!row) error(404, { message: new QaError(`no assignment ${assignmentId}`).message });
  if (row.reviewer_id !== reviewerIdOf(user)) error(403, { message: 'This assignment belongs to another reviewer.' });
}
