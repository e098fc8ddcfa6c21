import type { Warehouse } from '../database.ts';
import type { MatcherConfig } from './config.ts';
import { emailSql, referenceSql } from './prepare-records.ts';
import { deferredValuesTable } from './deferred-writes.ts';
import type { StageTimer } from './sql.ts';

/** Warehouse identity kinds under the names the matcher uses. */
export const kindSql = `CASE i.kind WHEN 'social_handle' THEN 'handle' WHEN 'crm_contact' THEN 'crm_id' WHEN 'account' THEN 'account_id' ELSE i.kind END`;

/** The columns of `_idr_raw`, the identifiers as written, that `prepareRecords` reads. */
export const rawTableSql = `CREATE OR REPLACE TABLE _idr_raw (identity_id VARCHAR, record_id VARCHAR, source VARCHAR, kind VARCHAR,
  raw_value VARCHAR, normalized VARCHAR, verified BOOLEAN, seen_at TIMESTAMPTZ)`;

/**
 * The identities of the warehouse (or of the records in `only(record_id)`) into `_idr_raw`. A value
 * an earlier run normalized is kept unless `renormalize`; a quarantined one is tried again.
 */
export function collectIdentitiesSql(only?: string): string {
  return `INSERT INTO _idr_raw
    SELECT i.id AS identity_id, i.contact_id AS record_id, i.source, ${kindSql} AS kind, i.raw_value,
      CASE WHEN $1 OR q.id IS NOT NULL THEN NULL WHEN i.customer_id IS NOT NULL THEN i.value END AS normalized,
      i.verified, i.last_seen_at AS seen_at
    FROM identities i LEFT JOIN quarantine q ON q.id = 'identity:' || i.id
    ${only ? `WHERE i.contact_id IN (SELECT record_id FROM ${only})` : ''}`;
}

/** The source of each record (its smallest), for the identifiers that do not come from `identities`; only for records in `ends`. */
const recordSource = (ends: string) =>
  `(SELECT contact_id, min(source) AS source FROM identities WHERE contact_id IN (SELECT record_id FROM ${ends}) GROUP BY 1)`;

/**
 * The source's own word that two contact records are one customer: an interaction that follows
 * up another (the phone callback a chat asked for, the ticket a follow-up continues) under a
 * different contact record. Both records get the parent interaction's id as a `follow_up`
 * identifier, a strong kind like any other, so the hub guard applies: a follow-up between records
 * with two people's names links nobody. Only records that have identities take part.
 */
const followUpSql = `INSERT INTO _idr_raw
  WITH f AS (
    SELECT p.id AS parent_id, c.contact_id AS child, p.contact_id AS parent, c.created_at
    FROM interactions c JOIN interactions p ON p.id = c.parent_interaction_id
    WHERE c.contact_id IS NOT NULL AND p.contact_id IS NOT NULL AND c.contact_id <> p.contact_id
  ), ends AS (SELECT child AS record_id, parent_id, created_at FROM f UNION ALL SELECT parent, parent_id, created_at FROM f)
  SELECT NULL, e.record_id, s.source, 'follow_up', e.parent_id, e.parent_id, true, max(e.created_at)
  FROM ends e JOIN ${recordSource('ends')} s ON s.contact_id = e.record_id
  GROUP BY e.record_id, s.source, e.parent_id`;

/**
 * Identifiers a customer quotes in their own messages (`quotedIdentifiers` of the config): order
 * numbers by the shop's pattern and email addresses, taken from public `message` events whose
 * author is the customer, as unverified identifiers of the contact record that wrote them. Agents,
 * bots and internal notes are never read: an agent may quote another customer's order. They go
 * through the same normalizers and hub guard as any identifier (an order quoted by several people
 * links nobody), under the record's own source (its place in `link_only`) and kinds of their own
 * (`quoted_order`, `quoted_email`) that `prepareRecords` turns into order and email keys; they are
 * not rows of `identities`, so they have no identity id, like the follow-up keys.
 */
const quotedSql = `INSERT INTO _idr_raw
  WITH m AS (
    SELECT i.contact_id AS record_id, e.occurred_at, e.body
    FROM events e JOIN interactions i ON i.id = e.interaction_id
    WHERE e.type = 'message' AND e.author_role = 'customer' AND e.is_public IS NOT false AND e.body IS NOT NULL
      AND i.contact_id IS NOT NULL
  ), q AS (
    SELECT record_id, occurred_at, 'quoted_order' AS kind, unnest(regexp_extract_all(body, $1, 1)) AS raw_value FROM m
    UNION ALL
    SELECT record_id, occurred_at, 'quoted_email', unnest(regexp_extract_all(body, '([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})', 1))
    FROM m WHERE $2
  )
  SELECT NULL, q.record_id, s.source, q.kind, q.raw_value, NULL, false, max(q.occurred_at)
  FROM q JOIN ${recordSource('q')} s ON s.contact_id = q.record_id
  WHERE q.raw_value <> ''
  GROUP BY q.record_id, s.source, q.kind, q.raw_value`;

/** Follow-up and quoted identifiers of every record into `_idr_raw` (they are not rows of `identities`). */
export async function collectDerived(wh: Warehouse, config: MatcherConfig, timer: StageTimer): Promise<void> {
  await timer.time('follow-up links', () => wh.run(followUpSql));
  if (config.quotedIdentifiers) {
    const quoted = config.quotedIdentifiers;
    await timer.time('identifiers quoted in messages', () => wh.run(quotedSql, [quoted.orderPattern, quoted.emails]));
  }
}

/** The normalized value of a derived identifier of `_idr_raw`, as `prepareRecords` normalizes it. */
export function derivedValueSql(config: MatcherConfig): string {
  return `CASE kind WHEN 'follow_up' THEN nullif(trim(raw_value), '') WHEN 'quoted_email' THEN ${emailSql('raw_value', config.email)}
    WHEN 'quoted_order' THEN ${referenceSql('raw_value')} END`;
}

/**
 * Quarantines identities that no longer normalize and writes normalized values back to `identities`
 * (with `defer`, into `identity_deferred_values` for applyDeferredWrites); returns how many were refused.
 */
export async function writeBackNormalized(wh: Warehouse, runId: string, at: string, options: { defer?: boolean } = {}): Promise<number> {
  const [{ n }] = await wh.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM _idr_norm
    WHERE value IS NULL AND identity_id IS NOT NULL AND 'identity:' || identity_id NOT IN (SELECT id FROM quarantine)`);
  await wh.run(`INSERT INTO quarantine (id, run_id, source, stream, native_id, reason, payload, quarantined_at)
    SELECT 'identity:' || identity_id, $1, source, 'identities', identity_id, reason, raw_value, $2::TIMESTAMPTZ FROM _idr_norm
    WHERE value IS NULL AND identity_id IS NOT NULL AND 'identity:' || identity_id NOT IN (SELECT id FROM quarantine)`, [runId, at]);
  if (options.defer) {
    await wh.run(`CREATE OR REPLACE TABLE ${deferredValuesTable} AS
      SELECT identity_id, value FROM _idr_norm WHERE identity_id IS NOT NULL AND value IS NOT NULL`);
    return n;
  }
  await wh.run(`UPDATE identities SET value = n.value FROM _idr_norm n
    WHERE n.identity_id = identities.id AND n.value IS NOT NULL AND identities.value IS DISTINCT FROM n.value`);
  return n;
}
