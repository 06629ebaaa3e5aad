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

// ---- the audit trail stored compactly (604) -----------------------------------------------------
// A year's audit trail is a million entries; stored as written (two 64-character hex hashes, the
// person's id and name, the method and its label, the record's id, the time as text on every
// row) it was a third of the store. audit_entries keeps each entry's own facts, hashes as 32
// bytes, the person, the kind of entry and the record as references to dictionaries (a case's
// id once, not once per entry about it, and indexed as a small number), the time as
// milliseconds, and the previous entry's hash not at all: it is the hash of entry seq − 1. Each compact form is used
// only when it gives back exactly the text that was hashed (otherwise the text is kept as it
// came), so the view audit_log shows every entry exactly as written and the chain verifies as
// before. Writers and readers keep using audit_log; an INSTEAD OF trigger does the packing.
const GENESIS = `'${'0'.repeat(64)}'`;
/** A hash as its 32 bytes when it is 64 lower-case hex digits, else as written. */
const packHash = (x: string) =>
  `CASE WHEN length(${x}) = 64 AND ${x} = lower(${x}) AND unhex(${x}) IS NOT NULL THEN unhex(${x}) ELSE ${x} END`;
const unpackHash = (x: string) => `CASE typeof(${x}) WHEN 'blob' THEN lower(hex(${x})) ELSE ${x} END`;
/** An instant in China time (chinaInstant) as epoch milliseconds, and back. */
const instantText = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%f', ${ms} / 1000.0 + 28800, 'unixepoch') || '+08:00'`;
const instantMs = (x: string) => `CAST(round(unixepoch(${x}, 'subsec') * 1000) AS INTEGER)`;
const packInstant = (x: string) =>
  `CASE WHEN ${x} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]+08:00' AND ${instantText(instantMs(x))} = ${x} THEN ${instantMs(x)} ELSE ${x} END`;
const unpackInstant = (x: string) => `CASE typeof(${x}) WHEN 'integer' THEN ${instantText(x)} ELSE ${x} END`;
/** The hash entry seq − 1 ends with, as text (the genesis hash before the first). */
const derivedPrev = (seq: string) =>
  `CASE WHEN ${seq} = 1 THEN ${GENESIS} ELSE (SELECT ${unpackHash('p.hash')} FROM audit_entries p WHERE p.seq = ${seq} - 1) END`;
const actorRef = (r: string) => `(SELECT id FROM audit_actors WHERE actor_id IS ${r}.actor_id AND actor_name IS ${r}.actor_name)`;
const kindRef = (r: string) => `(SELECT id FROM audit_kinds WHERE method = ${r}.method AND action = ${r}.action AND entity IS ${r}.entity)`;
const entityRef = (r: string) => `(SELECT id FROM audit_entities WHERE entity_id = ${r}.entity_id)`;
const appendOnly = (table: string, kind: 'BEFORE' | 'INSTEAD OF') => `
      CREATE TRIGGER ${table}_no_update ${kind} UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
      CREATE TRIGGER ${table}_no_delete ${kind} DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;`;

