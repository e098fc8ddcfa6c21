import type { DuckDBValue } from '@duckdb/node-api';

/** One bindable value, as the warehouse accepts it. */
export type BindValue = DuckDBValue;

/**
 * Collects positional parameters while SQL is assembled, so that every value is bound as `$n` and
 * never spliced into the text. The one way to build a parameter list in this repository.
 *
 * @example
 * const p = new BindParams();
 * const sql = `SELECT * FROM interactions WHERE channel = ${p.add('chat')} AND queue_id IN (${p.list(['a', 'b'])})`;
 * // 'SELECT * FROM interactions WHERE channel = $1 AND queue_id IN ($2, $3)'
 * await warehouse.all(sql, p.values);
 */
export class BindParams {
  readonly values: DuckDBValue[];
  private readonly seen: Map<string, number> | undefined;

  /**
   * `after`: parameters already bound by a prefix of the query (numbered first, kept as they are);
   * `reuse`: a repeated string, number or boolean gets the $n it got the first time.
   */
  constructor(options: { after?: readonly DuckDBValue[]; reuse?: boolean } = {}) {
    this.values = [...(options.after ?? [])];
    this.seen = options.reuse ? new Map() : undefined;
  }

  /** The placeholder of one value. */
  add(value: DuckDBValue): string {
    const key = this.seen && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') ? `${typeof value}:${value}` : undefined;
    const known = key === undefined ? undefined : this.seen!.get(key);
    if (known !== undefined) return `$${known}`;
    this.values.push(value);
    if (key !== undefined) this.seen!.set(key, this.values.length);
    return `$${this.values.length}`;
  }

  /** Placeholders of several values, comma-separated (for `IN (...)`). */
  list(values: readonly DuckDBValue[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }

  /** Binds a JSON document (a list of objects) and returns SQL that reads it as a table. */
  table(rows: readonly object[], columns: Record<string, string>): string {
    const param = this.add(JSON.stringify(rows));
    const shape = JSON.stringify([columns]).replace(/'/g, "''");
    return `(SELECT unnest(from_json(${param}, '${shape}'), recursive := true))`;
  }
}
