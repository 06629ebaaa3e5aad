// Vitest's global setup, once per run in the main process (workers inherit its environment):
// - bundles the central server once (esbuild), so the tests that start it or its CLI as a child
//   process run one file with node instead of compiling it with tsx at every start. The bundle
//   sits in node_modules/.cache (its packages resolve from the project) beside a copy of the
//   migrations it reads relative to itself, and is made anew each run, so it is never stale;
//   Playwright's specs, which do not run this, start the centre with tsx;
// - afterwards removes the bundle and the RAM temp folder vitest.config.ts made for this run
//   (each test removes its own folders; this catches the rest, e.g. after a failed test).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export default function setup(): () => void {
  const root = path.resolve(import.meta.dirname, '..');
  const dir = path.join(root, 'node_modules', '.cache', `oip-central-${process.pid}`);
  const bundle = path.join(dir, 'bin', 'main.mjs');
  const r = spawnSync(
    path.join(root, 'node_modules', 'esbuild', 'bin', 'esbuild'),
    ['central/main.ts', '--bundle', '--platform=node', '--format=esm', '--packages=external', `--outfile=${bundle}`, '--log-level=error'],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`bundling the central server failed: ${r.stderr}`);
  // central/db/migrate.ts reads ../migrations/ relative to its own file.
  fs.cpSync(path.join(root, 'central', 'migrations'), path.join(dir, 'migrations'), { recursive: true });
  process.env.OIP_CENTRAL_BUNDLE = bundle;
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    const tmp = process.env.OIP_TEST_TMP;
    if (tmp?.startsWith('/dev/shm/oip-vitest-')) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
