import type { Warehouse } from '@helpdesk/core';

/**
 * Who the QA screens offer to pick: human agents (for leave exclusions) and reviewers (QA accounts
 * that are enabled, and anyone who already holds an assignment), by sign-in email.
 */
export async function qaPeople(wh: Warehouse): Promise<{ agents: { id: string; name: string }[]; reviewers: string[] }> {
  const agents = await wh.all<{ id: string; name: string }>('SELECT id, name FROM agents WHERE NOT coalesce(is_bot, false) ORDER BY name, id');
  const reviewers = await wh.all<{ id: string }>(
    `SELECT email AS id FROM users WHERE role IN ('qa_reviewer', 'qa_lead') AND NOT disabled
     UNION SELECT reviewer_id FROM qa_assignments ORDER BY 1`,
  );
  return { agents, reviewers: reviewers.map((r) => r.id) };
}

/** Reviewers picked on a form: the ticked boxes (`reviewer`) plus a comma-separated list (`reviewers`). */
export function pickedReviewers(form: FormData): string[] {
  const typed = String(form.get('reviewers') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  return [...new Set([...form.getAll('reviewer').map(String), ...typed])];
}
