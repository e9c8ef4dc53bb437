import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // One migrated PGlite cluster per run, copied for each test hub (creating one costs seconds).
    globalSetup: ['tests/support/pglite-template.global.ts'],
  },
});
