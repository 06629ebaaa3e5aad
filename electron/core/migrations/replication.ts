// Replication and sync (versions 500–519): row versions on every versioned table of the
// catalogue, tombstones for deletes, change capture into sync_capture (read and cleared by the
// dispatcher's commit hook, electron/core/replication/outbox.ts), the outbox, blob references,
// deferred pulled changes and the sync state; then the rows that predate the outbox, enqueued
// once as sync.baseline mutations. docs/sync-protocol.md §4 and docs/architecture.md describe it.
import type { Migration } from './migration';
import { enqueueBaseline } from '../replication/baseline';

/**
 * The catalogue's tables as they were when this migration was written. Frozen here on purpose:
 * an applied migration never changes, so a table added to shared/sync/tables.ts later gets its
 * triggers from a new migration (a test compares every catalogue table with its triggers).
 */
/** A table's capture triggers: which table, its key, its version column, and (users) the columns that count. */
export interface CapturedTable {
  table: string;
  key: string[];
  version: string | null;
  updateOf?: string[];
}

const TABLES_500: CapturedTable[] = [
  // Sign-in state (password, failures, lockout) is local: updating only those columns is no change.
  {
    table: 'users',
    key: ['id'],
    version: 'row_version',
    updateOf: ['id', 'username', 'display_name', 'active', 'created_at', 'updated_at', 'row_version'],
  },
  { table: 'user_roles', key: ['user_id', 'role'], version: null },
  { table: 'platforms', key: ['code'], version: 'row_version' },
  { table: 'experts', key: ['id'], version: 'row_version' },
  { table: 'workers', key: ['id'], version: 'row_version' },
  { table: 'accident_reports', key: ['id'], version: 'row_version' },
  { table: 'cases', key: ['id'], version: 'version' },
  { table: 'case_materials', key: ['case_id', 'code'], version: 'row_version' },
  { table: 'attachments', key: ['id'], version: null },
  { table: 'case_transitions', key: ['id'], version: null },
  { table: 'medical_bills', key: ['id'], version: 'row_version' },
  { table: 'case_recusals', key: ['case_id', 'expert_id'], version: 'row_version' },
  { table: 'panel_draws', key: ['id'], version: null },
  { table: 'hearings', key: ['id'], version: 'row_version' },
  { table: 'hearing_cases', key: ['hearing_id', 'case_id'], version: 'row_version' },
  { table: 'appraisal_requests', key: ['id'], version: 'row_version' },
  { table: 'expert_opinions', key: ['hearing_id', 'case_id', 'expert_id'], version: 'row_version' },
  { table: 'appraisal_conclusions', key: ['id'], version: null },
  { table: 'benefit_determinations', key: ['id'], version: 'row_version' },
  { table: 'issued_documents', key: ['id'], version: null },
];

/** The catalogue tables issue #14 added, with their triggers from migration 519. */
const LEGAL_TABLES: CapturedTable[] = [
  { table: 'case_deaths', key: ['case_id'], version: null },
  { table: 'dependants', key: ['id'], version: 'row_version' },
  { table: 'determination_reviews', key: ['determination_id', 'round'], version: null },
  { table: 'voided_documents', key: ['document_id'], version: null },
  { table: 'deliveries', key: ['id'], version: null },
];

const CAPTURE_ON = 'NOT EXISTS (SELECT 1 FROM sync_capture_off)';
const CHINA_NOW = `strftime('%Y-%m-%dT%H:%M:%S', 'now', '+8 hours') || '+08:00'`;

