import {
  breathe, AgentRecord, CustomerAttributeRecord, EventRecord, IdentityRecord, InteractionRecord, QueueRecord, TeamRecord,
} from '@helpdesk/core';
import { z } from 'zod';
import type { CanonicalRows, CanonicalTable, PageRead, StreamSpec } from './adapter.ts';
import type { Batch, QuarantinedRecord, StagedPage, StagedRecord } from './batch-writer.ts';
import { compileSchema } from './compiled-schema.ts';
import { wellFormedJson } from './json-text.ts';
import { describeZodError } from './options.ts';

/** The row each canonical table accepts; a normalized row that fails its check quarantines the record. */
const canonicalSchemas: Record<CanonicalTable, z.ZodType> = {
  interactions: InteractionRecord, events: EventRecord, identities: IdentityRecord, agents: AgentRecord,
  teams: TeamRecord, queues: QueueRecord, customer_attributes: CustomerAttributeRecord,
  deleted_interactions: z.object({ id: z.string().min(1) }),
  deleted_events: z.object({ interaction_id: z.string().min(1), occurred_at: z.iso.datetime({ offset: true }), author_id: z.string().nullable() }),
};

/** One batch of whole pages of a stream, with what the ledger and the stream's state need. */
export interface BatchInput {
  runId: string;
  source: string;
  stream: StreamSpec;
  pages: PageRead[];
  checkpoint: string | undefined;
  stateKey: string;
  now: () => number;
  options: Record<string, unknown>;
}

/**
 * Validates, de-duplicates and normalizes one batch of pages in JavaScript; the ledger decides in
 * SQL (batch-writer) which records are new, updated or unchanged. Within a batch the highest
 * version of a record wins (the same record on two pages, or a record updated between two pages).
 * With `fromPageText` a record's raw payload is cut out of its page's text by DuckDB; without it
 * (the retry), each payload is serialised here. It gives way to other work every few hundred
 * records: a batch of thousands is most of a second of JavaScript, which in the web server's
 * syncs would hold every request.
 */
export async function prepareBatch(input: BatchInput, fromPageText: boolean): Promise<{ batch: Batch; duplicates: number; excluded: number }> {
  const { stream } = input;
  const fast = compileSchema(stream.schema);
  const quarantined: QuarantinedRecord[] = [];
  const pages: StagedPage[] = [];
  const latest = new Map<string, { record: any; version: string; raw: unknown; page: number; pos: number }>();
  let duplicates = 0;
  let seen = 0;
  for (const page of input.pages) {
    if (page.quarantine) quarantined.push(...page.quarantine);
    const path = fromPageText ? recordsPathOf(page) : undefined;
    const pageIndex = path ? pages.push({ text: page.source!.text, path, count: page.records.length }) - 1 : -1;
    for (let pos = 0; pos < page.records.length; pos++) {
      await breathe(++seen);
      const raw = page.records[pos];
      let record: unknown = raw;
      if (!fast(raw)) {
        const parsed = stream.schema.safeParse(raw);
        if (!parsed.success) {
          quarantined.push({ nativeId: guessId(raw, stream.primaryKey), reason: `${stream.name}: ${describeZodError(parsed.error)}`, payload: payloadText(raw) });
          continue;
        }
        record = parsed.data;
      }
      const id = stream.nativeId(record);
      const version = stream.version(record);
      const earlier = latest.get(id);
      if (earlier) duplicates++;
      if (!earlier || isNewer(stream, version, earlier.version)) latest.set(id, { record, version, raw, page: pageIndex, pos });
    }
  }
  const records: StagedRecord[] = [];
  let excluded = 0;
  for (const [id, { record, version, raw, page, pos }] of latest) {
    await breathe(records.length + 1);
    let rows: CanonicalRows | null = null;
    let reason: string | null = null;
    try {
      rows = stream.normalize(record, input.options);
      if (rows.excluded) {
        const { excluded: n, ...rest } = rows;
        excluded += n;
        // Nothing left of the record: it is not written, nor entered in the ledger.
        if (Object.values(rest).every((list) => !list?.length)) continue;
        rows = rest;
      }
      checkCanonicalRows(rows);
    } catch (e) {
      rows = null;
      reason = `${stream.name}: ${(e as Error).message}`;
    }
    const payload = page < 0 || reason !== null ? payloadText(raw) : null;
    records.push({ nativeId: id, version, page: payload === null ? page : -1, pos: payload === null ? pos : -1, payload, reason, rows });
  }
  return {
    duplicates,
    excluded,
    batch: {
      runId: input.runId, source: input.source, stream: stream.name, fetchedAt: new Date(input.now()).toISOString(),
      versionOrder: stream.versionOrder, writeDisposition: stream.writeDisposition, pages, records, quarantined, checkpoint: input.checkpoint, stateKey: input.stateKey,
    },
  };
}

/** A record as JSON text DuckDB accepts (see `wellFormedJson`). */
function payloadText(raw: unknown): string {
  return wellFormedJson(JSON.stringify(raw) ?? 'null', raw);
}

/** Every normalized row must be a valid canonical row; the first that is not explains why. */
function checkCanonicalRows(rows: CanonicalRows): void {
  for (const table in rows) {
    const list = (rows as Record<string, unknown[] | undefined>)[table];
    if (!list?.length) continue;
    const schema = canonicalSchemas[table as CanonicalTable];
    if (!schema) throw new Error(`normalized rows for an unknown table "${table}"`);
    const fast = compileSchema(schema);
    for (const row of list) {
      if (fast(row)) continue;
      const check = schema.safeParse(row);
      if (!check.success) throw new Error(`normalized ${table} row is invalid: ${describeZodError(check.error)}`);
    }
  }
}

/**
 * The JSON path of a page's record list in the page's text, when DuckDB can cut the records out
 * of that text exactly: the list is a top-level member of the body, its key appears once (JSON.parse
 * keeps the last of duplicate keys, DuckDB the first) and the text has no escaped surrogates, which
 * DuckDB refuses when they are unpaired.
 */
function recordsPathOf(page: PageRead): string | undefined {
  const source = page.source;
  if (!source || page.records.length === 0 || typeof source.body !== 'object' || source.body === null) return undefined;
  const body = source.body as Record<string, unknown>;
  let key: string | undefined;
  for (const k in body) {
    if (body[k] === page.records) {
      key = k;
      break;
    }
  }
  if (key === undefined || /["\\\u0000-\u001f]/.test(key)) return undefined;
  const needle = `"${key}":`;
  const at = source.text.indexOf(needle);
  if (at < 0 || source.text.lastIndexOf(needle) !== at) return undefined;
  if (source.text.includes('\\ud') || source.text.includes('\\uD')) return undefined;
  return `$."${key}"[*]`;
}

function isNewer(stream: StreamSpec, candidate: string, than: string): boolean {
  return stream.versionOrder === 'time' ? candidate > than : candidate !== than;
}

function guessId(raw: unknown, key: string): string | null {
  const value = (raw as Record<string, unknown> | null)?.[key];
  return value === undefined || value === null ? null : String(value);
}
