import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser tests (*.spec.ts) belong to Playwright, not vitest.
    include: ['cli/**/*.test.ts', 'integration/**/*.test.ts'],
    env: { TZ: 'America/Sao_Paulo' },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
