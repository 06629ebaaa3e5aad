// `sync enrol | now | status`: the device's sync with the centre from the command line, over the
// same core and sync service as the windows. JSON on stdout; a failed pass exits non-zero.
import os from 'node:os';
import { CliError, flagString, type CliCommand } from './command';
import { openCore, runAsOperator } from './cli-core';

const USAGE = 'sync enrol --url URL --code CODE [--name 本机名称] [--data DIR] | sync now [--data DIR] | sync status [--data DIR]';

export const command: CliCommand = {
  name: 'sync',
  summary: '与中心同步：sync enrol / now / status',
  usage: USAGE,
  async run(args, io) {
    const sub = args.positionals[0];
    if (sub !== 'enrol' && sub !== 'now' && sub !== 'status') throw new CliError(`未知的子命令“${sub ?? ''}”。用法：${USAGE}`);
    if (sub === 'enrol') {
      const url = flagString(args, 'url');
      const code = flagString(args, 'code');
      if (!url || !code) throw new CliError(`请用 --url 指定中心地址、--code 指定注册码。用法：${USAGE}`);
      const core = openCore(args);
      try {
        const r = await runAsOperator(core, 'sync.enrol', {
          url,
          code,
          deviceName: flagString(args, 'name') ?? os.hostname().slice(0, 60),
        });
        io.stdout(JSON.stringify(r));
        return 0;
      } finally {
        await core.close();
      }
    }
    const core = openCore(args);
    try {
      if (sub === 'status') {
        io.stdout(JSON.stringify(await core.deps.sync.status()));
        return 0;
      }
      const s = await core.deps.sync.syncNow('cli');
      io.stdout(
        JSON.stringify({ ok: s.ok, pushed: s.pushed, pulled: s.pulled, conflicts: s.conflicts, rejected: s.rejected, errors: s.errors }),
      );
      if (!s.ok) io.stderr(`同步未完成：${s.errors[0] ?? ''}`);
      return s.ok ? 0 : 2;
    } finally {
      await core.close();
    }
  },
};
