// The 同步冲突 inbox on the device (issue #13; docs/sync-protocol.md §10). During a pass the
// office's conflicts are fetched from the centre (`GET /v1/conflicts`) into sync_conflicts, so the
// inbox works offline. A person decides (conflicts.resolve, an ordinary audited RPC call):
//   stale edit  — 采用本机的修改: the edit's fields are written again on top of the centre's version
//                 this store now holds, so it travels as a fresh change the centre can apply;
//                 保留中心的版本: nothing changes (the centre's row is already here).
//   duplicate   — 是同一事故: this device's case is closed as merged into the other (cases/case-merge.ts)
//                 in the same call; 不是同一事故: recorded.
// Either way a conflict_decisions row is written in the same transaction: it is replicated (the
// outbox carries it) and closes the conflict at the centre for every office involved.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { api, isMethodName } from '../../../shared/api/contract';
import { STATUS_LABELS, type CaseStatus } from '../../../shared/cases/lifecycle';
import { rowKeyString, syncTable } from '../../../shared/sync/tables';
import type { ConflictDecision, ConflictsReply } from '../../../shared/sync/conflicts';
import type { ConflictItem } from '../../../shared/api/methods/conflicts';
import { mergeCaseInto } from '../cases/case-merge';
import { caseHolder } from './holders';

type Db = Kysely<Database>;

