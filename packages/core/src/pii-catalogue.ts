import { findNumbers, type CountryCode } from 'libphonenumber-js';
import type { PiiKind } from './export/dataset.ts';

/**
 * The one place where the warehouse's personal data is marked: table -> column -> what kind of
 * PII it holds. Every path out of the server applies it from here: exports (a dataset column
 * reading a catalogued column gets its marking, see export/query.ts), the dashboard's page data
 * and CSV downloads (apps/dashboard/src/lib/server/pii.ts), and whatever is added later (API,
 * alerts, report packs) through the same helpers.
 *
 * Kinds (export/dataset.ts): `email`, `phone`, `name`, `handle`, `identifier` identify a person;
 * `reference` is an id that may embed one (an Aircall contact id holds the phone number); `text`
 * is free text a customer or reviewer wrote. Who may see what: identifying kinds need
 * `contacts.read`, free text needs `messages.read` (and its embedded emails and phone numbers are
 * masked for those without `contacts.read`, see `maskContactsInText`).
 *
 * `when`: the column is PII only on rows where this holds, as SQL over `$t` (the table's alias)
 * and as the same test in JavaScript on a row. Marking is fail-closed: an event type not listed as
 * safe carries PII in from_value / to_value (an IVR entry's caller number, a callback's number, a
 * help-center search typed by the customer).
 */
export interface CataloguedPii {
  kind: PiiKind;
  /** What it holds, for the docs. */
  why: string;
  when?: { sql: string; row: (row: Record<string, unknown>) => boolean; columns: readonly string[] };
  /**
   * For `text`: operational text (an error message) that everyone who sees the table may read,
   * with the emails and phone numbers in it masked for readers without contacts.read.
   */
  operational?: true;
}

/** Event types whose from_value / to_value are statuses, queues, agents or vendor ids, never a person. */
export const eventTypesWithoutPiiValues = [
  'status_change', 'reopen', 'assignment', 'transfer', 'queue_enter', 'queue_leave', 'ivr_leave', 'call_answered',
  'call_ended', 'callback_completed', 'bot_handoff', 'hold_start', 'hold_end', 'wrap_up_end', 'csat',
] as const;
/** PII on rows whose event type is not listed as safe (fail-closed: a new type is PII until listed). */
function eventValueIsPii(alsoSafe: readonly string[] = []): NonNullable<CataloguedPii['when']> {
  const safe: readonly string[] = [...eventTypesWithoutPiiValues, ...alsoSafe];
  return { sql: `$t.type NOT IN (${safe.map((t) => `'${t}'`).join(', ')})`, row: (row) => !safe.includes(String(row.type)), columns: ['type'] };
}

export const piiCatalogue: Readonly<Record<string, Readonly<Record<string, CataloguedPii>>>> = {
  interactions: {
    contact_id: { kind: 'reference', why: 'the source contact record (a phone system\'s contact id may embed the phone number)' },
    subject: { kind: 'text', why: 'subject line or first message (free text)' },
  },
  events: {
    author_id: {
      kind: 'reference', why: 'the contact id when a customer wrote it',
      when: { sql: "$t.author_role = 'customer'", row: (row) => row.author_role === 'customer', columns: ['author_role'] },
    },
    body: { kind: 'text', why: 'message text' },
    from_value: { kind: 'identifier', why: "the caller's number on IVR entries, the search typed on article views", when: eventValueIsPii() },
    // An article view's to_value is the article's id.
    to_value: { kind: 'identifier', why: 'the number to call back on callback requests', when: eventValueIsPii(['article_view']) },
  },
  identities: {
    id: { kind: 'reference', why: 'sources build it from the identifier itself' },
    contact_id: { kind: 'reference', why: 'the source contact record' },
    raw_value: { kind: 'identifier', why: 'an email, phone, name or handle as written' },
    value: { kind: 'identifier', why: 'the same, normalized' },
  },
  customers: {
    display_name: { kind: 'name', why: "the customer's best name" },
    primary_email: { kind: 'email', why: "the customer's best email" },
    primary_phone: { kind: 'phone', why: "the customer's best phone" },
  },
  customer_attributes: {
    contact_id: { kind: 'reference', why: 'the source contact record' },
    value: { kind: 'identifier', why: 'CRM attributes (names, addresses, plans)' },
  },
  qa_reviews: { comment: { kind: 'text', why: "the reviewer's comment" } },
  // A vendor's raw record holds its messages, emails and phone numbers; ids and reasons may quote them.
  quarantine: {
    id: { kind: 'reference', why: 'built from the record id, which may embed an identifier' },
    native_id: { kind: 'reference', why: 'an identity sighting id embeds the email or number' },
    reason: { kind: 'text', operational: true, why: 'what was wrong, quoting the bad value' },
    payload: { kind: 'text', why: 'the raw vendor record that could not be read' },
  },
  raw_records: { payload: { kind: 'text', why: 'the raw vendor record' } },
  qa_ratings: { comment: { kind: 'text', why: "the reviewer's comment on a category" } },
};

