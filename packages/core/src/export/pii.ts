import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { DatasetColumn, PiiKind } from './dataset.ts';

/** `redact`: a fixed marker; `hash`: keyed HMAC-SHA256 of the normalized value; `include`: as stored. */
export type PiiMode = 'redact' | 'hash' | 'include';
export const piiModes = ['redact', 'hash', 'include'] as const;

/** What happened to one column in one export (written to the manifest). */
export type PiiTreatment = 'hashed' | 'redacted' | 'included';

export const REDACTED = '[redacted]';

/**
 * The export key, held as HMAC's inner and outer pads. HMAC-SHA256 is computed inside DuckDB
 * (sha256 over pad || value, twice: RFC 2104) rather than in node:crypto, so that Parquet and CSV
 * exports stay one `COPY` with no rows passing through JavaScript; the test checks it against
 * node:crypto's HMAC. Only the pads (hex) reach SQL, never the key text. A plain sha256(key||value)
 * would also do for pseudonyms, but HMAC costs one more hash and is the construction reviewers expect.
 */
export interface ExportKey {
  ipadHex: string;
  opadHex: string;
  /** Identifies the key in the manifest without revealing it. */
  fingerprint: string;
  /** True when no key was given and a random one was made: hashes then join only within this export. */
  ephemeral: boolean;
}

/**
 * Prepares an export key; without one a random key is made (stable within this export only).
 *
 * @example
 * exportKey('team-analytics-2026').fingerprint // 16 hex digits, the same for the same key
 */
export function exportKey(secret?: string): ExportKey {
  const ephemeral = !secret;
  let key: Buffer = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  // RFC 2104: keys longer than the block are hashed first.
  if (key.length > 64) key = createHash('sha256').update(key).digest();
  const block = Buffer.alloc(64);
  key.copy(block);
  const ipad = Buffer.from(block.map((b) => b ^ 0x36));
  const opad = Buffer.from(block.map((b) => b ^ 0x5c));
  const fingerprint = createHmac('sha256', key).update('helpdesk-export-key-fingerprint').digest('hex').slice(0, 16);
  return { ipadHex: ipad.toString('hex'), opadHex: opad.toString('hex'), fingerprint, ephemeral };
}

/** Normalization before hashing, per kind, so that `Alice@Example.com ` and `alice@example.com` join. */
const defaultNormalize: Partial<Record<PiiKind, string>> = {
  email: 'lower(trim($value))',
  phone: "regexp_replace($value, '[^0-9]', '', 'g')",
  name: "lower(trim(regexp_replace($value, '\\s+', ' ', 'g')))",
  handle: "lower(trim(ltrim(trim($value), '@')))",
  identifier: 'lower(trim($value))',
  reference: '$value',
};

/**
 * What a PII mode does to a column of a kind. References stay hashed even in `redact` mode: a
 * hash reveals nothing, and without it interactions could no longer be joined to identities.
 */
export function treatment(kind: PiiKind, mode: PiiMode): PiiTreatment {
  if (kind === 'none' || mode === 'include') return 'included';
  if (kind === 'text') return 'redacted';
  if (kind === 'reference') return 'hashed';
  return mode === 'hash' ? 'hashed' : 'redacted';
}

/** SQL HMAC-SHA256 (hex) of a SQL text expression under the key. */
export function hmacSql(expression: string, key: ExportKey): string {
  // Pads are hex we made ourselves (checked here), so splicing them is safe.
  if (!/^[0-9a-f]{128}$/.test(key.ipadHex) || !/^[0-9a-f]{128}$/.test(key.opadHex)) throw new Error('malformed export key pads');
  return `sha256(unhex('${key.opadHex}') || unhex(sha256(unhex('${key.ipadHex}') || encode(${expression}))))`;
}

/** The SQL of a column's value normalized for hashing (by its own rule, else its PII kind's). */
export function normalizedSql(column: DatasetColumn): string {
  return (column.normalize ?? defaultNormalize[column.pii ?? 'none'] ?? '$value').replaceAll('$value', column.sql);
}

/**
 * The SQL select expression of a column under a PII mode. A hashed column reads its HMAC from
 * `hashed` when given (a lookup of distinct values, see query.ts), else computes it inline.
 *
 * @example
 * columnSql({ name: 'body', type: 'VARCHAR', sql: 'e.body', pii: 'text', meaning: '' }, 'redact', key)
 * // "CASE WHEN e.body IS NULL THEN NULL ELSE '[redacted]' END"
 */
export function columnSql(column: DatasetColumn, mode: PiiMode, key: ExportKey, hashed?: string): string {
  const kind = column.pii ?? 'none';
  const how = treatment(kind, mode);
  if (how === 'included') return column.sql;
  const replaced = how === 'redacted' ? `CASE WHEN ${column.sql} IS NULL THEN NULL ELSE '${REDACTED}' END` : (hashed ?? hmacSql(normalizedSql(column), key));
  return column.piiWhen ? `CASE WHEN ${column.piiWhen} THEN ${replaced} ELSE ${column.sql} END` : replaced;
}
