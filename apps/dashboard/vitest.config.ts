import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Plain vitest (no SvelteKit plugin). The permission-matrix test drives the real hooks.server.ts,
// so `$lib` points at src/lib and `$env/dynamic/private` at process.env (test/support/env.ts).
export default defineConfig({
  resolve: {
    alias: {
      $lib: fileURLToPath(new URL('./src/lib', import.meta.url)),
      '$env/dynamic/private': fileURLToPath(new URL('./test/support/env.ts', import.meta.url)),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A non-UTC zone, so that any day computed in local time instead of UTC shows up as a wrong day.
    env: { TZ: 'Asia/Kolkata' },
    // Warehouse-building tests take well under a second alone; a busy shared machine can stretch that tenfold.
    testTimeout: 30_000,
    // A demo built in a beforeAll runs the whole pipeline (ingest through each adapter, resolution,
    // threading, intents, facts, the QA program): 14 s at 400 interactions on this two-core machine
    // at a load average of 6, past vitest's 10 s default for hooks.
    hookTimeout: 120_000,
  },
});
