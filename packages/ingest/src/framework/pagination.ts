import type { PageRead } from './adapter.ts';
import { IngestError } from './errors.ts';
import type { HttpClient } from './http-client.ts';

/** One request of a paginated read: a path or absolute next-page URL, query, and a POST body if any. */
export interface PageRequest {
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/** What a pagination strategy reads from one response. */
export interface PageStep {
  records: unknown[];
  checkpoint?: string;
  next: PageRequest | null;
}

/**
 * A pagination strategy is a tiny object (dlt's paginator): the first request, and how to read a
 * response into records, a cursor checkpoint and the next request.
 */
export interface Paginator {
  first: PageRequest;
  step(body: any, request: PageRequest): PageStep;
}

/**
 * Follows a paginator to the end, yielding each page with its checkpoint.
 *
 * @example
 * for await (const page of paginate(http, cursorExport('/api/v2/incremental/tickets/cursor.json', 'tickets', { start_time: '0' }))) { ... }
 */
export async function* paginate(http: HttpClient, paginator: Paginator, maxPages = 1_000_000): AsyncIterable<PageRead> {
  const fetchPage = (request: PageRequest) => {
    const p = request.body === undefined ? http.getJson(request.path, request.query) : http.postJson(request.path, request.body);
    // Awaited below; this only keeps a failure of a prefetched page from being "unhandled" meanwhile.
    p.catch(() => undefined);
    return { request, response: p };
  };
  let pending: ReturnType<typeof fetchPage> | null = fetchPage(paginator.first);
  for (let n = 0; pending && n < maxPages; n++) {
    const response = await pending.response;
    const step = paginator.step(response.body, pending.request);
    if (!Array.isArray(step.records)) throw new IngestError(`${response.url}: the page has no record list`, 'payload');
    // The next page downloads while the caller commits this one.
    pending = step.next && n + 1 < maxPages ? fetchPage(step.next) : null;
    yield { records: step.records, checkpoint: step.checkpoint, source: { text: response.text, body: response.body } };
  }
}

/** Zendesk's cursor-based incremental export: `start_time` first, then `cursor=after_cursor` until `end_of_stream`. */
export function cursorExport(path: string, recordsKey: string, first: Record<string, string | undefined>, extra: Record<string, string | undefined> = {}): Paginator {
  return {
    first: { path, query: { ...first, ...extra } },
    step(body) {
      const after = body?.after_cursor ?? undefined;
      return {
        records: body?.[recordsKey],
        // Stored even at the end of the stream: the next poll continues from it.
        checkpoint: after ?? undefined,
        next: body?.end_of_stream || !after ? null : { path, query: { cursor: after, ...extra } },
      };
    },
  };
}

/** Zendesk's time-based incremental export: follow `next_page` until `end_of_stream`; the cursor is `end_time`. */
export function timeExport(path: string, recordsKey: string, startTime: number, extra: Record<string, string | undefined> = {}): Paginator {
  return {
    first: { path, query: { start_time: String(startTime), ...extra } },
    step(body) {
      return {
        records: body?.[recordsKey],
        checkpoint: typeof body?.end_time === 'number' ? String(body.end_time) : undefined,
        next: body?.end_of_stream || !body?.next_page ? null : { path: body.next_page },
      };
    },
  };
}

/** Cursor-paginated list endpoints (`page[size]`, `meta.has_more`, `links.next`). */
export function cursorList(path: string, recordsKey: string, pageSize: number, extra: Record<string, string | undefined> = {}): Paginator {
  return {
    first: { path, query: { 'page[size]': String(pageSize), ...extra } },
    step(body) {
      return { records: body?.[recordsKey], next: body?.meta?.has_more && body?.links?.next ? { path: body.links.next } : null };
    },
  };
}

/**
 * Page-number pagination that follows the vendor's `meta.next_page_link` (Aircall). The cursor is
 * produced by the stream (e.g. the last record's creation time), since page numbers do not survive
 * new records arriving between runs.
 */
export function pageNumber(path: string, recordsKey: string, query: Record<string, string | undefined>, checkpointOf?: (records: any[]) => string | undefined): Paginator {
  return {
    first: { path, query: { page: '1', ...query } },
    step(body) {
      const records = body?.[recordsKey];
      const next = body?.meta?.next_page_link;
      return { records, checkpoint: Array.isArray(records) && records.length ? checkpointOf?.(records) : undefined, next: next ? { path: next } : null };
    },
  };
}
