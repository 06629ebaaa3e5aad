// Opens the local store: one SQLite file per data folder, WAL, foreign keys, busy timeout,
// migrations applied before anything else touches it.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './db-schema';
import { runMigrations } from './migrations/index';

export interface Store {
  sqlite: BetterSqlite3.Database;
  db: Kysely<Database>;
  file: string;
  close(): Promise<void>;
}

export const STORE_FILE = 'oip-desk.sqlite';

/**
 * better-sqlite3 is a native module built for one ABI. Under Node (tests, web host, CLI) the
 * package's own build is used; under Electron the app passes the Electron build made by
 * `npm run electron:native` (see docs/architecture.md).
 */
export function openStore(dataDir: string, opts: { nativeBinding?: string } = {}): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, STORE_FILE);
  const sqlite = new BetterSqlite3(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  runMigrations(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    sqlite,
    db,
    file,
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}
