import { normalizePhone } from '@helpdesk/core';

/**
 * One normalization per kind of identifier, used by every adapter (API and file alike), so that
 * the same person written two ways by two sources is one value: `+1 415-555-0102` and
 * `+14155550102` meet. Each returns undefined for what is not an identifier of that kind, above all
 * the placeholders vendors write for a withheld caller: kept, they would make every anonymous
 * caller one customer.
 */

/**
 * What vendors write instead of a withheld or unknown number: words (Aircall `anonymous`, Twilio
 * `Anonymous`, carriers' `Restricted`, `Private`, `Unavailable`...) and Twilio's documented digit
 * spellings of ANONYMOUS, RESTRICTED, BLOCKED and UNKNOWN (+266696687, +7378742833, +2562533,
 * +8656696).
 */
const withheldWords = new Set(['anonymous', 'restricted', 'private', 'withheld', 'unknown', 'blocked', 'unavailable', 'no caller id', 'no callerid', 'not available']);
const withheldDigits = new Set(['266696687', '7378742833', '2562533', '8656696']);

/** True when the text is a vendor's placeholder for a withheld number, not a number. */
export function isWithheldNumber(raw: string): boolean {
  const t = raw.trim().toLowerCase();
  if (withheldWords.has(t.replace(/[_-]+/g, ' '))) return true;
  return withheldDigits.has(t.replace(/\D/g, '')) && /^\+?[\d\s().-]+$/.test(t);
}

/**
 * A phone number as one value: E.164 (libphonenumber-js) when written with its country code and
 * possible; otherwise `+` and the digits, or the digits of a national number (identity resolution
 * parses those with the configured region). Undefined for text that is no number (a SIP or client
 * address, a name) and for withheld placeholders.
 *
 * @example
 * phoneIdentifier('+1 (415) 555-0102') // '+14155550102'
 * phoneIdentifier('+266696687') // undefined: Twilio's "anonymous"
 */
export function phoneIdentifier(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  if (!/^\+?[\d\s().\-/]+$/.test(text) || isWithheldNumber(text)) return undefined;
  const digits = text.replace(/\D/g, '');
  if (!digits) return undefined;
  if (!text.startsWith('+')) return digits;
  const parsed = normalizePhone(text, 'US');
  return parsed.value ?? `+${digits}`;
}

/**
 * An email address trimmed and lower-cased (the domain is case-insensitive and, in practice, every
 * mailbox too); undefined unless it has a local part, one `@` and a domain.
 *
 * @example
 * emailIdentifier(' Ana@Example.COM ') // 'ana@example.com'
 */
export function emailIdentifier(raw: string | null | undefined): string | undefined {
  const t = raw?.trim().toLowerCase();
  return t && /^[^@\s]+@[^@\s]+$/.test(t) ? t : undefined;
}

/**
 * A social handle without its `@` and lower-cased (handles are case-insensitive on Twitter/X,
 * Instagram and Facebook).
 *
 * @example
 * handleIdentifier('@AskAmazon') // 'askamazon'
 */
export function handleIdentifier(raw: string | null | undefined): string | undefined {
  const t = raw?.trim().replace(/^@+/, '').toLowerCase();
  return t ? t : undefined;
}

/**
 * Any identifier by its kind: phone, email and social handle as above; other kinds (names, CRM
 * ids, accounts) trimmed and lower-cased.
 */
export function identifierOf(kind: string, raw: string | null | undefined): string | undefined {
  if (kind === 'phone') return phoneIdentifier(raw);
  if (kind === 'email') return emailIdentifier(raw);
  if (kind === 'social_handle') return handleIdentifier(raw);
  const t = raw?.trim().toLowerCase();
  return t ? t : undefined;
}
