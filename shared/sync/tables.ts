// The replication catalogue: which local tables travel between devices and the centre, how each
// row is keyed and versioned, which merge rule applies, and how a row finds the case (and so the
// office and holder) it belongs to. One list, read by the device's replication core, the hearing
// package and the centre. Pure data; docs/sync-protocol.md §5 explains the rules.

/** Bumped whenever a table or column is added here; both sides refuse a catalogue they do not know. */
export const CATALOGUE_VERSION = 5;

/**
 * `versioned`    editable records: a change applies only on top of the version it was made from
 *                (its base version); otherwise it is a conflict for a person to decide.
 * `append-only`  legal and historical records (moves, draws, signed conclusions, issued documents):
 *                inserted once, never changed; the same key with other content is refused.
 * `set`          membership rows without content of their own (a user's roles): insert or delete.
 */
export type MergeRule = 'versioned' | 'append-only' | 'set';

/**
 * How a row reaches its case: `self` (the cases table), `column` (a case_id column), `worker` (rows
 * other cases point at: every case naming the worker), `hearing` (every case on the hearing), or
 * `office` (office-wide records: platforms, experts, users).
 */
/**
 * How an offline file (the hearing package) merges a row that differs from this store's, where no
 * centre decides. Absent rows are inserted and identical ones skipped whatever the rule;
 * append-only tables use their `merge` (a differing row is refused). docs/hearing-package.md.
 * `case`        the file's row only if its version is higher and this store's moves (case_transitions)
 *               are a prefix of the file's; ours if the file is an older state of the same history;
 *               otherwise refused (changed in both places).
 * `case-detail` the file's row when its case row was taken (or is new here) or its own version is
 *               higher; otherwise ours.
 * `hearing`     the day's record: the file wins, unless this store holds a signed conclusion for that
 *               case and hearing that the file lacks (refused).
 * `newer`       descriptive records: the later updated_at wins (a tie keeps ours).
 * `local`       ours is kept.
 */
export type FileMergeRule = 'case' | 'case-detail' | 'hearing' | 'newer' | 'local';

export type CaseLink =
  { kind: 'self' } | { kind: 'column'; column: string } | { kind: 'worker' } | { kind: 'hearing' } | { kind: 'office' };

export interface SyncTable {
  table: string;
  label: string;
  key: readonly string[];
  merge: MergeRule;
  /** The column holding the row's version (versioned tables only). */
  versionColumn: string | null;
  link: CaseLink;
  /** Local-only columns that never leave the device (security state, password material). */
  localColumns?: readonly string[];
  /** BLOB columns: travel as {$blob: sha256}, the bytes by the blob endpoints. */
  blobColumns?: readonly string[];
  /** Columns naming a user (the centre re-checks that user's role for the mutation). */
  userColumns?: readonly string[];
  /** For tables an offline file (hearing package) carries and that are not append-only: its merge rule. */
  fileMerge?: FileMergeRule;
  /**
   * Columns naming a row of an office-wide table (an expert, a platform). A case handed to another
   * office names rows that office does not see: pull carries them with the page (§6).
   */
  refColumns?: readonly { column: string; table: string }[];
  /**
   * The column naming the case whose holder may write the row, when that is not the case the row
   * travels with (`link`): a merge record goes to the kept case's holders and is written by the
   * closed case's holder.
   */
  custodyColumn?: string;
}

