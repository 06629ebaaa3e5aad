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

/**
 * The compact storage behind the audit_log view (migration 604), declared for the schema check:
 * code reads and writes entries only through audit_log. `at`, `prev_hash` and `hash` are ANY
 * columns (milliseconds or bytes when that gives back the exact text, else the text).
 */
export interface AuditEntriesTable {
  seq: number;
  at: string;
  actor: number;
  kind: number;
  entity: number | null;
  summary: string;
  prev_hash: string | null;
  hash: string;
}

export interface AuditActorsTable {
  id: number;
  actor_id: string | null;
  actor_name: string | null;
}

export interface AuditKindsTable {
  id: number;
  method: string;
  action: string;
  entity: string | null;
}

export interface AuditEntitiesTable {
  id: number;
  entity_id: string;
}

export interface LoginFailuresTable {
  /** A user id, or '*' for names that match no account. */
  subject: string;
  user_id: string | null;
  window_start: string;
  window_end: string;
  failures: number;
  /** How many of the failures already have their own audit entry. */
  audited: number;
}

export interface ExpertAccountsTable {
  expert_id: string;
  user_id: string;
  linked_at: string;
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
  /** The legal entity letters are addressed to (e.g. 北京三快在线科技有限公司 for 美团). */
  legal_name: string | null;
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
  /** Migration 560: the case this one was merged into (same accident), and its 登记编号. */
  merged_into: string | null;
  merged_into_no: string | null;
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
  /** JSON: the 第十一条 circumstance with its facts (shared/rules/injury-items.ts). */
  circumstance: string;
  /** 第二十四条第二款: the committee's extension of the treatment period, once, with its reason. */
  treatment_extended_on: string | null;
  treatment_extension_reason: string | null;
  /** The office (经办机构) that registered the case: the agencyName setting at registration. */
  office?: string;
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

export interface CasePayeesTable {
  case_id: string;
  payee_name: string;
  bank: string;
  account: string;
  change_reason: Generated<string>;
  updated_by: string | null;
  updated_at: string;
  row_version: Generated<number>;
}

export interface AttachmentRemovalsTable {
  attachment_id: string;
  case_id: string;
  reason: string;
  removed_by: string | null;
  removed_by_name: string;
  removed_at: string;
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
  /** 第十五条第三款: 'platform' when dated in the range the platform bears for a late application. */
  payer: 'fund' | 'platform';
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface CaseDeathsTable {
  case_id: string;
  death_date: string;
  caused_by_injury: 0 | 1;
  /** The death certificate or other proof (its kind, number, issuer). */
  evidence: string;
  note: string;
  recorded_by: string;
  recorded_at: string;
}

export interface DependantsTable {
  id: string;
  case_id: string;
  name: string;
  relation: 'spouse' | 'child' | 'parent' | 'grandparent' | 'grandchild' | 'sibling';
  sex: 'male' | 'female';
  birth_date: string;
  dependent: 0 | 1;
  fully_disabled: 0 | 1;
  orphan_or_solitary_elder: 0 | 1;
  student: 0 | 1;
  nearer_relatives_gone: 0 | 1;
  ended_on: string | null;
  end_reason: 'employed' | 'enlisted' | 'remarried' | 'adopted' | 'died' | 'other' | null;
  note: string;
  recorded_by: string;
  updated_at: string;
  /** Bumped by a trigger on every update (column: migration 221, trigger: 519); the version sync compares. */
  row_version: Generated<number>;
}

/** Contentless (migration 609): the text is indexed, not kept; rowid is the case's rowid. */
export interface CaseSearchTable {
  body: string;
  /** FTS5 MATCH needs a column named after the table. */
  case_search: string;
}

/** Exact terms, keyed by the case's rowid (migration 609), like the trigram index. */
export interface CaseSearchTermsTable {
  term: string;
  case_rowid: number;
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
  /** Migration 550: a lease the centre signed (source 'sync'). */
  lease_id: string | null;
  lease_key_id: string | null;
  lease_signature: string | null;
  leased_at: string | null;
  /** Handed back: numbers from here on go back to the centre; none is taken here again. */
  returned_from: number | null;
  returned_at: string | null;
  return_acked_at: string | null;
}

/** Migration 551: the office's conflicts as the centre last listed them (local only). */
export interface SyncConflictsTable {
  id: string;
  conflict_kind: 'stale' | 'duplicate';
  mutation_kind: string;
  tbl: string;
  key: string;
  device_id: string | null;
  device_op: string;
  base_version: number | null;
  device_version: number;
  device_row: string | null;
  centre_version: number | null;
  centre_deleted: number | null;
  centre_row: string | null;
  detail: string | null;
  created_at: string;
  resolved_at: string | null;
  resolution: string | null;
  fetched_at: string;
}

/** Migration 552: who holds each case, as the centre last said (local only). */
export interface CaseCustodyTable {
  case_id: string;
  office_id: string;
  office_name: string;
  held_here: number;
  since: string;
  fetched_at: string;
}

/** Migration 553: a note or request to the office holding a case (replicated). */
export interface CaseRequestsTable {
  id: string;
  case_id: string;
  kind: 'note' | 'handover' | 'materials' | 'other';
  body: string;
  from_office: string;
  from_user: string;
  created_at: string;
  status: 'open' | 'answered';
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
  row_version: Generated<number>;
}

/** Migration 551: a person's decision on a 同步冲突 (replicated, append-only). */
export interface ConflictDecisionsTable {
  id: string;
  conflict_id: string;
  decision: 'device' | 'centre' | 'duplicate' | 'distinct';
  table_name: string;
  record_key: string;
  summary: string;
  decided_by: string | null;
  decided_at: string;
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
  /** The caller's id for this issue request: a repeated request returns this document. */
  client_request_id: string | null;
  /** What the document is about when not the case alone: a determination, a delivery, a hearing. */
  subject_id: string | null;
  /** The voided document this one was issued in place of. */
  replaces_id: string | null;
}

export interface VoidedDocumentsTable {
  document_id: string;
  case_id: string | null;
  reason: string;
  voided_by: string | null;
  voided_by_name: string;
  voided_at: string;
}

export interface DeliveriesTable {
  id: string;
  document_id: string;
  case_id: string | null;
  party: 'worker' | 'platform';
  method: 'direct' | 'mail' | 'electronic' | 'public_notice';
  /** The day the party received it: the clocks that run from receipt start here. */
  delivered_on: string;
  receiver: string;
  note: string;
  /** The 送达回证 issued for this delivery. */
  receipt_id: string | null;
  recorded_by: string;
  recorded_at: string;
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
  /** Who asked for a 再次鉴定: the worker's side or the platform. */
  party: 'worker' | 'platform' | null;
  /** A request that ended without a conclusion (the person died). */
  closed_on: string | null;
  closed_reason: string | null;
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
  /** The round now waiting (1-based) in the chain the pack gave at preparation. */
  review_round: number;
  /** JSON: [{ role, label, body }], the pack's review rounds when the determination was prepared. */
  review_chain: string;
  supersedes_id: string | null;
  superseded_by: string | null;
  /** From when it replaces the determination it supersedes (the new conclusion's date, the death). */
  effective_from: string | null;
  /** Approved while a 再次鉴定 or 复查 was pending: redone when the new conclusion comes. */
  provisional: 0 | 1;
  /** JSON: the comparison with the superseded determination. */
  comparison: string | null;
  /** Bumped by a trigger on every update (migration 500); the version sync and packages compare. */
  row_version: Generated<number>;
}

export interface DeterminationReviewsTable {
  determination_id: string;
  case_id: string;
  round: number;
  role: string;
  reviewer_id: string;
  decision: 'approved' | 'returned';
  reason: Generated<string>;
  at: string;
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
  centre_url: string | null;
  device_tag: string | null;
  office_id: string | null;
  office_name: string | null;
  centre_public_key: string | null;
  revoked_at: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
}

export interface ReferenceItemsTable {
  kind: string;
  item_id: string;
  version: string;
  source: 'bundled' | 'centre';
  revision: number;
  body: string;
  signature: string | null;
  published_at: string | null;
  installed_at: string;
}

export interface ReferenceStateTable {
  id: number;
  cursor: number;
  generation: string;
}

export interface ReferenceRejectionsTable {
  id: Generated<number>;
  at: string;
  kind: string;
  item_id: string;
  version: string;
  message: string;
}

export interface CentreAccountsTable {
  user_id: string;
  revision: number;
}

export interface SyncYieldTable {
  tbl: string;
  key: string;
  since: string;
}

export interface SyncPassesTable {
  id: string;
  started_at: string;
  finished_at: string | null;
  trigger: 'background' | 'manual' | 'cli';
  outcome: 'running' | 'ok' | 'failed' | 'offline' | 'revoked';
  pushed: Generated<number>;
  pulled: Generated<number>;
  conflicts: Generated<number>;
  rejected: Generated<number>;
  message: string | null;
}

export interface CaseDirtyTable {
  case_id: string;
}

export interface CaseClocksTable {
  case_id: string;
  /** The clock's own key: its code, or code and party for a party's window (再次鉴定, 复议, 诉讼). */
  clock_key: string;
  code: string;
  label: string;
  unit: string;
  due: string;
  near_from: string;
  certain: 0 | 1;
  article: string;
  stage: string;
  handler_id: string | null;
}

/** Reimbursed medical bills summed per office and day (migration 606, kept by triggers). */
export interface ReimbursedDaysTable {
  office: string;
  day: string;
  eligible_fen: number;
  bills: number;
}

export interface CaseFactsTable {
  case_id: string;
  office: string;
  application_date: string;
  application_month: string;
  status: string;
  platform: string | null;
  industry: string;
  fast_track: 0 | 1;
  injury_type: string;
  scenario: string;
  traffic: 0 | 1;
  accepted_on: string | null;
  decided_on: string | null;
  decision: string | null;
  paid_on: string | null;
  wd_to_accept: number | null;
  wd_to_decision: number | null;
  wd_to_payment: number | null;
  bill_total_fen: number;
  handler_id: string | null;
}

export interface BenefitFactsTable {
  determination_id: string;
  line: number;
  case_id: string;
  office: string;
  approved_on: string;
  code: string;
  label: string;
  payer: string;
  period: string;
  amount_fen: number;
}

export interface DerivedStateTable {
  key: string;
  value: string;
}

/** A person's clearing of a 疑点 flag: replicated, and applied to the same flag wherever it is (migration 530). */
export interface CaseFlagClearancesTable {
  case_id: string;
  code: string;
  key: string;
  cleared_by: string;
  cleared_at: string;
  clear_reason: string;
}

export interface CaseFlagsTable {
  id: string;
  case_id: string;
  code: string;
  key: string;
  label: string;
  article: string;
  summary: string;
  /** JSON: the evidence the rule found. */
  evidence: string;
  pack_id: string;
  pack_version: string;
  status: 'open' | 'cleared' | 'lapsed';
  raised_at: string;
  lapsed_at: string | null;
  cleared_by: string | null;
  cleared_at: string | null;
  clear_reason: string | null;
}

export interface CaseMergesTable {
  id: string;
  kept_case_id: string;
  kept_registration_no: string;
  merged_case_id: string;
  merged_registration_no: string;
  merged_office: string;
  conflict_id: string | null;
  carried: string;
  decided_by: string | null;
  decided_by_name: string;
  decided_at: string;
}

export interface Database {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  /** A view since migration 604 (same columns, written through its INSTEAD OF trigger). */
  audit_log: AuditLogTable;
  audit_entries: AuditEntriesTable;
  audit_actors: AuditActorsTable;
  audit_kinds: AuditKindsTable;
  audit_entities: AuditEntitiesTable;
  settings: SettingsTable;
  login_failures: LoginFailuresTable;
  expert_accounts: ExpertAccountsTable;
  platforms: PlatformsTable;
  workers: WorkersTable;
  accident_reports: AccidentReportsTable;
  cases: CasesTable;
  case_materials: CaseMaterialsTable;
  attachments: AttachmentsTable;
  attachment_removals: AttachmentRemovalsTable;
  case_payees: CasePayeesTable;
  case_transitions: CaseTransitionsTable;
  medical_bills: MedicalBillsTable;
  case_search: CaseSearchTable;
  case_search_terms: CaseSearchTermsTable;
  counters: CountersTable;
  doc_number_blocks: DocNumberBlocksTable;
  sync_conflicts: SyncConflictsTable;
  conflict_decisions: ConflictDecisionsTable;
  case_custody: CaseCustodyTable;
  case_requests: CaseRequestsTable;
  case_merges: CaseMergesTable;
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
  determination_reviews: DeterminationReviewsTable;
  case_deaths: CaseDeathsTable;
  dependants: DependantsTable;
  voided_documents: VoidedDocumentsTable;
  deliveries: DeliveriesTable;
  sync_capture: SyncCaptureTable;
  sync_capture_off: SyncCaptureOffTable;
  sync_tombstones: SyncTombstonesTable;
  sync_outbox: SyncOutboxTable;
  sync_outbox_keys: SyncOutboxKeysTable;
  sync_blob_refs: SyncBlobRefsTable;
  sync_blobs: SyncBlobsTable;
  sync_deferred: SyncDeferredTable;
  sync_state: SyncStateTable;
  sync_passes: SyncPassesTable;
  sync_yield: SyncYieldTable;
  reference_items: ReferenceItemsTable;
  reference_state: ReferenceStateTable;
  reference_rejections: ReferenceRejectionsTable;
  centre_accounts: CentreAccountsTable;
  case_dirty: CaseDirtyTable;
  case_clocks: CaseClocksTable;
  case_facts: CaseFactsTable;
  reimbursed_days: ReimbursedDaysTable;
  benefit_facts: BenefitFactsTable;
  derived_state: DerivedStateTable;
  case_flags: CaseFlagsTable;
  case_flag_clearances: CaseFlagClearancesTable;
}