const COMPACT_AUDIT = `
      CREATE TABLE audit_actors (id INTEGER PRIMARY KEY, actor_id TEXT, actor_name TEXT) STRICT;
      CREATE UNIQUE INDEX audit_actors_key ON audit_actors(actor_id, actor_name);
      CREATE TABLE audit_kinds (id INTEGER PRIMARY KEY, method TEXT NOT NULL, action TEXT NOT NULL, entity TEXT) STRICT;
      CREATE UNIQUE INDEX audit_kinds_key ON audit_kinds(method, action, entity);
      CREATE TABLE audit_entities (id INTEGER PRIMARY KEY, entity_id TEXT NOT NULL UNIQUE) STRICT;
      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY,
        -- epoch milliseconds, or the text as written when that would not give it back exactly
        at ANY NOT NULL,
        actor INTEGER NOT NULL REFERENCES audit_actors(id),
        kind INTEGER NOT NULL REFERENCES audit_kinds(id),
        entity INTEGER REFERENCES audit_entities(id),
        summary TEXT NOT NULL,
        -- NULL when it is the hash of entry seq − 1 (always, unless the chain was broken before)
        prev_hash ANY,
        hash ANY NOT NULL
      ) STRICT;

      INSERT INTO audit_actors (actor_id, actor_name) SELECT DISTINCT actor_id, actor_name FROM audit_log;
      INSERT INTO audit_kinds (method, action, entity) SELECT DISTINCT method, action, entity FROM audit_log;
      INSERT INTO audit_entities (entity_id) SELECT entity_id FROM audit_log WHERE entity_id IS NOT NULL GROUP BY entity_id ORDER BY min(seq);
      INSERT INTO audit_entries (seq, at, actor, kind, entity, summary, prev_hash, hash)
        SELECT l.seq, ${packInstant('l.at')}, ${actorRef('l')}, ${kindRef('l')}, ${entityRef('l')}, l.summary,
          CASE WHEN l.prev_hash IS (CASE WHEN l.seq = 1 THEN ${GENESIS} ELSE (SELECT p.hash FROM audit_log p WHERE p.seq = l.seq - 1) END)
            THEN NULL ELSE ${packHash('l.prev_hash')} END,
          ${packHash('l.hash')}
        FROM audit_log l ORDER BY l.seq;
      DROP TABLE audit_log;
      CREATE INDEX audit_entity ON audit_entries(entity);
      ${appendOnly('audit_entries', 'BEFORE')}
      ${appendOnly('audit_actors', 'BEFORE')}
      ${appendOnly('audit_kinds', 'BEFORE')}
      ${appendOnly('audit_entities', 'BEFORE')}

      -- LEFT JOINs (every entry has both references): a query that needs neither dictionary skips them.
      CREATE VIEW audit_log AS
        SELECT e.seq AS seq, ${unpackInstant('e.at')} AS at, a.actor_id AS actor_id, a.actor_name AS actor_name,
          k.method AS method, k.action AS action, k.entity AS entity, d.entity_id AS entity_id, e.summary AS summary,
          CASE WHEN e.prev_hash IS NULL THEN ${derivedPrev('e.seq')} ELSE ${unpackHash('e.prev_hash')} END AS prev_hash,
          ${unpackHash('e.hash')} AS hash
        FROM audit_entries e LEFT JOIN audit_actors a ON a.id = e.actor LEFT JOIN audit_kinds k ON k.id = e.kind
          LEFT JOIN audit_entities d ON d.id = e.entity;
      ${appendOnly('audit_log', 'INSTEAD OF')}
      CREATE TRIGGER audit_log_insert INSTEAD OF INSERT ON audit_log BEGIN
        INSERT INTO audit_actors (actor_id, actor_name) SELECT NEW.actor_id, NEW.actor_name
          WHERE NOT EXISTS (SELECT 1 FROM audit_actors WHERE actor_id IS NEW.actor_id AND actor_name IS NEW.actor_name);
        INSERT INTO audit_kinds (method, action, entity) SELECT NEW.method, NEW.action, NEW.entity
          WHERE NOT EXISTS (SELECT 1 FROM audit_kinds WHERE method = NEW.method AND action = NEW.action AND entity IS NEW.entity);
        INSERT OR IGNORE INTO audit_entities (entity_id) SELECT NEW.entity_id WHERE NEW.entity_id IS NOT NULL;
        INSERT INTO audit_entries (seq, at, actor, kind, entity, summary, prev_hash, hash)
          VALUES (NEW.seq, ${packInstant('NEW.at')}, ${actorRef('NEW')}, ${kindRef('NEW')}, ${entityRef('NEW')}, NEW.summary,
            CASE WHEN NEW.prev_hash IS ${derivedPrev('NEW.seq')} THEN NULL ELSE ${packHash('NEW.prev_hash')} END,
            ${packHash('NEW.hash')});
      END;
`;

/** Adds (or takes away) one bill row's reimbursement to its case's office and day. */
const reimbursedUpsert = (row: 'NEW' | 'OLD', sign: '+' | '-') => `
        INSERT INTO reimbursed_days (office, day, eligible_fen, bills)
          SELECT c.office, substr(${row}.reimbursed_at, 1, 10), ${sign}${row}.eligible_fen, ${sign}1 FROM cases c
          WHERE c.id = ${row}.case_id AND ${row}.reimbursed_at IS NOT NULL
          ON CONFLICT (office, day) DO UPDATE SET eligible_fen = eligible_fen + excluded.eligible_fen, bills = bills + excluded.bills;`;
