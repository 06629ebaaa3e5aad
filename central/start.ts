// Starting and stopping one centre node: the database (migrated), the centre's key (made on the
// first start), the HTTP server, and — for PGlite in a folder — the administrator's socket.
import type { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type CentralDatabase } from './db/database';
import { ensureCentreKey } from './core/centre-key';
import { systemClock, type Clock } from './core/clock';
import { listenAdmin } from './admin-socket';
import { buildServer } from './server';

export interface StartOptions {
  port: number;
  host?: string | undefined;
  /** postgres://… ; absent: PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** A started PGlite to serve (tests). */
  pglite?: PGlite | undefined;
  poolSize?: number | undefined;
  clock?: Clock | undefined;
  log?: ((line: string) => void) | undefined;
}

export interface RunningCentre {
  url: string;
  port: number;
  database: CentralDatabase;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startCentral(o: StartOptions): Promise<RunningCentre> {
  const clock = o.clock ?? systemClock;
  const database = await openDatabase({ url: o.databaseUrl, dataDir: o.dataDir, pglite: o.pglite, poolSize: o.poolSize });
  let closeAdmin: (() => Promise<void>) | null = null;
  try {
    await ensureCentreKey(database.db, clock);
    const app = buildServer({ db: database.db, clock, log: o.log });
    const host = o.host ?? '127.0.0.1';
    await app.listen({ port: o.port, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : o.port;
    if (database.kind === 'pglite' && o.dataDir && o.dataDir !== 'memory://' && !o.pglite)
      closeAdmin = await listenAdmin(o.dataDir, database.db, clock);
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      database,
      app,
      async close() {
        await closeAdmin?.();
        await app.close();
        await database.close();
      },
    };
  } catch (e) {
    await closeAdmin?.();
    await database.close();
    throw e;
  }
}
