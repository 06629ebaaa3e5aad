// `audit verify`: walks the audit chain of a store and names the first broken entry.
import { CliError, type CliCommand } from './command';
import { openCore, runAsOperator } from './cli-core';

export const command: CliCommand = {
  name: 'audit',
  summary: '审计日志：audit verify',
  usage: 'audit verify [--data DIR]',
  async run(args, io) {
    if (args.positionals[0] !== 'verify') throw new CliError(`未知的子命令“${args.positionals[0] ?? ''}”。用法：${command.usage}`);
    const core = openCore(args);
    try {
      const r = await runAsOperator(core, 'audit.verify', {});
      io.stdout(JSON.stringify(r));
      if (!r.ok) io.stderr(`审计链在第 ${r.firstBroken?.seq} 条处断裂：${r.firstBroken?.reason}`);
      return r.ok ? 0 : 2;
    } finally {
      await core.close();
    }
  },
};
