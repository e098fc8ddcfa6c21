import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cached, clearCache } from './cache';

/** A computation whose results the test hands out one by one, counting the calls. */
function source() {
  const pending: Array<(value: string) => void> = [];
  const compute = vi.fn(() => new Promise<string>((resolve) => pending.push(resolve)));
  return { compute, finish: (value: string) => pending.shift()!(value) };
}

describe('the screens result cache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    clearCache();
  });
  afterEach(() => vi.useRealTimers());

  it('shares one computation among concurrent requests and keeps its result for the time given', async () => {
    const s = source();
    const a = cached('k', s.compute, 15_000);
    const b = cached('k', s.compute, 15_000);
    s.finish('v1');
    expect([await a, await b]).toEqual(['v1', 'v1']);
    vi.advanceTimersByTime(14_999);
    expect(await cached('k', s.compute, 15_000)).toBe('v1');
    expect(s.compute).toHaveBeenCalledTimes(1);
  });

  it('answers a result past its time at once while one recomputation runs, then the new result', async () => {
    const s = source();
    const first = cached('k', s.compute, 15_000);
    s.finish('v1');
    await first;
    vi.advanceTimersByTime(20_000);
    // Past its 15 s: the old result, without waiting, and one recomputation for both requests.
    expect(await cached('k', s.compute, 15_000)).toBe('v1');
    expect(await cached('k', s.compute, 15_000)).toBe('v1');
    expect(s.compute).toHaveBeenCalledTimes(2);
    s.finish('v2');
    await vi.waitFor(async () => expect(await cached('k', s.compute, 15_000)).toBe('v2'));
    expect(s.compute).toHaveBeenCalledTimes(2);
  });

  it('waits for a new result once the old one is twice its time, or after clearCache', async () => {
    const s = source();
    const first = cached('k', s.compute, 15_000);
    s.finish('v1');
    await first;
    vi.advanceTimersByTime(30_000);
    const late = cached('k', s.compute, 15_000);
    s.finish('v2');
    expect(await late).toBe('v2');
    clearCache();
    const cleared = cached('k', s.compute, 15_000);
    s.finish('v3');
    expect(await cleared).toBe('v3');
  });

  it('does not keep a failure, and a failed recomputation leaves the old result until it ages out', async () => {
    let calls = 0;
    const flaky = () => (++calls === 2 ? Promise.reject(new Error('busy')) : Promise.resolve(`v${calls}`));
    expect(await cached('k', flaky, 15_000)).toBe('v1');
    vi.advanceTimersByTime(20_000);
    expect(await cached('k', flaky, 15_000)).toBe('v1');
    await vi.waitFor(() => expect(calls).toBe(2));
    // The failed renewal left the old result; the next request past its time tries again.
    expect(await cached('k', flaky, 15_000)).toBe('v1');
    await vi.waitFor(async () => expect(await cached('k', flaky, 15_000)).toBe('v3'));
    await expect(cached('other', () => Promise.reject(new Error('down')), 15_000)).rejects.toThrow('down');
    expect(await cached('other', () => Promise.resolve('up'), 15_000)).toBe('up');
  });
});
