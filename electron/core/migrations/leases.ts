// Issue #13's device tables (550–569). 550: document-number leases — a block of doc_number_blocks
// can be a lease the centre signed (source 'sync', its id and signature kept), and a block can be
// handed back, closed here first (no number is taken from it again), then reported to the centre.
// 552: who holds each case (the centre's word, kept for offline use). 551: the 同步冲突 inbox — the office's conflicts as the centre last listed them (local), and the
// decisions people make on them (replicated, append-only, captured like every catalogue table).
// 553: notes and requests to the office holding a case (replicated, versioned).
import type { Migration } from './migration';
import { triggers } from './replication';

export const leaseMigrations: Migration[] = [
  {
    version: 550,
    name: 'document-number blocks leased by the centre, and hand-backs',
    sql: `
      ALTER TABLE doc_number_blocks ADD COLUMN lease_id TEXT;
      ALTER TABLE doc_number_blocks ADD COLUMN lease_key_id TEXT;
      ALTER TABLE doc_number_blocks ADD COLUMN lease_signature TEXT;
      ALTER TABLE doc_number_blocks ADD COLUMN leased_at TEXT;
      -- Numbers from returned_from on were never used and go back to the centre.
      ALTER TABLE doc_number_blocks ADD COLUMN returned_from INTEGER;
      ALTER TABLE doc_number_blocks ADD COLUMN returned_at TEXT;
      ALTER TABLE doc_number_blocks ADD COLUMN return_acked_at TEXT;
      CREATE UNIQUE INDEX doc_number_blocks_lease ON doc_number_blocks(lease_id) WHERE lease_id IS NOT NULL;
      -- A leased block's range is the centre's: it is never edited here.
      CREATE TRIGGER doc_number_blocks_lease_fixed BEFORE UPDATE OF first_no, last_no, series, year, pattern, issuer, lease_id
        ON doc_number_blocks WHEN OLD.lease_id IS NOT NULL
      BEGIN SELECT RAISE(ABORT, '中心分配的号段不能修改'); END;
    `,
  },
  {
    version: 551,
    name: 'the sync-conflict inbox and the decisions made on it',
    sql: `
      CREATE TABLE sync_conflicts (
        id TEXT PRIMARY KEY,
        conflict_kind TEXT NOT NULL CHECK (conflict_kind IN ('stale', 'duplicate')),
        mutation_kind TEXT NOT NULL,
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        device_id TEXT,
        device_op TEXT NOT NULL,
        base_version INTEGER,
        device_version INTEGER NOT NULL,
        device_row TEXT,
        centre_version INTEGER,
        centre_deleted INTEGER,
        centre_row TEXT,
        detail TEXT,
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution TEXT,
        fetched_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sync_conflicts_open ON sync_conflicts(created_at) WHERE resolved_at IS NULL;

      CREATE TABLE conflict_decisions (
        id TEXT PRIMARY KEY,
        conflict_id TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('device', 'centre', 'duplicate', 'distinct')),
        table_name TEXT NOT NULL,
        record_key TEXT NOT NULL,
        summary TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX conflict_decisions_conflict ON conflict_decisions(conflict_id);
      CREATE TRIGGER conflict_decisions_fixed BEFORE UPDATE ON conflict_decisions
      BEGIN SELECT RAISE(ABORT, '同步冲突的处理记录不能修改'); END;
      CREATE TRIGGER conflict_decisions_kept BEFORE DELETE ON conflict_decisions
      BEGIN SELECT RAISE(ABORT, '同步冲突的处理记录不能删除'); END;
      ${triggers({ table: 'conflict_decisions', key: ['id'], version: null })}
    `,
  },
  {
    version: 552,
    name: 'who holds each case, as the centre last said',
    // Filled by each sync pass (sync/holders.ts); a case absent here is this device's to change.
    sql: `
      CREATE TABLE case_custody (
        case_id TEXT PRIMARY KEY,
        office_id TEXT NOT NULL,
        office_name TEXT NOT NULL,
        held_here INTEGER NOT NULL CHECK (held_here IN (0, 1)),
        since TEXT NOT NULL,
        fetched_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 553,
    name: 'notes and requests to the office holding a case',
    // Replicated (catalogue 5). A non-holder may write a new one; only the holder answers it
    // (shared/sync/tables.ts HOLDER_FREE_TABLES, electron/core/cases/case-requests.ts).
    sql: `
      CREATE TABLE case_requests (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('note', 'handover', 'materials', 'other')),
        body TEXT NOT NULL,
        from_office TEXT NOT NULL,
        from_user TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'answered')),
        answer TEXT,
        answered_by TEXT REFERENCES users(id),
        answered_at TEXT,
        row_version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX case_requests_case ON case_requests(case_id, created_at);
      CREATE INDEX case_requests_open ON case_requests(created_at) WHERE status = 'open';
      ${triggers({ table: 'case_requests', key: ['id'], version: 'row_version' })}
    `,
  },
];
