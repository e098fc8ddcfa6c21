import { describe, expect, it } from 'vitest';
import { formatCount, formatDay, formatDuration } from './format.ts';

describe('formatDuration', () => {
  it('shows seconds under a minute', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42.4)).toBe('42 s');
  });
  it('shows minutes and seconds under an hour', () => {
    expect(formatDuration(725)).toBe('12 min 05 s'); // 12 * 60 + 5
    expect(formatDuration(59.6)).toBe('1 min 00 s'); // rounds to 60 s first
  });
  it('shows hours and minutes under a day', () => {
    expect(formatDuration(3840)).toBe('1 h 04 min'); // 3600 + 4 * 60
    expect(formatDuration(3599.6)).toBe('1 h 00 min');
    expect(formatDuration(86_369)).toBe('23 h 59 min'); // 23 h 59 min 29 s rounds down
  });
  it('shows days and hours from a day on', () => {
    expect(formatDuration(86_370)).toBe('1 d 00 h'); // 23 h 59 min 30 s rounds up to a day
    expect(formatDuration(183_600)).toBe('2 d 03 h'); // 2 * 86400 + 3 * 3600
  });
  it('shows a dash when there is no value', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('formatCount and formatDay', () => {
  it('groups thousands and reads days as UTC', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatDay('2024-03-05')).toBe('5 Mar 2024');
    expect(formatDay('2024-12-31')).toBe('31 Dec 2024');
  });
});
