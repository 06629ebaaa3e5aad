// Builds better-sqlite3-multiple-ciphers (the encrypted store's driver) for Electron's ABI into native/electron/, leaving the Node build in
// node_modules untouched, so tests, the web host and the CLI keep working beside the
// desktop app. Needs Electron's headers, i.e. a machine with internet (not CI here).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
    '--dist-url=https://electronjs.org/headers',
    '--runtime=electron',
  ],
  {
    cwd: work,
    stdio: 'inherit',
  },
);
const out = path.join(root, 'native/electron');
fs.mkdirSync(out, { recursive: true });
fs.copyFileSync(path.join(work, 'build/Release/better_sqlite3.node'), path.join(out, 'better_sqlite3.node'));
console.log(`已为 Electron ${electronVersion} 构建 better-sqlite3-multiple-ciphers：${path.join(out, 'better_sqlite3.node')}`);
