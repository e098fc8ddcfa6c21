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
  },
});
