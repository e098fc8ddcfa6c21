import type { Warehouse } from '../database.ts';
import type { MatcherConfig } from './config.ts';
import { canonicalGivenNames } from './nicknames.ts';
import { normalizePhone } from './normalize.ts';
import { StageTimer } from './sql.ts';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js';

/**
 * Stage 1 of matching: from `_idr_raw(identity_id, record_id, source, kind, raw_value, normalized,
 * verified, seen_at)`, one row per identifier as written (`normalized` carries a value normalized by
 * an earlier run, which is then kept instead of normalizing again), build
 * - `_idr_norm`: the same rows normalized (value NULL and a reason when refused),
 * - `_idr_records`: one wide row per record (`rid` is a dense integer, stable within the run),
 * - `_idr_keys`: every strong identifier of every record, for the deterministic rules (`quoted` when
 *   the record only quoted it in a message).
 *
 * Everything but phones is normalized in SQL (DuckDB does a million rows in a fraction of a
 * second); phones go through libphonenumber-js once per distinct (number, region).
 */
export async function prepareRecords(
  wh: Warehouse, config: MatcherConfig, timer = new StageTimer(), options: { sliceRecords?: number } = {},
): Promise<{ records: number; refused: number }> {
  await timer.time('phones (libphonenumber-js)', () => normalizePhones(wh, config));
  await loadCallingCodes(wh);
  await timer.time('normalize in SQL', () => wh.run(normalizeSql(config)));
  await loadNicknames(wh);
  await timer.time('one row per record', () => wideRecords(wh, options.sliceRecords ?? wideSliceRecords));
  await timer.time('strong identifiers', () => wh.run(`CREATE OR REPLACE TABLE _idr_keys AS
    SELECT r.rid, n.kind, n.value, coalesce(bool_and(n.verified) FILTER (WHERE NOT n.quoted), false) AS verified, bool_and(n.quoted) AS quoted
    FROM (SELECT record_id, ${quotedAsKind} AS kind, starts_with(kind, 'quoted_') AS quoted, value, verified FROM _idr_norm) n JOIN _idr_records r USING (record_id)
    WHERE n.value IS NOT NULL AND n.kind IN ('email', 'phone', 'phone_national', 'account_id', 'crm_id', 'handle', 'order', 'chat_visitor', 'follow_up')
    GROUP BY ALL`));
  const [counts] = await wh.all<{ records: number; refused: number }>(
    'SELECT (SELECT count(*) FROM _idr_records) AS records, (SELECT count(*) FROM _idr_norm WHERE value IS NULL) AS refused',
  );
  return counts;
}

/**
 * Identifiers quoted in message text (`quoted_email`, `quoted_order` rows of `_idr_raw`) are keys of
 * their plain kind, so a quoted order meets the order a source recorded; they stay out of the wide
 * record (its email feeds the probabilistic comparisons), which holds what the sources recorded,
 * and do not make a verified identifier unverified by being quoted.
 */
const quotedAsKind = `CASE kind WHEN 'quoted_email' THEN 'email' WHEN 'quoted_order' THEN 'order' ELSE kind END`;

async function normalizePhones(wh: Warehouse, config: MatcherConfig): Promise<void> {
  const rows = await wh.all<{ raw_value: string; source: string }>(
    "SELECT DISTINCT raw_value, source FROM _idr_raw WHERE kind = 'phone' AND normalized IS NULL",
  );
  await wh.run('CREATE OR REPLACE TABLE _idr_phones (raw_value VARCHAR, source VARCHAR, value VARCHAR, reason VARCHAR)');
  const { appender, close } = await wh.appender('_idr_phones');
  try {
    for (const row of rows) {
      const region = config.phoneRegions[row.source] ?? config.phoneRegion;
      const result = normalizePhone(row.raw_value, region);
      appender.appendVarchar(row.raw_value);
      appender.appendVarchar(row.source);
      if (result.value === null) appender.appendNull();
      else appender.appendVarchar(result.value);
      if (result.reason === undefined) appender.appendNull();
      else appender.appendVarchar(result.reason);
      appender.endRow();
    }
  } finally {
    close();
  }
}

