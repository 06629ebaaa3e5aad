import { defineConfig } from 'vitest/config';

// Unit and integration tests run under plain Node: real SQLite files in temp folders,
// real HTTP on 127.0.0.1; the central server's tests (test/central) on PGlite and a throwaway
// PostgreSQL cluster. End-to-end tests are Playwright's (test/e2e), not vitest's.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/central/**/*.test.ts'],
    environment: 'node',
    // Generous on purpose: the suite must pass on a busy 2-core machine. Nothing here is timed;
    // benchmarks live in bench/.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
