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
  {
    version: 303,
    name: 'appraisal requests: 预审 checklist, extension, 复查 and provincial 再次鉴定',
    // A request (鉴定申请) is the appraisal case: each 初次, 复查 or 再次 application of a claim
    // case gets one, at the municipal or the provincial committee, linked to the conclusion it
    // challenges. Its clocks run from its own dates, and a conclusion names the request it answers.
    sql: `
      CREATE TABLE appraisal_requests (
        id TEXT PRIMARY KEY,
        request_no TEXT NOT NULL UNIQUE,
        case_id TEXT NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'review', 'reappraisal')),
        level TEXT NOT NULL CHECK (level IN ('municipal', 'provincial')),
        committee TEXT NOT NULL,
        previous_conclusion_id TEXT REFERENCES appraisal_conclusions(id),
        requested_on TEXT NOT NULL,
        requested_by TEXT NOT NULL REFERENCES users(id),
        reason TEXT NOT NULL DEFAULT '',
        precheck TEXT,
        precheck_result TEXT CHECK (precheck_result IN ('complete', 'incomplete')),
        prechecked_by TEXT REFERENCES users(id),
        prechecked_on TEXT,
        complete_on TEXT,
        extension_reason TEXT,
        extended_by TEXT REFERENCES users(id),
        extended_on TEXT
      ) STRICT;
      CREATE INDEX appraisal_requests_case ON appraisal_requests(case_id);
      ALTER TABLE appraisal_conclusions ADD COLUMN request_id TEXT REFERENCES appraisal_requests(id);
      -- When the case was called at the table, for the time per case in the session report.
      ALTER TABLE session_cases ADD COLUMN heard_at TEXT;
      -- Requests made before this table existed: one per request move, at the municipal level.
      INSERT INTO appraisal_requests (id, request_no, case_id, kind, level, committee, requested_on, requested_by, reason)
        SELECT id, 'JS-' || id, case_id,
               CASE action WHEN 'request_reappraisal' THEN 'reappraisal' ELSE 'initial' END,
               CASE action WHEN 'request_reappraisal' THEN 'provincial' ELSE 'municipal' END,
               '', substr(at, 1, 10), by_user, reason
        FROM case_transitions WHERE action IN ('request_appraisal', 'request_reappraisal');
    `,
  },
  {
    version: 304,
    name: 'the appraisal session is called a hearing (专场) in the schema, as in the code',
    // "Session" also meant the sign-in session and the session package; the tables follow the
    // code's name for 专场. SQLite rewrites the foreign keys and triggers that name them.
    sql: `
      ALTER TABLE appraisal_sessions RENAME TO hearings;
      ALTER TABLE hearings RENAME COLUMN session_no TO hearing_no;
      ALTER TABLE session_cases RENAME TO hearing_cases;
      ALTER TABLE hearing_cases RENAME COLUMN session_id TO hearing_id;
      ALTER TABLE expert_opinions RENAME COLUMN session_id TO hearing_id;
      ALTER TABLE appraisal_conclusions RENAME COLUMN session_id TO hearing_id;
    `,
  },
  {
    version: 310,
    name: 'review rounds (双重复核), superseding determinations, the party of a 再次鉴定, requests ended by death',
    // A determination keeps the review chain the pack gave it and the round it waits for; each round's
    // decision is a row. A later determination (new conclusion, death) supersedes an approved one from
    // its effective date and keeps the comparison; an approval made while a 再次鉴定 or 复查 is pending
    // is provisional. Existing determinations were reviewed in one round.
    sql: `
      ALTER TABLE appraisal_requests ADD COLUMN party TEXT CHECK (party IN ('worker', 'platform'));
      ALTER TABLE appraisal_requests ADD COLUMN closed_on TEXT;
      ALTER TABLE appraisal_requests ADD COLUMN closed_reason TEXT;

      ALTER TABLE benefit_determinations ADD COLUMN review_round INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE benefit_determinations ADD COLUMN review_chain TEXT NOT NULL
        DEFAULT '[{"role":"benefit_reviewer","label":"待遇复核","body":"委托承办机构"}]';
      ALTER TABLE benefit_determinations ADD COLUMN supersedes_id TEXT REFERENCES benefit_determinations(id);
      ALTER TABLE benefit_determinations ADD COLUMN superseded_by TEXT REFERENCES benefit_determinations(id);
      ALTER TABLE benefit_determinations ADD COLUMN effective_from TEXT;
      ALTER TABLE benefit_determinations ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1));
      ALTER TABLE benefit_determinations ADD COLUMN comparison TEXT;

      CREATE TABLE determination_reviews (
        determination_id TEXT NOT NULL REFERENCES benefit_determinations(id),
        case_id TEXT NOT NULL REFERENCES cases(id),
        round INTEGER NOT NULL,
        role TEXT NOT NULL,
        reviewer_id TEXT NOT NULL REFERENCES users(id),
        decision TEXT NOT NULL CHECK (decision IN ('approved', 'returned')),
        reason TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        PRIMARY KEY (determination_id, round)
      ) STRICT;
      CREATE TRIGGER determination_reviews_no_update BEFORE UPDATE ON determination_reviews
        BEGIN SELECT RAISE(ABORT, '复核记录不能修改'); END;
      INSERT INTO determination_reviews (determination_id, case_id, round, role, reviewer_id, decision, reason, at)
        SELECT id, case_id, 1, 'benefit_reviewer', reviewed_by, status, review_reason, reviewed_at
        FROM benefit_determinations
        WHERE status IN ('approved', 'returned') AND reviewed_by IS NOT NULL AND reviewed_at IS NOT NULL;
    `,
  },
];
