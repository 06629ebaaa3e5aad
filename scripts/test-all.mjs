// `npm test`: every check, in order, stopping at the first failure — type checks per layer, lint, format,
// unit and integration tests (vitest), build, end-to-end tests (Playwright in Debian's
// Chromium). Ends with one line, "N passed, N failed", counted over both test runners.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Not test-results/: Playwright empties its output folder when it starts.
const results = path.join(root, '.test-reports');
fs.mkdirSync(results, { recursive: true });
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function step(title, args, env = {}) {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(npx, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function counts() {
  let passed = 0;
  let failed = 0;
  const vitest = path.join(results, 'vitest.json');
  if (fs.existsSync(vitest)) {
    const v = JSON.parse(fs.readFileSync(vitest, 'utf8'));
    passed += v.numPassedTests ?? 0;
    failed += v.numFailedTests ?? 0;
  }
  const pw = path.join(results, 'playwright.json');
  if (fs.existsSync(pw)) {
    const p = JSON.parse(fs.readFileSync(pw, 'utf8'));
    passed += p.stats?.expected ?? 0;
    failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  }
  return { passed, failed };
}

for (const f of ['vitest.json', 'playwright.json']) fs.rmSync(path.join(results, f), { force: true });

const ok =
  // Each layer compiles on its own: shared/ without Node or DOM types, renderer/ with DOM only,
  // electron/ with Node only; then the tests and tools, which see every layer.
  ['shared', 'renderer', 'electron', 'central', '.']
    .filter((p) => fs.existsSync(path.join(root, p, 'tsconfig.json')))
    .every((p) => step(`类型检查 (tsc -p ${p})`, ['tsc', '-p', p])) &&
  step('代码检查 (eslint)', ['eslint', '--max-warnings', '0', '.']) &&
  step('格式检查 (prettier)', ['prettier', '--check', '.']) &&
  // Electron's security checklist, by Doyensec's linter; every finding explained or it fails.
  step('Electron 安全检查 (electronegativity)', ['node', 'scripts/electronegativity.mjs']) &&
  step('单元与集成测试 (vitest)', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${path.join(results, 'vitest.json')}`,
  ]) &&
  step('构建 (electron-vite)', ['electron-vite', 'build']) &&
  step('端到端测试 (Playwright + Chromium)', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(results, 'playwright.json'),
  });

const { passed, failed } = counts();
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
