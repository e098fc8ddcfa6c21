import type { Warehouse } from '@helpdesk/core';
import type { MetricsConfig, MetricsConfigInput } from '../metrics-config.ts';
import { outcomesQuery } from '../outcomes.ts';

export interface CaseMember {
  id: string;
  channel: string;
  direction: string;
  status: string;
  priority: string | null;
  /** Free text: the page passes it through the PII rules of `interactions`. */
  subject: string | null;
  created_at: string;
  agent_name: string | null;
  csat_score: number | null;
  /** From the outcome reader: an inbound contact (not the help center, not outbound). */
  is_contact: boolean;
  resolved: boolean;
  reopens: number;
  /** The fcr KPI's membership: null when the interaction is not a handled contact. */
  fcr: boolean | null;
  /** The repeat_contact_rate KPI's membership. */
  repeat_contact: boolean | null;
}

/** Moments between the members worth seeing on the case's line: handoffs, callbacks, notes, ratings, reopens. */
export interface CaseMoment {
  interaction_id: string;
  occurred_at: string;
  type: string;
  author_name: string | null;
  /** An agent's internal note (a handoff note): free text, under the PII rules of `events`. */
  body: string | null;
  value_num: number | null;
}

export interface CaseView {
  case: { id: string; customer_id: string | null; display_name: string | null; intent: string | null; status: string; opened_at: string; closed_at: string | null; link_reason: string | null };
  /** Every interaction of the case, across channels, in time order. */
  members: CaseMember[];
  moments: CaseMoment[];
  /**
   * The case's outcome from its members' outcomes (the metrics' outcome reader): resolved is the
   * last contact's state now, reopened whether any contact was reopened, FCR the first contact's
   * fcr membership (null when it was not a handled contact). Null without contacts.
   */
  outcome: { contacts: number; resolved: boolean | null; reopened: boolean | null; reopens: number; fcr: boolean | null };
}

/**
 * One case as a single timeline across channels, with its customer and its outcome as the
 * metrics decide it; null when there is no such case.
 *
 * @example
 * const view = await caseView(wh, 'case:zendesk:4711', { config });
 * view?.members.map((m) => m.channel) // ['chat', 'phone', 'email']
 */
export async function caseView(warehouse: Warehouse, caseId: string, options: { config?: MetricsConfig | MetricsConfigInput } = {}): Promise<CaseView | null> {
  const [row] = await warehouse.all<CaseView['case']>(
    `SELECT k.id, k.customer_id, c.display_name, k.intent, k.status, k.opened_at, k.closed_at, k.link_reason
     FROM cases k LEFT JOIN customers c ON c.id = k.customer_id WHERE k.id = $1`,
    [caseId],
  );
  if (!row) return null;
  const [span] = await warehouse.all<{ first: string | null; last: string | null }>(
    `SELECT min(created_at) AS first, max(created_at) + INTERVAL 1 SECOND AS last FROM interactions WHERE case_id = $1`,
    [caseId],
  );
  const empty = { case: row, members: [], moments: [], outcome: { contacts: 0, resolved: null, reopened: null, reopens: 0, fcr: null } };
  if (!span.first || !span.last) return empty;
  const outcomes = await outcomesQuery(warehouse, { start: new Date(span.first).toISOString(), end: new Date(span.last).toISOString(), config: options.config });
  const n = outcomes.params.length;
  const members = await warehouse.all<CaseMember>(
    `SELECT i.id, i.channel, i.direction, i.status, i.priority, i.subject, i.created_at, a.name AS agent_name, i.csat_score,
       o.is_contact, o.resolved, o.reopens::INTEGER AS reopens, o.fcr, o.repeat_contact
     FROM interactions i JOIN (${outcomes.sql}) o ON o.id = i.id LEFT JOIN agents a ON a.id = i.agent_id
     WHERE i.case_id = $${n + 1}
     ORDER BY i.created_at, i.id`,
    [...outcomes.params, caseId],
  );
  // Bodies only of agents' internal notes; a callback's number (to_value) never leaves here.
  const moments = await warehouse.all<CaseMoment>(
    `SELECT e.interaction_id, e.occurred_at, CASE WHEN e.type = 'message' THEN 'note' ELSE e.type END AS type, a.name AS author_name,
       CASE WHEN e.type = 'message' THEN e.body END AS body, CASE WHEN e.type = 'csat' THEN e.value_num END AS value_num
     FROM events e JOIN interactions i ON i.id = e.interaction_id LEFT JOIN agents a ON a.id = e.author_id
     WHERE i.case_id = $1 AND (e.type IN ('bot_handoff', 'transfer', 'callback_requested', 'callback_completed', 'csat', 'reopen')
       OR (e.type = 'message' AND e.author_role = 'agent' AND e.is_public = false))
     ORDER BY e.occurred_at, e.interaction_id, e.seq`,
    [caseId],
  );
  const contacts = members.filter((m) => m.is_contact);
  const outcome = contacts.length
    ? {
        contacts: contacts.length,
        resolved: contacts[contacts.length - 1].resolved,
        reopened: contacts.some((m) => m.reopens > 0),
        reopens: contacts.reduce((sum, m) => sum + m.reopens, 0),
        fcr: contacts[0].fcr,
      }
    : empty.outcome;
  return { case: row, members, moments, outcome };
}
