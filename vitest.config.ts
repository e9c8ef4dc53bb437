import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/{hub,core,shell,shared}/**/*.test.ts', 'tests/headless/**/*.test.ts', 'tests/support/**/*.test.ts', 'tests/setup/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: PGlite and better-sqlite3 suites are CPU-bound; forks keep native modules isolated.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
