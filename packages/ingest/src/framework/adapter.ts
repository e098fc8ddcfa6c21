import type { z } from 'zod';
import type {
  AgentRecord, CustomerAttributeRecord, EventRecord, IdentityRecord, InteractionRecord, QueueRecord, TeamRecord,
} from '@helpdesk/core';
import type { Effects } from './effects.ts';
import type { HttpClient } from './http-client.ts';

/** How a stream's records reach the canonical tables: appended once, or merged on the primary key. */
export type WriteDisposition = 'append' | 'merge';

/** What one vendor record becomes in the canonical model (any subset of tables). */
export interface CanonicalRows {
  interactions?: InteractionRecord[];
  /** Events; (interaction, occurred_at, author) of an updated record are replaced, then re-sequenced. */
  events?: EventRecord[];
  identities?: IdentityRecord[];
  agents?: AgentRecord[];
  teams?: TeamRecord[];
  queues?: QueueRecord[];
  /** The full history of each (contact, attribute) it names: earlier rows of those pairs are replaced. */
  customer_attributes?: CustomerAttributeRecord[];
  /**
   * A record the vendor reports deleted: these interactions leave the warehouse with their events
   * (the run counts them as `deleted`).
   */
  deleted_interactions?: { id: string }[];
  /** A deleted child record (a message): the events it gave, matched as an update matches them. */
  deleted_events?: { interaction_id: string; occurred_at: string; author_id: string | null }[];
  /**
   * Source rows the source's own rule leaves out (a mapping's `exclude`: ghost calls): counted in
   * the run's `excluded`, never written. A record all of whose rows are excluded has no other rows
   * and does not enter the ledger.
   */
  excluded?: number;
}

/** The canonical tables a record's rows name (everything but the `excluded` count). */
export type CanonicalTable = Exclude<keyof CanonicalRows, 'excluded'>;

/** One page read from a vendor (or a recorded page on disk), with the stream state after it. */
export interface PageRead {
  records: unknown[];
  /** The cursor to store once every record of this page (and earlier pages) is committed. */
  checkpoint?: string;
  /** Whole pages refused (a recorded file that is not JSON): quarantined with the batch. */
  quarantine?: { nativeId: string | null; reason: string; payload: string }[];
  /**
   * The page as received and its parsed body, when the reader has them. When `records` is a
   * top-level list of `body`, each record's raw payload is cut out of `text` by DuckDB instead of
   * being serialised again in JavaScript (the hot path of a bulk import).
   */
  source?: { text: string; body: unknown };
}

export interface ReadContext<Options> {
  options: Options;
  /** The run's HTTP client. A file source (an adapter without `http`) has none: reading it throws. */
  http: HttpClient;
  /** The committed cursor of the stream, or null on a first run / full refresh. */
  state: string | null;
  /**
   * Where an incremental read resumes: the committed cursor moved back by the stream's declared
   * `lookBackSeconds` (the runner applies it, in the cursor's `cursorFormat`), or null on a first
   * run / full refresh (then `since`, or the beginning).
   */
  from: string | null;
  /** `--since`: ISO date; where a first run starts. */
  since: string | null;
  effects: Effects;
}

/**
 * How a stream's committed cursor is written. A time (`unix-seconds`, `unix-ms`, `iso`) can be
 * moved back by a look-back; a vendor's opaque export cursor (`token`) and a position in a file
 * (`file-position`) cannot; `none`: the stream is read whole every run.
 */
export type CursorFormat = 'unix-seconds' | 'unix-ms' | 'iso' | 'token' | 'file-position' | 'none';

/**
 * One stream of an adapter, declared (dlt style): its cursor, primary key, write disposition and
 * look-back window. The runner applies them (`runner.ts`: `resumeFrom`, the ledger's disposition)
 * and does batching, de-duplication and state once.
 */