async function loadNicknames(wh: Warehouse): Promise<void> {
  await wh.run('CREATE OR REPLACE TABLE _idr_nicknames (nick VARCHAR PRIMARY KEY, canon VARCHAR)');
  const pairs = [...canonicalGivenNames()];
  const { appender, close } = await wh.appender('_idr_nicknames');
  try {
    for (const [nick, canon] of pairs) {
      appender.appendVarchar(nick);
      appender.appendVarchar(canon);
      appender.endRow();
    }
  } finally {
    close();
  }
}

/** Country calling codes (1, 44, 49, 353, ...), to take them off international numbers in SQL. */
async function loadCallingCodes(wh: Warehouse): Promise<void> {
  await wh.run('CREATE OR REPLACE TABLE _idr_calling_codes (code VARCHAR PRIMARY KEY)');
  const codes = [...new Set(getCountries().map((c) => getCountryCallingCode(c)))].sort();
  const { appender, close } = await wh.appender('_idr_calling_codes');
  try {
    for (const code of codes) {
      appender.appendVarchar(code);
      appender.endRow();
    }
  } finally {
    close();
  }
}

/**
 * The national significant number of each phone as written (`phone_national` rows of `_idr_norm`),
 * in SQL from the raw text alone, so old and new identities get it alike: international numbers
 * ("+44 ...", "0044 ...") lose their calling code, then a trunk 0 goes ("+49 (0)711 ...",
 * "0711/..."); numbers written without either (US style) keep their digits. Calling codes form a
 * prefix code, so at most one matches. Under 8 digits there is none.
 */
const nationalNumberSql = `WITH d AS (
    SELECT record_id, source, verified, seen_at, raw_value, regexp_replace(raw_value, '\\D', '', 'g') AS digits,
      starts_with(ltrim(raw_value), '+') OR starts_with(regexp_replace(raw_value, '\\D', '', 'g'), '00') AS international
    FROM _idr_raw WHERE kind = 'phone'
  ), i AS (
    SELECT d.*, CASE WHEN international THEN ltrim(digits, '0') ELSE digits END AS rest FROM d
  ), n AS (
    SELECT i.record_id, i.source, i.verified, i.seen_at, i.raw_value,
      regexp_replace(CASE WHEN NOT i.international THEN i.rest WHEN c.code IS NOT NULL THEN substr(i.rest, length(c.code) + 1) END, '^0', '') AS nsn
    FROM i LEFT JOIN _idr_calling_codes c ON i.international AND starts_with(i.rest, c.code)
  )
  SELECT NULL, record_id, source, 'phone_national', raw_value, verified, seen_at, nsn, NULL FROM n WHERE length(nsn) >= 8`;

/**
 * Unicode folding in SQL: accents off, lower case, anything but letters and digits to one space.
 * Letters that are not an accented base letter are spelled out the way people type them on a
 * plain keyboard (WEISS for Weiß, Yilmaz for Yılmaz), which accent stripping alone leaves apart;
 * the same letters as `foldText`.
 */
export const foldSql = (x: string) =>
  `nullif(trim(regexp_replace(strip_accents(replace(replace(replace(replace(translate(lower(${x}), 'ıłøđð', 'ilodd'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th')), '[^\\pL\\pN]+', ' ', 'g')), '')`;

/** Email: trimmed, lower case, `mailto:` and brackets off, optional plus-tag and Gmail-dot rules. */
export function emailSql(x: string, rules: MatcherConfig['email']): string {
  const cleaned = `regexp_replace(regexp_replace(lower(trim(${x})), '^mailto:', ''), '[<>\\s]', '', 'g')`;
  const domain = `replace(split_part(${cleaned}, '@', 2), 'googlemail.com', 'gmail.com')`;
  let local = `split_part(${cleaned}, '@', 1)`;
  if (rules.stripPlusTags) local = `regexp_replace(${local}, '\\+.*$', '')`;
  if (rules.gmailDots) local = `CASE WHEN ${domain} = 'gmail.com' THEN replace(${local}, '.', '') ELSE ${local} END`;
  return `CASE WHEN regexp_full_match(${cleaned}, '[^@\\s]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}') AND ${local} <> ''
    THEN ${local} || '@' || ${domain} END`;
}

