// Vitest's global setup: nothing to prepare; afterwards it removes the RAM temp folder that
// vitest.config.ts made for this run (each test removes its own folders; this catches the rest,
// e.g. after a failed test).
import fs from 'node:fs';

export default function setup(): () => void {
  return () => {
    const dir = process.env.OIP_TEST_TMP;
    if (dir?.startsWith('/dev/shm/oip-vitest-')) fs.rmSync(dir, { recursive: true, force: true });
  };
}
