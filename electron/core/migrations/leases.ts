// Document-number leases from the centre (550–569, issue #13): a block of doc_number_blocks can be
// a lease the centre signed (source 'sync', its id and signature kept), and a block can be handed
// back — closed here first (no number is taken from it again), then reported to the centre.
import type { Migration } from './migration';

export const leaseMigrations: Migration[] = [
  {
    version: 550,
    name: 'document-number blocks leased by the centre, and hand-backs',
    sql: `
      ALTER TABLE doc_number_blocks ADD COLUMN lease_id TEXT;
      ALTER TABLE doc_number_blocks ADD COLUMN lease_key_id TEXT;
      ALTER TABLE doc_number_blocks ADD COLUMN lease_signature TEXT;
      ALTER TABLE doc_number_blocks ADD COLUMN leased_at TEXT;
      -- Numbers from returned_from on were never used and go back to the centre.
      ALTER TABLE doc_number_blocks ADD COLUMN returned_from INTEGER;
      ALTER TABLE doc_number_blocks ADD COLUMN returned_at TEXT;
      ALTER TABLE doc_number_blocks ADD COLUMN return_acked_at TEXT;
      CREATE UNIQUE INDEX doc_number_blocks_lease ON doc_number_blocks(lease_id) WHERE lease_id IS NOT NULL;
      -- A leased block's range is the centre's: it is never edited here.
      CREATE TRIGGER doc_number_blocks_lease_fixed BEFORE UPDATE OF first_no, last_no, series, year, pattern, issuer, lease_id
        ON doc_number_blocks WHEN OLD.lease_id IS NOT NULL
      BEGIN SELECT RAISE(ABORT, '中心分配的号段不能修改'); END;
    `,
  },
];
