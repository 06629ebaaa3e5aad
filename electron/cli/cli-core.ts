// Opens the core for a CLI command on --data DIR (default: the app-data folder) and calls
// methods through the same dispatcher as the windows, as the local operator.
import { createCore, type Core } from '../core/app-core';
import { defaultDataDir } from '../core/data-dir';
import type { ApiInput, ApiOutput, MethodName } from '../../shared/api/contract';
import { CliError, flagString, type CliArgs } from './command';

export function openCore(args: CliArgs): Core {
  return createCore({ dataDir: flagString(args, 'data') ?? defaultDataDir(), host: 'cli' });
}

export async function runAsOperator<N extends MethodName>(core: Core, method: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
  const r = await core.dispatch({ method, input, asLocalOperator: '命令行（本机操作员）' });
  if (!r.ok) {
    const fields = r.error.fields?.map((f) => `  ${f.path}: ${f.message}`).join('\n');
    throw new CliError(fields ? `${r.error.message}\n${fields}` : r.error.message);
  }
  return r.result as ApiOutput<N>;
}
