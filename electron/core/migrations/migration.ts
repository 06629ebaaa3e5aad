// One schema step: plain SQL, applied once, in version order; a step that must compute in
// code (e.g. enqueue existing rows with their hashes) adds `run`, called after the SQL in the
// same transaction.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  run?: (db: BetterSqlite3.Database) => void;
}
