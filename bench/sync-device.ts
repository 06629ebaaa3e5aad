// The device's sync engine over loopback, against a centre process (`npm run central`) on each
// backend a province may run: real PostgreSQL 15 (a throwaway cluster, fsync on, as deployed) and
// the embedded PGlite. A store with N registrations (each one outbox mutation of a worker, a case
// and its materials) pushes them in one pass; a new device of the same office then makes its
// first sync and pulls all N cases. Printed: wall time and rate; CPU of this (device) process and
// of the centre (node process, plus PostgreSQL's backends on the real server) separately, so a
// loaded machine can still be judged; pull time for the first 10,000 changes and for all; each
// compared with writing the same rows straight into a store of the same kind (encrypted SQLite,
// its triggers and indexes, one prepared statement per table, one transaction per 500 rows). Figures only, never asserted. `npm run bench -- sync`
// (BENCH_SYNC_BACKENDS=postgres or pglite for one).
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createCore, type Core } from '../electron/core/app-core';
import { ManualClock } from '../electron/core/clock';
import { TEST_COST } from '../electron/core/passwords';
import { deviceKey } from '../electron/core/crypto/device-key';
import { runSyncPass } from '../electron/core/sync/engine';
import { withCaptureOff } from '../electron/core/replication/capture';
import { beijingRider, withCheckDigit } from '../test/helpers/intake';
import { centreCli, spawnCentre, tempDir } from '../test/helpers/central';
import { createDatabase, startPostgres, type TestPostgres } from '../test/helpers/postgres';

const N = Number(process.env.BENCH_SYNC_DEVICE_CASES ?? 10_000);
/**
 * BENCH_SYNC_SHAPE=intake: N mutations of a hall's day instead of N registrations — per case one
 * registration, its materials, its acceptance and seven medical bills (ten mutations, about 2.4
 * rows each, as against about 8 for a registration alone), for N / 10 cases.
 */
const SHAPE = process.env.BENCH_SYNC_SHAPE === 'intake' ? 'intake' : 'register';

/** CPU seconds of a process and its descendants so far (from /proc; Linux only). */
function treeCpu(root: number): number {
  let ticks = 0;
  const all = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const parent = new Map<number, number>();
  const own = new Map<number, number>();
  for (const pid of all) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      parent.set(Number(pid), Number(f[1]));
      own.set(Number(pid), Number(f[11]) + Number(f[12]));
    } catch {
      // ended meanwhile
    }
  }
  for (const [pid, t] of own) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p))
      if (p === root) {
        ticks += t;
        break;
      }
  }
  return ticks / 100;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function core(dir: string): Core {
  return createCore({ dataDir: dir, host: 'cli', clock: new ManualClock(new Date('2026-11-24T02:00:00Z')), passwordCost: TEST_COST });
}

async function call(c: Core, method: string, input: unknown, token: string | null = null): Promise<unknown> {
  const r = await c.dispatch({ method, input, sessionToken: token });
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result;
}

async function enrol(c: Core, url: string, centreArgs: string[]): Promise<void> {
  const r = await centreCli(['enrol-code', ...centreArgs, '--office', '西宁市社保经办']);
  const code = (r.json as { code: string }).code;
  await call(c, 'sync.enrol', { url, code, deviceName: '压测机' }, await login(c, 'admin'));
}

async function login(c: Core, username: string): Promise<string> {
  return ((await call(c, 'auth.login', { username, password: 'Bench-pass-2026' })) as { sessionToken: string }).sessionToken;
}

