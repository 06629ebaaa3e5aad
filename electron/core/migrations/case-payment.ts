// The payee account of a case and the removal of attachments (versions 140–159): both travel by
// sync, so each table gets its capture triggers here, after the replication core's tables exist
// (docs/sync-protocol.md §5).
import type { Migration } from './migration';
import { triggers } from './replication';

export const casePaymentMigrations: Migration[] = [
  {
    version: 140,
    name: 'payee account of a case (收款人, 开户银行, 账号); attachment removals (tombstones)',
    // One row per case, edited in place (versioned). A removed attachment keeps its row (the
    // attachments table is append-only and its id may already be at the centre); the removal is a
    // row of its own, never changed or deleted, that hides it everywhere.
    sql: `
      CREATE TABLE case_payees (
        case_id TEXT PRIMARY KEY REFERENCES cases(id),
        payee_name TEXT NOT NULL,
        bank TEXT NOT NULL,
        account TEXT NOT NULL,
        change_reason TEXT NOT NULL DEFAULT '',
        updated_by TEXT,
        updated_at TEXT NOT NULL,
        row_version INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      CREATE TABLE attachment_removals (
        attachment_id TEXT PRIMARY KEY REFERENCES attachments(id),
        case_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        removed_by TEXT,
        removed_by_name TEXT NOT NULL,
        removed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attachment_removals_case ON attachment_removals(case_id);
      CREATE TRIGGER attachment_removals_fixed BEFORE UPDATE ON attachment_removals
      BEGIN SELECT RAISE(ABORT, '附件删除记录不能修改'); END;
      CREATE TRIGGER attachment_removals_kept BEFORE DELETE ON attachment_removals
      BEGIN SELECT RAISE(ABORT, '附件删除记录不能删除'); END;
    `,
  },
  {
    // Outside 140–159 on purpose: capture triggers name sync_tombstones, which migration 500
    // creates, and migrations run in version order on a new store (the lead may renumber it).
    version: 559,
    name: 'capture triggers for case_payees and attachment_removals',
    sql: `
      ${triggers({ table: 'case_payees', key: ['case_id'], version: 'row_version' })}
      ${triggers({ table: 'attachment_removals', key: ['attachment_id'], version: null })}
    `,
  },
];
