import { DateTime } from 'luxon';

/**
 * A wall-clock timestamp written without a zone (as file exports write them) read in the zone the
 * mapping names, returned as ISO-8601 UTC with milliseconds. luxon does the format and zone work
 * (DST gaps, offsets); `Date` would silently use the process zone.
 *
 * @example
 * localTimeToIso('29-02-2016 01:16', 'dd-MM-yyyy HH:mm', 'UTC')          // '2016-02-29T01:16:00.000Z'
 * localTimeToIso('1999-08-01 0:10:10', 'yyyy-MM-dd H:mm:ss', 'Asia/Jerusalem') // '1999-07-31T21:10:10.000Z'
 */
export function localTimeToIso(text: string, format: string, zone: string): string {
  const t = DateTime.fromFormat(text.trim(), format, { zone });
  if (!t.isValid) throw new Error(`"${text}" does not match the time format ${format}${t.invalidExplanation ? ` (${t.invalidExplanation})` : ''}`);
  return t.toUTC().toISO({ suppressMilliseconds: false })!.replace(/\+00:00$|Z$/, 'Z');
}

/** True when `zone` is an IANA zone luxon knows; for zod refinements of options and mappings. */
export function isKnownZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}
