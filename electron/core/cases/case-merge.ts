// Same accident, two cases (issue #13; docs/sync-protocol.md §10 "Same accident"): when a person
// decides a duplicate is the same accident, this device's case is closed as merged into the other
// one. It owns the merge's rules and writes, all in the deciding call's transaction (the dispatcher
// audits it and puts it in the outbox):
// - only a case this device may change is closed (its holder's act), and never one with a signed
//   document or conclusion: signed documents stay with their own case, so that case is the kept one;
// - the closed case keeps all its rows (nothing is moved or deleted: its materials, bills and
//   records stay under it, read-only as a closed case); it gets status 已办结, a pointer to the kept
//   case and a 办理记录 line saying why;
// - a case_merges row lists what the closed case carried (materials, bills, 办理记录) for the kept
//   case: it travels to the kept case's holders, wherever they are, so the kept case's page shows
//   it without this office's rows, accounts or worker ever being copied there.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { fenToYuan } from '../../../shared/rules/money';
import { STATUS_LABELS, type CaseStatus } from '../../../shared/cases/lifecycle';
import { readSyncState } from '../sync/state';
import { caseHolder } from '../sync/holders';
import { officeShownName } from '../reference/offices';

type Db = Kysely<Database>;

export interface CarriedOver {
  materials: { label: string; received: boolean; note: string }[];
  bills: { date: string; hospital: string; amount: string; eligible: string; reimbursed: boolean }[];
  history: { at: string; from: string | null; to: string; reason: string }[];
}

const statusLabel = (s: string | null): string | null => (s === null ? null : (STATUS_LABELS[s as CaseStatus] ?? '其他状态'));

/** Why this case may not be the one closed, in Chinese; null when it may. */
async function refusal(db: Db, caseId: string): Promise<string | null> {
  const doc = await db
    .selectFrom('issued_documents')
    .select(['document_no'])
    .where('case_id', '=', caseId)
    .orderBy('issued_at')
    .executeTakeFirst();
  if (doc)
    return `本案已签发文书（文号 ${doc.document_no}），签发的文书只属于本案，本案不能作为被合并关闭的一方；如确属同一事故，请由对方机构把其案件并入本案`;
  const concl = await db.selectFrom('appraisal_conclusions').select('id').where('case_id', '=', caseId).executeTakeFirst();
  if (concl) return '本案已有签署的鉴定结论，不能作为被合并关闭的一方；如确属同一事故，请由对方机构把其案件并入本案';
  return null;
}

/**
 * Closes `mergedId` (held here) as merged into `kept` (which may be another office's case, not
 * on this device). Must run in the call's transaction.
 */
export async function mergeCaseInto(
  db: Db,
  clock: Clock,
  user: { id: string; name: string },
  mergedId: string,
  kept: { id: string; registrationNo: string },
  conflictId: string | null,
): Promise<{ summary: string }> {
  const c = await db.selectFrom('cases').selectAll().where('id', '=', mergedId).executeTakeFirst();
  if (!c) throw new ApiError('NOT_FOUND', '本机没有要合并的案件');
  if (c.merged_into) throw new ApiError('RULE_REFUSED', `本案已于此前并入案件 ${c.merged_into_no ?? ''}，不能再次合并`);
  if (kept.id === mergedId) throw new ApiError('INVALID_INPUT', '不能把案件并入它自己');
  const holder = await caseHolder(db, mergedId);
  if (holder && !holder.here) throw new ApiError('RULE_REFUSED', `本案现由「${holder.office}」办理，只能由该机构把本案并入对方案件`);
  const why = await refusal(db, mergedId);
  if (why) throw new ApiError('RULE_REFUSED', why);

  const now = chinaInstant(clock.now());
  const materials = await db.selectFrom('case_materials').selectAll().where('case_id', '=', mergedId).orderBy('code').execute();
  const bills = await db.selectFrom('medical_bills').selectAll().where('case_id', '=', mergedId).orderBy('bill_date').execute();
  const history = await db.selectFrom('case_transitions').selectAll().where('case_id', '=', mergedId).orderBy('at').orderBy('id').execute();
  const carried: CarriedOver = {
    materials: materials.map((m) => ({ label: m.label, received: m.received === 1, note: m.note })),
    bills: bills.map((b) => ({
      date: b.bill_date,
      hospital: b.hospital,
      amount: fenToYuan(b.amount_fen),
      eligible: fenToYuan(b.eligible_fen),
      reimbursed: b.reimbursed_at !== null,
    })),
    history: history.map((h) => ({ at: h.at, from: statusLabel(h.from_status), to: statusLabel(h.to_status) ?? '', reason: h.reason })),
  };
  const reason = `同一事故，并入案件 ${kept.registrationNo}`;
  await db
    .updateTable('cases')
    .set({ status: 'closed', merged_into: kept.id, merged_into_no: kept.registrationNo, updated_at: now })
    .where('id', '=', mergedId)
    .execute();
  await db
    .insertInto('case_transitions')
    .values({
      id: newId(),
      case_id: mergedId,
      action: 'close',
      from_status: c.status,
      to_status: 'closed',
      by_user: user.id,
      at: now,
      reason,
    })
    .execute();
  const s = await readSyncState(db);
  await db
    .insertInto('case_merges')
    .values({
      id: newId(),
      kept_case_id: kept.id,
      kept_registration_no: kept.registrationNo,
      merged_case_id: mergedId,
      merged_registration_no: c.registration_no,
      merged_office: s.enrolment?.officeName ?? '本机',
      conflict_id: conflictId,
      carried: JSON.stringify(carried),
      decided_by: user.id,
      decided_by_name: user.name,
      decided_at: now,
    })
    .execute();
  return { summary: `案件 ${c.registration_no} 与案件 ${kept.registrationNo} 为同一事故，已并入后者并关闭` };
}

export interface MergeView {
  /** This case was closed as merged into another. */
  mergedInto: { caseId: string; registrationNo: string; here: boolean } | null;
  /** Cases merged into this one, with what they carried. */
  mergedCases: {
    caseId: string;
    registrationNo: string;
    office: string;
    decidedBy: string;
    decidedAt: string;
    carried: CarriedOver;
  }[];
}

export async function mergeView(db: Db, c: { id: string; merged_into: string | null; merged_into_no: string | null }): Promise<MergeView> {
  const into = c.merged_into
    ? {
        caseId: c.merged_into,
        registrationNo: c.merged_into_no ?? '',
        here: !!(await db.selectFrom('cases').select('id').where('id', '=', c.merged_into).executeTakeFirst()),
      }
    : null;
  const rows = await db.selectFrom('case_merges').selectAll().where('kept_case_id', '=', c.id).orderBy('decided_at').execute();
  const shown = rows.length ? await officeShownName(db) : (n: string) => n;
  return {
    mergedInto: into,
    mergedCases: rows.map((r) => ({
      caseId: r.merged_case_id,
      registrationNo: r.merged_registration_no,
      office: shown(r.merged_office),
      decidedBy: r.decided_by_name,
      decidedAt: r.decided_at,
      carried: JSON.parse(r.carried) as CarriedOver,
    })),
  };
}
