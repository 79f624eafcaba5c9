import { defineConfig } from 'vitest/config';

// Tests run in Node against the engine and shared code; browser-mode UI tests drive Debian's
// Chromium through playwright-core from inside vitest (tests/e2e). Two cores: keep forks small.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
