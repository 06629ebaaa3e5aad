// `npm run central -- …`: the central server's command line (docs/central.md).
//   --data DIR --port N [--database URL] [--host H]   start a node
//   enrol-code --data DIR [--database URL] [--office NAME] [--hours H]
//   stats --data DIR [--database URL]
//   revoke --device ID|TAG --data DIR [--database URL]
//   assign-case --case ID --office NAME --data DIR [--database URL]
//   publish --kind KIND --file F [--office NAME] --data DIR [--database URL]
//   reference --data DIR [--database URL]
//   password-verifier   (reads a password on stdin; prints the verifier an accounts file carries)
//   number-series --series S --year Y --issuer I --pattern P [--office NAME] [--block N] [--low N]
//   leases --data DIR [--database URL]
//   hand-over --case ID --office NAME --data DIR [--database URL]
//   admin-add --username U [--name N] [--role publisher|viewer]   (password on stdin)
//   admin-disable --username U
// Commands print one JSON object on stdout; errors go to stderr with a non-zero exit. The
// database URL may also come from OIP_CENTRAL_DATABASE_URL (keeps a password off `ps`).
import fs from 'node:fs';
import { openDatabase } from './db/database';
import { passwordVerifier } from './core/accounts';
import { runAdmin, sendAdmin, type AdminCommand } from './admin-socket';
import { systemClock } from './core/clock';
import { CentralError } from './core/errors';
import { startCentral } from './start';

const HELP = `职伤保障 中心服务

启动：  npm run central -- --data 目录 --port 端口 [--database postgres://…] [--host 127.0.0.1] [--pool 10]
命令：  npm run -s central -- enrol-code --data 目录 [--office 机构名称] [--hours 24]   生成设备注册码
        npm run -s central -- stats --data 目录                                      统计（JSON）
        npm run -s central -- revoke --device 设备编号或标识 --data 目录             停用设备
        npm run -s central -- assign-case --case 案件编号 --office 机构名称 --data 目录  把案件交给另一机构
        npm run -s central -- publish --kind 种类 --file 文件.json [--office 机构名称] --data 目录  校验、签名并发布参考数据
              种类：rule_pack 规则包、calendar 工作日历、catalogue 伤残等级条目目录、experts 鉴定专家库、
                    platforms 平台名录、offices 经办机构与鉴定委员会、accounts 人员账号（须 --office）
        npm run -s central -- reference --data 目录                                  已发布的参考数据（JSON）
        echo 口令 | npm run -s central -- password-verifier                           生成账号文件用的口令校验值
        npm run -s central -- number-series --office 机构名称 --series appraisal --year 2026 --issuer 发文机关
                 --pattern '青人社鉴〔{year}〕第{seq:4}号' [--block 100] [--low 20] --data 目录   设立文号序列（由中心分段发给设备）
        npm run -s central -- leases --data 目录                                     文号号段记录（JSON）
        npm run -s central -- hand-over --case 案件编号 --office 机构名称 --data 目录    移交案件（此后只有该机构可修改）
        echo 口令 | npm run -s central -- admin-add --username 用户名 [--name 姓名] [--role publisher|viewer] --data 目录
                 添加中心管理员（publisher 可在 /admin 页面发布参考数据，viewer 只能查看）
        npm run -s central -- admin-disable --username 用户名 --data 目录            停用中心管理员
不给 --database（或环境变量 OIP_CENTRAL_DATABASE_URL）时使用目录中的内置数据库（PGlite）。`;

