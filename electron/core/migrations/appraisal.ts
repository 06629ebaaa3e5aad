// Tables of the appraisal committee: the expert pool, per-case recusals, and stored panel
// draws (seed, candidates, result) so that any draw can be re-run and checked.
import type { Migration } from './migration';

export const appraisalMigrations: Migration[] = [
  {
    version: 300,
    name: 'expert pool, recusals, panel draws',
    sql: `
      CREATE TABLE experts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        organisation TEXT NOT NULL,
        categories TEXT NOT NULL,
        departments TEXT NOT NULL,
        available INTEGER NOT NULL CHECK (available IN (0, 1)),
        platform_ties TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE case_recusals (
        case_id TEXT NOT NULL REFERENCES cases(id),
        expert_id TEXT NOT NULL REFERENCES experts(id),
        reason TEXT NOT NULL,
        recorded_by TEXT NOT NULL REFERENCES users(id),
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (case_id, expert_id)
      ) STRICT;

      CREATE TABLE panel_draws (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        size INTEGER NOT NULL CHECK (size IN (3, 5)),
        categories TEXT NOT NULL,
        seed TEXT NOT NULL,
        candidates TEXT NOT NULL,
        excluded TEXT NOT NULL,
        result TEXT NOT NULL,
        drawn_by TEXT NOT NULL REFERENCES users(id),
        drawn_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX panel_draws_case ON panel_draws(case_id);
      CREATE TRIGGER panel_draws_no_update BEFORE UPDATE ON panel_draws
        BEGIN SELECT RAISE(ABORT, '抽取记录不能修改'); END;
    `,
  },
  {
    version: 301,
    name: 'appraisal sessions, expert opinions, signed conclusions',
    sql: `
      CREATE TABLE appraisal_sessions (
        id TEXT PRIMARY KEY,
        session_no TEXT NOT NULL UNIQUE,
        date TEXT NOT NULL,
        venue TEXT NOT NULL,
        committee TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'review', 'reappraisal')),
        created_by TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE session_cases (
        session_id TEXT NOT NULL REFERENCES appraisal_sessions(id),
        case_id TEXT NOT NULL REFERENCES cases(id),
        position INTEGER NOT NULL,
        attendance TEXT NOT NULL DEFAULT 'pending' CHECK (attendance IN ('pending', 'present', 'absent')),
        findings TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (session_id, case_id)
      ) STRICT;

      CREATE TABLE expert_opinions (
        session_id TEXT NOT NULL REFERENCES appraisal_sessions(id),
        case_id TEXT NOT NULL REFERENCES cases(id),
        expert_id TEXT NOT NULL REFERENCES experts(id),
        items TEXT NOT NULL,
        promotion_applied INTEGER NOT NULL CHECK (promotion_applied IN (0, 1)),
        promotion_reason TEXT NOT NULL,
        grade INTEGER,
        nursing_level TEXT,
        recorded_by TEXT NOT NULL REFERENCES users(id),
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (session_id, case_id, expert_id)
      ) STRICT;

      CREATE TABLE appraisal_conclusions (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        session_id TEXT NOT NULL REFERENCES appraisal_sessions(id),
        grade INTEGER,
        nursing_level TEXT,
        items TEXT NOT NULL,
        promotion TEXT NOT NULL,
        advice TEXT NOT NULL,
        proposal TEXT NOT NULL,
        decision_reason TEXT NOT NULL,
        leader_id TEXT NOT NULL REFERENCES users(id),
        signed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX appraisal_conclusions_case ON appraisal_conclusions(case_id);
      -- A signed conclusion is final; only a 再次鉴定 or 复查 supersedes it, with a new row.
      CREATE TRIGGER appraisal_conclusions_no_update BEFORE UPDATE ON appraisal_conclusions
        BEGIN SELECT RAISE(ABORT, '鉴定结论签发后不能修改，只能通过再次鉴定或复查变更'); END;
      CREATE TRIGGER appraisal_conclusions_no_delete BEFORE DELETE ON appraisal_conclusions
        BEGIN SELECT RAISE(ABORT, '鉴定结论签发后不能删除'); END;
    `,
  },
  {
    version: 302,
    name: 'benefit determinations and their review',
    sql: `
      CREATE TABLE benefit_determinations (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        conclusion_id TEXT REFERENCES appraisal_conclusions(id),
        facts TEXT NOT NULL,
        result TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('prepared', 'approved', 'returned')),
        prepared_by TEXT NOT NULL REFERENCES users(id),
        prepared_at TEXT NOT NULL,
        reviewed_by TEXT REFERENCES users(id),
        reviewed_at TEXT,
        review_reason TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX benefit_determinations_case ON benefit_determinations(case_id);
    `,
  },
];
