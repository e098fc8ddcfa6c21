import type { Warehouse } from '@helpdesk/core';
import { qaDb } from '@helpdesk/qa-sampler';

/**
 * Who the QA screens offer to pick: human agents (for leave exclusions) and reviewers (QA accounts
 * that are enabled, and anyone who already holds an assignment), by sign-in email.
 */
export async function qaPeople(wh: Warehouse): Promise<{ agents: { id: string; name: string }[]; reviewers: string[] }> {
  const db = qaDb(wh);
  const agents = await db
    .selectFrom('agents')
    .select(['id', 'name'])
    .where((eb) => eb.not(eb.fn.coalesce('is_bot', eb.lit(false))))
    .orderBy('name')
    .orderBy('id')
    .execute();
  const reviewers = await db
    .selectFrom('users')
    .select('email as id')
    .where('role', 'in', ['qa_reviewer', 'qa_lead'])
    .where('disabled', '=', false)
    .union(db.selectFrom('qa_assignments').select('reviewer_id as id'))
    .orderBy('id')
    .execute();
  return { agents, reviewers: reviewers.map((r) => r.id) };
}

/** Reviewers picked on a form: the ticked boxes (`reviewer`) plus a comma-separated list (`reviewers`). */
export function pickedReviewers(form: FormData): string[] {
  const typed = String(form.get('reviewers') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  return [...new Set([...form.getAll('reviewer').map(String), ...typed])];
}
