import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import SlowFirst from './test/slow-first';

// Unit and integration tests run under plain Node: real SQLite files in temp folders,
// real HTTP on 127.0.0.1; the central server's tests (test/central) on PGlite and a throwaway
// PostgreSQL cluster. End-to-end tests are Playwright's (test/e2e), not vitest's.

// Temp folders in RAM where the machine has a tmpfs: the stores are still real encrypted SQLite
// files, but each commit's fsync (the store runs synchronous=FULL, as it must on a laptop) costs
// nothing there, which was a third of a scene's time on disk. The folder is made world-
// traversable so the throwaway PostgreSQL clusters (run as `postgres`) can live in it too;
// test/global-setup.ts removes it.
if (!process.env.OIP_TEST_TMP) {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    const dir = fs.mkdtempSync(path.join('/dev/shm', 'oip-vitest-'));
    fs.chmodSync(dir, 0o1777);
    process.env.OIP_TEST_TMP = dir;
    process.env.TMPDIR = dir;
  } catch {
    // no tmpfs here: the system temp folder serves
  }
}

const base = ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/central/**/*.test.ts'];
// Files that change process-wide state on purpose (the rule resources folder read once per
// process, the render workers' fonts): each gets a fresh process, as every file did before.
const ownProcess = ['test/integration/review-one-round.test.ts', 'test/integration/notice-rare-chars.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    // Generous on purpose: the suite must pass on a busy 2-core machine. Nothing here is timed;
    // benchmarks live in bench/.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine, so
    // the suite ran one file at a time. Files are independent (own temp folders, free ports).
    maxWorkers: Math.max(2, os.availableParallelism()),
    globalSetup: ['test/global-setup.ts'],
    sequence: { sequencer: SlowFirst },
    projects: [
      {
        extends: true,
        // One worker process runs many files: the core's modules are loaded and the render
        // workers parse their fonts once per worker instead of once per file (the suite's CPU
        // time fell by a third). Each file still opens its own stores in its own temp folders.
        test: { name: 'shared', include: base, exclude: ownProcess, isolate: false },
      },
      { extends: true, test: { name: 'own-process', include: ownProcess, isolate: true } },
    ],
  },
});
