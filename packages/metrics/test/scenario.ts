import { Warehouse } from '@helpdesk/core';

/**
 * A tiny hand-built warehouse for KPI tests: interactions with sensible defaults and their events
 * by offset, so that each test states only what its arithmetic depends on.
 */
export interface ScenarioInteraction {
  id: string;
  channel: 'chat' | 'email' | 'phone' | 'social' | 'help_center';
  created_at: string;
  direction?: 'inbound' | 'outbound';
  contact_id?: string | null;
  customer_id?: string | null;
  parent_interaction_id?: string | null;
  queue_id?: string | null;
  team_id?: string | null;
  agent_id?: string | null;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  language?: string | null;
  country?: string | null;
  intent?: string | null;
  status?: string;
  first_response_at?: string | null;
  resolved_at?: string | null;
  closed_at?: string | null;
  bot_involved?: boolean;
  bot_handoff_at?: string | null;
  bot_contained?: boolean;
  reopen_count?: number;
  csat_score?: number | null;
  queue_wait_seconds?: number | null;
  talk_seconds?: number | null;
  hold_seconds?: number | null;
  wrap_up_seconds?: number | null;
  abandon_stage?: string | null;
  article_id?: string | null;
  answered?: boolean | null;
  abandoned?: boolean;
  resolved?: boolean | null;
  first_resolved_at?: string | null;
  callback_requested?: boolean;
  callback_of?: string | null;
  bot_state?: string | null;
  escalated?: boolean;
}

export interface ScenarioEvent {
  at: string;
  type: string;
  role?: 'customer' | 'agent' | 'bot' | 'system' | null;
  public?: boolean | null;
  body?: string | null;
  from?: string | null;
  to?: string | null;
  num?: number | null;
}

const columns = [
  'id', 'source', 'native_id', 'channel', 'direction', 'contact_id', 'customer_id', 'parent_interaction_id', 'queue_id', 'team_id',
  'agent_id', 'priority', 'language', 'intent', 'status', 'created_at', 'first_response_at', 'resolved_at', 'closed_at',
  'updated_at', 'bot_involved', 'bot_handoff_at', 'bot_contained', 'reopen_count', 'csat_score', 'queue_wait_seconds',
  'talk_seconds', 'hold_seconds', 'wrap_up_seconds', 'abandon_stage', 'article_id', 'answered', 'abandoned', 'resolved',
  'first_resolved_at', 'callback_requested', 'callback_of', 'bot_state', 'escalated', 'country',
] as const;

export class Scenario {
  private constructor(readonly wh: Warehouse) {}

  static async open(): Promise<Scenario> {
    return new Scenario(await Warehouse.open(':memory:'));
  }

  async interaction(row: ScenarioInteraction, events: ScenarioEvent[] = []): Promise<void> {
    const full: Record<string, unknown> = {
      source: 'test', native_id: row.id, direction: 'inbound', contact_id: `contact:${row.id}`, customer_id: null,
      parent_interaction_id: null, queue_id: null, team_id: null, agent_id: null, priority: 'normal', language: 'en', intent: null,
      status: 'open', first_response_at: null, resolved_at: null, closed_at: null, updated_at: row.created_at, bot_involved: false,
      bot_handoff_at: null, bot_contained: false, reopen_count: 0, csat_score: null, queue_wait_seconds: null, talk_seconds: null,
      hold_seconds: null, wrap_up_seconds: null, abandon_stage: null, article_id: null,
      // Outcomes a test does not state are read from its other columns the way migration 8 reads an older file.
      answered: row.status === 'abandoned' ? false : row.first_response_at ? true : null,
      abandoned: row.status === 'abandoned',
      resolved: row.channel === 'phone' ? null : (row.status === 'solved' || row.status === 'closed') && !!row.resolved_at,
      first_resolved_at: row.resolved_at ?? null, callback_requested: events.some((e) => e.type === 'callback_requested'),
      callback_of: null, bot_state: null, escalated: false, country: null, ...row,
    };
    const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
    await this.wh.run(`INSERT INTO interactions (${columns.join(', ')}) VALUES (${placeholders})`, columns.map((c) => full[c] as never));
    let seq = 0;
    for (const e of events) {
      await this.wh.run(
        'INSERT INTO events (id, interaction_id, seq, occurred_at, type, author_role, author_id, is_public, body, from_value, to_value, value_num) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
        [`${row.id}:${seq}`, row.id, seq, e.at, e.type, e.role ?? null, null, e.public ?? null, e.body ?? null, e.from ?? null, e.to ?? null, e.num ?? null],
      );
      seq++;
    }
  }

  async identity(contactId: string, kind: string, value: string, customerId: string | null = null): Promise<void> {
    await this.wh.run(
      `INSERT INTO identities VALUES ($1, $2, 'test', $3, $4, $4, true, $5, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`,
      [`${contactId}:${kind}:${value}`, contactId, kind, value, customerId],
    );
  }

  close(): void {
    this.wh.close();
  }
}

/** Message event shorthands. */
export const customer = (at: string, body = 'hello', isPublic = true): ScenarioEvent => ({ at, type: 'message', role: 'customer', public: isPublic, body });
export const agent = (at: string, isPublic = true): ScenarioEvent => ({ at, type: 'message', role: 'agent', public: isPublic, body: 'reply' });
export const bot = (at: string): ScenarioEvent => ({ at, type: 'message', role: 'bot', public: true, body: 'bot reply' });
export const status = (at: string, from: string, to: string): ScenarioEvent => ({ at, type: 'status_change', role: 'system', from, to });