/** The AFTER INSERT / UPDATE / DELETE triggers that note a table's changed keys in sync_capture. */
export function triggers(t: CapturedTable): string {
  const key = (row: 'NEW' | 'OLD') => `json_array(${t.key.map((k) => `${row}.${k}`).join(', ')})`;
  const match = (row: 'NEW' | 'OLD') => t.key.map((k) => `${k} = ${row}.${k}`).join(' AND ');
  const keyChanged = t.key.map((k) => `NEW.${k} IS NOT OLD.${k}`).join(' OR ');
  const tomb = (row: 'NEW' | 'OLD') => `(SELECT version FROM sync_tombstones WHERE tbl = '${t.table}' AND key = ${key(row)})`;
  const oldVersion = t.version ? `OLD.${t.version}` : 'NULL';
  const deadVersion = t.version ? `OLD.${t.version} + 1` : '1';
  return `
      CREATE TRIGGER ${t.table}_sync_insert AFTER INSERT ON ${t.table} BEGIN
        INSERT INTO sync_capture (tbl, key, existed, base_version)
          SELECT '${t.table}', ${key('NEW')}, 0, ${tomb('NEW')} WHERE ${CAPTURE_ON}
          ON CONFLICT DO NOTHING;
        ${
          t.version
            ? `UPDATE ${t.table} SET ${t.version} = ${tomb('NEW')} + 1
          WHERE ${match('NEW')} AND ${tomb('NEW')} IS NOT NULL;`
            : ''
        }
        DELETE FROM sync_tombstones WHERE tbl = '${t.table}' AND key = ${key('NEW')};
      END;
      CREATE TRIGGER ${t.table}_sync_update AFTER UPDATE${t.updateOf ? ` OF ${t.updateOf.join(', ')}` : ''} ON ${t.table} BEGIN
        INSERT INTO sync_capture (tbl, key, existed, base_version)
          SELECT '${t.table}', ${key('OLD')}, 1, ${oldVersion} WHERE ${CAPTURE_ON}
          ON CONFLICT DO NOTHING;
        INSERT INTO sync_capture (tbl, key, existed, base_version)
          SELECT '${t.table}', ${key('NEW')}, 0, NULL WHERE ${CAPTURE_ON} AND (${keyChanged})
          ON CONFLICT DO NOTHING;
        INSERT INTO sync_tombstones (tbl, key, version, deleted_at)
          SELECT '${t.table}', ${key('OLD')}, ${deadVersion}, ${CHINA_NOW} WHERE ${keyChanged}
          ON CONFLICT (tbl, key) DO UPDATE SET version = excluded.version, deleted_at = excluded.deleted_at;
        ${
          t.version
            ? `UPDATE ${t.table} SET ${t.version} = OLD.${t.version} + 1
          WHERE ${match('NEW')} AND NEW.${t.version} = OLD.${t.version} AND ${CAPTURE_ON};`
            : ''
        }
      END;
      CREATE TRIGGER ${t.table}_sync_delete AFTER DELETE ON ${t.table} BEGIN
        INSERT INTO sync_capture (tbl, key, existed, base_version)
          SELECT '${t.table}', ${key('OLD')}, 1, ${oldVersion} WHERE ${CAPTURE_ON}
          ON CONFLICT DO NOTHING;
        INSERT INTO sync_tombstones (tbl, key, version, deleted_at)
          VALUES ('${t.table}', ${key('OLD')}, ${deadVersion}, ${CHINA_NOW})
          ON CONFLICT (tbl, key) DO UPDATE SET version = excluded.version, deleted_at = excluded.deleted_at;
      END;`;
}

