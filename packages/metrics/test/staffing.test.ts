import { describe, expect, it } from 'vitest';
import { agentsNeeded, onShift } from '../src/index.ts';

describe('staffing', () => {
  it('asks Erlang C for the agents of pyworkforce\'s published example', () => {
    // pyworkforce README: ErlangC(transactions=100, aht=3, interval=30, asa=20/60).required_positions(
    // service_level=0.8) -> raw_positions 14 (service level 0.88835). Per hour: 200 contacts, AHT 180 s.
    expect(agentsNeeded(200, 180, 20, 0.8)).toBe(14);
    // A higher bar needs more: at 14 agents the level is 0.888, so 0.9 needs a 15th.
    expect(agentsNeeded(200, 180, 20, 0.9)).toBe(15);
    expect(agentsNeeded(0, 180, 20, 0.8)).toBe(0);
  });

  it('reads shifts in the agent\'s own zone, wrapping past midnight', () => {
    const berlin = { shift_start_hour: 9, shift_end_hour: 17, shift_days: [1, 2, 3, 4, 5], time_zone: 'Europe/Berlin' };
    // Mon 2024-03-04 08:00Z is 09:00 in Berlin (CET): on; 16:00Z is 17:00: off; Sat never.
    expect(onShift(berlin, '2024-03-04T08:00:00Z')).toBe(true);
    expect(onShift(berlin, '2024-03-04T16:00:00Z')).toBe(false);
    expect(onShift(berlin, '2024-03-09T10:00:00Z')).toBe(false);
    const night = { shift_start_hour: 22, shift_end_hour: 6, shift_days: null, time_zone: 'UTC' };
    expect(onShift(night, '2024-03-04T23:00:00Z')).toBe(true);
    expect(onShift(night, '2024-03-04T05:00:00Z')).toBe(true);
    expect(onShift(night, '2024-03-04T06:00:00Z')).toBe(false);
    expect(onShift({ ...night, shift_start_hour: null }, '2024-03-04T23:00:00Z')).toBe(false);
  });
});
