import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A non-UTC zone with a half-hour offset, so a week or day computed in local time shows up wrong.
    env: { TZ: 'Asia/Kolkata' },
    // The CLI tests spawn the helpdesk command several times; a busy shared machine stretches each spawn.
    testTimeout: 90_000,
  },
});
