import { describe, expect, it } from 'vitest';
import { formatShifts, fromFormValue, parseShifts, splitList, toFormValue } from './settings-form.ts';

describe('settings form values', () => {
  it('shows durations in minutes and rates in percent, and reads them back', () => {
    expect(toFormValue('seconds', 90)).toBe('1.5');
    expect(fromFormValue('seconds', '1.5')).toBe(90);
    expect(toFormValue('ratio', 0.07)).toBe('7');
    expect(fromFormValue('ratio', '7')).toBe(0.07);
    expect(fromFormValue('hours', '72')).toBe(259200);
    expect(fromFormValue('minutes', '30')).toBe(1800);
    expect(fromFormValue('percent', '25')).toBe(0.25);
    expect(fromFormValue('count', '1,5')).toBe(1.5);
    expect(fromFormValue('count', 'abc')).toBeNull();
    expect(fromFormValue('count', ' ')).toBeNull();
  });

  it('reads weekly shifts and lists', () => {
    expect(parseShifts('8:00-12:00, 13:00-17:00')).toEqual([['08:00', '12:00'], ['13:00', '17:00']]);
    expect(parseShifts('')).toEqual([]);
    expect(parseShifts('9 to 5')).toBeNull();
    expect(formatShifts([['08:00', '12:00'], ['13:00', '17:00']])).toBe('08:00-12:00, 13:00-17:00');
    expect(splitList('vip, gold  platinum')).toEqual(['vip', 'gold', 'platinum']);
  });
});