/** Replaces the local copy with the centre's list (one transaction). */
export async function storeConflicts(db: Db, clock: Clock, reply: ConflictsReply): Promise<number> {
  if (!db.isTransaction) return db.transaction().execute((trx) => storeConflicts(trx, clock, reply));
  const now = chinaInstant(clock.now());
  let open = 0;
  for (const c of reply.conflicts) {
    const t = syncTable(c.table);
    const values = {
      conflict_kind: c.conflictKind,
      mutation_kind: c.mutationKind,
      tbl: c.table,
      key: t ? rowKeyString(t, c.key) : JSON.stringify(c.key),
      device_id: c.deviceId,
      device_op: c.deviceOp,
      base_version: c.baseVersion,
      device_version: c.deviceVersion,
      device_row: c.deviceRow === null ? null : JSON.stringify(c.deviceRow),
      centre_version: c.centreVersion,
      centre_deleted: c.centreDeleted === null ? null : c.centreDeleted ? 1 : 0,
      centre_row: c.centreRow === null ? null : JSON.stringify(c.centreRow),
      detail: c.detail === null ? null : JSON.stringify(c.detail),
      created_at: c.createdAt,
      resolved_at: c.resolvedAt,
      resolution: c.resolution,
      fetched_at: now,
    };
    await db
      .insertInto('sync_conflicts')
      .values({ id: c.id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
    if (!c.resolvedAt) open++;
  }
  return open;
}

// ---- showing ------------------------------------------------------------------------------------

const FIELD_LABELS: Record<string, Record<string, string>> = {
  workers: { name: '姓名', id_number: '身份证号', phone: '联系电话', industry: '行业', platforms: '接单平台' },
  cases: {
    registration_no: '登记编号',
    case_no: '案件编号',
    status: '案件状态',
    accident_at: '事故时间',
    accident_date: '事故日期',
    place: '事故地点',
    description: '事故经过',
    injuries: '伤情',
    applicant_name: '申请人',
    application_date: '申请日期',
    decision_reason: '决定理由',
    supplement_due: '补正期限',
  },
};
/** Bookkeeping columns nobody decides on. */
const HIDDEN = new Set(['version', 'row_version', 'created_at', 'updated_at', 'id', 'worker_id']);

function display(table: string, col: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (table === 'cases' && col === 'status' && typeof v === 'string') return STATUS_LABELS[v as CaseStatus] ?? '（其他状态）';
  if (typeof v === 'object') return '（文件）';
  if (typeof v === 'string' && v.startsWith('[')) {
    try {
      const arr = JSON.parse(v) as unknown;
      if (Array.isArray(arr)) return arr.map(String).join('、');
    } catch {
      // plain text that happens to start with a bracket
    }
  }
  return String(v);
}

function fieldsOf(table: string, mine: Record<string, unknown> | null, centre: Record<string, unknown> | null, onlyLabelled: boolean) {
  const labels = FIELD_LABELS[table] ?? {};
  const cols = [...new Set([...Object.keys(mine ?? {}), ...Object.keys(centre ?? {})])].filter((c) => !HIDDEN.has(c));
  const out: ConflictItem['fields'] = [];
  let others = 0;
  for (const col of cols) {
    const a = mine?.[col];
    const b = centre?.[col];
    const differs = JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
    const label = labels[col];
    if (!label) {
      if (differs) others++;
      continue;
    }
    if (onlyLabelled || differs || label)
      out.push({
        label,
        mine: mine ? display(table, col, a) : '（已删除）',
        centre: centre ? display(table, col, b) : '（已删除）',
        differs,
      });
  }
  if (others > 0) out.push({ label: '其他字段', mine: `另有 ${others} 项不同`, centre: '', differs: true });
  return out;
}

const DECISION_LABELS: Record<ConflictDecision, string> = {
  device: '采用本机的修改',
  centre: '保留中心的版本',
  duplicate: '是同一事故：本机的案件并入对方案件',
  distinct: '不是同一事故',
};

/**
 * What a person may decide. A case's own row (its status and history) never takes a stale edit:
 * the centre's state stays and the person redoes the act if it still applies (docs §10).
 */
function choicesFor(kind: 'stale' | 'duplicate', table: string): readonly ConflictDecision[] {
  if (kind === 'duplicate') return ['duplicate', 'distinct'];
  const t = syncTable(table);
  return table === 'cases' || t?.merge !== 'versioned' ? ['centre'] : ['device', 'centre'];
}

const parse = (s: string | null): Record<string, unknown> | null => (s === null ? null : (JSON.parse(s) as Record<string, unknown>));

export async function listInbox(db: Db, deviceId: string | null, show: 'open' | 'all'): Promise<ConflictItem[]> {
  let q = db.selectFrom('sync_conflicts').selectAll().orderBy('created_at').orderBy('id');
  if (show === 'open') q = q.where('resolved_at', 'is', null);
  const rows = await q.execute();
  const decisions = await db.selectFrom('conflict_decisions').selectAll().execute();
  const decidedBy = new Map(decisions.map((d) => [d.conflict_id, d]));
  const out: ConflictItem[] = [];
  for (const r of rows) {
    const local = decidedBy.get(r.id);
    if (show === 'open' && local) continue;
    const t = syncTable(r.tbl);
    const detail = parse(r.detail);
    let fields: ConflictItem['fields'];
    if (r.conflict_kind === 'duplicate') {
      fields = [
        ...fieldsOf(
          'workers',
          (detail?.mineWorker as Record<string, unknown>) ?? null,
          (detail?.otherWorker as Record<string, unknown>) ?? null,
          true,
        ),
        ...fieldsOf('cases', parse(r.device_row), parse(r.centre_row), true),
      ];
    } else
      fields = fieldsOf(r.tbl, r.device_op === 'delete' ? null : parse(r.device_row), r.centre_deleted ? null : parse(r.centre_row), false);
    const decision = (local?.decision ?? r.resolution) as ConflictDecision | null;
    out.push({
      id: r.id,
      kind: r.conflict_kind,
      recordLabel: t?.label ?? '其他记录',
      callLabel: isMethodName(r.mutation_kind)
        ? api[r.mutation_kind].label
        : r.mutation_kind === 'sync.baseline'
          ? '本机原有数据'
          : '其他变更',
      madeHere: deviceId !== null && r.device_id === deviceId,
      createdAt: r.created_at,
      fields,
      choices: choicesFor(r.conflict_kind, r.tbl).map((d) => ({ decision: d, label: DECISION_LABELS[d] })),
      decided:
        decision && decision in DECISION_LABELS
          ? {
              decision,
              label: decision === 'duplicate' ? '是同一事故（已合并）' : DECISION_LABELS[decision],
              at: local?.decided_at ?? r.resolved_at ?? '',
              synced: r.resolved_at !== null,
            }
          : null,
    });
  }
  return out;
}

// ---- deciding -----------------------------------------------------------------------------------

async function columnsOf(db: Db, table: string): Promise<Set<string>> {
  const r = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db);
  return new Set(r.rows.map((x) => x.name));
}

/** Must run in the call's transaction (the dispatcher's): the decision, any row it rewrites, its audit entry and outbox row commit together. */
export async function resolveConflict(
  db: Db,
  clock: Clock,
  userId: string | null,
  id: string,
  decision: ConflictDecision,
): Promise<{ summary: string }> {
  const c = await db.selectFrom('sync_conflicts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw new ApiError('NOT_FOUND', '没有这条同步冲突（请先同步，获取中心的最新列表）');
  if (c.resolved_at)
    throw new ApiError(
      'RULE_REFUSED',
      `这条同步冲突已于 ${c.resolved_at} 处理（${DECISION_LABELS[c.resolution as ConflictDecision] ?? '已处理'}）`,
    );
  const done = await db.selectFrom('conflict_decisions').select('decided_at').where('conflict_id', '=', id).executeTakeFirst();
  if (done) throw new ApiError('RULE_REFUSED', `这条同步冲突已于 ${done.decided_at} 在本机处理，等待同步到中心`);
  const allowed = choicesFor(c.conflict_kind, c.tbl);
  if (!allowed.includes(decision))
    throw new ApiError('INVALID_INPUT', `这类冲突只能选择：${allowed.map((d) => DECISION_LABELS[d]).join('或')}`);
  const t = syncTable(c.tbl);
  const label = t?.label ?? '记录';

  if (decision === 'device') {
    if (!t || t.merge !== 'versioned' || !t.versionColumn)
      throw new ApiError('RULE_REFUSED', `「${label}」不能按本机版本改写，只能保留中心的版本`);
    const keyVals = JSON.parse(c.key) as unknown[];
    const where = sql.join(
      t.key.map((k, i) => sql`${sql.ref(k)} = ${keyVals[i] as string}`),
      sql` AND `,
    );
    const cur = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t.table)} WHERE ${where}`.execute(db);
    const here = cur.rows[0];
    const hereVersion = here ? Number(here[t.versionColumn]) : null;
    if (c.centre_deleted ? here : hereVersion !== c.centre_version)
      throw new ApiError('RULE_REFUSED', '本机还没有收到中心的版本，请先同步，再处理这条冲突');
    if (c.device_op === 'delete') {
      await sql`DELETE FROM ${sql.table(t.table)} WHERE ${where}`.execute(db);
    } else {
      const row = parse(c.device_row) ?? {};
      const cols = await columnsOf(db, t.table);
      const skip = new Set([...t.key, t.versionColumn, ...(t.localColumns ?? []), ...(t.blobColumns ?? [])]);
      const sets = Object.entries(row).filter(([k, v]) => cols.has(k) && !skip.has(k) && (v === null || typeof v !== 'object'));
      if (!here) throw new ApiError('RULE_REFUSED', '这条记录在本机已不存在，只能保留中心的版本');
      if (sets.length > 0)
        await sql`UPDATE ${sql.table(t.table)} SET ${sql.join(
          sets.map(([k, v]) => sql`${sql.ref(k)} = ${v as string | number | null}`),
          sql`, `,
        )} WHERE ${where}`.execute(db);
    }
  }

  let merged = '';
  if (c.conflict_kind === 'duplicate' && decision === 'duplicate') {
    const pair = [parse(c.device_row), parse(c.centre_row)];
    // This device's case is the one closed (its holder's act); when both are here (one office),
    // the later registration (the one that raised the duplicate) goes into the earlier.
    const local: boolean[] = [];
    for (const r of pair) {
      const id = typeof r?.id === 'string' ? r.id : null;
      const here = id ? !!(await db.selectFrom('cases').select('id').where('id', '=', id).executeTakeFirst()) : false;
      local.push(here && (id ? ((await caseHolder(db, id))?.here ?? true) : false));
    }
    const i = local[0] ? 0 : local[1] ? 1 : -1;
    if (i < 0) throw new ApiError('RULE_REFUSED', '本机没有可并入对方的案件（两件案件都不由本机构办理），请由办理机构处理这条疑似重复');
    const mine = pair[i]!;
    const other = pair[1 - i]!;
    if (!userId) throw new ApiError('FORBIDDEN', '合并案件须由登录的人员操作');
    const who = await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
    const r = await mergeCaseInto(
      db,
      clock,
      { id: userId, name: who?.display_name ?? '' },
      String(mine.id),
      { id: String(other.id), registrationNo: String(other.registration_no ?? '') },
      id,
    );
    merged = r.summary;
  }

  const summary = merged
    ? `疑似重复登记：${merged}`
    : `${c.conflict_kind === 'duplicate' ? '疑似重复登记' : `「${label}」的同步冲突`}：${DECISION_LABELS[decision]}`;
  await db
    .insertInto('conflict_decisions')
    .values({
      id: newId(),
      conflict_id: id,
      decision,
      table_name: c.tbl,
      record_key: c.key,
      summary,
      decided_by: userId,
      decided_at: chinaInstant(clock.now()),
    })
    .execute();
  return { summary };
}
