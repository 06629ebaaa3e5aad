// Tables of the managers' desk (600–619): the office a case belongs to, the projections the
// worklists and 运行监测 read (clocks, case facts, benefit lines) kept in the same transaction as
// every change, and the 疑点筛查 flags. Changes to the tables the projections read mark the case
// in case_dirty (triggers below); the dispatcher refreshes the marked cases before it commits.
import type { Migration } from './migration';

/** The tables whose rows a case's clocks, facts or flags are computed from, with how a row names its case. */
const DIRTY_SOURCES: { table: string; events: ('INSERT' | 'UPDATE' | 'DELETE')[]; caseOf: (row: 'NEW' | 'OLD') => string }[] = [
  { table: 'cases', events: ['INSERT', 'UPDATE'], caseOf: (r) => `SELECT ${r}.id` },
  { table: 'medical_bills', events: ['INSERT', 'UPDATE', 'DELETE'], caseOf: (r) => `SELECT ${r}.case_id` },
  { table: 'case_transitions', events: ['INSERT'], caseOf: (r) => `SELECT ${r}.case_id` },
  { table: 'appraisal_requests', events: ['INSERT', 'UPDATE', 'DELETE'], caseOf: (r) => `SELECT ${r}.case_id` },
  { table: 'appraisal_conclusions', events: ['INSERT'], caseOf: (r) => `SELECT ${r}.case_id` },
  { table: 'issued_documents', events: ['INSERT'], caseOf: (r) => `SELECT ${r}.case_id WHERE ${r}.case_id IS NOT NULL` },
  { table: 'benefit_determinations', events: ['INSERT', 'UPDATE'], caseOf: (r) => `SELECT ${r}.case_id` },
  // A worker's industry or a platform's accident report concerns every case of that person.
  { table: 'workers', events: ['UPDATE'], caseOf: (r) => `SELECT id FROM cases WHERE worker_id = ${r}.id` },
  {
    table: 'accident_reports',
    events: ['INSERT', 'UPDATE'],
    caseOf: (r) => `SELECT cases.id FROM cases JOIN workers ON workers.id = cases.worker_id WHERE workers.id_number = ${r}.id_number`,
  },
];

const dirtyTriggers = DIRTY_SOURCES.flatMap((s) =>
  s.events.map((e) => {
    const row = e === 'DELETE' ? 'OLD' : 'NEW';
    return `CREATE TRIGGER ${s.table}_mark_dirty_${e.toLowerCase()} AFTER ${e} ON ${s.table}
        BEGIN INSERT OR IGNORE INTO case_dirty (case_id) ${s.caseOf(row)}; END;`;
  }),
).join('\n      ');

const AGENCY = `COALESCE((SELECT json_extract(value, '$') FROM settings WHERE key = 'agencyName'), '')`;

