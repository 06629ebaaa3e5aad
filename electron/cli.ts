// `npm run -s cli -- <command>`: the same core without a window. JSON on stdout; errors on
// stderr with a non-zero exit. Each command is its own module under electron/cli/.
import { CliError, type CliArgs, type CliCommand, type CliIO } from './cli/command';
import { command as user } from './cli/user';
import { command as audit } from './cli/audit';
import { command as demo } from './cli/demo';
import { command as benefits } from './cli/benefits';
import { command as workdays } from './cli/workdays';
import { command as notice } from './cli/notice';
import { command as backup } from './cli/backup';
import { command as restore } from './cli/restore';
import { command as recover } from './cli/recover';

import { command as sync } from './cli/sync';
import { command as reference } from './cli/reference';

export const COMMANDS: CliCommand[] = [user, audit, demo, benefits, workdays, notice, backup, restore, recover, sync, reference];

function help(): string {
  const lines = ['职伤保障工作台 命令行', '', '用法：npm run -s cli -- <命令> [参数]', '', '命令：'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', '公共参数：--data DIR  数据目录（默认：本机应用数据目录）', '每个命令的用法：npm run -s cli -- <命令> --help');
  return lines.join('\n');
}

/** `--key value`, `--key=value` and bare `--flag`; everything else is positional. */
export function parseCliArgs(argv: string[]): CliArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags[a.slice(2)] = argv[++i]!;
    else flags[a.slice(2)] = true;
  }
  return { positionals, flags };
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const { flags: values, positionals } = parseCliArgs(argv);
  const [name, ...rest] = positionals;
  if (!name || name === 'help' || (values.help && !name)) {
    io.stdout(help());
    return name || values.help ? 0 : 1;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`未知命令“${name}”。\n\n${help()}`);
    return 1;
  }
  if (values.help) {
    io.stdout(`用法：npm run -s cli -- ${cmd.usage}`);
    return 0;
  }
  const args: CliArgs = { positionals: rest, flags: values };
  try {
    return await cmd.run(args, io);
  } catch (e) {
    io.stderr(e instanceof CliError ? e.message : `执行失败：${e instanceof Error ? e.message : String(e)}`);
    return e instanceof CliError ? e.exitCode : 1;
  }
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const io: CliIO = {
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    terminal: process.stdout.isTTY === true,
  };
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
