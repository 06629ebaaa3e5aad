// Command-line options shared by the hosts: where the store lives and which port to use.
import { parseArgs } from 'node:util';
import { defaultDataDir } from './core/data-dir';

export interface HostArgs {
  dataDir: string;
  port: number | undefined;
  demo: boolean;
}

export function parseHostArgs(argv: string[]): HostArgs {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, port: { type: 'string' }, demo: { type: 'boolean' }, web: { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
  });
  const port = typeof values.port === 'string' ? Number(values.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`端口号无效：${String(values.port)}，请给出 0–65535 之间的整数`);
  }
  return {
    dataDir: typeof values.data === 'string' ? values.data : defaultDataDir(),
    port,
    demo: values.demo === true,
  };
}
