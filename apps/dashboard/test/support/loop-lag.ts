/**
 * Runs `work` while a 5 ms timer ticks; returns the longest the timer fired late and how long
 * `work` took: how long the event loop was held, relative to the work, never an absolute time.
 *
 * @example
 * const { lagMs, ms } = await loopLag(() => simulateOffThread(wh, ruleset, options, null));
 */
export async function loopLag(work: () => Promise<unknown>): Promise<{ lagMs: number; ms: number }> {
  let last = performance.now();
  let lagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - 5);
    last = now;
  }, 5);
  const started = performance.now();
  let ms = 0;
  try {
    await work();
    ms = performance.now() - started;
    // Let the timer fire once more: a tick held back by the work shows its delay only then.
    await new Promise((r) => setTimeout(r, 15));
  } finally {
    clearInterval(timer);
  }
  return { lagMs, ms };
}
