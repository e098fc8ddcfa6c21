import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Warehouse } from '@helpdesk/core';
import { qaDb, type QaDatabase } from './qa-tables.ts';

/** Side effects passed in, so tests can fix the clock and the ids. */
export interface QaEffects {
  now?: () => string;
  newId?: (kind: string) => string;
}

/**
 * What every QA noun store shares: the warehouse, its one Kysely handle typed with the QA tables,
 * the clock and the id maker. Stores built from one context see the same clock and id sequence.
 */
export interface QaContext {
  readonly wh: Warehouse;
  readonly db: Kysely<QaDatabase>;
  readonly now: () => string;
  readonly newId: (kind: string) => string;
}

/** A store's first argument: a warehouse (with optional effects) or a context another store already holds. */
export type QaSource = Warehouse | QaContext;

export function qaContext(source: QaSource, effects: QaEffects = {}): QaContext {
  if ('newId' in source) return source;
  return {
    wh: source,
    db: qaDb(source),
    now: effects.now ?? (() => new Date().toISOString()),
    newId: effects.newId ?? ((kind) => `${kind}-${randomUUID()}`),
  };
}
