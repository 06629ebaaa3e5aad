// Schema migrations, in code, applied in order at start. Each runs in its own transaction
// and is recorded in schema_migrations; a later feature appends a migration, never edits one.
// Feature areas keep their migrations in their own module here, in their own version range:
// 1–99 core, 100–199 notices (140–159: payee accounts, attachment removals), 200–299 cases and intake, 300–399 appraisal and benefits,
// 500–519 replication, 520–539 the sync engine, 540–549 reference data, 600–619 the managers' desk (projections, 运行监测, 疑点筛查).
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';
import { caseMigrations } from './cases';
import { noticeMigrations } from './notices';
import { appraisalMigrations } from './appraisal';
import { replicationMigrations } from './replication';
import { syncMigrations } from './sync';
import { securityMigrations } from './security';
import { deskMigrations } from './desk';
import { referenceMigrations } from './reference';
import { leaseMigrations } from './leases';
import { mergeMigrations } from './merges';
import { casePaymentMigrations } from './case-payment';

export type { Migration } from './migration';

const coreMigrations: Migration[] = [
  {
    version: 1,
    name: 'accounts, sessions, audit log, settings',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        password_salt TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE user_roles (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (user_id, role)
      ) STRICT;

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        ended_at TEXT
      ) STRICT;
      CREATE INDEX sessions_user ON sessions(user_id);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_id TEXT,
        actor_name TEXT,
        method TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT,
        entity_id TEXT,
        summary TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_entity ON audit_log(entity_id);
      -- Append-only: the chain can be verified, but the database itself refuses edits too.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
];

export const migrations: Migration[] = [
  ...coreMigrations,
  ...securityMigrations,
  ...noticeMigrations,
  ...caseMigrations,
  ...appraisalMigrations,
  ...replicationMigrations,
  ...syncMigrations,
  ...referenceMigrations,
  ...deskMigrations,
  ...leaseMigrations,
  ...mergeMigrations,
  ...casePaymentMigrations,
];

export function runMigrations(db: BetterSqlite3.Database, list: Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const applied: number[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    applied.push(m.version);
  }
  return applied;
}
