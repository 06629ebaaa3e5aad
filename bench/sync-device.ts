// The device's sync engine over loopback (a centre process on PGlite, `npm run central`): a store
// with N registrations (each one outbox mutation of a worker, a case and its materials) pushes
// them in one pass; a new device of the same office then makes its first sync and pulls all N
// cases. Printed: push time and rate; pull time for the first 10,000 changes and for all of them;
// each compared with writing the same rows straight into a store of the same kind (encrypted
// SQLite, one transaction per 500 rows). Figures only, never asserted. `npm run bench -- sync`.
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

const N = Number(process.env.BENCH_SYNC_DEVICE_CASES ?? 10_000);

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

async function enrol(c: Core, url: string, dataDir: string): Promise<void> {
  const r = await centreCli(['enrol-code', '--data', dataDir, '--office', '西宁市社保经办']);
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
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 500) {
      await to.store.db.transaction().execute((trx) =>
        withCaptureOff(trx, async () => {
          for (const { t, r } of rows.slice(i, i + 500)) {
            const cols = Object.keys(r);
            to.store.sqlite
              .prepare(`INSERT INTO ${t} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`)
              .run(...cols.map((c) => r[c] as never));
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

export async function benchSyncDevice(): Promise<void> {
  console.log(`\n设备同步（本机回环，中心为 PGlite 进程）：${N} 件登记`);
  const centreDir = tempDir('oip-bench-centre-');
  const centre = await spawnCentre(['--data', centreDir, '--port', '0']);
  centre.child.stdout?.removeAllListeners('data');
  const dirA = tempDir('oip-bench-a-');
  const dirB = tempDir('oip-bench-b-');
  const A = core(dirA);
  const B = core(dirB);
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
    for (let i = 0; i < N; i++) {
      const first17 = `630102${19700101 + (i % 28) + Math.floor(i / 28 / 12) * 10000 + (Math.floor(i / 28) % 12) * 100}${String(i % 1000).padStart(3, '0')}`;
      await call(A, 'cases.register', beijingRider({ idNumber: withCheckDigit(first17.slice(0, 17)) }), clerk);
    }
    console.log(`  准备：登记 ${N} 件用时 ${((performance.now() - t0) / 1000).toFixed(1)} 秒（不计入下列数字）`);
    await enrol(A, centre.url, centreDir);
    const pending = (A.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE status = 'pending'").get() as { n: number }).n;

    const centrePid = centre.child.pid!;
    const c0 = [cpuNow(), treeCpu(centrePid)];
    const p0 = performance.now();
    const push = await runSyncPass({ db: A.store.db, clock: A.deps.clock, key: deviceKey(dirA) }, 'cli');
    const pushMs = performance.now() - p0;
    if (!push.ok) throw new Error(push.errors.join('；'));
    const c1 = [cpuNow(), treeCpu(centrePid)];
    const caseTables = ['workers', 'cases', 'case_materials'];
    const plainPush = await straightWrite(A, caseTables);
    console.log(
      `  推送：${push.pushed} 条变更（待传 ${pending}）用时 ${(pushMs / 1000).toFixed(2)} 秒，${Math.round(push.pushed / (pushMs / 1000))} 条/秒；` +
        `同样 ${plainPush.rows} 行直接写入 SQLite ${(plainPush.ms / 1000).toFixed(2)} 秒，比值 ${(pushMs / plainPush.ms).toFixed(1)}×`,
    );
    console.log(
      `    推送 CPU：本机 ${(c1[0]! - c0[0]!).toFixed(1)} 秒，中心进程 ${(c1[1]! - c0[1]!).toFixed(1)} 秒（机器负载 ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}）`,
    );

    await call(B, 'auth.setup', { username: 'admin', displayName: '管理员', password: 'Bench-pass-2026' });
    await enrol(B, centre.url, centreDir);
    let firstTenK: number | null = null;
    const d0 = [cpuNow(), treeCpu(centrePid)];
    const q0 = performance.now();
    const pull = await runSyncPass(
      {
        db: B.store.db,
        clock: B.deps.clock,
        key: deviceKey(dirB),
        pullLimit: 1000,
        onProgress: (p) => {
          if (p.phase === 'pull' && p.done >= 10_000 && firstTenK === null) firstTenK = performance.now() - q0;
        },
      },
      'cli',
    );
    const pullMs = performance.now() - q0;
    if (!pull.ok) throw new Error(pull.errors.join('；'));
    const d1 = [cpuNow(), treeCpu(centrePid)];
    const held = (B.store.sqlite.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
    const plainPull = await straightWrite(B, caseTables);
    const tenK = firstTenK as number | null;
    console.log(
      `  新设备首次同步：下载 ${pull.pulled} 条变更、${held} 件案件，用时 ${(pullMs / 1000).toFixed(2)} 秒（${Math.round(pull.pulled / (pullMs / 1000))} 条/秒）；` +
        (tenK !== null ? `前 10,000 条 ${(tenK / 1000).toFixed(2)} 秒；` : '') +
        `同样 ${plainPull.rows} 行直接写入 SQLite ${(plainPull.ms / 1000).toFixed(2)} 秒，比值 ${(pullMs / plainPull.ms).toFixed(1)}×`,
    );
    console.log(`    拉取 CPU：本机 ${(d1[0]! - d0[0]!).toFixed(1)} 秒，中心进程 ${(d1[1]! - d0[1]!).toFixed(1)} 秒`);
  } finally {
    await A.close();
    await B.close();
    await centre.stop();
    for (const d of [dirA, dirB, centreDir]) fs.rmSync(d, { recursive: true, force: true });
  }
}
