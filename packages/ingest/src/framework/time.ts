/**
 * Vendor timestamps into our one storage form, ISO-8601 UTC with milliseconds (which also sorts
 * as text, so versions compare as strings). `Date.parse` is only given strings that carry their
 * own offset (`Z` or `+hh:mm`), so the process time zone can never shift a value.
 *
 * @example
 * isoFromVendor('2011-05-05T10:38:52Z')  // '2011-05-05T10:38:52.000Z'
 * isoFromEpochSeconds(1584998199)         // '2020-03-23T21:16:39.000Z'
 */
export function isoFromVendor(value: string): string {
  const known = converted.get(value);
  if (known !== undefined) return known;
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(value.trim())) throw new Error(`timestamp "${value}" has no UTC offset`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`"${value}" is not a timestamp`);
  const iso = new Date(ms).toISOString();
  // An ingest converts each timestamp several times (validation, version, normalizing) and
  // toISOString is slow; the memo is bounded by starting afresh when it is full.
  if (converted.size >= memoSize) converted.clear();
  converted.set(value, iso);
  return iso;
}

const memoSize = 65_536;
const converted = new Map<string, string>();

export function isoFromEpochSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

export function isoFromEpochMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** A vendor timestamp string that must parse; for zod refinements. */
export function isTimestamp(value: string): boolean {
  try {
    isoFromVendor(value);
    return true;
  } catch {
    return false;
  }
}
