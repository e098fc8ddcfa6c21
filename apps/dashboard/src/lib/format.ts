/**
 * Display formats. Fixed to English and UTC so that the server's HTML and the browser's render agree
 * whatever the machine's locale or time zone.
 */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** @example formatCount(12345) // '12,345' */
export function formatCount(value: number): string {
  return integer.format(value);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A duration for people, at the precision that matters for its size; '—' when there is none.
 *
 * @example
 * formatDuration(42)     // '42 s'
 * formatDuration(725)    // '12 min 05 s'
 * formatDuration(3840)   // '1 h 04 min'
 * formatDuration(183600) // '2 d 03 h'
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 0) return `−${formatDuration(-seconds)}`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
  const hours = Math.round(s / 3600);
  return `${Math.floor(hours / 24)} d ${pad(hours % 24)} h`;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

/** A `YYYY-MM-DD` day as text, read as a UTC day. @example formatDay('2024-03-05') // '5 Mar 2024' */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** The Date at the start of a UTC day, for chart scales. */
export function dayToDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}
