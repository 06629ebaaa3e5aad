// `user add`, `user list` and `user passwd`: account administration without a window, e.g. to create the
// first administrator on a headless machine. The password is read from standard input so it
// never appears in the shell history or the process list.
import { CliError, flagString, requireFlag, type CliCommand } from './command';
import { openCore, runAsOperator } from './cli-core';
import { ROLES, type Role } from '../../shared/roles';

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export const command: CliCommand = {
  name: 'user',
  summary: '用户管理：user add / user list / user passwd',
  usage: [
    'user list [--data DIR]',
    'user add --username NAME --name 姓名 --roles admin,intake_clerk [--data DIR] < 密码',
    'user passwd --username NAME [--data DIR] < 新密码',
    `  角色：${ROLES.join(', ')}`,
  ].join('\n'),
  async run(args, io) {
    const sub = args.positionals[0];
    const core = openCore(args);
    try {
      if (sub === 'list') {
        io.stdout(JSON.stringify(await runAsOperator(core, 'users.list', {}), null, 2));
        return 0;
      }
      if (sub === 'add') {
        const roles = requireFlag(args, 'roles')
          .split(',')
          .map((r) => r.trim()) as Role[];
        const password = flagString(args, 'password-env') ? (process.env[flagString(args, 'password-env')!] ?? '') : await readStdinLine();
        const out = await runAsOperator(core, 'users.create', {
          username: requireFlag(args, 'username'),
          displayName: requireFlag(args, 'name'),
          password,
          roles,
        });
        io.stdout(JSON.stringify(out));
        return 0;
      }
      if (sub === 'passwd') {
        const username = requireFlag(args, 'username');
        const user = (await runAsOperator(core, 'users.list', {})).find((u) => u.username === username);
        if (!user) throw new CliError(`没有用户名为“${username}”的账号，请用 user list 查看`);
        const password = flagString(args, 'password-env') ? (process.env[flagString(args, 'password-env')!] ?? '') : await readStdinLine();
        await runAsOperator(core, 'users.resetPassword', { userId: user.id, newPassword: password });
        io.stdout(JSON.stringify({ ok: true, username }));
        return 0;
      }
      throw new CliError(`未知的子命令“${sub ?? ''}”。用法：\n${command.usage}`);
    } finally {
      await core.close();
    }
  },
};
