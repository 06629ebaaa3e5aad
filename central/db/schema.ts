// The centre's tables as kysely sees them; must match central/migrations/*.sql.
import type { ColumnType, Generated } from 'kysely';

/** timestamptz: written as an ISO string, read back as a Date (pg and PGlite alike). */
type Instant = ColumnType<Date, string, string>;
/** jsonb: written as JSON text (cast in SQL), read back parsed. */
type Json<T> = ColumnType<T, string, string>;

export type JsonRow = Record<string, unknown>;

export interface OfficesTable {
  id: string;
  name: string;
  created_at: Instant;
  /** Migration 0028: the code of the published offices list this office is (null before a list). */
  code: string | null;
}

export interface DevicesTable {
  id: string;
  tag: string;
  office_id: string;
  name: string;
  public_key: string;
  key_id: string;
  app_version: string;
  schema_version: number;
  catalogue_version: number;
  last_seq: Generated<number>;
  enrolled_at: Instant;
  last_seen_at: Instant | null;
  revoked_at: Instant | null;
}

export interface EnrolCodesTable {
  id: string;
  lookup: string;
  secret_hash: string;
  office_id: string;
  created_at: Instant;
  expires_at: Instant;
  failed_attempts: Generated<number>;
  used_at: Instant | null;
  device_id: string | null;
}

export interface NoncesTable {
  nonce: string;
  device_id: string;
  expires_at: Instant;
}

export interface CentreKeyTable {
  id: number;
  private_key: string;
  public_key: string;
  key_id: string;
  created_at: Instant;
}

export interface MutationsTable {
  device_id: string;
  seq: number;
  mutation_id: string;
  kind: string;
  entity: string | null;
  entity_id: string | null;
  user_id: string | null;
  rule_pack: string | null;
  schema_version: number;
  at: string;
  row_count: number;
  status: 'applied' | 'rejected' | 'conflict';
  code: string | null;
  message: string | null;
  conflict_id: string | null;
  received_at: Instant;
}

export interface AuditCopiesTable {
  device_id: string;
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  method: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  summary: string;
  prev_hash: string;
  hash: string;
  mutation_seq: number;
}

export interface BlobsTable {
  sha256: string;
  bytes: Uint8Array;
  size: number;
  created_at: Instant;
}

export interface RecordsTable {
  table_name: string;
  key: string;
  key_json: Json<JsonRow>;
  version: number;
  deleted: Generated<boolean>;
  row: Json<JsonRow | null>;
  case_id: string | null;
  last_device: string | null;
  last_mutation: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface CaseHoldersTable {
  case_id: string;
  office_id: string;
  since: Instant;
}

export interface RecordOfficesTable {
  table_name: string;
  key: string;
  office_id: string;
}

export interface ChangesTable {
  id: Generated<string>;
  xid: Generated<string>;
  office_id: string;
  origin_device: string | null;
  table_name: string;
  key: string;
  key_json: Json<JsonRow>;
  version: number;
  deleted: boolean;
  row: Json<JsonRow | null>;
  /** Written again after a refusal (0034): served even to the row's last writer. */
  reannounced: Generated<boolean>;
}

export interface DocumentNumbersTable {
  document_no: string;
  document_id: string;
  pdf_sha256: string;
  device_id: string;
  signer_key_id: string;
}

export interface ConflictsTable {
  id: string;
  device_id: string;
  seq: number;
  mutation_id: string;
  kind: string;
  table_name: string;
  key_json: Json<JsonRow>;
  device_op: string;
  base_version: number | null;
  device_version: number;
  device_row: Json<JsonRow | null>;
  centre_version: number | null;
  centre_deleted: boolean | null;
  centre_row: Json<JsonRow | null>;
  created_at: Instant;
  resolved_at: Instant | null;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: Instant;
}

export interface ReferenceItemsTable {
  seq: Generated<string>;
  kind: string;
  item_id: string;
  version: string;
  revision: number;
  office_id: string | null;
  published_at: Instant;
  body: string;
  key_id: string;
  signature: string;
  published_by: string | null;
}

export interface CentralAccountsTable {
  user_id: string;
  office_id: string;
  username: string;
  display_name: string;
  roles: string[];
  active: boolean;
  revision: number;
  updated_at: Instant;
}

export interface CentralSchema {
  offices: OfficesTable;
  devices: DevicesTable;
  enrol_codes: EnrolCodesTable;
  nonces: NoncesTable;
  centre_key: CentreKeyTable;
  mutations: MutationsTable;
  audit_copies: AuditCopiesTable;
  blobs: BlobsTable;
  records: RecordsTable;
  case_holders: CaseHoldersTable;
  record_offices: RecordOfficesTable;
  changes: ChangesTable;
  document_numbers: DocumentNumbersTable;
  conflicts: ConflictsTable;
  central_migrations: MigrationsTable;
  reference_items: ReferenceItemsTable;
  central_accounts: CentralAccountsTable;
  centre_admins: CentreAdminsTable;
  centre_admin_failures: CentreAdminFailuresTable;
  centre_admin_sessions: CentreAdminSessionsTable;
  centre_admin_audit: CentreAdminAuditTable;
}

export interface CentreAdminsTable {
  id: string;
  username: string;
  display_name: string;
  role: 'publisher' | 'viewer';
  verifier_hash: string;
  verifier_salt: string;
  active: Generated<boolean>;
  created_at: Instant;
}

export interface CentreAdminFailuresTable {
  username: string;
  failures: number;
  window_start: Instant;
  locked_until: Instant | null;
}

export interface CentreAdminSessionsTable {
  token_hash: string;
  admin_id: string;
  created_at: Instant;
  expires_at: Instant;
}

export interface CentreAdminAuditTable {
  id: Generated<string>;
  at: Instant;
  actor: string;
  action: string;
  ok: boolean;
  detail: Json<JsonRow>;
}
