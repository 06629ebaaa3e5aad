// `demo --cases N`: fills a store with synthetic cases. Up to 200 cases go through the RPC one
// call at a time (what the first-start demo uses); more, or --bulk, replay a year of an office's
// work in bulk (electron/core/demo/bulk-fill.ts): every stage, hearings, conclusions, benefit
// determinations, bills and audit entries, and the documents issued by the product itself
// (--no-documents skips those, which is much faster). The demo accounts' fresh passwords are
// printed once, and only to a terminal: never into a log.
import { CliError, flagString, type CliCommand } from './command';
import { openCore } from './cli-core';
import { fillDemo } from '../core/demo/demo-data';
import { bulkFill } from '../core/demo/bulk-fill';
import { createCore } from '../core/app-core';
import { defaultDataDir } from '../core/data-dir';
import { ManualClock } from '../core/clock';

const RPC_LIMIT = 200;

export const command: CliCommand = {
  name: 'demo',
  summary: '生成演示数据（虚构人员；少量经由正式业务流程逐笔写入，大量按一年的业务批量写入）',
  usage: 'demo --cases N [--seed S] [--if-empty] [--bulk] [--no-documents] [--data DIR]',
  async run(args, io) {
    const n = Number(flagString(args, 'cases') ?? '40');
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new CliError('--cases 应为 1–100000 之间的整数');
    const seed = Number(flagString(args, 'seed') ?? '20261124');
    const bulk = n > RPC_LIMIT || args.flags.bulk === true;
    // The bulk fill moves the clock to each document's issue date, so it gets a clock of its own.
    const clock = new ManualClock(new Date());
    const core = bulk ? createCore({ dataDir: flagString(args, 'data') ?? defaultDataDir(), host: 'test', clock }) : openCore(args);
    try {
      if (args.flags['if-empty']) {
        const r = core.store.sqlite.prepare('SELECT COUNT(*) n FROM cases').get() as { n: number };
        if (r.n > 0) {
          io.stdout(JSON.stringify({ skipped: true, reason: '数据目录中已有案件，未生成演示数据' }));
          return 0;
        }
      }
      let last = 0;
      const progress = (phase: string, done: number, total: number) => {
        if (done === total || done - last >= Math.max(1, Math.floor(total / 20))) {
          last = done;
          io.stderr(`${phase} ${done}/${total}`);
        }
        if (done === total) last = 0;
      };
      const result = bulk
        ? await bulkFill(core, { cases: n, seed, clock, documents: args.flags['no-documents'] !== true, onProgress: progress })
        : await fillDemo(core, { cases: n, seed, onProgress: (done, total) => progress('生成演示案件', done, total) });
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
