import type { Warehouse } from './database.ts';

interface Kept {
  generation: number;
  value: Promise<unknown>;
}

const kept = new WeakMap<Warehouse, Map<string, Kept>>();

/**
 * What `read` gives, read once and kept per warehouse handle and `key` until this process writes
 * to one of `tables` (Warehouse.writeGeneration): for small reads that every request makes (the
 * settings in force, the pipeline's last runs) or large ones whose tables rarely change (the
 * metrics fingerprint). Concurrent callers of one generation share one read. The value is shared:
 * callers must not change it (copy it when they hand it on). A read that fails is not kept.
 *
 * @example
 * const runs = await readUntilWritten(wh, ['pipeline_runs'], 'runs', () => wh.all('SELECT * FROM pipeline_runs'));
 */
export function readUntilWritten<T>(warehouse: Warehouse, tables: readonly string[], key: string, read: () => Promise<T>): Promise<T> {
  const generation = warehouse.writeGeneration(tables);
  const byKey = kept.get(warehouse);
  const hit = byKey?.get(key);
  if (generation !== null && hit?.generation === generation) return hit.value as Promise<T>;
  const value = read();
  // Kept only when no write to the tables was landing as the read began; any write since then
  // moves the generation past the one it is kept under.
  if (generation !== null) {
    const entries = byKey ?? new Map<string, Kept>();
    kept.set(warehouse, entries);
    const entry = { generation, value };
    entries.set(key, entry);
    value.catch(() => entries.get(key) === entry && entries.delete(key));
  }
  return value;
}
