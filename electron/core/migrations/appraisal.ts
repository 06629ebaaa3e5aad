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
];
