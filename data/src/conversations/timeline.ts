import type { AuthorRole, EventRow, EventType, Ms } from '../rows.ts';

export interface EventFields {
  isPublic?: boolean | null;
  body?: string | null;
  from?: string | null;
  to?: string | null;
  num?: number | null;
}

/**
 * The event log of one interaction as it unfolds. Times never run backwards and are whole seconds
 * (vendors report seconds). The world stops at the window end: once an event would fall at or after
 * it, the timeline closes and every later `add` is refused, so a conversation still running at the
 * end is written in the state it had then.
 */
export class Timeline {
  readonly events: EventRow[] = [];
  private last: Ms;
  private closed = false;

  constructor(readonly interaction: number, readonly startMs: Ms, private readonly endMs: Ms) {
    this.last = startMs;
  }

  /** False once the window end has been reached. */
  get open(): boolean {
    return !this.closed;
  }

  /** Time of the latest event (or the start). */
  get now(): Ms {
    return this.last;
  }

  /** Appends an event; returns false (and adds nothing) if it would happen after the window end. */
  add(at: Ms, type: EventType, role: AuthorRole | null, author: string | null, fields: EventFields = {}): boolean {
    if (this.closed) return false;
    const t = Math.max(Math.round(at / 1000) * 1000, this.last);
    if (t >= this.endMs) {
      this.closed = true;
      return false;
    }
    this.last = t;
    this.events.push({
      interaction: this.interaction,
      seq: this.events.length,
      occurred_at: t,
      type,
      author_role: role,
      author_id: author,
      is_public: fields.isPublic ?? null,
      body: fields.body ?? null,
      from_value: fields.from ?? null,
      to_value: fields.to ?? null,
      value_num: fields.num ?? null,
    });
    return true;
  }

  message(at: Ms, role: AuthorRole, author: string | null, body: string, isPublic = true): boolean {
    return this.add(at, 'message', role, author, { isPublic, body });
  }

  /** The first public reply by a human agent (a message, or answering a call): never the bot. */
  firstHumanResponse(): Ms | null {
    for (const e of this.events) {
      if (e.author_role === 'agent' && ((e.type === 'message' && e.is_public) || e.type === 'call_answered')) return e.occurred_at;
    }
    return null;
  }
}
