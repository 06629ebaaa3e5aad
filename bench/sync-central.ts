// The centre under load: 50 simulated devices pushing at once to two central nodes (separate
// processes) over one real PostgreSQL 15 (a throwaway cluster with fsync on, as deployed), each
// mutation a case registration of 4 rows, each push a batch through the device's real protocol
// client (signed, nonce per request, replies validated). Prints mutations and rows per second and
// the push latency (request sent → results received); then one new device's first pull of its
// office's changes. Figures only, never asserted. `npm run bench -- sync`.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../electron/core/clock';
import { type CentreClient } from '../electron/core/sync/centre-client';
import { openDatabase } from '../central/db/database';
import { stats } from '../central/core/admin';
import { createDatabase, startPostgres } from '../test/helpers/postgres';
import { TOP, topStatements, withStatements } from './sync-device';
import { enrolTestDevice, registration, seedUsers, spawnCentre, type TestDevice } from '../test/helpers/central';

const DEVICES = Number(process.env.BENCH_SYNC_DEVICES ?? 50);
const BATCHES = Number(process.env.BENCH_SYNC_BATCHES ?? 4);
const PER_BATCH = Number(process.env.BENCH_SYNC_BATCH ?? 50);
const POOL = Number(process.env.BENCH_SYNC_POOL ?? 12);

/** CPU seconds used so far by the processes whose command line matches (from /proc; Linux only). */
function cpuOf(match: (cmd: string) => boolean): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!match(cmd)) continue;
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim() || 100);
}

function quantile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

export async function benchSyncCentral(): Promise<void> {
  console.log(
    `\n中心同步压测：${DEVICES} 台设备 × ${BATCHES} 批 × 每批 ${PER_BATCH} 条变更（每条 4 行），两个中心节点，PostgreSQL 15（fsync 开）`,
  );
  const cluster = await startPostgres({ fsync: true });
  const nodes: Awaited<ReturnType<typeof spawnCentre>>[] = [];
  try {
    const url = await createDatabase(cluster, 'bench');
    if (TOP) await withStatements(cluster);
    nodes.push(...(await Promise.all([0, 1].map(() => spawnCentre(['--port', '0', '--database', url, '--pool', String(POOL)])))));
    // Node logs go to the bench's pipes; a line per request would only slow the nodes down.
    for (const n of nodes) n.child.stdout?.removeAllListeners('data');
    const database = await openDatabase({ url });
    const clock = new ManualClock(new Date());
    const devices: { dev: TestDevice; client: CentreClient }[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const node = nodes[i % 2]!;
      // A generous timeout: under this load a batch waits behind the other devices' batches.
      const dev = await enrolTestDevice({ url: node.url, db: database.db, clock }, i % 5 === 0 ? '西宁市社保经办' : `第${i % 5}经办机构`, {
        timeoutMs: 600_000,
      });
      await seedUsers(dev);
      devices.push({ dev, client: dev.client });
    }
    // Made before the clock starts: what is measured is the exchange, not building test data.
    const batches = devices.map(({ dev }) =>
      Array.from({ length: BATCHES }, () => Array.from({ length: PER_BATCH }, () => registration(dev).mutation)),
    );

    const latencies: number[] = [];
    let applied = 0;
    // Our cluster's postmaster, and backends serving the bench database (other clusters on a shared machine are not ours).
    const isPostgres = (cmd: string): boolean => cmd.includes(cluster.dir) || (cmd.startsWith('postgres:') && cmd.includes(' bench '));
    const isNode = (cmd: string): boolean => cmd.includes('central/main.ts') && cmd.includes(url);
    const cpu0 = { pg: cpuOf(isPostgres), nodes: cpuOf(isNode), devices: process.cpuUsage() };
    const t0 = performance.now();
    await Promise.all(
      devices.map(async ({ client }, i) => {
        for (const batch of batches[i]!) {
          const s = performance.now();
          const r = await client.push(batch);
          latencies.push(performance.now() - s);
          applied += r.results.filter((x) => x.status === 'applied').length;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const total = DEVICES * BATCHES * PER_BATCH;
    const devCpu = process.cpuUsage(cpu0.devices);
    const cpu = {
      pg: cpuOf(isPostgres) - cpu0.pg,
      nodes: cpuOf(isNode) - cpu0.nodes,
      devices: (devCpu.user + devCpu.system) / 1e6,
    };
    const perMutation = ((cpu.pg + cpu.nodes + cpu.devices) / total) * 1000;
    console.log(
      `  推送：${total} 条变更（${applied} 条已采纳），${seconds.toFixed(1)} s → ${(total / seconds).toFixed(0)} 条变更/秒，${((total * 4) / seconds).toFixed(0)} 行/秒`,
    );
    console.log(
      `  每次推送（${PER_BATCH} 条）延迟：中位 ${quantile(latencies, 0.5).toFixed(0)} ms，p99 ${quantile(latencies, 0.99).toFixed(0)} ms，最大 ${quantile(latencies, 1).toFixed(0)} ms` +
        `；折合每条变更 p99 ${(quantile(latencies, 0.99) / PER_BATCH).toFixed(1)} ms`,
    );
    console.log(
      `  CPU：每条变更 ${perMutation.toFixed(2)} ms（PostgreSQL ${((cpu.pg / total) * 1000).toFixed(2)}，两个节点 ${((cpu.nodes / total) * 1000).toFixed(2)}，` +
        `模拟设备 ${((cpu.devices / total) * 1000).toFixed(2)}）；本次运行得到的 CPU ${((cpu.pg + cpu.nodes + cpu.devices) / seconds).toFixed(2)} 核` +
        `；两核独占时的上限约 ${(2000 / perMutation).toFixed(0)} 条变更/秒（机器负载 ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}）`,
    );

    if (TOP) await topStatements(cluster, 'push');
    // A new laptop of the busiest office syncs for the first time.
    const fresh = await enrolTestDevice({ url: nodes[0]!.url, db: database.db, clock }, '西宁市社保经办');
    const p0 = performance.now();
    let cursor = '';
    let changes = 0;
    for (;;) {
      const page = await fresh.client.pull(cursor, 1000);
      changes += page.changes.length;
      cursor = page.cursor;
      if (!page.more) break;
    }
    const ps = (performance.now() - p0) / 1000;
    console.log(`  新设备首次拉取本机构的 ${changes} 条记录：${ps.toFixed(1)} s（${(changes / ps).toFixed(0)} 条/秒，每页 1000 条）`);
    const s = await stats(database.db);
    console.log(`  中心统计：${s.devices} 台设备，${s.mutations} 条已采纳变更，${s.cases} 个案件，${s.changes} 条变更日志`);
    await database.close();
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    cluster.stop();
  }
}
