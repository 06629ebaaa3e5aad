// Entry point of the browser host (`npm start` where the Electron binary is absent):
// opens the store, serves the built renderer on 127.0.0.1 and prints the URL to open.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from './core/app-core';
import { startWebHost } from './web-host';
import { parseHostArgs } from './host-args';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  const core = createCore({ dataDir: args.dataDir, host: 'web' });
  // Background sync with the centre, once enrolled; never in the way of local work.
  core.deps.sync.start();
  const host = await startWebHost({
    core,
    rendererDir: path.join(root, 'out', 'renderer'),
    ...(args.port !== undefined ? { port: args.port } : {}),
  });
  console.log(`职伤保障工作台已启动（浏览器模式）`);
  console.log(`数据目录：${args.dataDir}`);
  console.log(`请在浏览器中打开：${host.openUrl}`);
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`启动失败：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