const reimbursedTrigger = (name: string, on: string, when: string, rows: ['NEW' | 'OLD', '+' | '-'][]) =>
  `CREATE TRIGGER ${name} ${on} WHEN ${when} BEGIN${rows.map(([r, sign]) => reimbursedUpsert(r, sign)).join('')}
      END;`;
/** A case's reimbursed bills, per day, added to (or taken from) an office. */
const reimbursedMove = (office: string, sign: '+' | '-') => `
        INSERT INTO reimbursed_days (office, day, eligible_fen, bills)
          SELECT ${office}, substr(b.reimbursed_at, 1, 10), ${sign}sum(b.eligible_fen), ${sign}count(*) FROM medical_bills b
          WHERE b.case_id = NEW.id AND b.reimbursed_at IS NOT NULL GROUP BY 2
          ON CONFLICT (office, day) DO UPDATE SET eligible_fen = eligible_fen + excluded.eligible_fen, bills = bills + excluded.bills;`;

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
    // A case can run the same clock once per party (再次鉴定, 行政复议, 行政诉讼 from each party's
    // receipt), so a clock is keyed by its own key, not its code. The projection is derived data:
    // the table is rebuilt empty and the upkeep rebuilds it from the cases at the next start.
    version: 618,
    name: 'case clocks keyed per party',
    sql: `
      DROP TABLE case_clocks;
      CREATE TABLE case_clocks (
        case_id TEXT NOT NULL REFERENCES cases(id),
        clock_key TEXT NOT NULL,
        code TEXT NOT NULL,
        label TEXT NOT NULL,
        unit TEXT NOT NULL,
        due TEXT NOT NULL,
        near_from TEXT NOT NULL,
        certain INTEGER NOT NULL CHECK (certain IN (0, 1)),
        article TEXT NOT NULL,
        stage TEXT NOT NULL,
        handler_id TEXT,
        PRIMARY KEY (case_id, clock_key)
      ) STRICT;
      CREATE INDEX case_clocks_near ON case_clocks(near_from, due);
      DELETE FROM derived_state WHERE key = 'fingerprint';
    `,
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
  {
    version: 604,
    name: 'audit trail stored compactly (binary hashes, dictionaries, derived previous hash) behind the audit_log view',
    sql: COMPACT_AUDIT,
  },
  {
    version: 605,
    name: '运行监测: covering indexes in the order the case figures group by',
    // The case figures group a year's facts (most rows) by eight columns, and the durations by
    // four: read in that order from an index holding just those columns, the grouping needs no
    // sort of the whole period. The status index is the first column of the first one.
    sql: `
      CREATE INDEX case_facts_groups ON case_facts(status, platform, industry, fast_track, injury_type, scenario, traffic,
        application_month, application_date, accepted_on);
      CREATE INDEX case_facts_durations ON case_facts(fast_track, wd_to_accept, wd_to_decision, wd_to_payment, application_date);
      DROP INDEX case_facts_status;
    `,
  },
  {
    version: 606,
    name: '运行监测: reimbursed medical bills summed per office and day, kept by triggers',
    // Medical reimbursements by month read a few hundred day rows instead of every bill
    // reimbursed in the period (a year: some 200,000 index entries, and for one office each bill's
    // case looked up), and the covering index on medical_bills that served them goes. A bill
    // counts for its case's office on the day (China time) it was reimbursed.
    sql: `
      CREATE TABLE reimbursed_days (
        office TEXT NOT NULL,
        day TEXT NOT NULL,
        eligible_fen INTEGER NOT NULL,
        bills INTEGER NOT NULL,
        PRIMARY KEY (office, day)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO reimbursed_days (office, day, eligible_fen, bills)
        SELECT c.office, substr(b.reimbursed_at, 1, 10), sum(b.eligible_fen), count(*)
        FROM medical_bills b JOIN cases c ON c.id = b.case_id WHERE b.reimbursed_at IS NOT NULL GROUP BY 1, 2;
      DROP INDEX medical_bills_reimbursed;
      ${reimbursedTrigger('medical_bills_reimbursed_insert', 'AFTER INSERT ON medical_bills', 'NEW.reimbursed_at IS NOT NULL', [['NEW', '+']])}
      ${reimbursedTrigger(
        'medical_bills_reimbursed_update',
        'AFTER UPDATE ON medical_bills',
        'OLD.reimbursed_at IS NOT NEW.reimbursed_at OR OLD.eligible_fen IS NOT NEW.eligible_fen OR OLD.case_id IS NOT NEW.case_id',
        [
          ['OLD', '-'],
          ['NEW', '+'],
        ],
      )}
      ${reimbursedTrigger('medical_bills_reimbursed_delete', 'AFTER DELETE ON medical_bills', 'OLD.reimbursed_at IS NOT NULL', [['OLD', '-']])}
      -- A case moved to another office takes its reimbursed bills with it.
      CREATE TRIGGER cases_reimbursed_office AFTER UPDATE OF office ON cases WHEN OLD.office IS NOT NEW.office BEGIN
        ${reimbursedMove('OLD.office', '-')}
        ${reimbursedMove('NEW.office', '+')}
      END;
    `,
  },
  {
    version: 607,
    name: 'case facts stored by case id (WITHOUT ROWID)',
    // Worklists, clocks and flags look a case's facts up by its id tens of thousands of times per
    // call; stored in the id's own b-tree each look-up is one search instead of two.
    sql: `
      CREATE TABLE case_facts_by_id (
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
      ) STRICT, WITHOUT ROWID;
      INSERT INTO case_facts_by_id SELECT * FROM case_facts;
      DROP TABLE case_facts;
      ALTER TABLE case_facts_by_id RENAME TO case_facts;
      CREATE INDEX case_facts_office ON case_facts(office, application_date);
      CREATE INDEX case_facts_bills ON case_facts(injury_type, bill_total_fen);
      CREATE INDEX case_facts_groups ON case_facts(status, platform, industry, fast_track, injury_type, scenario, traffic,
        application_month, application_date, accepted_on);
      CREATE INDEX case_facts_durations ON case_facts(fast_track, wd_to_accept, wd_to_decision, wd_to_payment, application_date);
    `,
  },
  {
    version: 608,
    name: '运行监测: flags counted by rule and status from an index',
    // The flag figure counts flags by rule and status for the period's cases: read from this
    // index in that order, each flag costs one look-up of its case's facts and no row read.
    sql: `CREATE INDEX case_flags_counts ON case_flags(code, label, status, case_id);`,
  },
  {
    version: 609,
    name: 'search indexes keyed by the case rowid, trigram index contentless',
    // A year's store holds some 750,000 exact terms: keyed by the 36-character case id (twice:
    // the table and its by-case index) they took 90 MB. The case's rowid, which the trigram index
    // already uses, takes a few bytes. The trigram index kept a second copy of every case's text
    // (17 MB) that nothing reads: contentless with deletes, it keeps only the index. Both are
    // upkept by case-search.ts; the rowid of a case never changes (VACUUM keeps rowids, a test
    // checks a restored backup still finds its cases).
    sql: `
      CREATE TABLE case_search_terms_by_rowid (
        term TEXT NOT NULL,
        case_rowid INTEGER NOT NULL,
        PRIMARY KEY (term, case_rowid)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO case_search_terms_by_rowid (term, case_rowid)
        SELECT t.term, c.rowid FROM case_search_terms t JOIN cases c ON c.id = t.case_id ORDER BY 1, 2;
      DROP TABLE case_search_terms;
      ALTER TABLE case_search_terms_by_rowid RENAME TO case_search_terms;
      CREATE INDEX case_search_terms_case ON case_search_terms(case_rowid);

      CREATE VIRTUAL TABLE case_search_contentless USING fts5(body, content = '', contentless_delete = 1, tokenize = 'trigram');
      INSERT INTO case_search_contentless (rowid, body) SELECT rowid, body FROM case_search;
      DROP TABLE case_search;
      ALTER TABLE case_search_contentless RENAME TO case_search;
    `,
  },
];
