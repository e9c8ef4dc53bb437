import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two files at a time: a file spends much of its time starting its hub, console and Chromium, and waiting
    // on them, so the second core is otherwise idle (CI's 30 minutes). Each file has its own hub, ports and dirs.
    maxWorkers: 2,
    // One migrated PGlite cluster per run, copied for each test hub (creating one costs seconds).
    globalSetup: ['tests/support/pglite-template.global.ts'],
  },
});