/** In dependency order: a table's references point only at tables above it. */
export const SYNC_TABLES: readonly SyncTable[] = [
  {
    table: 'users',
    label: '人员账号',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'office' },
    localColumns: ['password_hash', 'password_salt', 'failed_attempts', 'locked_until'],
  },
  { table: 'user_roles', label: '人员角色', key: ['user_id', 'role'], merge: 'set', versionColumn: null, link: { kind: 'office' } },
  {
    table: 'platforms',
    label: '平台',
    key: ['code'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'office' },
    fileMerge: 'newer',
  },
  {
    table: 'experts',
    label: '鉴定专家',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'office' },
    fileMerge: 'newer',
  },
  {
    table: 'workers',
    label: '伤者',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'worker' },
    fileMerge: 'newer',
  },
  {
    table: 'accident_reports',
    label: '事故备案',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    fileMerge: 'local',
    refColumns: [{ column: 'platform_code', table: 'platforms' }],
  },
  {
    table: 'cases',
    label: '案件',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'version',
    link: { kind: 'self' },
    fileMerge: 'case',
    userColumns: ['registered_by', 'accepted_by', 'decided_by'],
    refColumns: [{ column: 'responsible_platform', table: 'platforms' }],
  },
  {
    table: 'case_materials',
    label: '申请材料',
    key: ['case_id', 'code'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    fileMerge: 'case-detail',
  },
  {
    table: 'attachments',
    label: '附件',
    key: ['id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['uploaded_by'],
  },
  {
    // A removed attachment: the tombstone that hides it on every device (its row stays).
    table: 'attachment_removals',
    label: '附件删除',
    key: ['attachment_id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['removed_by'],
  },
  {
    table: 'case_payees',
    label: '收款账户',
    key: ['case_id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    fileMerge: 'case-detail',
    userColumns: ['updated_by'],
  },
  {
    table: 'case_transitions',
    label: '办理记录',
    key: ['id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['by_user'],
  },
  {
    table: 'medical_bills',
    label: '医疗票据',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    fileMerge: 'case-detail',
    userColumns: ['entered_by'],
  },
  {
    table: 'case_recusals',
    label: '专家回避',
    key: ['case_id', 'expert_id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    fileMerge: 'case-detail',
    userColumns: ['recorded_by'],
    refColumns: [{ column: 'expert_id', table: 'experts' }],
  },
  {
    table: 'panel_draws',
    label: '专家抽取记录',
    key: ['id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['drawn_by'],
  },
  {
    table: 'hearings',
    label: '鉴定专场',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'hearing' },
    fileMerge: 'hearing',
    userColumns: ['created_by'],
  },
  {
    table: 'hearing_cases',
    label: '专场案件',
    key: ['hearing_id', 'case_id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    fileMerge: 'hearing',
  },
  {
    table: 'appraisal_requests',
    label: '鉴定申请',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    fileMerge: 'case-detail',
    userColumns: ['requested_by', 'prechecked_by', 'extended_by'],
  },
  {
    table: 'expert_opinions',
    label: '专家意见',
    key: ['hearing_id', 'case_id', 'expert_id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    fileMerge: 'hearing',
    userColumns: ['recorded_by'],
    refColumns: [{ column: 'expert_id', table: 'experts' }],
  },
  {
    table: 'appraisal_conclusions',
    label: '鉴定结论',
    key: ['id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['leader_id'],
  },
  {
    table: 'case_deaths',
    label: '死亡登记',
    key: ['case_id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['recorded_by'],
  },
  {
    table: 'dependants',
    label: '供养亲属',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['recorded_by'],
  },
  {
    table: 'benefit_determinations',
    label: '待遇核定',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['prepared_by', 'reviewed_by'],
  },
  {
    table: 'determination_reviews',
    label: '待遇复核记录',
    key: ['determination_id', 'round'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['reviewer_id'],
  },
  {
    table: 'issued_documents',
    label: '已出具文书',
    key: ['id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    blobColumns: ['pdf'],
    userColumns: ['signer_id'],
  },
  {
    table: 'voided_documents',
    label: '文书作废',
    key: ['document_id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['voided_by'],
  },
  {
    table: 'deliveries',
    label: '送达记录',
    key: ['id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['recorded_by'],
  },
  {
    // A person's clearing of a 疑点 flag (the flags themselves are computed on each device).
    table: 'case_flag_clearances',
    label: '疑点核查清除',
    key: ['case_id', 'code', 'key'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['cleared_by'],
  },
  // Issue #13: a person's decision on a 同步冲突 (the centre closes the conflict when it arrives).
  {
    table: 'conflict_decisions',
    label: '同步冲突处理',
    key: ['id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'office' },
    userColumns: ['decided_by'],
  },
  // Issue #13: a note or request to the office holding a case. Any office that sees the case may
  // write one (the only record a non-holder may: HOLDER_FREE_TABLES); the holder answers it.
  {
    table: 'case_requests',
    label: '案件留言与请求',
    key: ['id'],
    merge: 'versioned',
    versionColumn: 'row_version',
    link: { kind: 'column', column: 'case_id' },
    userColumns: ['from_user', 'answered_by'],
  },
  // Issue #13: a case closed as merged into another (same accident), for the kept case's holders.
  {
    table: 'case_merges',
    label: '案件合并',
    key: ['id'],
    merge: 'append-only',
    versionColumn: null,
    link: { kind: 'column', column: 'kept_case_id' },
    custodyColumn: 'merged_case_id',
  },
];

/**
 * Tables whose new rows any office that sees the case may write, holder or not (issue #13: "it can
 * record a note or a request for the holder"). Only new rows: a change of an existing one (the
 * holder's answer) follows the holder rule like every other change.
 */
export const HOLDER_FREE_TABLES: ReadonlySet<string> = new Set(['case_requests']);

export const SYNC_TABLE_NAMES: ReadonlySet<string> = new Set(SYNC_TABLES.map((t) => t.table));

export function syncTable(name: string): SyncTable | undefined {
  return SYNC_TABLES.find((t) => t.table === name);
}

/** A row's key as one string, the same on both sides: the key values in key order, JSON-encoded. */
export function rowKeyString(t: SyncTable, key: Record<string, unknown>): string {
  return JSON.stringify(t.key.map((k) => key[k] ?? null));
}
