// Issue #13's same-accident merge (560–569; electron/core/cases/case-merge.ts). 561: the pointer
// guard applies to this computer's own edits only, not to the centre's state pulled back. 560: a case closed
// as merged names the case it went into (merged_into, and that case's 登记编号 for a device that
// does not hold it: the kept case may be another office's, so no foreign key); case_merges is the
// merge's record for the kept case (what was carried over, listed), replicated, append-only.
import type { Migration } from './migration';
import { triggers } from './replication';

export const mergeMigrations: Migration[] = [
  {
    version: 560,
    name: 'cases merged into another (same accident), and the merge record',
    sql: `
      ALTER TABLE cases ADD COLUMN merged_into TEXT;
      ALTER TABLE cases ADD COLUMN merged_into_no TEXT;
      CREATE INDEX cases_merged_into ON cases(merged_into) WHERE merged_into IS NOT NULL;

      CREATE TABLE case_merges (
        id TEXT PRIMARY KEY,
        -- The kept case (the row travels to its holders) and the closed one (its holder writes the row).
        kept_case_id TEXT NOT NULL,
        kept_registration_no TEXT NOT NULL,
        merged_case_id TEXT NOT NULL UNIQUE,
        merged_registration_no TEXT NOT NULL,
        merged_office TEXT NOT NULL,
        conflict_id TEXT,
        -- JSON: the closed case's materials, medical bills and 办理记录 as they stood (carried, listed).
        carried TEXT NOT NULL,
        decided_by TEXT,
        decided_by_name TEXT NOT NULL,
        decided_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX case_merges_kept ON case_merges(kept_case_id);
      CREATE TRIGGER case_merges_fixed BEFORE UPDATE ON case_merges
      BEGIN SELECT RAISE(ABORT, '案件合并记录不能修改'); END;
      CREATE TRIGGER case_merges_kept BEFORE DELETE ON case_merges
      BEGIN SELECT RAISE(ABORT, '案件合并记录不能删除'); END;
      -- A merged case stays merged: its pointer is never changed or cleared.
      CREATE TRIGGER cases_merged_fixed BEFORE UPDATE OF merged_into ON cases
        WHEN OLD.merged_into IS NOT NULL AND NEW.merged_into IS NOT OLD.merged_into
      BEGIN SELECT RAISE(ABORT, '已合并的案件不能改为并入其他案件'); END;
      ${triggers({ table: 'case_merges', key: ['id'], version: null })}
    `,
  },
  {
    // The pointer guards against a person un-merging a case here. The centre's state is not a
    // person's edit: when the centre refuses a merge (MERGE_SIGNED) it sends the case back
    // unmerged, and the guard refused that pulled row, which stopped every later pull.
    version: 561,
    name: 'a merged case pointer yields to the centre state',
    sql: `
      DROP TRIGGER IF EXISTS cases_merged_fixed;
      CREATE TRIGGER cases_merged_fixed BEFORE UPDATE OF merged_into ON cases
        WHEN OLD.merged_into IS NOT NULL AND NEW.merged_into IS NOT OLD.merged_into AND NOT EXISTS (SELECT 1 FROM sync_capture_off)
      BEGIN SELECT RAISE(ABORT, '已合并的案件不能改为并入其他案件'); END;
    `,
  },
];
