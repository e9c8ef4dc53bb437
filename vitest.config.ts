import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/{hub,core,shell,shared}/**/*.test.ts', 'tests/headless/**/*.test.ts', 'tests/support/**/*.test.ts', 'tests/setup/**/*.test.ts'],
    // A guard against hangs, not a measure: hub processes and PGlite demo loads take their time on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: PGlite and better-sqlite3 suites are CPU-bound; forks keep native modules isolated.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    // One migrated PGlite cluster per run, copied for each test hub (creating one costs seconds).
    globalSetup: ['tests/support/pglite-template.global.ts'],
  },
});
