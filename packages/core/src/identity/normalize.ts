import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** The outcome of normalizing one identifier: a value, or null with the reason it was refused. */
export interface Normalized {
  value: string | null;
  reason?: string;
}

/** Letters that NFKD does not decompose into a base letter plus a mark. */
const extraFolds: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/**
 * Unicode folding for comparisons: compatibility decomposition, accents removed, lower case,
 * punctuation turned into single spaces.
 * @example foldText('  Zoë  O’Brien-Müller ') // 'zoe o brien muller'
 */
export function foldText(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => extraFolds[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const phoneCache = new Map<string, Normalized>();

/**
 * A phone number in E.164, parsed with libphonenumber-js using `region` for national formats.
 * A number that cannot be a phone of that region is refused with a reason.
 * @example normalizePhone('030 1234567', 'DE') // { value: '+49301234567' }
 */
export function normalizePhone(raw: string, region: string): Normalized {
  const key = `${region}|${raw}`;
  const cached = phoneCache.get(key);
  if (cached) return cached;
  // International prefix written as 00 (Europe) is rewritten to + so any region parses it.
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  let result: Normalized;
  const parsed = /\d/.test(text) ? parsePhoneNumberFromString(text, region as CountryCode) : undefined;
  if (parsed && parsed.isPossible()) result = { value: parsed.number };
  else result = { value: null, reason: `not a possible phone number for region ${region}: "${raw}"` };
  // The cache only bounds repeated work within one run; clear it when it grows past a few million.
  if (phoneCache.size > 2_000_000) phoneCache.clear();
  phoneCache.set(key, result);
  return result;
}

/** The last `n` digits of whatever was written, for the partial-phone comparison. */
export function phoneTail(raw: string, n = 7): string | null {
  const digits = raw.replace(/\D/g, '');
  return digits.length >= n ? digits.slice(-n) : null;
}