export interface StreamSpec<Options = unknown, Rec = any> {
  name: string;
  /**
   * The record field the cursor is taken from (e.g. `updated_at`, or a dotted path into a
   * nested object); its top-level member must be a field of `schema`. Absent when the cursor is no record's field (a token, a file position, none).
   */
  cursorField?: string;
  cursorFormat: CursorFormat;
  primaryKey: string;
  /** `append`: a record, once landed, is never replaced by a later read; `merge`: a newer version replaces it. */
  writeDisposition: WriteDisposition;
  /**
   * Seconds re-read before the committed cursor, to catch late writes; duplicates merge away.
   * Applied by the runner (`ReadContext.from`); only a time cursor can have one.
   */
  lookBackSeconds: number;
  /** The vendor record, as we accept it: unknown extra fields pass, missing optional ones are fine. */
  schema: z.ZodType<Rec>;
  nativeId(record: Rec): string;
  /**
   * The record's version. With `versionOrder: 'time'` an ISO-8601 UTC string (a later version wins,
   * an older one is ignored); with 'content' any change of value is an update.
   */
  version(record: Rec): string;
  versionOrder: 'time' | 'content';
  /** Pure: one vendor record to canonical rows (options as given; may be partial for recorded pages). */
  normalize(record: Rec, options: Partial<Options>): CanonicalRows;
  /** Pages from the vendor API. */
  read(ctx: ReadContext<Options>): AsyncIterable<PageRead>;
  /** The records of a recorded page if the page belongs to this stream, else undefined. */
  recordsOfPage(page: unknown): unknown[] | undefined;
}

/**
 * What an option's value is: `url` and `text` are taken as given, a `path` is resolved from the
 * user's working directory, a `boolean` is `true` or `false` (as an environment variable gives it).
 */
export type OptionKind = 'text' | 'url' | 'path' | 'boolean';

/**
 * An option of an adapter, declared once: the `helpdesk ingest` flags, help and usage, the
 * environment variables of scheduled syncs and the redaction of the run log are derived from it.
 * The key it is declared under is the option's name in the zod options schema.
 *
 * @example
 * tierField: { kind: 'text', flag: 'tier-field', valueName: 'FIELD', env: 'SALESFORCE_TIER_FIELD', description: 'Account field holding the tier (default Tier__c)' }
 */
export interface OptionMeta {
  description: string;
  kind: OptionKind;
  /** The run cannot start without it (the schema has no default); `test/option-declarations.test.ts` holds this against the schema. */
  required?: boolean;
  /**
   * The `helpdesk ingest` flag, without `--`. Adapters may share one (`url`, `file`) when it means
   * the same kind of value. A secret has none: tokens never come from flags (shell history).
   */
  flag?: string;
  /** The value's name in help (`--tier-field <FIELD>`); default: the kind in capitals. */
  valueName?: string;
  /** The environment variable the value comes from when no flag gives it. */
  env?: string;
  /** Never printed nor stored in the run log; only from the environment or the config file. */
  secret?: boolean;
}

/**
 * An adapter: a manifest (name, options schema with secrets marked, streams) plus, per stream, an
 * async generator of pages. Nothing outside packages/ingest knows a vendor's field names.
 */
export interface Adapter<Options = any> {
  name: string;
  /** zod schema of the connection options (validated before anything runs). */
  options: z.ZodType<Options>;
  optionMeta: Record<string, OptionMeta>;
  streams: StreamSpec<Options>[];
  /** The HTTP client for a run (auth, base URL, rate-limit headers of this vendor); absent for a file source. */
  http?(options: Options, effects: Effects): HttpClient;
  /**
   * Recorded pages that carry no records of any stream (settings, per-ticket lists without the
   * ticket id): the reason they are skipped, so a file-import run says why instead of dropping them.
   */
  explainNonRecordPage?(page: unknown, fileName: string): string | undefined;
  /** Named, idempotent SQL stages run after a run that landed anything (facts no single record knows). */
  stages?: { name: string; sql: string }[];
}
