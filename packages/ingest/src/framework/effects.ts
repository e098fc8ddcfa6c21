/**
 * The side effects ingest uses, passed in as one object so that tests run without real waiting
 * (a fake sleep that records delays) and without patching globals.
 *
 * @example
 * const effects = defaultEffects();            // real fetch, clock, sleep, Math.random
 * const quiet = { ...defaultEffects(), log: () => {} };
 */
export interface Effects {
  fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1); used for retry jitter. */
  random: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export function defaultEffects(overrides: Partial<Effects> = {}): Effects {
  return {
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    log: () => {},
    ...overrides,
  };
}
