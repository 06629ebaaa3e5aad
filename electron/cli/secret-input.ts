// Secrets for CLI commands (a recovery key) come from an environment variable or one line of
// standard input, never from the command line, where the shell history and the process list
// would keep them.
import { CliError, flagString, type CliArgs } from './command';

async function stdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** The recovery key if the command was asked to use one (`--recovery-key-env VAR` or `--with-recovery-key` < file). */
export async function recoveryKeyInput(args: CliArgs): Promise<string | undefined> {
  const env = flagString(args, 'recovery-key-env');
  if (env) {
    const v = process.env[env];
    if (!v) throw new CliError(`环境变量 ${env} 为空：请把恢复密钥放在该变量中`);
    return v;
  }
  if (args.flags['with-recovery-key']) return stdinLine();
  return undefined;
}
