// Builds better-sqlite3-multiple-ciphers (the encrypted store's driver) for Electron's ABI into
// native/electron/<arch>/ (and, for the machine's own architecture, native/electron/ as well,
// which `npm start` and a development Electron load), leaving the Node build in node_modules
// untouched, so tests, the web host and the CLI keep working beside the desktop app.
// `npm run electron:native -- --arch arm64` cross-builds for ARM64 (needs an aarch64 C/C++
// toolchain, e.g. CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++). Needs Electron's headers,
// i.e. a machine with internet (not CI here).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argIdx = process.argv.indexOf('--arch');
const arch = argIdx > 0 ? process.argv[argIdx + 1] : process.arch;
if (!['x64', 'arm64'].includes(arch)) {
  console.error(`不支持的架构“${arch}”，请使用 x64 或 arm64`);
  process.exit(1);
}
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const src = path.join(root, 'node_modules/better-sqlite3-multiple-ciphers');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bs3-electron-'));
fs.cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
const gyp = path.join(path.dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
execFileSync(
  process.execPath,
  [
    fs.existsSync(gyp) ? gyp : 'node-gyp',
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${arch}`,
    '--dist-url=https://electronjs.org/headers',
    '--runtime=electron',
  ],
  { cwd: work, stdio: 'inherit' },
);
const built = path.join(work, 'build/Release/better_sqlite3.node');
const out = path.join(root, 'native/electron', arch);
fs.mkdirSync(out, { recursive: true });
fs.copyFileSync(built, path.join(out, 'better_sqlite3.node'));
if (arch === process.arch) fs.copyFileSync(built, path.join(root, 'native/electron/better_sqlite3.node'));
console.log(`已为 Electron ${electronVersion}（${arch}）构建 better-sqlite3-multiple-ciphers：${path.join(out, 'better_sqlite3.node')}`);
