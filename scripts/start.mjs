// `npm start [-- --data DIR --port N --demo --web]`: builds the app, then runs Electron when
// its binary is present, otherwise the web host (printing the URL to open). It never
// downloads anything: getting Electron's binary is a separate, explicit step.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

const build = spawnSync(npx, ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('构建失败，请查看上面的错误信息');
  process.exit(build.status ?? 1);
}

if (args.includes('--demo')) {
  const data = args.includes('--data') ? ['--data', args[args.indexOf('--data') + 1]] : [];
  const demo = spawnSync(npx, ['tsx', 'electron/cli.ts', 'demo', '--if-empty', ...data], { cwd: root, stdio: 'inherit' });
  if (demo.status !== 0) process.exit(demo.status ?? 1);
}

const electron = args.includes('--web') ? null : electronBinary();
const nativeForElectron = path.join(root, 'native', 'electron', 'better_sqlite3.node');
let child;
if (electron && fs.existsSync(nativeForElectron)) {
  child = spawn(electron, ['.', ...args], { cwd: root, stdio: 'inherit' });
} else {
  if (electron)
    console.log(
      '已找到 Electron，但缺少其专用的 better-sqlite3-multiple-ciphers 构建：运行 npm run electron:native 后即可使用桌面窗口。现以浏览器模式启动。',
    );
  else console.log('未安装 Electron 可执行文件（需联网运行 npx install-electron），现以浏览器模式启动。');
  child = spawn(npx, ['tsx', 'electron/web-main.ts', ...args], { cwd: root, stdio: 'inherit' });
}
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
