// Tables for issued documents: per-device blocks of each series' numbers, the documents
// themselves (bytes kept so a reprint is identical), and the signing keys we trust.
import type { Migration } from './migration';

export const noticeMigrations: Migration[] = [
  {
    version: 100,
    name: 'document number blocks, issued documents, trusted signers',
    sql: `
      CREATE TABLE doc_number_blocks (
        id TEXT PRIMARY KEY,
        series TEXT NOT NULL,
        pattern TEXT NOT NULL,
        issuer TEXT NOT NULL,
        year INTEGER NOT NULL,
        first_no INTEGER NOT NULL CHECK (first_no >= 1),
        last_no INTEGER NOT NULL CHECK (last_no >= first_no),
        next_no INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('admin', 'sync')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX doc_number_blocks_series ON doc_number_blocks(series, year);

      CREATE TABLE issued_documents (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        case_id TEXT,
        series TEXT NOT NULL,
        document_no TEXT NOT NULL UNIQUE,
        data TEXT NOT NULL,
        pdf BLOB NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL,
        signer_id TEXT,
        signer_name TEXT NOT NULL,
        issued_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX issued_documents_case ON issued_documents(case_id);
      -- An issued document is a legal record: it is never edited or removed.
      CREATE TRIGGER issued_documents_no_update BEFORE UPDATE ON issued_documents
        BEGIN SELECT RAISE(ABORT, '已出具的文书不能修改'); END;
      CREATE TRIGGER issued_documents_no_delete BEFORE DELETE ON issued_documents
        BEGIN SELECT RAISE(ABORT, '已出具的文书不能删除'); END;

      CREATE TABLE trusted_signers (
        key_id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        label TEXT NOT NULL,
        added_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 120,
    name: 'voided documents, deliveries (送达), client request ids, document subjects',
    // An issued document stays as it was; voiding it (作废) is a row of its own, and its number is
    // never given again. A client request id makes a repeated issue call return the first document.
    // Each delivery to a party (the worker's side or the platform) is recorded with its 送达回证.
    sql: `
      ALTER TABLE issued_documents ADD COLUMN client_request_id TEXT;
      ALTER TABLE issued_documents ADD COLUMN subject_id TEXT;
      ALTER TABLE issued_documents ADD COLUMN replaces_id TEXT REFERENCES issued_documents(id);
      CREATE UNIQUE INDEX issued_documents_request ON issued_documents(client_request_id) WHERE client_request_id IS NOT NULL;
      CREATE INDEX issued_documents_subject ON issued_documents(type, subject_id);

      CREATE TABLE voided_documents (
        document_id TEXT PRIMARY KEY REFERENCES issued_documents(id),
        case_id TEXT,
        reason TEXT NOT NULL,
        voided_by TEXT REFERENCES users(id),
        voided_by_name TEXT NOT NULL,
        voided_at TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER voided_documents_no_update BEFORE UPDATE ON voided_documents
        BEGIN SELECT RAISE(ABORT, '作废记录不能修改'); END;
      CREATE TRIGGER voided_documents_no_delete BEFORE DELETE ON voided_documents
        BEGIN SELECT RAISE(ABORT, '作废记录不能删除'); END;

      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES issued_documents(id),
        case_id TEXT,
        party TEXT NOT NULL CHECK (party IN ('worker', 'platform')),
        method TEXT NOT NULL CHECK (method IN ('direct', 'mail', 'electronic', 'public_notice')),
        delivered_on TEXT NOT NULL,
        receiver TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        receipt_id TEXT REFERENCES issued_documents(id),
        recorded_by TEXT NOT NULL REFERENCES users(id),
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX deliveries_document ON deliveries(document_id);
      CREATE INDEX deliveries_case ON deliveries(case_id);
      CREATE TRIGGER deliveries_no_update BEFORE UPDATE ON deliveries
        BEGIN SELECT RAISE(ABORT, '送达记录不能修改；如有误，请作废其送达回证后重新登记'); END;
      CREATE TRIGGER deliveries_no_delete BEFORE DELETE ON deliveries
        BEGIN SELECT RAISE(ABORT, '送达记录不能删除'); END;
    `,
  },
];
