// A throwaway PostgreSQL 15 cluster for tests and benchmarks: initdb in a temp folder owned by
// the `postgres` user (PostgreSQL refuses to run as root), started on a free port with its socket
// in that folder, stopped (`-m fast`) and removed afterwards. Needs Debian's postgresql-15
// (.ci/run installs it when missing).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PG_BIN = process.env.OIP_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): void;
  /** Stops abruptly (a crash), keeping the folder; start() brings it back. */
  crash(): void;
  start(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary as the postgres user when we are root, else as ourselves. */
function pgRun(bin: string, args: string[]): void {
  const exe = path.join(PG_BIN, bin);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${bin} 失败（${r.status}）：${r.stderr || r.stdout}`);
}

export async function startPostgres(o: { fsync?: boolean } = {}): Promise<TestPostgres> {
  if (!fs.existsSync(path.join(PG_BIN, 'initdb')))
    throw new Error(`找不到 PostgreSQL 15（${PG_BIN}/initdb）：apt-get install postgresql-15，或设置 OIP_PG_BIN`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // A disposable test cluster needs no fsync (nothing here must survive a power cut); the
  // benchmark keeps it on, as a deployment would. Enough connections for two nodes' pools.
  const fsync = o.fsync ? 'on' : 'off';
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync} -c max_connections=200 -c shared_buffers=128MB`;
  const start = (): void => pgRun('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '120', 'start']);
  start();
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    start,
    crash() {
      pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh database in the cluster, so tests in one file do not see each other's rows. */
export async function createDatabase(pg: TestPostgres, name: string): Promise<string> {
  const { default: pgLib } = await import('pg');
  const c = new pgLib.Client({ connectionString: pg.url });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await c.end();
  }
  return pg.url.replace(/\/postgres$/, `/${name}`);
}
