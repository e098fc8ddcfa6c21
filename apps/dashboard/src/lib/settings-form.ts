/**
 * How the Settings screen shows stored values in people's units and reads them back: durations
 * of KPIs in minutes, rates in percent, SLA first replies in minutes and resolutions in hours.
 * The stored document keeps seconds and fractions, like every KPI.
 */

/** The unit a form field is written in: a KPI unit, or one of the explicit ones. */
export type FormUnit = 'seconds' | 'ratio' | 'count' | 'score' | 'currency' | 'percent' | 'minutes' | 'hours';

const factor: Record<string, number> = { seconds: 60, ratio: 0.01, percent: 0.01, minutes: 60, hours: 3600 };
/** A KPI in seconds is entered in minutes; everything else states its own unit. */
const kpiFieldUnit: Record<string, string> = { seconds: 'minutes', ratio: '%' };

/** The label of a KPI target field's unit, e.g. 'minutes' for a duration. */
export function fieldUnitLabel(unit: string): string {
  return kpiFieldUnit[unit] ?? (unit === 'currency' ? 'currency' : '');
}

/**
 * A stored value as the form shows it.
 *
 * @example
 * toFormValue('seconds', 90) // '1.5' (minutes)
 * toFormValue('ratio', 0.8)  // '80'  (percent)
 */
export function toFormValue(unit: FormUnit | string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const f = unit === 'seconds' ? 60 : (factor[unit] ?? 1);
  // Twelve significant digits drop float noise such as 0.07 / 0.01 = 7.000000000000001.
  return String(Number((value / f).toPrecision(12)));
}

/**
 * What a form field holds, in the stored unit; null when it is not a number.
 *
 * @example
 * fromFormValue('seconds', '1.5') // 90
 * fromFormValue('percent', '25')  // 0.25
 */
export function fromFormValue(unit: FormUnit | string, text: string): number | null {
  const n = Number(text.replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(n)) return null;
  const f = unit === 'seconds' ? 60 : (factor[unit] ?? 1);
  return Number((n * f).toPrecision(12));
}

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Shifts written as `09:00-12:00, 13:00-17:00`; [] for an empty text (closed), null when unreadable.
 *
 * @example
 * parseShifts('08:00-12:00, 13:00-17:00') // [['08:00', '12:00'], ['13:00', '17:00']]
 */
export function parseShifts(text: string): [string, string][] | null {
  if (!text.trim()) return [];
  const out: [string, string][] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!m) return null;
    out.push([m[1].padStart(5, '0'), m[2].padStart(5, '0')]);
  }
  return out;
}

/** The shifts of one weekday as the form writes them. */
export function formatShifts(shifts: readonly (readonly [string, string])[] | undefined): string {
  return (shifts ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
}

/** A comma- or space-separated list, without empties. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}
