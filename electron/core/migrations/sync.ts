// The device's sync engine (versions 520–539): what enrolment with a centre leaves on the device
// (centre address, the device id and tag the centre assigned, its office, the centre's pinned
// public key, a revocation if the centre answered one), the last pass's outcome for the status
// slot, and the history of sync passes shown on the 同步 page. docs/sync-protocol.md §2 and §8.
import type { Migration } from './migration';
import { triggers } from './replication';
import { enqueueBaseline } from '../replication/baseline';

export const syncMigrations: Migration[] = [
  {
    version: 520,
    name: 'sync enrolment, status and the history of sync passes',
    sql: `
      ALTER TABLE sync_state ADD COLUMN centre_url TEXT;
      ALTER TABLE sync_state ADD COLUMN device_tag TEXT;
      ALTER TABLE sync_state ADD COLUMN office_id TEXT;
      ALTER TABLE sync_state ADD COLUMN office_name TEXT;
      -- Pinned at enrolment: everything the centre signs is checked against this key only.
      ALTER TABLE sync_state ADD COLUMN centre_public_key TEXT;
      ALTER TABLE sync_state ADD COLUMN revoked_at TEXT;
      ALTER TABLE sync_state ADD COLUMN last_attempt_at TEXT;
      ALTER TABLE sync_state ADD COLUMN last_success_at TEXT;
      ALTER TABLE sync_state ADD COLUMN last_error TEXT;

      CREATE TABLE sync_passes (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        trigger TEXT NOT NULL CHECK (trigger IN ('background', 'manual', 'cli')),
        outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed', 'offline', 'revoked')),
        pushed INTEGER NOT NULL DEFAULT 0,
        pulled INTEGER NOT NULL DEFAULT 0,
        conflicts INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        message TEXT
      ) STRICT;
      CREATE INDEX sync_passes_started ON sync_passes(started_at);
    `,
  },
  {
    version: 521,
    name: 'rows whose local change the centre refused take the centre state next',
    // After a conflict or rejection the centre sends its current row again; it may carry a lower
    // version than our refused edit, which a pull would otherwise keep as newer.
    sql: `
      CREATE TABLE sync_yield (
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (tbl, key)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    // A 疑点 flag is computed on every device from the cases it holds (screening/), so the flag
    // rows stay local; what a colleague elsewhere needs is the person's clearing of it (who, when,
    // why). That record travels (append-only, with its case) and clears the same flag — the same
    // case, rule and evidence — wherever it lands, also when that device raises the flag later
    // (screening.ts reads it). The trigger names case_flags, which a fresh store creates after
    // this step (migration 601): SQLite resolves a trigger's tables when it fires.
    version: 530,
    name: '疑点 clearances travel: case_flag_clearances, captured, clearing the local flag',
    sql: `
      CREATE TABLE case_flag_clearances (
        case_id TEXT NOT NULL REFERENCES cases(id),
        code TEXT NOT NULL,
        key TEXT NOT NULL,
        cleared_by TEXT NOT NULL REFERENCES users(id),
        cleared_at TEXT NOT NULL,
        clear_reason TEXT NOT NULL,
        PRIMARY KEY (case_id, code, key)
      ) STRICT;
      CREATE TRIGGER case_flag_clearances_apply AFTER INSERT ON case_flag_clearances BEGIN
        UPDATE case_flags SET status = 'cleared', cleared_by = NEW.cleared_by, cleared_at = NEW.cleared_at, clear_reason = NEW.clear_reason
          WHERE case_id = NEW.case_id AND code = NEW.code AND key = NEW.key AND status <> 'cleared';
      END;
      ${triggers({ table: 'case_flag_clearances', key: ['case_id', 'code', 'key'], version: null })}
    `,
    run: (db) => {
      // A store that already has flags: their clearings become records (not captured: enqueued once, below).
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_flags'").get()) {
        db.prepare('INSERT OR IGNORE INTO sync_capture_off (id) VALUES (1)').run();
        db.prepare(
          `INSERT OR IGNORE INTO case_flag_clearances (case_id, code, key, cleared_by, cleared_at, clear_reason)
           SELECT case_id, code, key, cleared_by, cleared_at, coalesce(clear_reason, '') FROM case_flags
           WHERE status = 'cleared' AND cleared_by IS NOT NULL AND cleared_at IS NOT NULL`,
        ).run();
        db.prepare('DELETE FROM sync_capture_off').run();
      }
      enqueueBaseline(db, new Set(['case_flag_clearances']));
    },
  },
];
