import type { PageRead } from '../../framework/adapter.ts';
import { IngestError } from '../../framework/errors.ts';
import type { HttpClient } from '../../framework/http-client.ts';
import { paginate, type Paginator } from '../../framework/pagination.ts';
import { isoFromVendor } from '../../framework/time.ts';
import { QueryResponse } from './schemas.ts';

/** Field and object names go into SOQL text: only plain API names (custom ones end in `__c`) are allowed. */
export const SOQL_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * SOQL datetime literal, second precision (`2026-01-31T09:15:02Z`): the documented literal forms
 * carry no milliseconds, so the cursor is floored and the boundary second is read again (those
 * records come back unchanged and merge away in the ledger).
 */
export function soqlDateTime(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The incremental SOQL of one object: every row modified at or after `from`, oldest first, ties by
 * Id, so the last row of each page is a safe checkpoint.
 *
 * @example
 * incrementalSoql('Contact', ['Id', 'Email'], '2026-01-01T00:00:00.000Z')
 * // "SELECT Id, Email FROM Contact WHERE SystemModstamp >= 2026-01-01T00:00:00Z ORDER BY SystemModstamp ASC, Id ASC"
 */
export function incrementalSoql(object: string, fields: string[], from: string, subQueries: string[] = [], cursorField = 'SystemModstamp'): string {
  return `SELECT ${[...fields, ...subQueries.map((q) => `(${q})`)].join(', ')} FROM ${object} WHERE ${cursorField} >= ${soqlDateTime(from)} ORDER BY ${cursorField} ASC, Id ASC`;
}

/**
 * `query` serves live rows; `queryAll` also the deleted ones (`IsDeleted = true`, while they sit in
 * the recycle bin, 15 days), which is how a deletion reaches an incremental reader.
 */
export type QueryResource = 'query' | 'queryAll';

/** How one object is read: the resource and the cursor field (history rows have only CreatedDate). */
export interface ReadPlan {
  resource?: QueryResource;
  cursorField?: string;
}

/** The query resource with its `nextRecordsUrl` (a relative URL with a query locator) until `done`. */
export function soqlQuery(apiVersion: string, soql: string, resource: QueryResource = 'query', cursorField = 'SystemModstamp'): Paginator {
  return {
    first: { path: `/services/data/v${apiVersion}/${resource}`, query: { q: soql } },
    step(body, request) {
      const parsed = QueryResponse.safeParse(body);
      if (!parsed.success) throw new IngestError(`${request.path}: not a SOQL query response (expected totalSize, done, records)`, 'payload');
      const records = parsed.data.records;
      const stamps = records.map((r) => (r as Record<string, unknown>)?.[cursorField]).filter((s): s is string => typeof s === 'string');
      let checkpoint: string | undefined;
      for (const s of stamps) {
        try {
          const iso = isoFromVendor(s);
          if (!checkpoint || iso > checkpoint) checkpoint = iso;
        } catch {
          /* a malformed stamp: the record is quarantined by the schema; the cursor ignores it */
        }
      }
      const next = !parsed.data.done && parsed.data.nextRecordsUrl ? { path: parsed.data.nextRecordsUrl } : null;
      return { records, checkpoint, next };
    },
  };
}

/**
 * Reads one object incrementally: the query from the cursor, page by page; then, because a query
 * locator is a snapshot, the query again from the newest stamp seen, for rows modified while we
 * paged; until a pass brings no row version this run has not seen.
 */
export async function* readModified(
  http: HttpClient, apiVersion: string, buildSoql: (from: string) => string, from: string, plan: ReadPlan = {},
): AsyncIterable<PageRead> {
  const seen = new Set<string>();
  const cursorField = plan.cursorField ?? 'SystemModstamp';
  for (let pass = 0; pass < 50; pass++) {
    let fresh = 0;
    let newest = from;
    for await (const page of paginate(http, soqlQuery(apiVersion, buildSoql(from), plan.resource, cursorField))) {
      for (const r of page.records as Record<string, unknown>[]) {
        const key = `${String(r?.Id)}@${String(r?.[cursorField])}`;
        if (!seen.has(key)) fresh++;
        seen.add(key);
      }
      if (page.checkpoint && page.checkpoint > newest) newest = page.checkpoint;
      yield page;
    }
    if (fresh === 0) return;
    from = newest;
  }
}