/** The catalogue's marking of `table.column`, or undefined when it holds no PII. */
export function cataloguedPii(table: string, column: string): CataloguedPii | undefined {
  return piiCatalogue[table]?.[column];
}

/** What a reader must hold to see a kind: identifying data is `contacts`, free text is `messages`. */
export type PiiAudience = 'contacts' | 'messages';
export function piiAudience(kind: PiiKind): PiiAudience | null {
  if (kind === 'none') return null;
  return kind === 'text' ? 'messages' : 'contacts';
}

/** What one reader may see. */
export interface PiiAccess {
  contacts: boolean;
  messages: boolean;
}

export const PII_MASK = '[redacted]';

/** An email address anywhere in a text (RFC 5322's common subset: what people type). */
const emailInText = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * National formats are read as numbers of these countries (the ones the product's sources serve);
 * international ones (+, 00) are found whatever the country.
 */
const phoneRegions: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR', 'CH', 'AT', 'NL', 'ES', 'IT', 'BR', 'IN'];

/**
 * A text with every email address and phone number in it replaced by `[redacted]`: what free
 * text (message bodies, subjects) becomes for a reader without `contacts.read`. Phone numbers are
 * found with libphonenumber-js (valid numbers only, so dates, order numbers and prices stay).
 *
 * @example
 * maskContactsInText('mail alice@example.com or call +49 30 1234567') // 'mail [redacted] or call [redacted]'
 */
export function maskContactsInText(text: string): string {
  let out = text.replace(emailInText, PII_MASK);
  if (!/\d{3}/.test(out.replace(/\D+/g, ''))) return out;
  const spans: Array<[number, number]> = [];
  for (const region of phoneRegions) {
    for (const found of findNumbers(out, { defaultCountry: region, v2: true })) spans.push([found.startsAt, found.endsAt]);
  }
  if (!spans.length) return out;
  // Regions find overlapping spans ("0341 9943219" in DE, "9943219" in US): mask their union.
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  for (const [start, end] of merged.reverse()) out = out.slice(0, start) + PII_MASK + out.slice(end);
  return out;
}

/**
 * One row of a catalogued table as a reader may see it: identifying columns become `[redacted]`
 * (NULL stays NULL) without `contacts.read`, free text becomes NULL without `messages.read` and is
 * masked (`maskContactsInText`) without `contacts.read`. Columns the row lacks are left alone.
 *
 * @example
 * redactRow('interactions', { id: 'a:1', contact_id: 'aircall:number:+4930123' }, { contacts: false, messages: true })
 * // { id: 'a:1', contact_id: '[redacted]' }
 */
export function redactRow<T extends object>(table: string, row: T, access: PiiAccess): T {
  const columns = piiCatalogue[table];
  if (!columns || (access.contacts && access.messages)) return row;
  const source = row as Record<string, unknown>;
  const out: Record<string, unknown> = { ...source };
  for (const [name, pii] of Object.entries(columns)) {
    const value = out[name];
    if (value === undefined || value === null) continue;
    if (pii.when && pii.when.columns.every((c) => c in source) && !pii.when.row(source)) continue;
    if (pii.kind === 'text' && pii.operational) {
      if (!access.contacts && typeof value === 'string') out[name] = maskContactsInText(value);
    } else if (pii.kind === 'text') {
      if (!access.messages) out[name] = null;
      else if (!access.contacts && typeof value === 'string') out[name] = maskContactsInText(value);
    } else if (!access.contacts) out[name] = PII_MASK;
  }
  return out as T;
}
