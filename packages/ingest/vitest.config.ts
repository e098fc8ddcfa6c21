import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A non-UTC zone with a half-hour offset catches any timestamp that passes through local time.
    env: { TZ: 'America/St_Johns' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
