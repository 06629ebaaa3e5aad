// The 鉴定申请 — the appraisal case of a claim. A request move on the claim opens one: 初次 and
// 复查 at the municipal committee, 再次鉴定 at the provincial committee, linked to the conclusion
// it challenges. It carries the 预审 checklist (the pack's materials), the committee's 30-day
// extension with its reason, and, through the conclusion's request_id, what answered it.
import type { Kysely, Selectable } from 'kysely';
import type { AppraisalRequestsTable, Database } from '../db-schema';
import { chinaDate, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import type { User } from '../../../shared/api/methods/auth';
import { deviceTag, nextNumber } from '../cases/counters';
import { loadCaseRow } from '../cases/case-file';
import { getSettings } from '../settings';
import { packFor, type RuleData } from '../cases/rule-data';

type Db = Kysely<Database>;
type Kind = AppraisalRequestsTable['kind'];

export interface PrecheckItem {
  code: string;
  label: string;
  present: boolean;
  note: string;
}

/** Opens the request a request move asks for; called inside the move's transaction. */
export async function openAppraisalRequest(
  db: Db,
  user: User,
  r: { caseId: string; kind: Kind; on: string; reason: string; party: 'worker' | 'platform' | null },
): Promise<string> {
  const settings = await getSettings(db);
  const previous = r.kind === 'initial' ? undefined : await latestConclusion(db, r.caseId);
  const level = r.kind === 'reappraisal' ? 'provincial' : 'municipal';
  const year = r.on.slice(0, 4);
  const id = newId();
  await db
    .insertInto('appraisal_requests')
    .values({
      id,
      request_no: `JS${year}-${await deviceTag(db)}-${String(await nextNumber(db, `appraisal-request-${year}`)).padStart(4, '0')}`,
      case_id: r.caseId,
      kind: r.kind,
      level,
      committee: level === 'provincial' ? settings.provincialCommittee : settings.appraisalCommittee,
      previous_conclusion_id: previous?.id ?? null,
      requested_on: r.on,
      requested_by: user.id,
      reason: r.reason,
      precheck: null,
      precheck_result: null,
      prechecked_by: null,
      prechecked_on: null,
      complete_on: null,
      extension_reason: null,
      extended_by: null,
      extended_on: null,
      party: r.kind === 'reappraisal' ? r.party : null,
      closed_on: null,
      closed_reason: null,
    })
    .execute();
  return id;
}

/** Ends the request still waiting for a conclusion (the person died): it can no longer be heard. */
export async function closePendingRequest(db: Db, caseId: string, on: string, reason: string): Promise<void> {
  const r = await pendingRequest(db, caseId);
  if (r) await db.updateTable('appraisal_requests').set({ closed_on: on, closed_reason: reason }).where('id', '=', r.id).execute();
}

async function latestConclusion(db: Db, caseId: string) {
  return db
    .selectFrom('appraisal_conclusions')
    .select(['id', 'grade', 'signed_at'])
    .where('case_id', '=', caseId)
    .orderBy('signed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The case's request still waiting for a conclusion, or undefined. */
export async function pendingRequest(db: Db, caseId: string): Promise<Selectable<AppraisalRequestsTable> | undefined> {
  const latest = await db
    .selectFrom('appraisal_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest || latest.closed_on) return undefined;
  const answered = await db.selectFrom('appraisal_conclusions').select('id').where('request_id', '=', latest.id).executeTakeFirst();
  return answered ? undefined : latest;
}

async function requirePending(db: Db, caseId: string): Promise<Selectable<AppraisalRequestsTable>> {
  const c = await loadCaseRow(db, caseId);
  const r = c.status === 'awaiting_appraisal' ? await pendingRequest(db, caseId) : undefined;
  if (!r) throw new ApiError('RULE_REFUSED', `案件 ${c.case_no ?? c.registration_no} 没有待鉴定的申请`);
  return r;
}

/** The 预审 checklist for a case: the materials its rule pack asks for. */
export async function precheckTemplate(db: Db, rules: RuleData, caseId: string): Promise<{ code: string; label: string }[]> {
  const c = await loadCaseRow(db, caseId);
  return packFor(rules, c.accident_date).appraisal.materials.map((m) => ({
    code: m.code,
    label: m.note ? `${m.label}（${m.note}）` : m.label,
  }));
}

/**
 * Records the 预审: every checklist item present or not, with a note. All present makes the
 * application complete: the 60-day clock runs from the day the complete application was received
 * (the request's day when nothing was missing, otherwise the day the last missing material came),
 * not from the day the 预审 is recorded. Otherwise the missing items are returned for the
 * one-time notice to the applicant, and a later 预审 can complete it.
 */
export async function recordPrecheck(
  db: Db,
  clock: Clock,
  rules: RuleData,
  user: User,
  p: { caseId: string; items: { code: string; present: boolean; note: string }[]; materialsReceivedOn?: string | undefined },
) {
  const request = await requirePending(db, p.caseId);
  const template = await precheckTemplate(db, rules, p.caseId);
  const unknown = p.items.filter((i) => !template.some((t) => t.code === i.code));
  if (unknown.length > 0) throw new ApiError('INVALID_INPUT', `预审清单中没有“${unknown.map((u) => u.code).join('、')}”，请刷新后重新核对`);
  const missingAnswer = template.filter((t) => !p.items.some((i) => i.code === t.code));
  if (missingAnswer.length > 0)
    throw new ApiError('INVALID_INPUT', `请逐项核对：${missingAnswer.map((m) => m.label).join('、')} 尚未勾选有无`);
  const items: PrecheckItem[] = template.map((t) => {
    const i = p.items.find((x) => x.code === t.code)!;
    return { code: t.code, label: t.label, present: i.present, note: i.note.trim() };
  });
  const missing = items.filter((i) => !i.present);
  const today = chinaDate(clock.now());
  const result = missing.length === 0 ? ('complete' as const) : ('incomplete' as const);
  // Without a date: complete at the first check means complete as applied for; after an incomplete
  // check, the missing materials are taken as received today.
  const received = p.materialsReceivedOn ?? (request.precheck_result === null ? request.requested_on : today);
  if (received > today)
    throw new ApiError('INVALID_INPUT', `材料收到日期 ${received} 晚于今天，请核对`, [
      { path: 'materialsReceivedOn', message: '晚于今天' },
    ]);
  if (received < request.requested_on)
    throw new ApiError('INVALID_INPUT', `材料收到日期 ${received} 早于申请日期 ${request.requested_on}，请核对`, [
      { path: 'materialsReceivedOn', message: '早于申请日期' },
    ]);
  await db
    .updateTable('appraisal_requests')
    .set({
      precheck: JSON.stringify(items),
      precheck_result: result,
      prechecked_by: user.id,
      prechecked_on: today,
      complete_on: result === 'complete' ? (request.complete_on ?? received) : null,
    })
    .where('id', '=', request.id)
    .execute();
  return { requestNo: request.request_no, result, missing: missing.map((m) => m.label) };
}

/** The committee's 30-day extension of the conclusion period (疑难情况), once, with its reason. */
export async function extendConclusionPeriod(db: Db, clock: Clock, user: User, e: { caseId: string; reason: string }) {
  const request = await requirePending(db, e.caseId);
  if (!request.complete_on) throw new ApiError('RULE_REFUSED', '鉴定材料尚未预审齐全，结论期限还未起算，不能延长');
  if (request.extension_reason !== null) throw new ApiError('CONFLICT', `本申请已于 ${request.extended_on} 延长过结论期限，只能延长一次`);
  const reason = e.reason.trim();
  if (!reason) throw new ApiError('INVALID_INPUT', '请写明延长的理由（疑难情况）', [{ path: 'reason', message: '请写明理由' }]);
  await db
    .updateTable('appraisal_requests')
    .set({ extension_reason: reason, extended_by: user.id, extended_on: chinaDate(clock.now()) })
    .where('id', '=', request.id)
    .execute();
  return { requestNo: request.request_no };
}

/** Every request of a case, oldest first, with its checklist, extension and answer. */
export async function requestsOf(db: Db, caseId: string) {
  const rows = await db.selectFrom('appraisal_requests').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const conclusions = await db
    .selectFrom('appraisal_conclusions')
    .innerJoin('hearings', 'hearings.id', 'appraisal_conclusions.hearing_id')
    .select([
      'appraisal_conclusions.id',
      'appraisal_conclusions.request_id',
      'appraisal_conclusions.grade',
      'appraisal_conclusions.signed_at',
      'hearings.hearing_no',
    ])
    .where('appraisal_conclusions.case_id', '=', caseId)
    .execute();
  const byId = new Map(conclusions.map((c) => [c.id, c]));
  const summary = (c: (typeof conclusions)[number] | undefined) =>
    c ? { grade: c.grade, signedOn: c.signed_at.slice(0, 10), hearingNo: c.hearing_no } : null;
  return rows.map((r) => ({
    id: r.id,
    requestNo: r.request_no,
    kind: r.kind,
    level: r.level,
    committee: r.committee,
    requestedOn: r.requested_on,
    reason: r.reason,
    previous: summary(r.previous_conclusion_id ? byId.get(r.previous_conclusion_id) : undefined),
    precheck: r.precheck ? (JSON.parse(r.precheck) as PrecheckItem[]) : null,
    precheckResult: r.precheck_result,
    precheckedOn: r.prechecked_on,
    completeOn: r.complete_on,
    extension: r.extension_reason !== null ? { reason: r.extension_reason, on: r.extended_on! } : null,
    answer: summary(conclusions.find((c) => c.request_id === r.id)),
    party: r.party ?? null,
    closed: r.closed_on ? { on: r.closed_on, reason: r.closed_reason ?? '' } : null,
  }));
}