function parseArgs(argv: string[]): { positionals: string[]; flags: Record<string, string | true> } {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
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

class UsageError extends Error {}

function str(flags: Record<string, string | true>, name: string): string | undefined {
  const v = flags[name];
  if (v === true) throw new UsageError(`--${name} 需要一个值`);
  return v;
}

function need(flags: Record<string, string | true>, name: string, what: string): string {
  const v = str(flags, name);
  if (!v) throw new UsageError(`缺少 --${name}（${what}）`);
  return v;
}

function int(flags: Record<string, string | true>, name: string, min: number, max: number): number | undefined {
  const v = str(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} 应为 ${min} 到 ${max} 之间的整数`);
  return n;
}

async function serve(flags: Record<string, string | true>, databaseUrl: string | undefined): Promise<number> {
  const dataDir = str(flags, 'data');
  if (!databaseUrl && !dataDir) throw new UsageError('请用 --data 指定数据目录（或用 --database 指定 PostgreSQL）');
  const port = int(flags, 'port', 0, 65535);
  if (port === undefined) throw new UsageError('缺少 --port（监听端口；0 表示任选一个空闲端口）');
  const centre = await startCentral({
    port,
    host: str(flags, 'host'),
    databaseUrl,
    dataDir,
    poolSize: int(flags, 'pool', 1, 200),
  });
  const data = dataDir ? ` --data ${dataDir}` : '';
  const db = databaseUrl ? ' --database "$OIP_CENTRAL_DATABASE_URL"' : '';
  console.log(
    [
      `职伤保障中心已启动：${centre.url}（数据库：${centre.database.kind === 'pglite' ? `内置 PGlite，目录 ${dataDir}` : 'PostgreSQL'}）`,
      `为一台设备生成注册码：npm run -s central -- enrol-code${data}${db} --office 机构名称`,
      `然后在应用的「同步」页填入中心地址 ${centre.url} 和注册码（或 npm run -s cli -- sync enrol --data 本机数据目录 --url ${centre.url} --code 注册码）`,
      '按 Ctrl+C 停止。',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void centre.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

async function admin(c: AdminCommand, flags: Record<string, string | true>, databaseUrl: string | undefined): Promise<number> {
  const dataDir = str(flags, 'data');
  if (!databaseUrl && !dataDir) throw new UsageError('请用 --data 指定中心的数据目录（或用 --database 指定 PostgreSQL）');
  if (!databaseUrl && dataDir) {
    // A running PGlite centre owns its folder: ask it.
    const sent = await sendAdmin(dataDir, c);
    if (sent) {
      if (sent.status === 200) {
        console.log(JSON.stringify(sent.body));
        return 0;
      }
      const err = sent.body as { error?: { message?: string } };
      console.error(err.error?.message ?? '中心拒绝了这个命令');
      return 1;
    }
  }
  const database = await openDatabase({ url: databaseUrl, dataDir });
  try {
    console.log(JSON.stringify(await runAdmin(database.db, systemClock, c)));
    return 0;
  } finally {
    await database.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv);
  const [name] = positionals;
  if (flags.help || name === 'help') {
    console.log(HELP);
    return 0;
  }
  try {
    const databaseUrl = str(flags, 'database') ?? (process.env.OIP_CENTRAL_DATABASE_URL || undefined);
    switch (name) {
      case undefined:
      case 'serve':
        return await serve(flags, databaseUrl);
      case 'enrol-code':
        return await admin({ command: 'enrol-code', office: str(flags, 'office'), hours: int(flags, 'hours', 1, 720) }, flags, databaseUrl);
      case 'stats':
        return await admin({ command: 'stats' }, flags, databaseUrl);
      case 'revoke':
        return await admin({ command: 'revoke', device: need(flags, 'device', '设备编号或设备标识') }, flags, databaseUrl);
      case 'assign-case':
        return await admin(
          { command: 'assign-case', caseId: need(flags, 'case', '案件编号'), office: need(flags, 'office', '机构名称') },
          flags,
          databaseUrl,
        );
      case 'publish': {
        const file = need(flags, 'file', '要发布的 JSON 文件');
        let body: unknown;
        try {
          body = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch (e) {
          throw new UsageError(`无法读取 ${file}：${e instanceof SyntaxError ? '不是有效的 JSON' : '文件不存在或无读取权限'}`);
        }
        return await admin(
          { command: 'publish', kind: need(flags, 'kind', '参考数据种类'), body, office: str(flags, 'office') },
          flags,
          databaseUrl,
        );
      }
      case 'reference':
        return await admin({ command: 'reference' }, flags, databaseUrl);
      case 'password-verifier': {
        const password = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
        if (password.length < 8) throw new UsageError('口令至少 8 个字符（从标准输入读入）');
        console.log(JSON.stringify(await passwordVerifier(password)));
        return 0;
      }
      case 'number-series':
        return await admin(
          {
            command: 'number-series',
            office: str(flags, 'office'),
            series: need(flags, 'series', '序列名称，如 appraisal'),
            year: int(flags, 'year', 2000, 2200) ?? Number(need(flags, 'year', '年份')),
            issuer: need(flags, 'issuer', '发文机关'),
            pattern: need(flags, 'pattern', '文号格式，须含 {seq}'),
            blockSize: int(flags, 'block', 1, 100_000),
            lowWater: int(flags, 'low', 0, 100_000),
          },
          flags,
          databaseUrl,
        );
      case 'leases':
        return await admin({ command: 'leases' }, flags, databaseUrl);
      case 'hand-over':
        return await admin(
          { command: 'hand-over', caseId: need(flags, 'case', '案件编号'), office: need(flags, 'office', '接收机构名称') },
          flags,
          databaseUrl,
        );
      case 'admin-add': {
        const username = need(flags, 'username', '管理员用户名');
        const password = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
        if (password.length < 10) throw new UsageError('管理员口令至少 10 个字符（从标准输入读入）');
        return await admin(
          {
            command: 'admin-add',
            username,
            displayName: str(flags, 'name'),
            role: str(flags, 'role') ?? 'publisher',
            // Only the verifier leaves this process: the socket never carries the password.
            verifier: await passwordVerifier(password),
          },
          flags,
          databaseUrl,
        );
      }
      case 'admin-disable':
        return await admin({ command: 'admin-disable', username: need(flags, 'username', '管理员用户名') }, flags, databaseUrl);
      default:
        console.error(`未知命令“${name}”\n\n${HELP}`);
        return 1;
    }
  } catch (e) {
    if (e instanceof UsageError) console.error(`${e.message}\n\n${HELP}`);
    else if (e instanceof CentralError) console.error(e.message);
    else console.error(`执行失败：${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
