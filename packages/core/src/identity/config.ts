import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The columns of one matching record (`_idr_records`); every rule and comparison names these. */
export const recordColumns = [
  'first_name', 'first_canon', 'surname', 'full_name', 'dob', 'city', 'postcode', 'address', 'email', 'email_local',
  'phone', 'phone_tail', 'account_id', 'crm_id', 'handle', 'order_no', 'chat_visitor',
] as const;
export type RecordColumn = (typeof recordColumns)[number];

/**
 * Identifier kinds that can link on their own (deterministic rules). `phone_national` is derived
 * from every phone: its national significant number, the digits without country code or trunk 0,
 * so "0117 386 3682" and "+44 117 386 3682" agree even when no default region reads the first right.
 * `follow_up` is the id of an interaction that another contact record's interaction follows up.
 */
export const strongKinds = ['email', 'phone', 'phone_national', 'account_id', 'crm_id', 'handle', 'order', 'chat_visitor', 'follow_up'] as const;
export type StrongKind = (typeof strongKinds)[number];

const column = z.enum(recordColumns);
/** A blocking key: a column, or its first/last n characters (`surname:first3`, `phone_tail:last4`). */
const blockingKey = z.string().regex(/^[a-z_]+(:(first|last)\d{1,2})?$/, 'a blocking key is `column` or `column:firstN` / `column:lastN`')
  .refine((key) => (recordColumns as readonly string[]).includes(key.split(':')[0]), { message: `a blocking key names a record column (${recordColumns.join(', ')})` });
const blockingRule = z.array(blockingKey).min(1);

export const Comparison = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'comparison names are snake_case'),
  type: z.enum(['exact', 'jaro_winkler', 'levenshtein', 'forename_surname', 'email', 'dob', 'phone']),
  columns: z.array(column).min(1).max(2),
  /** jaro_winkler: similarity floors, best first; levenshtein: edit distances, smallest first. */
  thresholds: z.array(z.number()).optional(),
  /** Term-frequency adjustment on the exact level: a shared rare value weighs more than a common one. */
  tf: z.boolean().default(false),
});
export type Comparison = z.infer<typeof Comparison>;

/** A pattern that compiles and has a first capture group (RE2 and JavaScript agree on both here). */
function hasCaptureGroup(pattern: string): boolean {
  try {
    return (new RegExp(`${pattern.replace(/^\(\?i\)/, '')}|`).exec('')?.length ?? 0) > 1;
  } catch {
    return false;
  }
}

export const MatcherConfig = z.object({
  description: z.string().optional(),
  /** dedupe: any two records; link_only: only records of different sources (two files). */
  linkType: z.enum(['dedupe', 'link_only']).default('dedupe'),
  /** Match probability at or above which two records are linked. */
  threshold: z.number().gt(0).lt(1).default(0.5),
  /**
   * Match probability for a probabilistic link, when it should be stricter than `threshold` (which
   * the deterministic rules' trust is held to): every link joins two whole clusters, so one weak
   * pair can merge two people's every record.
   */
  probabilisticThreshold: z.number().gt(0).lt(1).optional(),
  email: z.object({ stripPlusTags: z.boolean().default(true), gmailDots: z.boolean().default(true) }).prefault({}),
  /** Default phone region (ISO 3166 alpha-2) and per-source overrides. */
  phoneRegion: z.string().length(2).default('US'),
  phoneRegions: z.record(z.string(), z.string().length(2)).default({}),
  dobOrder: z.enum(['mdy', 'dmy']).default('mdy'),
  /** Strong identifiers that link on an exact normalized match, each with the probability it is right. */
  deterministic: z.array(z.object({
    kind: z.enum(strongKinds),
    trust: z.number().min(0).max(1),
    /** Trust when every sighting of the value was verified by its source. */
    verifiedTrust: z.number().min(0).max(1).optional(),
  })).default([]),
  /** A strong identifier seen on this many distinct names or more is a hub (switchboard, shared mailbox). */
  hubGuard: z.object({
    maxDistinctNames: z.number().int().min(2).default(3),
    /**
     * When set, a hub is an identifier held by this many different people or more, counting names
     * that cannot be one person's (a typo, an initial, a nickname or a missing part is the same
     * person; "Anna Weber" and "Max Weber" are two) instead of distinct spellings.
     */
    maxDistinctPeople: z.number().int().min(2).optional(),
  }).prefault({}),
  /**
   * Identifiers customers quote in their own messages (order numbers, email addresses) become
   * unverified identifiers of the record that wrote them, so an anonymous chat that quotes an order
   * meets the account that placed it. Absent: messages are not read. Only public messages written by
   * the customer count (an agent or a bot may quote someone else's order); the hub guard applies.
   */
  quotedIdentifiers: z.object({
    /**
     * The shop's order numbers in free text, as an RE2 regular expression (DuckDB's) whose first
     * group is the number; the default takes a standalone 7-digit number, with or without `#`.
     */
    orderPattern: z.string().min(1).default(String.raw`(?:#|\b)(\d{7})\b`).refine(hasCaptureGroup, {
      message: 'orderPattern is a regular expression with a group around the order number',
    }),
    /** Email addresses written in the message. */
    emails: z.boolean().default(true),
  }).optional(),
  comparisons: z.array(Comparison).default([]),
  /** Equi-join blocking rules for scoring; the union of their pairs is scored. */
  blocking: z.array(blockingRule).default([]),
  /** Blocks larger than this are skipped (and counted in the stats); 0 means no cap. */
  maxBlockSize: z.number().int().min(0).default(0),
  training: z.object({
    /** EM sessions: each blocks on one rule and estimates m for the comparisons it does not block on. */
    blocking: z.array(blockingRule).default([]),
    maxIterations: z.number().int().min(1).default(25),
    convergence: z.number().positive().default(0.0001),
    /** Random pairs for the u probabilities. */
    uMaxPairs: z.number().int().min(1000).default(1_000_000),
    /** Most pairs one EM session looks at (a sample beyond that). */
    emMaxPairs: z.number().int().min(1000).default(2_000_000),
    seed: z.number().int().default(1),
  }).prefault({}),
  /** Probability that two random records match; estimated from the blocked pairs when absent. */
  prior: z.number().gt(0).lt(1).optional(),
});
export type MatcherConfig = z.infer<typeof MatcherConfig>;

/**
 * Parses a matcher config, with a readable message for anything wrong.
 * @example parseMatcherConfig({ comparisons: [{ name: 'email', type: 'email', columns: ['email'] }], blocking: [['email']] })
 */
export function parseMatcherConfig(input: unknown, origin = 'config'): MatcherConfig {
  const parsed = MatcherConfig.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${origin} is not a valid matcher config: ${issues}`);
  }
  return parsed.data;
}

/** Reads and validates a JSON config file. */
export function loadMatcherConfig(path: string): MatcherConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read matcher config ${path}: ${(error as Error).message}`);
  }
  return parseMatcherConfig(json, path);
}