export const replicationMigrations: Migration[] = [
  {
    version: 500,
    name: 'row versions, tombstones, change capture, the sync outbox and state',
    sql: `
      ${TABLES_500.filter((t) => t.version === 'row_version')
        .map((t) => `ALTER TABLE ${t.table} ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;`)
        .join('\n      ')}

      -- The keys a transaction changed, with each row's version before its first change there
      -- (existed = 0: the row was new). Read and emptied by the commit hook in the same transaction.
      CREATE TABLE sync_capture (
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        existed INTEGER NOT NULL CHECK (existed IN (0, 1)),
        base_version INTEGER,
        PRIMARY KEY (tbl, key)
      ) STRICT, WITHOUT ROWID;
      -- Capture is off while this table has its one row (set and cleared inside one transaction).
      CREATE TABLE sync_capture_off (id INTEGER PRIMARY KEY CHECK (id = 1)) STRICT;

      -- A deleted row's key and the version its deletion made, so the delete can travel and a row
      -- inserted again under the same key carries on from that version.
      CREATE TABLE sync_tombstones (
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        deleted_at TEXT NOT NULL,
        PRIMARY KEY (tbl, key)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE sync_outbox (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        mutation_id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        entity TEXT,
        entity_id TEXT,
        user_id TEXT,
        user_name TEXT,
        rule_pack TEXT,
        schema_version INTEGER NOT NULL,
        rows TEXT NOT NULL,
        audit TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acked', 'rejected', 'conflict')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        result TEXT,
        created_at TEXT NOT NULL,
        acked_at TEXT
      ) STRICT;
      CREATE INDEX sync_outbox_status ON sync_outbox(status, seq);
      -- What was sent never changes, and nothing unacknowledged is ever removed.
      CREATE TRIGGER sync_outbox_fixed BEFORE UPDATE OF seq, mutation_id, kind, entity, entity_id, user_id, user_name, rule_pack, schema_version, rows, audit, created_at ON sync_outbox
        BEGIN SELECT RAISE(ABORT, '待同步记录的内容不能修改'); END;
      CREATE TRIGGER sync_outbox_keep_pending BEFORE DELETE ON sync_outbox WHEN OLD.status = 'pending'
        BEGIN SELECT RAISE(ABORT, '尚未同步的记录不能删除'); END;
      -- The rows each unacknowledged mutation carries: a pulled change to one of them waits.
      CREATE TABLE sync_outbox_keys (
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        seq INTEGER NOT NULL REFERENCES sync_outbox(seq),
        PRIMARY KEY (tbl, key, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sync_outbox_keys_seq ON sync_outbox_keys(seq);

      -- Where the bytes of a BLOB sent as {"$blob": sha256} are (the row's own column), and the
      -- bytes of blobs fetched for a pull page until the page is applied.
      CREATE TABLE sync_blob_refs (
        sha256 TEXT NOT NULL,
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        col TEXT NOT NULL,
        PRIMARY KEY (sha256, tbl, key, col)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE sync_blobs (
        sha256 TEXT PRIMARY KEY,
        bytes BLOB NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;

      -- Pulled changes to rows with unacknowledged local changes, applied once the push is answered.
      CREATE TABLE sync_deferred (
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        change TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (tbl, key)
      ) STRICT, WITHOUT ROWID;

      -- One row: the enrolment (minimal; the sync client adds its own columns) and the pull cursor.
      CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        device_id TEXT,
        centre_key_id TEXT,
        enrolled_at TEXT,
        pull_cursor TEXT,
        pulled_at TEXT
      ) STRICT;
      INSERT INTO sync_state (id) VALUES (1);

      ${TABLES_500.map(triggers).join('\n')}
    `,
  },
  {
    version: 501,
    name: 'trusted devices carry the X25519 key packages are encrypted to',
    // Null for a device registered from an old (OIPKEY1) line: its notices verify, packages
    // cannot be addressed to it until it is registered again from its new line.
    sql: `ALTER TABLE trusted_signers ADD COLUMN enc_public_key TEXT;`,
  },
  {
    version: 502,
    name: 'rows that predate the outbox enqueued as sync.baseline mutations',
    sql: '',
    run: enqueueBaseline,
  },
  {
    // The tables the legal paths added (issue #14: death, dependants, review rounds, 作废, 送达)
    // joined the catalogue after 500 was written; they get their triggers here. On a store that
    // had 502 before them, their first rows (review rounds carried over from single reviews by
    // migration 310) were written without capture: they are enqueued now, unless 502 already
    // took them (a store that had neither), so nothing is sent twice.
    version: 519,
    name: 'capture triggers for case_deaths, dependants, determination_reviews, voided_documents, deliveries',
    sql: LEGAL_TABLES.map(triggers).join('\n'),
    run: (db) => enqueueBaseline(db, new Set(LEGAL_TABLES.map((t) => t.table))),
  },
];
