// `demo --cases N`: fills a store with synthetic cases through the core services. The demo
// accounts' fresh passwords are printed once, and only to a terminal: never into a log.
import { CliError, flagString, type CliCommand } from './command';
import { openCore } from './cli-core';
import { fillDemo } from '../core/demo/demo-data';

export const command: CliCommand = {
  name: 'demo',
  summary: '生成演示数据（虚构人员，经由正式业务流程写入）',
  usage: 'demo --cases N [--seed S] [--if-empty] [--data DIR]',
  async run(args, io) {
    const n = Number(flagString(args, 'cases') ?? '40');
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new CliError('--cases 应为 1–100000 之间的整数');
    const seed = Number(flagString(args, 'seed') ?? '20261124');
    const core = openCore(args);
    try {
      if (args.flags['if-empty']) {
        const r = core.store.sqlite.prepare('SELECT COUNT(*) n FROM cases').get() as { n: number };
        if (r.n > 0) {
          io.stdout(JSON.stringify({ skipped: true, reason: '数据目录中已有案件，未生成演示数据' }));
          return 0;
        }
      }
      let last = 0;
      const result = await fillDemo(core, {
        cases: n,
        seed,
        onProgress: (done, total) => {
          if (done === total || done - last >= Math.max(1, Math.floor(total / 20))) {
            last = done;
            io.stderr(`生成演示案件 ${done}/${total}`);
          }
        },
      });
      if (io.terminal) {
        io.stdout(JSON.stringify(result, null, 2));
        io.stderr('演示账号的密码只显示这一次，请妥善记录。');
      } else {
        // Not a terminal: this output may end up in a log file. The accounts, never their passwords.
        io.stdout(JSON.stringify({ ...result, accounts: result.accounts.map(({ password: _p, ...a }) => a) }, null, 2));
        io.stderr(
          '演示账号已创建，但输出没有连接到终端（可能被写入日志），因此不显示密码。请在终端中为要使用的账号设置密码：npm run -s cli -- user passwd --username 用户名 < 密码文件',
        );
      }
      return 0;
    } finally {
      await core.close();
    }
  },
};
