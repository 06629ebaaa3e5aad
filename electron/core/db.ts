// Opens the local store: one SQLite file per data folder, encrypted at rest (SQLite3MultipleCiphers,
// key from store-key.ts), WAL, foreign keys, busy timeout, migrations applied before anything
// else touches it. A plain store left by an earlier release is encrypted in place on first open.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './db-schema';
import { runMigrations } from './migrations/index';
import { seedBundledReference } from './reference/store';
import { storeKey, type KeyProtector } from './store-key';
import { cachingDatabase } from './statement-cache';
import { deriveStoreKeys, type StoreKeys } from './keys';

export interface Store {
  sqlite: BetterSqlite3.Database;
  db: Kysely<Database>;
  file: string;
  /** Keys derived from the store key (attachments, backups). */
  keys: StoreKeys;
  close(): Promise<void>;
}

export const STORE_FILE = 'oip-desk.sqlite';
export const PAGE_SIZE = 16_384;

const SQLITE_HEADER = 'SQLite format 3\0';

export interface StoreOptions {
  nativeBinding?: string;
  /** Protects the store key with the operating system (Electron's safeStorage). */
  keyProtector?: KeyProtector;
  /** Prepared statements kept (statement-cache.ts); 0 turns the cache off (benchmarks compare). */
  statementCache?: number;
}

const keyPragma = (key: Buffer) => `key = "x'${key.toString('hex')}'"`;

function isPlainSqlite(file: string): boolean {
  if (!fs.existsSync(file) || fs.statSync(file).size < 16) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    return head.toString('latin1') === SQLITE_HEADER;
  } finally {
    fs.closeSync(fd);
  }
}

/** Encrypts a plain store in place (rekey needs the rollback journal, not WAL). */
function encryptPlainStore(file: string, key: Buffer, options: BetterSqlite3.Options): void {
  const plain = new BetterSqlite3(file, options);
  try {
    plain.pragma('journal_mode = DELETE');
    plain.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    plain.close();
  }
}

/**
 * better-sqlite3(-multiple-ciphers) is a native module built for one ABI. Under Node (tests, web
 * host, CLI) the package's own build is used; under Electron the app passes the Electron build
 * made by `npm run electron:native` (see docs/architecture.md).
 */
export function openStore(dataDir: string, opts: StoreOptions = {}): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, STORE_FILE);
  const options = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  const key = storeKey(dataDir, opts.keyProtector);
  if (isPlainSqlite(file)) encryptPlainStore(file, key, options);
  const sqlite = new BetterSqlite3(file, options);
  sqlite.pragma(keyPragma(key));
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    sqlite.close();
    if ((e as { code?: string }).code === 'SQLITE_NOTADB')
      throw new Error(`无法打开数据文件 ${file}：密钥与文件不匹配或文件已损坏。请确认 keys 文件夹与数据文件来自同一台电脑的同一份数据`);
    throw e;
  }
  // A new store uses 16 KB pages: a case row (about 1.5 KB with its assessment) leaves a third of
  // a 4 KB page unused, and at a year's volume that waste alone is some 200 MB. An existing
  // store keeps its page size (SQLite applies this only before the first table is written).
  sqlite.pragma(`page_size = ${PAGE_SIZE}`);
  // Encrypted pages are decrypted on every read: a larger page cache keeps scans at plain speed.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  runMigrations(sqlite);
  // Reference data lives in the store: the bundled items go in on first start (and a release's
  // newer bundled versions later), never over what the centre published.
  seedBundledReference(sqlite);
  const size = opts.statementCache ?? 256;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: size > 0 ? cachingDatabase(sqlite, size) : sqlite }) });
  return {
    sqlite,
    db,
    file,
    keys: deriveStoreKeys(key),
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}
