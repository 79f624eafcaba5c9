import { defineConfig } from 'vitest/config';

// Tests run in Node against the engine and shared code; browser-mode UI tests drive Debian's
// Chromium through playwright-core from inside vitest (tests/e2e). Two cores: keep forks small.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Two shared cores: heavy tests (pipeline, fit, multi-view) may run side by side and slow each
    // other down; the time bars live in `npm run bench`, not in test timeouts.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    // The ICT head model from ../shared (third-party data: read in place, imported once into
    // node_modules/.cache): every run the tests make fits it, as a user's run does once installed.
    env: { HEADFORGE_HEAD_MODEL: '../shared/head-models/ict-facekit' },
  },
});
