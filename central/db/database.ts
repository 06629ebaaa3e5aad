// Opens the centre's database: real PostgreSQL through `pg` when given a URL (deployments, several
// nodes), otherwise PGlite in a data folder (the zero-setup default, one process) or in memory
// (tests). Both go through kysely's PostgreSQL compiler, and the same migrations run on both.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect';
import { migrate } from './migrate';
import type { CentralSchema } from './schema';

export type Db = Kysely<CentralSchema>;

export interface CentralDatabase {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… ; when absent, PGlite. */
  url?: string | undefined;
  /** PGlite's folder (created if missing); `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** An already started PGlite to use (tests share one per file); not closed by close(). */
  pglite?: PGlite | undefined;
  /** Connections per node (PostgreSQL only). */
  poolSize?: number | undefined;
}

export async function openDatabase(o: OpenOptions): Promise<CentralDatabase> {
  let db: Db;
  let kind: CentralDatabase['kind'];
  if (o.url) {
    const pool = new pg.Pool({ connectionString: o.url, max: o.poolSize ?? 10 });
    // An idle connection dropped by the server must not crash the node; the next query reconnects.
    pool.on('error', () => undefined);
    db = new Kysely<CentralSchema>({ dialect: new PostgresDialect({ pool: preparing(pool) }) });
    kind = 'postgres';
  } else if (o.pglite) {
    db = new Kysely<CentralSchema>({ dialect: new PGliteDialect(o.pglite, { closeOnDestroy: false }) });
    kind = 'pglite';
  } else {
    if (!o.dataDir) throw new Error('需要 --data 目录或 --database 地址');
    const dir = o.dataDir === 'memory://' ? 'memory://' : path.join(o.dataDir, 'pgdata');
    if (dir !== 'memory://') fs.mkdirSync(dir, { recursive: true });
    const instance = await PGlite.create(dir);
    db = new Kysely<CentralSchema>({ dialect: new PGliteDialect(instance, { closeOnDestroy: true }) });
    kind = 'pglite';
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, kind, close: () => db.destroy() };
}

/**
 * Every parameterised statement as a named prepared statement of its connection (pg keeps them
 * per connection by name), so PostgreSQL plans each of the centre's few statement shapes once
 * per connection instead of on every call: most of the work of a short statement is its plan.
 * Statements without parameters (migration scripts, BEGIN/COMMIT) go as they are.
 */
function preparing(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        query: ((text: string, values: readonly unknown[]) =>
          values.length === 0
            ? client.query(text)
            : client.query({
                name: `oip_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`,
                text,
                values: [...values],
              })) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

export type { PostgresQueryResult };
