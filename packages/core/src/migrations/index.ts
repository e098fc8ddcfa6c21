import { canonicalModel } from './0001-canonical-model.ts';
import { operations } from './0002-operations.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Every schema change, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  { version: 1, description: 'canonical model', sql: canonicalModel },
  { version: 2, description: 'ingest operations', sql: operations },
];

export const latestSchemaVersion = migrations[migrations.length - 1].version;
