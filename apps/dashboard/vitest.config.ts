import { defineConfig } from 'vitest/config';

// Plain vitest (no SvelteKit plugin): the unit-tested modules in src/lib import nothing from `$app`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A non-UTC zone, so that any day computed in local time instead of UTC shows up as a wrong day.
    env: { TZ: 'Asia/Kolkata' },
  },
});
