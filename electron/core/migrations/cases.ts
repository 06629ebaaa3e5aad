// Tables of the walk-in claim: reference platforms, workers, platform accident reports,
// cases with their materials, attachments, transitions and medical bills, and the search index.
import type { Migration } from './migration';

const PLATFORMS: [string, string, string][] = [
  ['didi', '滴滴出行', 'ride_hailing'],
  ['caocao', '曹操出行', 'ride_hailing'],
  ['meituan', '美团', 'instant_delivery'],
  ['eleme', '饿了么', 'instant_delivery'],
  ['jd-miaosong', '京东秒送', 'instant_delivery'],
  ['shansong', '闪送', 'instant_delivery'],
  ['sf-tongcheng', '顺丰同城', 'instant_delivery'],
  ['huolala', '货拉拉', 'freight'],
  ['kuaigou', '快狗打车', 'freight'],
  ['didi-freight', '滴滴货运', 'freight'],
  ['manbang', '满帮省省', 'freight'],
];

export const caseMigrations: Migration[] = [
  {
    version: 200,
    name: 'platforms, workers, accident reports, cases, materials, attachments, bills, search',
    sql: `
      CREATE TABLE platforms (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        industry TEXT NOT NULL CHECK (industry IN ('ride_hailing', 'instant_delivery', 'freight')),
        credit_code TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        updated_at TEXT NOT NULL
      ) STRICT;
      ${PLATFORMS.map(([c, n, i]) => `INSERT INTO platforms (code, name, industry, updated_at) VALUES ('${c}', '${n}', '${i}', '2026-07-01T00:00:00+08:00');`).join('\n      ')}

      CREATE TABLE workers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        id_number TEXT NOT NULL UNIQUE,
        phone TEXT NOT NULL,
        industry TEXT NOT NULL,
        platforms TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX workers_name ON workers(name);
      CREATE INDEX workers_phone ON workers(phone);

      CREATE TABLE accident_reports (
        id TEXT PRIMARY KEY,
        report_no TEXT NOT NULL UNIQUE,
        platform_code TEXT NOT NULL REFERENCES platforms(code),
        worker_name TEXT NOT NULL,
        id_number TEXT NOT NULL,
        phone TEXT NOT NULL,
        accident_at TEXT NOT NULL,
        place TEXT NOT NULL,
        order_no TEXT NOT NULL,
        order_accepted_at TEXT,
        order_finished_at TEXT,
        description TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('sync', 'import')),
        case_id TEXT,
        imported_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX accident_reports_id_number ON accident_reports(id_number);

      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        registration_no TEXT NOT NULL UNIQUE,
        case_no TEXT UNIQUE,
        status TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        worker_id TEXT NOT NULL REFERENCES workers(id),
        accident_report_id TEXT REFERENCES accident_reports(id),
        accident_at TEXT NOT NULL,
        accident_date TEXT NOT NULL,
        place TEXT NOT NULL,
        description TEXT NOT NULL,
        injuries TEXT NOT NULL,
        orders TEXT NOT NULL,
        responsible_platform TEXT REFERENCES platforms(code),
        applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('platform', 'worker', 'relative', 'union')),
        applicant_name TEXT NOT NULL,
        application_date TEXT NOT NULL,
        outpatient_only INTEGER NOT NULL CHECK (outpatient_only IN (0, 1)),
        hospitalized INTEGER NOT NULL CHECK (hospitalized IN (0, 1)),
        facts_clear INTEGER NOT NULL CHECK (facts_clear IN (0, 1)),
        disputed INTEGER NOT NULL CHECK (disputed IN (0, 1)),
        traffic_accident INTEGER NOT NULL CHECK (traffic_accident IN (0, 1)),
        exclusions TEXT NOT NULL,
        also_work_injury_claim INTEGER NOT NULL CHECK (also_work_injury_claim IN (0, 1)),
        fast_track INTEGER NOT NULL CHECK (fast_track IN (0, 1)),
        assessment TEXT NOT NULL,
        registered_by TEXT NOT NULL REFERENCES users(id),
        registered_at TEXT NOT NULL,
        supplement_requested_at TEXT,
        supplement_due TEXT,
        accepted_by TEXT REFERENCES users(id),
        accepted_at TEXT,
        investigation TEXT,
        decision_article TEXT,
        decision_reason TEXT,
        decided_by TEXT REFERENCES users(id),
        decided_at TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX cases_worker ON cases(worker_id);
      CREATE INDEX cases_status ON cases(status);
      CREATE INDEX cases_accident_date ON cases(accident_date);

      CREATE TABLE case_materials (
        case_id TEXT NOT NULL REFERENCES cases(id),
        code TEXT NOT NULL,
        label TEXT NOT NULL,
        required INTEGER NOT NULL CHECK (required IN (0, 1)),
        received INTEGER NOT NULL CHECK (received IN (0, 1)),
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (case_id, code)
      ) STRICT;

      CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        material_code TEXT,
        filename TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        stored_path TEXT NOT NULL,
        uploaded_by TEXT NOT NULL REFERENCES users(id),
        uploaded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attachments_case ON attachments(case_id);

      CREATE TABLE case_transitions (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        action TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        by_user TEXT NOT NULL REFERENCES users(id),
        at TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX case_transitions_case ON case_transitions(case_id);

      CREATE TABLE medical_bills (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        bill_date TEXT NOT NULL,
        hospital TEXT NOT NULL,
        invoice_no TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        eligible_fen INTEGER NOT NULL CHECK (eligible_fen >= 0 AND eligible_fen <= amount_fen),
        submitted_date TEXT NOT NULL,
        reimbursed_at TEXT,
        entered_by TEXT NOT NULL REFERENCES users(id),
        entered_at TEXT NOT NULL,
        UNIQUE (hospital, invoice_no)
      ) STRICT;
      CREATE INDEX medical_bills_case ON medical_bills(case_id);

      -- Search: trigram for 3+ characters (names, id numbers, phones, case and order numbers);
      -- shorter queries use case_search_terms (exact or prefix), see case-search.ts. An FTS row's
      -- rowid is its case's rowid, so re-indexing a case never scans the index.
      CREATE VIRTUAL TABLE case_search USING fts5(case_id UNINDEXED, body, tokenize = 'trigram');
      CREATE TABLE case_search_terms (
        term TEXT NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases(id),
        PRIMARY KEY (term, case_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX case_search_terms_case ON case_search_terms(case_id);

      CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 220,
    name: 'death, dependants, 第十一条 circumstance, treatment extension, platform legal names, bill payer',
    // A death is its own record (date, evidence, whether the injury caused it); dependants carry the
    // facts that give or end their eligibility. A bill dated in the platform-borne range of a late
    // application (第十五条第三款) is the platform's: existing bills are sorted by the range their
    // case's assessment recorded at registration.
    sql: `
      ALTER TABLE cases ADD COLUMN circumstance TEXT NOT NULL DEFAULT '{"item":"order"}';
      ALTER TABLE cases ADD COLUMN treatment_extended_on TEXT;
      ALTER TABLE cases ADD COLUMN treatment_extension_reason TEXT;
      ALTER TABLE platforms ADD COLUMN legal_name TEXT;
      ALTER TABLE medical_bills ADD COLUMN payer TEXT NOT NULL DEFAULT 'fund' CHECK (payer IN ('fund', 'platform'));
      UPDATE medical_bills SET payer = 'platform'
        WHERE EXISTS (
          SELECT 1 FROM cases c
          WHERE c.id = medical_bills.case_id
            AND json_extract(c.assessment, '$.timeliness.platformBearsCostsFrom') IS NOT NULL
            AND medical_bills.bill_date BETWEEN json_extract(c.assessment, '$.timeliness.platformBearsCostsFrom')
                                            AND json_extract(c.assessment, '$.timeliness.platformBearsCostsTo'));

      CREATE TABLE case_deaths (
        case_id TEXT PRIMARY KEY REFERENCES cases(id),
        death_date TEXT NOT NULL,
        caused_by_injury INTEGER NOT NULL CHECK (caused_by_injury IN (0, 1)),
        evidence TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL REFERENCES users(id),
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER case_deaths_no_update BEFORE UPDATE ON case_deaths
        BEGIN SELECT RAISE(ABORT, '死亡登记不能修改'); END;
      CREATE TRIGGER case_deaths_no_delete BEFORE DELETE ON case_deaths
        BEGIN SELECT RAISE(ABORT, '死亡登记不能删除'); END;

      CREATE TABLE dependants (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        name TEXT NOT NULL,
        relation TEXT NOT NULL CHECK (relation IN ('spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling')),
        sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
        birth_date TEXT NOT NULL,
        dependent INTEGER NOT NULL CHECK (dependent IN (0, 1)),
        fully_disabled INTEGER NOT NULL CHECK (fully_disabled IN (0, 1)),
        orphan_or_solitary_elder INTEGER NOT NULL CHECK (orphan_or_solitary_elder IN (0, 1)),
        student INTEGER NOT NULL CHECK (student IN (0, 1)),
        nearer_relatives_gone INTEGER NOT NULL CHECK (nearer_relatives_gone IN (0, 1)),
        ended_on TEXT,
        end_reason TEXT CHECK (end_reason IN ('employed', 'enlisted', 'remarried', 'adopted', 'died', 'other')),
        note TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL REFERENCES users(id),
        updated_at TEXT NOT NULL,
        CHECK ((ended_on IS NULL) = (end_reason IS NULL))
      ) STRICT;
      CREATE INDEX dependants_case ON dependants(case_id);
    `,
  },
  {
    version: 221,
    // dependants are edited (facts change, a pension ends), so they replicate as versioned rows;
    // the capture triggers need migration 500's tables and come with 519.
    name: 'row version on dependants',
    sql: `ALTER TABLE dependants ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;`,
  },
];
