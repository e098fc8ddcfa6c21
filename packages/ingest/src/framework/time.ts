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
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(value.trim())) throw new Error(`timestamp "${value}" has no UTC offset`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`"${value}" is not a timestamp`);
  return new Date(ms).toISOString();
}

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
