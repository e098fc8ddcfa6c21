import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A non-UTC zone: any generated instant that leaked through local time would shift here.
    env: { TZ: 'America/New_York' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
