import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A non-UTC zone with a half-hour offset catches any timestamp that passes through local time.
    env: { TZ: 'Asia/Kolkata' },
    testTimeout: 30_000,
  },
});