/** Date of birth as YYYY-MM-DD; slashed dates month first (`mdy`) unless the config says `dmy`. */
export function dobSql(x: string, order: 'mdy' | 'dmy'): string {
  const slashed = order === 'mdy' ? `'%m/%d/%Y', '%d/%m/%Y', '%m.%d.%Y', '%d.%m.%Y'` : `'%d/%m/%Y', '%m/%d/%Y', '%d.%m.%Y', '%m.%d.%Y'`;
  // ISO dates (the common case) take the fast cast; only the rest go through the format list.
  return `coalesce(strftime(try_cast(trim(${x}) AS DATE), '%Y-%m-%d'),
    strftime(try_strptime(trim(${x}), ['%Y%m%d', '%Y/%m/%d', ${slashed}]), '%Y-%m-%d'))`;
}

/** CRM ids, account ids, order numbers: case, spaces, dashes, dots and a leading # do not matter. */
export const referenceSql = (x: string) => `nullif(regexp_replace(lower(trim(${x})), '^#|[\\s\\-_.]', '', 'g'), '')`;

/** Social handle: no profile URL, no @, lower case. */
export const handleSql = (x: string) =>
  `nullif(regexp_replace(regexp_replace(lower(trim(${x})), '^https?://(www\\.)?[a-z0-9.-]+\\.[a-z]+/|^@', '', 'g'), '[/?#].*$', ''), '')`;

/** A person's name; "Smith, Robert" is read as surname, given name. */
export const nameSql = (x: string) =>
  foldSql(`CASE WHEN contains(${x}, ',') THEN split_part(${x}, ',', 2) || ' ' || split_part(${x}, ',', 1) ELSE ${x} END`);

function normalizeSql(config: MatcherConfig): string {
  const byKind: [string, string][] = [
    ['email', emailSql('raw_value', config.email)],
    ['name', nameSql('raw_value')],
    ['first_name', foldSql('raw_value')],
    ['surname', foldSql('raw_value')],
    ['city', foldSql('raw_value')],
    ['address', foldSql('raw_value')],
    ['dob', dobSql('raw_value', config.dobOrder)],
    ['postcode', `nullif(upper(regexp_replace(raw_value, '[\\s-]', '', 'g')), '')`],
    ['account_id', referenceSql('raw_value')],
    ['crm_id', referenceSql('raw_value')],
    ['order', referenceSql('raw_value')],
    ['quoted_email', emailSql('raw_value', config.email)],
    ['quoted_order', referenceSql('raw_value')],
    ['handle', handleSql('raw_value')],
    ['chat_visitor', `nullif(trim(raw_value), '')`],
    ['follow_up', `nullif(trim(raw_value), '')`],
  ];
  const reason = (kind: string) =>
    kind === 'dob' ? `'not a date: "' || raw_value || '"'`
    : kind === 'email' || kind === 'quoted_email' ? `'not an email address: "' || raw_value || '"'`
    : `'empty after normalization: "' || raw_value || '"'`;
  // One SELECT per kind, so each row runs only its own expressions (a CASE over every kind was
  // several times slower on millions of rows).
  const selects = byKind.map(([kind, expr]) => `SELECT identity_id, record_id, source, kind, raw_value, verified, seen_at, v AS value,
      CASE WHEN v IS NULL THEN ${reason(kind)} END AS reason
    FROM (SELECT *, coalesce(normalized, ${expr}) AS v FROM _idr_raw WHERE kind = '${kind}')`);
  return `CREATE OR REPLACE TABLE _idr_norm AS
    ${selects.join('\n    UNION ALL\n    ')}
    UNION ALL
    SELECT r.identity_id, r.record_id, r.source, r.kind, r.raw_value, r.verified, r.seen_at, coalesce(r.normalized, p.value),
      CASE WHEN coalesce(r.normalized, p.value) IS NULL THEN coalesce(p.reason, 'not a phone number: "' || r.raw_value || '"') END
    FROM _idr_raw r LEFT JOIN _idr_phones p ON p.raw_value = r.raw_value AND p.source = r.source WHERE r.kind = 'phone'
    UNION ALL
    -- The last seven digits of any phone, valid or not, feed the partial-phone comparison.
    SELECT NULL, record_id, source, 'phone_tail', raw_value, verified, seen_at, right(regexp_replace(raw_value, '\\D', '', 'g'), 7), NULL
    FROM _idr_raw WHERE kind = 'phone' AND length(regexp_replace(raw_value, '\\D', '', 'g')) >= 7
    UNION ALL
    SELECT * FROM (${nationalNumberSql})`;
}

