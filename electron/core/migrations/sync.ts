// The device's sync engine (versions 520–539): what enrolment with a centre leaves on the device
// (centre address, the device id and tag the centre assigned, its office, the centre's pinned
// public key, a revocation if the centre answered one), the last pass's outcome for the status
// slot, and the history of sync passes shown on the 同步 page. docs/sync-protocol.md §2 and §8.
import type { Migration } from './migration';

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
];
