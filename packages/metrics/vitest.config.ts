import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A non-UTC zone, ahead of UTC by a half hour, so that any local-time slip shows up as a wrong day.
    env: { TZ: 'Asia/Kolkata' },
    // Warehouse-building tests take well under a second alone; a busy shared machine can stretch that tenfold.
    testTimeout: 30_000,
  },
});