// Per kind, a verified value wins, then the smallest (so the pick does not depend on row order):
// one min over '0'/'1' || value instead of two filtered aggregates.
const pick = (kind: string) => `substr(min(pick_key) FILTER (WHERE kind = '${kind}'), 2)`;

/** Records per slice of the wide rows: a slice's groups and strings stay far below any build's memory limit. */
const wideSliceRecords = 500_000;

/**
 * `_idr_records` from `_idr_norm`: the record ids numbered in order (`rid`, a window over ids
 * alone), then the wide rows built and appended one slice of rids at a time, in rid order. Built
 * in one statement, the fifteen string aggregates of every record and the window over the wide
 * rows held all records at once (the identity bench's million records failed there under a
 * 191 MiB DuckDB limit).
 */
async function wideRecords(wh: Warehouse, sliceRecords: number): Promise<void> {
  await wh.run(`CREATE OR REPLACE TABLE _idr_rids AS
    SELECT record_id, (row_number() OVER (ORDER BY record_id) - 1)::INTEGER AS rid FROM (SELECT DISTINCT record_id FROM _idr_norm)`);
  // Each identifier carries its record's rid, so a slice reads its rows by a range of integers.
  await wh.run(`CREATE OR REPLACE TABLE _idr_norm_rid AS
    SELECT r.rid, n.record_id, n.source, n.kind, CASE WHEN n.verified THEN '0' ELSE '1' END || n.value AS pick_key
    FROM _idr_norm n JOIN _idr_rids r USING (record_id)`);
  const [{ records }] = await wh.all<{ records: number }>('SELECT count(*)::INTEGER AS records FROM _idr_rids');
  await wh.run(`CREATE OR REPLACE TABLE _idr_records (rid INTEGER, record_id VARCHAR, source VARCHAR, first_name VARCHAR,
    first_canon VARCHAR, surname VARCHAR, full_name VARCHAR, dob VARCHAR, city VARCHAR, postcode VARCHAR, address VARCHAR,
    email VARCHAR, email_local VARCHAR, phone VARCHAR, phone_tail VARCHAR, account_id VARCHAR, crm_id VARCHAR, handle VARCHAR,
    order_no VARCHAR, chat_visitor VARCHAR)`);
  for (let from = 0; from < records; from += sliceRecords) await wh.run(wideSliceSql, [from, from + sliceRecords]);
  await wh.run('DROP TABLE _idr_rids; DROP TABLE _idr_norm_rid');
}

/** The wide rows of the records with `$1 <= rid < $2`. */
const wideSliceSql = `INSERT INTO _idr_records
  WITH w AS (
    SELECT rid, any_value(record_id) AS record_id, min(source) AS source,
      ${pick('name')} AS name, ${pick('first_name')} AS given, ${pick('surname')} AS family,
      ${pick('dob')} AS dob, ${pick('city')} AS city, ${pick('postcode')} AS postcode, ${pick('address')} AS address,
      ${pick('email')} AS email, ${pick('phone')} AS phone, ${pick('phone_tail')} AS phone_tail,
      ${pick('account_id')} AS account_id, ${pick('crm_id')} AS crm_id, ${pick('handle')} AS handle,
      ${pick('order')} AS order_no, ${pick('chat_visitor')} AS chat_visitor
    FROM _idr_norm_rid WHERE rid >= $1 AND rid < $2
    GROUP BY rid
  ), s AS (
    SELECT *,
      coalesce(given, split_part(name, ' ', 1)) AS first_name,
      coalesce(family, CASE WHEN contains(name, ' ') THEN regexp_extract(name, '(\\S+)$', 1) END) AS surname
    FROM w
  )
  SELECT rid, record_id, source,
    first_name, coalesce(k.canon, first_name) AS first_canon, surname,
    coalesce(name, nullif(concat_ws(' ', first_name, surname), '')) AS full_name,
    dob, city, postcode, address, email, split_part(email, '@', 1) AS email_local, phone, phone_tail,
    account_id, crm_id, handle, order_no, chat_visitor
  FROM s LEFT JOIN _idr_nicknames k ON k.nick = s.first_name
  ORDER BY rid`;