/** The rows a set of tables holds, written again into a fresh store in transactions of 500 rows. */
async function straightWrite(from: Core, tables: string[]): Promise<{ ms: number; rows: number }> {
  const dir = tempDir('oip-bench-plain-');
  const to = core(dir);
  try {
    const rows = tables.flatMap((t) =>
      (from.store.sqlite.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]).map((r) => ({ t, r })),
    );
    // The people the rows name are not in the fresh store: only the write itself is measured.
    to.store.sqlite.pragma('foreign_keys = OFF');
    // One prepared statement per table, as a tuned writer would keep them.
    const statements = new Map<string, (values: unknown[]) => void>();
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 500) {
      await to.store.db.transaction().execute((trx) =>
        withCaptureOff(trx, async () => {
          for (const { t, r } of rows.slice(i, i + 500)) {
            const cols = Object.keys(r);
            let insert = statements.get(t);
            if (!insert) {
              const st = to.store.sqlite.prepare(`INSERT INTO ${t} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
              insert = (values) => void st.run(...(values as never[]));
              statements.set(t, insert);
            }
            insert(cols.map((c) => r[c]));
          }
        }),
      );
    }
    return { ms: performance.now() - t0, rows: rows.length };
  } finally {
    await to.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const BACKENDS = (process.env.BENCH_SYNC_BACKENDS ?? 'postgres,pglite').split(',').map((b) => b.trim());

/** The prepared store: an administrator, a clerk and N registrations in the outbox (made once, copied per backend). */
async function prepare(dir: string): Promise<void> {
  const A = core(dir);
  try {
    await call(A, 'auth.setup', { username: 'admin', displayName: '管理员', password: 'Bench-pass-2026' });
    const admin = await login(A, 'admin');
    await call(
      A,
      'users.create',
      { username: 'clerk', displayName: '受理员', password: 'Bench-pass-2026', roles: ['intake_clerk'] },
      admin,
    );
    const clerk = await login(A, 'clerk');
    const t0 = performance.now();
    const cases = SHAPE === 'intake' ? Math.ceil(N / 10) : N;
    for (let i = 0; i < cases; i++) {
      const first17 = `630102${19700101 + (i % 28) + Math.floor(i / 28 / 12) * 10000 + (Math.floor(i / 28) % 12) * 100}${String(i % 1000).padStart(3, '0')}`;
      const { caseId } = (await call(A, 'cases.register', beijingRider({ idNumber: withCheckDigit(first17.slice(0, 17)) }), clerk)) as {
        caseId: string;
      };
      if (SHAPE === 'intake') await intakeDay(A, clerk, caseId, i);
    }
    console.log(
      `  准备：${SHAPE === 'intake' ? `${cases} 件案件的 ${N} 次受理操作` : `登记 ${N} 件`}用时 ${((performance.now() - t0) / 1000).toFixed(1)} 秒（不计入下列数字）`,
    );
  } finally {
    await A.close();
  }
}

/** A registered case's materials, acceptance and seven bills: nine more mutations. */
async function intakeDay(A: Core, clerk: string, caseId: string, i: number): Promise<void> {
  const c = (await call(A, 'cases.get', { caseId }, clerk)) as { version: number; materials: { code: string }[] };
  const set = (await call(
    A,
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    clerk,
  )) as { version: number };
  await call(A, 'cases.transition', { caseId, action: 'accept', expectedVersion: set.version }, clerk);
  for (let b = 0; b < 7; b++)
    await call(
      A,
      'bills.add',
      {
        caseId,
        billDate: '2026-11-20',
        hospital: '青海省人民医院',
        invoiceNo: `FP${String(i).padStart(6, '0')}${b}`,
        amount: '320.50',
        eligible: '300.00',
        submittedDate: '2026-11-21',
      },
      clerk,
    );
}

/** BENCH_SYNC_PG_TOP=N: on PostgreSQL, print the N statements (nested ones included) that took the most time. */
export const TOP = Number(process.env.BENCH_SYNC_PG_TOP ?? 0);

async function pgQuery(url: string, text: string): Promise<Record<string, unknown>[]> {
  const { default: pgLib } = await import('pg');
  const c = new pgLib.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

export async function withStatements(pg: TestPostgres): Promise<void> {
  const explain = process.env.BENCH_SYNC_PG_EXPLAIN;
  await pgQuery(pg.url, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  pg.crash();
  pg.start();
  await pgQuery(pg.url, "ALTER SYSTEM SET pg_stat_statements.track = 'all'");
  if (explain)
    fs.appendFileSync(
      `${pg.dir}/data/postgresql.conf`,
      `\nsession_preload_libraries = 'auto_explain'\nauto_explain.log_min_duration = '${explain}'\nauto_explain.log_analyze = on\nauto_explain.log_nested_statements = on\n`,
    );
  await pgQuery(pg.url, 'SELECT pg_reload_conf()');
  await pgQuery(pg.url.replace(/\/postgres$/, '/bench'), 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
}

export async function topStatements(pg: TestPostgres, what: string): Promise<void> {
  const url = pg.url.replace(/\/postgres$/, '/bench');
  const rows = await pgQuery(
    url,
    `SELECT calls, round(total_exec_time)::int AS ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS q
     FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${TOP}`,
  );
  console.log(`    PostgreSQL 用时最多的语句（${what}）：`);
  for (const r of rows)
    console.log(`      ${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(7)} 次 ${String(r.rows).padStart(8)} 行  ${String(r.q)}`);
  await pgQuery(url, 'SELECT pg_stat_statements_reset()');
}

const load = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;

export async function benchSyncDevice(): Promise<void> {
  console.log(
    `\n设备同步（本机回环，中心为独立进程）：${SHAPE === 'intake' ? `${N} 次受理操作（${Math.ceil(N / 10)} 件案件）` : `${N} 件登记`}；中心数据库：${BACKENDS.join('、')}`,
  );
  // BENCH_SYNC_TEMPLATE=DIR keeps the prepared store there and reuses it (profiling runs).
  const keep = process.env.BENCH_SYNC_TEMPLATE && `${process.env.BENCH_SYNC_TEMPLATE}${SHAPE === 'intake' ? '-intake' : ''}`;
  const template = keep ?? tempDir('oip-bench-template-');
  try {
    if (!keep || !fs.existsSync(`${keep}/keys`)) await prepare(template);
    for (const backend of BACKENDS) await benchOne(template, backend);
  } finally {
    if (!keep) fs.rmSync(template, { recursive: true, force: true });
  }
}

async function benchOne(template: string, backend: string): Promise<void> {
  const pg: TestPostgres | null = backend === 'postgres' ? await startPostgres({ fsync: true }) : null;
  const dbUrl = pg ? await createDatabase(pg, 'bench') : null;
  if (pg && TOP) await withStatements(pg);
  const centreDir = tempDir('oip-bench-centre-');
  const centreArgs = dbUrl ? ['--data', centreDir, '--database', dbUrl] : ['--data', centreDir];
  const centre = await spawnCentre([...centreArgs, '--port', '0']);
  centre.child.stdout?.removeAllListeners('data');
  const dirA = tempDir('oip-bench-a-');
  const dirB = tempDir('oip-bench-b-');
  fs.cpSync(template, dirA, { recursive: true });
  const A = core(dirA);
  const B = core(dirB);
  // The centre's CPU: its node process, and on PostgreSQL the postmaster's backends too.
  const postmaster = pg ? Number(fs.readFileSync(`${pg.dir}/data/postmaster.pid`, 'utf8').split('\n')[0]) : null;
  const centreCpu = (): [number, number] => [treeCpu(centre.child.pid!), postmaster ? treeCpu(postmaster) : 0];
  const label = pg ? 'PostgreSQL 15' : 'PGlite';
  const cpuLine = (dev: number, c0: [number, number], c1: [number, number]): string =>
    `本机 ${dev.toFixed(1)} 秒，中心 node 进程 ${(c1[0] - c0[0]).toFixed(1)} 秒` +
    (pg ? `，PostgreSQL 后端 ${(c1[1] - c0[1]).toFixed(1)} 秒` : '（含 PGlite）') +
    `（机器负载 ${load()}）`;
  try {
    console.log(` 中心数据库 ${label}：`);
    await enrol(A, centre.url, centreArgs);
    const pending = (A.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE status = 'pending'").get() as { n: number }).n;

    const c0 = centreCpu();
    const u0 = cpuNow();
    const p0 = performance.now();
    // A generous timeout: a loaded machine must give a figure, not a retry.
    const push = await runSyncPass({ db: A.store.db, clock: A.deps.clock, key: deviceKey(dirA), timeoutMs: 600_000 }, 'cli');
    const pushMs = performance.now() - p0;
    const u1 = cpuNow();
    const c1 = centreCpu();
    if (!push.ok) throw new Error(push.errors.join('；'));
    // The tables the pushed mutations wrote: the direct write is of the same rows.
    const caseTables = (
      A.store.sqlite
        .prepare(
          "SELECT DISTINCT json_extract(j.value, '$.table') AS t FROM sync_outbox o, json_each(o.rows) j WHERE o.kind <> 'sync.baseline'",
        )
        .all() as { t: string }[]
    ).map((r) => r.t);
    const plainPush = await straightWrite(A, caseTables);
    console.log(
      `  推送：${push.pushed} 条变更（待传 ${pending}）用时 ${(pushMs / 1000).toFixed(2)} 秒，${Math.round(push.pushed / (pushMs / 1000))} 条/秒；` +
        `同样 ${plainPush.rows} 行直接写入 SQLite ${(plainPush.ms / 1000).toFixed(2)} 秒，比值 ${(pushMs / plainPush.ms).toFixed(1)}×`,
    );
    console.log(`    推送 CPU：${cpuLine(u1 - u0, c0, c1)}`);
    if (pg && TOP) await topStatements(pg, 'push');

    await call(B, 'auth.setup', { username: 'admin', displayName: '管理员', password: 'Bench-pass-2026' });
    await enrol(B, centre.url, centreArgs);
    let firstTenK: number | null = null;
    const d0 = centreCpu();
    const v0 = cpuNow();
    const q0 = performance.now();
    const pull = await runSyncPass(
      {
        db: B.store.db,
        clock: B.deps.clock,
        key: deviceKey(dirB),
        timeoutMs: 600_000,
        onProgress: (p) => {
          if (p.phase === 'pull' && p.done >= 10_000 && firstTenK === null) firstTenK = performance.now() - q0;
        },
      },
      'cli',
    );
    const pullMs = performance.now() - q0;
    const v1 = cpuNow();
    const d1 = centreCpu();
    if (!pull.ok) throw new Error(pull.errors.join('；'));
    const held = (B.store.sqlite.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
    const plainPull = await straightWrite(B, caseTables);
    const tenK = firstTenK as number | null;
    console.log(
      `  新设备首次同步：下载 ${pull.pulled} 条变更、${held} 件案件，用时 ${(pullMs / 1000).toFixed(2)} 秒（${Math.round(pull.pulled / (pullMs / 1000))} 条/秒）；` +
        (tenK !== null ? `前 10,000 条 ${(tenK / 1000).toFixed(2)} 秒；` : '') +
        `同样 ${plainPull.rows} 行直接写入 SQLite ${(plainPull.ms / 1000).toFixed(2)} 秒，比值 ${(pullMs / plainPull.ms).toFixed(1)}×`,
    );
    console.log(`    拉取 CPU：${cpuLine(v1 - v0, d0, d1)}`);
    if (pg && TOP) await topStatements(pg, 'pull');
  } finally {
    await A.close();
    await B.close();
    await centre.stop();
    if (pg && process.env.BENCH_SYNC_PG_EXPLAIN) fs.copyFileSync(`${pg.dir}/log`, '/tmp/bench-pg.log');
    pg?.stop();
    for (const d of [dirA, dirB, centreDir]) fs.rmSync(d, { recursive: true, force: true });
  }
}
