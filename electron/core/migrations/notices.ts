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
];
