// Kysely's view of the tables. Booleans are 0|1 and instants ISO text: better-sqlite3
// cannot bind JS booleans or Dates (see engineering notes).
import type { Generated } from 'kysely';
import type { NursingLevel } from '../../shared/appraisal/grades';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  password_salt: string;
  active: 0 | 1;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  locked: 0 | 1;
  ended_at: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
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
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface PlatformsTable {
  code: string;
  name: string;
  industry: string;
  credit_code: string | null;
  active: 0 | 1;
  updated_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface WorkersTable {
  id: string;
  name: string;
  id_number: string;
  phone: string;
  industry: string;
  /** JSON array of platform codes. */
  platforms: string;
  created_at: string;
  updated_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface AccidentReportsTable {
  id: string;
  report_no: string;
  platform_code: string;
  worker_name: string;
  id_number: string;
  phone: string;
  accident_at: string;
  place: string;
  order_no: string;
  order_accepted_at: string | null;
  order_finished_at: string | null;
  description: string;
  reported_at: string;
  source: 'sync' | 'import';
  case_id: string | null;
  imported_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface CasesTable {
  id: string;
  registration_no: string;
  case_no: string | null;
  status: string;
  version: number;
  worker_id: string;
  accident_report_id: string | null;
  accident_at: string;
  accident_date: string;
  place: string;
  description: string;
  /** JSON array of injury descriptions. */
  injuries: string;
  /** JSON array of orders: platform, order number, accept and finish times. */
  orders: string;
  responsible_platform: string | null;
  applicant_kind: 'platform' | 'worker' | 'relative' | 'union';
  applicant_name: string;
  application_date: string;
  outpatient_only: 0 | 1;
  hospitalized: 0 | 1;
  facts_clear: 0 | 1;
  disputed: 0 | 1;
  traffic_accident: 0 | 1;
  /** JSON array of 第十二条 exclusion codes declared at registration. */
  exclusions: string;
  also_work_injury_claim: 0 | 1;
  fast_track: 0 | 1;
  /** JSON: the rule engine's assessment at registration (timeliness, platform, hits). */
  assessment: string;
  registered_by: string;
  registered_at: string;
  supplement_requested_at: string | null;
  supplement_due: string | null;
  accepted_by: string | null;
  accepted_at: string | null;
  investigation: string | null;
  decision_article: string | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  updated_at: string;
}

export interface CaseMaterialsTable {
  case_id: string;
  code: string;
  label: string;
  required: 0 | 1;
  received: 0 | 1;
  note: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface AttachmentsTable {
  id: string;
  case_id: string;
  material_code: string | null;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  stored_path: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface CaseTransitionsTable {
  id: string;
  case_id: string;
  action: string;
  from_status: string | null;
  to_status: string;
  by_user: string;
  at: string;
  reason: string;
}

export interface MedicalBillsTable {
  id: string;
  case_id: string;
  bill_date: string;
  hospital: string;
  invoice_no: string;
  amount_fen: number;
  eligible_fen: number;
  submitted_date: string;
  reimbursed_at: string | null;
  entered_by: string;
  entered_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface CaseSearchTable {
  case_id: string;
  body: string;
  /** FTS5 MATCH needs a column named after the table. */
  case_search: string;
}

export interface CaseSearchTermsTable {
  term: string;
  case_id: string;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface DocNumberBlocksTable {
  id: string;
  series: string;
  pattern: string;
  issuer: string;
  year: number;
  first_no: number;
  last_no: number;
  next_no: number;
  source: 'admin' | 'sync';
  created_at: string;
}

export interface IssuedDocumentsTable {
  id: string;
  type: string;
  case_id: string | null;
  series: string;
  document_no: string;
  /** JSON of the notice data the PDF was rendered from. */
  data: string;
  pdf: Buffer;
  pdf_sha256: string;
  key_id: string;
  signature: string;
  signer_id: string | null;
  signer_name: string;
  issued_at: string;
}

export interface TrustedSignersTable {
  key_id: string;
  public_key: string;
  label: string;
  added_at: string;
  /** X25519 (SPKI DER base64) packages are encrypted to; null for a key registered from an OIPKEY1 line. */
  enc_public_key: string | null;
}

export interface ExpertsTable {
  id: string;
  name: string;
  organisation: string;
  /** JSON array of GB/T 16180 门类 codes. */
  categories: string;
  /** JSON array of clinical departments. */
  departments: string;
  available: 0 | 1;
  /** JSON array of platform codes the expert works for or with (回避). */
  platform_ties: string;
  updated_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface CaseRecusalsTable {
  case_id: string;
  expert_id: string;
  reason: string;
  recorded_by: string;
  recorded_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface PanelDrawsTable {
  id: string;
  case_id: string;
  size: number;
  categories: string;
  seed: string;
  candidates: string;
  excluded: string;
  result: string;
  drawn_by: string;
  drawn_at: string;
}

export interface HearingsTable {
  id: string;
  hearing_no: string;
  date: string;
  venue: string;
  committee: string;
  kind: 'initial' | 'review' | 'reappraisal';
  created_by: string;
  created_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface HearingCasesTable {
  hearing_id: string;
  case_id: string;
  position: number;
  attendance: Generated<'pending' | 'present' | 'absent'>;
  findings: Generated<string>;
  heard_at: string | null;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface ExpertOpinionsTable {
  hearing_id: string;
  case_id: string;
  expert_id: string;
  /** JSON: the GB/T 16180 items judged present, each with its grade. */
  items: string;
  promotion_applied: 0 | 1;
  promotion_reason: string;
  grade: number | null;
  nursing_level: NursingLevel | null;
  recorded_by: string;
  recorded_at: string;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface AppraisalConclusionsTable {
  id: string;
  case_id: string;
  hearing_id: string;
  grade: number | null;
  nursing_level: NursingLevel | null;
  items: string;
  promotion: string;
  advice: string;
  proposal: string;
  decision_reason: string;
  leader_id: string;
  signed_at: string;
  request_id: string | null;
}

export interface AppraisalRequestsTable {
  id: string;
  request_no: string;
  case_id: string;
  kind: 'initial' | 'review' | 'reappraisal';
  level: 'municipal' | 'provincial';
  committee: string;
  previous_conclusion_id: string | null;
  requested_on: string;
  requested_by: string;
  reason: string;
  /** JSON: [{ code, label, present, note }] */
  precheck: string | null;
  precheck_result: 'complete' | 'incomplete' | null;
  prechecked_by: string | null;
  prechecked_on: string | null;
  complete_on: string | null;
  extension_reason: string | null;
  extended_by: string | null;
  extended_on: string | null;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface BenefitDeterminationsTable {
  id: string;
  case_id: string;
  conclusion_id: string | null;
  /** JSON: the facts given to the rule engine. */
  facts: string;
  /** JSON: the rule engine's BenefitResult, with the pack and every parameter used. */
  result: string;
  status: 'prepared' | 'approved' | 'returned';
  prepared_by: string;
  prepared_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: Generated<string>;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

// ---- replication and sync (migration 500; see electron/core/replication/) ----

export interface SyncCaptureTable {
  tbl: string;
  /** The row's key values as a JSON array (shared/sync/tables.ts rowKeyString). */
  key: string;
  existed: 0 | 1;
  base_version: number | null;
}

export interface SyncCaptureOffTable {
  id: number;
}

export interface SyncTombstonesTable {
  tbl: string;
  key: string;
  version: number;
  deleted_at: string;
}

export interface SyncOutboxTable {
  seq: number;
  mutation_id: string;
  kind: string;
  entity: string | null;
  entity_id: string | null;
  user_id: string | null;
  user_name: string | null;
  rule_pack: string | null;
  schema_version: number;
  /** JSON: RowChange[] (shared/sync/protocol.ts). */
  rows: string;
  /** JSON: AuditCopy, or null for a baseline. */
  audit: string | null;
  status: Generated<'pending' | 'acked' | 'rejected' | 'conflict'>;
  attempts: Generated<number>;
  last_error: string | null;
  /** JSON: the centre's MutationResult. */
  result: string | null;
  created_at: string;
  acked_at: string | null;
}

export interface SyncOutboxKeysTable {
  tbl: string;
  key: string;
  seq: number;
}

export interface SyncBlobRefsTable {
  sha256: string;
  tbl: string;
  key: string;
  col: string;
}

export interface SyncBlobsTable {
  sha256: string;
  bytes: Buffer;
  received_at: string;
}

export interface SyncDeferredTable {
  tbl: string;
  key: string;
  /** JSON: the pulled Change. */
  change: string;
  received_at: string;
}

export interface SyncStateTable {
  id: number;
  device_id: string | null;
  centre_key_id: string | null;
  enrolled_at: string | null;
  pull_cursor: string | null;
  pulled_at: string | null;
}

export interface Database {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  platforms: PlatformsTable;
  workers: WorkersTable;
  accident_reports: AccidentReportsTable;
  cases: CasesTable;
  case_materials: CaseMaterialsTable;
  attachments: AttachmentsTable;
  case_transitions: CaseTransitionsTable;
  medical_bills: MedicalBillsTable;
  case_search: CaseSearchTable;
  case_search_terms: CaseSearchTermsTable;
  counters: CountersTable;
  doc_number_blocks: DocNumberBlocksTable;
  issued_documents: IssuedDocumentsTable;
  trusted_signers: TrustedSignersTable;
  experts: ExpertsTable;
  case_recusals: CaseRecusalsTable;
  panel_draws: PanelDrawsTable;
  hearings: HearingsTable;
  hearing_cases: HearingCasesTable;
  expert_opinions: ExpertOpinionsTable;
  appraisal_conclusions: AppraisalConclusionsTable;
  appraisal_requests: AppraisalRequestsTable;
  benefit_determinations: BenefitDeterminationsTable;
  sync_capture: SyncCaptureTable;
  sync_capture_off: SyncCaptureOffTable;
  sync_tombstones: SyncTombstonesTable;
  sync_outbox: SyncOutboxTable;
  sync_outbox_keys: SyncOutboxKeysTable;
  sync_blob_refs: SyncBlobRefsTable;
  sync_blobs: SyncBlobsTable;
  sync_deferred: SyncDeferredTable;
  sync_state: SyncStateTable;
}
