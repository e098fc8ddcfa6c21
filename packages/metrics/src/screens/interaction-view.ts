import type { Warehouse } from '@helpdesk/core';

export interface InteractionEvent {
  seq: number;
  occurred_at: string;
  type: string;
  author_role: string | null;
  author_id: string | null;
  author_name: string | null;
  is_public: boolean | null;
  /** Hostile text from customers and vendors: render as text only. */
  body: string | null;
  from_value: string | null;
  to_value: string | null;
  value_num: number | null;
}

export interface InteractionView {
  interaction: Record<string, unknown> & { id: string; channel: string; customer_id: string | null; case_id: string | null };
  agentName: string | null;
  teamName: string | null;
  queueName: string | null;
  events: InteractionEvent[];
  /** Other interactions of the same case, in time order. */
  caseInteractions: Array<{ id: string; channel: string; created_at: string; status: string }>;
  routing: Array<{ seq: number; decided_at: string; queue_id: string | null; agent_id: string | null; rule: string | null; reason: string | null }>;
}

/**
 * The interaction's columns the detail page shows (never `*`: a column added to the table, or
 * one holding personal data such as contact_id, reaches the page only when listed here).
 */
export const interactionViewColumns = [
  'id', 'channel', 'direction', 'status', 'priority', 'subject', 'created_at', 'first_response_at', 'resolved_at', 'team_id', 'queue_id',
  'agent_id', 'intent', 'language', 'csat_score', 'reopen_count', 'bot_involved', 'bot_contained', 'queue_wait_seconds', 'customer_id', 'case_id',
] as const;
const viewColumns: readonly string[] = interactionViewColumns;

/**
 * One interaction with its full event timeline, routing decisions and the other interactions of
 * its case; null when there is no such interaction.
 *
 * @example
 * const view = await interactionView(wh, 'zendesk:4711');
 * view?.events[0] // { seq: 0, type: 'message', author_role: 'customer', body: 'Hi, my order...' }
 */
export async function interactionView(warehouse: Warehouse, id: string): Promise<InteractionView | null> {
  const [interaction] = await warehouse.all<InteractionView['interaction'] & { agent_name: string | null; team_name: string | null; queue_name: string | null }>(
    `SELECT ${viewColumns.map((c) => `i.${c}`).join(', ')}, a.name AS agent_name, t.name AS team_name, q.name AS queue_name
     FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id LEFT JOIN teams t ON t.id = i.team_id LEFT JOIN queues q ON q.id = i.queue_id
     WHERE i.id = $1`,
    [id],
  );
  if (!interaction) return null;
  const [events, routing, caseInteractions] = await Promise.all([
    warehouse.all<InteractionEvent>(
      `SELECT e.seq, e.occurred_at, e.type, e.author_role, e.author_id, a.name AS author_name, e.is_public, e.body, e.from_value, e.to_value, e.value_num
       FROM events e LEFT JOIN agents a ON a.id = e.author_id WHERE e.interaction_id = $1 ORDER BY e.seq`,
      [id],
    ),
    warehouse.all<InteractionView['routing'][number]>(
      'SELECT seq, decided_at, queue_id, agent_id, rule, reason FROM routing_decisions WHERE interaction_id = $1 ORDER BY seq',
      [id],
    ),
    interaction.case_id
      ? warehouse.all<InteractionView['caseInteractions'][number]>(
          'SELECT id, channel, created_at, status FROM interactions WHERE case_id = $1 ORDER BY created_at, id',
          [interaction.case_id],
        )
      : Promise.resolve([]),
  ]);
  const { agent_name, team_name, queue_name, ...rest } = interaction;
  return { interaction: rest, agentName: agent_name, teamName: team_name, queueName: queue_name, events, routing, caseInteractions };
}
