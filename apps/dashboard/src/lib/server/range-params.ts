import { z } from 'zod';
import { Day, rangeLength, type DayRange } from '@helpdesk/metrics';

/** The longest range the overview draws day by day (five years). */
export const maxRangeDays = 1827;

const RangeParams = z.object({ from: Day.optional(), to: Day.optional() });

export interface RangeChoice {
  /** The range to show. */
  range: DayRange;
  /** What the form shows: the visitor's input even when it was rejected. */
  input: { from: string; to: string };
  /** One line about rejected input, or null. */
  problem: string | null;
}

/**
 * Reads `from` and `to` (YYYY-MM-DD, inclusive) from the URL. Either may be left out and falls back
 * to the default range's end. Bad input is not an error page: the form keeps it, a line explains,
 * and the default range is shown instead.
 */
export function parseRangeParams(params: URLSearchParams, fallback: DayRange): RangeChoice {
  const raw = { from: params.get('from') || undefined, to: params.get('to') || undefined };
  const input = { from: raw.from ?? fallback.from, to: raw.to ?? fallback.to };
  const parsed = RangeParams.safeParse(raw);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0] === 'to' ? 'To' : 'From';
    return { range: fallback, input, problem: `${field} must be a date like 2024-03-31; showing the default range instead.` };
  }
  const range = { from: parsed.data.from ?? fallback.from, to: parsed.data.to ?? fallback.to };
  if (range.from > range.to) {
    return { range: fallback, input, problem: 'From is after To; showing the default range instead.' };
  }
  if (rangeLength(range) > maxRangeDays) {
    return { range: fallback, input, problem: 'Pick a range of at most five years; showing the default range instead.' };
  }
  return { range, input, problem: null };
}