export const deskMigrations: Migration[] = [
  {
    version: 600,
    name: 'office of a case; clock projection, case facts and benefit lines for worklists and 运行监测',
    sql: `
      -- The office (经办机构) that registered the case: this device's agency name at registration,
      -- carried with the case so a province-wide view can filter by it.
      ALTER TABLE cases ADD COLUMN office TEXT NOT NULL DEFAULT '';
      UPDATE cases SET office = ${AGENCY};
      CREATE TRIGGER cases_office_default AFTER INSERT ON cases WHEN NEW.office = ''
        BEGIN UPDATE cases SET office = ${AGENCY} WHERE id = NEW.id; END;

      -- Cases whose projections must be recomputed before the transaction commits.
      CREATE TABLE case_dirty (case_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
      ${dirtyTriggers}

      -- Each running statutory clock of a case: its due date and the first day it counts as 临期,
      -- both derived from the deadline functions the case page uses (see clock-projection.ts).
      CREATE TABLE case_clocks (
        case_id TEXT NOT NULL REFERENCES cases(id),
        code TEXT NOT NULL,
        label TEXT NOT NULL,
        unit TEXT NOT NULL,
        due TEXT NOT NULL,
        near_from TEXT NOT NULL,
        certain INTEGER NOT NULL CHECK (certain IN (0, 1)),
        article TEXT NOT NULL,
        stage TEXT NOT NULL,
        handler_id TEXT,
        PRIMARY KEY (case_id, code)
      ) STRICT;
      CREATE INDEX case_clocks_near ON case_clocks(near_from, due);

      -- One narrow row per case with what every 运行监测 figure counts (shared/monitoring/case-facts.ts).
      CREATE TABLE case_facts (
        case_id TEXT PRIMARY KEY REFERENCES cases(id),
        office TEXT NOT NULL,
        application_date TEXT NOT NULL,
        application_month TEXT NOT NULL,
        status TEXT NOT NULL,
        platform TEXT,
        industry TEXT NOT NULL,
        fast_track INTEGER NOT NULL CHECK (fast_track IN (0, 1)),
        injury_type TEXT NOT NULL,
        scenario TEXT NOT NULL,
        traffic INTEGER NOT NULL CHECK (traffic IN (0, 1)),
        accepted_on TEXT,
        decided_on TEXT,
        decision TEXT,
        paid_on TEXT,
        wd_to_accept INTEGER,
        wd_to_decision INTEGER,
        wd_to_payment INTEGER,
        bill_total_fen INTEGER NOT NULL,
        handler_id TEXT
      ) STRICT;
      -- No index on the period alone: a year's figures read most rows, and the narrow table is
      -- scanned faster than it is looked up row by row; one office's figures use this one.
      CREATE INDEX case_facts_office ON case_facts(office, application_date);
      CREATE INDEX case_facts_bills ON case_facts(injury_type, bill_total_fen);
      CREATE INDEX case_facts_status ON case_facts(status);

      -- The lines of approved benefit determinations, one row per line, for benefits by month,
      -- type and payer.
      CREATE TABLE benefit_facts (
        determination_id TEXT NOT NULL REFERENCES benefit_determinations(id),
        line INTEGER NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases(id),
        office TEXT NOT NULL,
        approved_on TEXT NOT NULL,
        code TEXT NOT NULL,
        label TEXT NOT NULL,
        payer TEXT NOT NULL,
        period TEXT NOT NULL,
        amount_fen INTEGER NOT NULL,
        PRIMARY KEY (determination_id, line)
      ) STRICT;
      CREATE INDEX benefit_facts_period ON benefit_facts(approved_on, office);
      CREATE INDEX benefit_facts_case ON benefit_facts(case_id);

      -- What the projections were built from (rule packs, calendar, categories): a change rebuilds them.
      CREATE TABLE derived_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      -- Reimbursed bills by date, for payments by month (covering: the figure reads only the index).
      CREATE INDEX medical_bills_reimbursed ON medical_bills(reimbursed_at, case_id, eligible_fen);
      CREATE INDEX medical_bills_invoice ON medical_bills(invoice_no);
    `,
  },
  {
    version: 601,
    name: '疑点筛查 flags: rule, evidence, clearing with a reason',
    sql: `
      CREATE TABLE case_flags (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        code TEXT NOT NULL,
        -- The evidence's identity (an invoice number, an order), so a re-run finds the same flag.
        key TEXT NOT NULL,
        label TEXT NOT NULL,
        article TEXT NOT NULL,
        summary TEXT NOT NULL,
        evidence TEXT NOT NULL,
        pack_id TEXT NOT NULL,
        pack_version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'cleared', 'lapsed')),
        raised_at TEXT NOT NULL,
        lapsed_at TEXT,
        cleared_by TEXT REFERENCES users(id),
        cleared_at TEXT,
        clear_reason TEXT,
        UNIQUE (case_id, code, key)
      ) STRICT;
      CREATE INDEX case_flags_status ON case_flags(status, raised_at);
      CREATE INDEX case_flags_case ON case_flags(case_id);
    `,
  },
  {
    version: 602,
    name: 'search terms for full identifiers (ID number, phone, 登记号, 受理编号, order numbers)',
    // The same terms indexCase now writes (case-search.ts), for the cases already in the store.
    sql: `
      INSERT OR IGNORE INTO case_search_terms (term, case_id)
        SELECT upper(trim(w.id_number)), c.id FROM cases c JOIN workers w ON w.id = c.worker_id WHERE trim(w.id_number) != ''
        UNION ALL SELECT upper(trim(w.phone)), c.id FROM cases c JOIN workers w ON w.id = c.worker_id WHERE trim(w.phone) != ''
        UNION ALL SELECT upper(trim(c.registration_no)), c.id FROM cases c
        UNION ALL SELECT upper(trim(c.case_no)), c.id FROM cases c WHERE c.case_no IS NOT NULL AND trim(c.case_no) != ''
        UNION ALL SELECT upper(trim(json_extract(o.value, '$.orderNo'))), c.id FROM cases c, json_each(c.orders) o
          WHERE trim(json_extract(o.value, '$.orderNo')) != '';
    `,
  },
  {
    version: 603,
    name: 'office of a new case written by registration, not by a trigger',
    // The trigger's second write to a new case row made the sync capture see an update of an
    // existing row (a base version, the version bumped to 2); registration now writes the office.
    sql: `DROP TRIGGER IF EXISTS cases_office_default;`,
  },
  {
    // Deliveries (送达) start the parties' clocks, a voided document withdraws its delivery, and a
    // death moves the case: all three change clocks, so they mark the case too. Cases that already
    // have deliveries are marked once, to be refreshed by the next change.
    version: 619,
    name: 'deliveries, voided documents and deaths mark their case for the projections',
    sql: `
      CREATE TRIGGER deliveries_mark_dirty_insert AFTER INSERT ON deliveries WHEN NEW.case_id IS NOT NULL
        BEGIN INSERT OR IGNORE INTO case_dirty (case_id) VALUES (NEW.case_id); END;
      CREATE TRIGGER voided_documents_mark_dirty_insert AFTER INSERT ON voided_documents
        BEGIN INSERT OR IGNORE INTO case_dirty (case_id)
          SELECT case_id FROM issued_documents WHERE id = NEW.document_id AND case_id IS NOT NULL; END;
      CREATE TRIGGER case_deaths_mark_dirty_insert AFTER INSERT ON case_deaths
        BEGIN INSERT OR IGNORE INTO case_dirty (case_id) VALUES (NEW.case_id); END;
      INSERT OR IGNORE INTO case_dirty (case_id) SELECT DISTINCT case_id FROM deliveries WHERE case_id IS NOT NULL;
    `,
  },
];
