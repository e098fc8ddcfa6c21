import type { Channel } from '@helpdesk/core';
import type { AircallContactFacts } from '@helpdesk/ingest/encoders';

/**
 * Rows as the generator produces them: the canonical record shapes of @helpdesk/core, except that
 * instants are epoch milliseconds (numbers) until the writer turns them into TIMESTAMPTZ. Keeping
 * them numeric avoids building millions of ISO strings that nobody reads.
 */
export type Ms = number;

/**
 * An interaction. Its id, source and native id are one integer `ref` (see interaction-ids.ts);
 * the writer spells them out.
 */
export interface InteractionRow {
  ref: number;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  contact_id: string | null;
  /** ref of the interaction this one follows up, or null. */
  parent_ref: number | null;
  queue_id: string | null;
  team_id: string | null;
  agent_id: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  language: string | null;
  country: string | null;
  intent: string | null;
  tags: string[];
  subject: string | null;
  status: 'new' | 'open' | 'pending' | 'solved' | 'closed' | 'abandoned';
  created_at: Ms;
  first_response_at: Ms | null;
  resolved_at: Ms | null;
  closed_at: Ms | null;
  updated_at: Ms;
  bot_involved: boolean;
  bot_handoff_at: Ms | null;
  bot_contained: boolean;
  reopen_count: number;
  csat_score: number | null;
  queue_wait_seconds: number | null;
  talk_seconds: number | null;
  hold_seconds: number | null;
  wrap_up_seconds: number | null;
  abandon_stage: 'ivr' | 'queue' | 'hold' | 'chat_queue' | null;
  article_id: string | null;
  /** The outcome (core README, "interactions"): set by `finish` from what happened in the world. */
  answered: boolean | null;
  abandoned: boolean;
  resolved: boolean | null;
  first_resolved_at: Ms | null;
  callback_requested: boolean;
  /** ref of the interaction this call calls back, once it got through; or null. */
  callback_of_ref: number | null;
  bot_state: string | null;
  escalated: boolean;
}

export type EventType =
  | 'message' | 'assignment' | 'transfer' | 'status_change' | 'hold_start' | 'hold_end' | 'queue_enter' | 'queue_leave'
  | 'callback_requested' | 'callback_completed' | 'bot_handoff' | 'csat' | 'reopen' | 'article_view' | 'call_answered'
  | 'call_ended' | 'ivr_enter' | 'ivr_leave' | 'wrap_up_end';
export type AuthorRole = 'customer' | 'agent' | 'bot' | 'system';

/** An event of interaction `interaction` (a ref); its id is `<interaction id>:<seq>`, built by the writer. */
export interface EventRow {
  interaction: number;
  seq: number;
  occurred_at: Ms;
  type: EventType;
  author_role: AuthorRole | null;
  author_id: string | null;
  is_public: boolean | null;
  body: string | null;
  from_value: string | null;
  to_value: string | null;
  value_num: number | null;
}

/** A routing decision; its id is `<interaction id>:r<seq>` and its source the interaction's, built by the writer. */
export interface RoutingRow {
  interaction: number;
  seq: number;
  decided_at: Ms;
  queue_id: string | null;
  agent_id: string | null;
  rule: string | null;
  reason: string | null;
}

/** An identifier of a source record; its id is `<contact_id>#<kind>`, built by the writer. */
export interface IdentityRow {
  contact_id: string;
  source: string;
  kind: string;
  raw_value: string;
  value: string;
  verified: boolean;
  first_seen_at: Ms;
  last_seen_at: Ms;
}

export interface AttributeRow {
  contact_id: string;
  attribute: string;
  value: string | null;
  valid_from: Ms;
  valid_to: Ms | null;
  source: string;
}

/** Everything one interaction contributes. */
export interface Conversation {
  interaction: InteractionRow;
  events: EventRow[];
  routing: RoutingRow[];
  /** A call's other party as the phone system knows it: the number (E.164) and the saved contact, if any. */
  caller?: { digits: string; contact: AircallContactFacts | null };
}
