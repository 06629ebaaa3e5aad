// Moves a case through its lifecycle. The state machine (shared/cases/lifecycle.ts) says which
// moves exist and who may make them; this module adds the facts each move needs (materials
// complete, a decision article, separation of duties) and records who moved it and why.
import type { Kysely } from 'kysely';
import type { CasesTable, Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { checkTransition, STATUS_LABELS, type CaseAction, type CaseStatus } from '../../../shared/cases/lifecycle';
import type { User } from '../../../shared/api/methods/auth';
import { loadCaseRow } from './case-file';
import { blockedReason } from './move-blocks';
import { caseNo } from './counters';
import { indexCase } from './case-search';
import { appraisalRequestBlocks, NO_APPRAISAL_DATES, supplementDueDate } from './intake-rules';
import { appraisalDatesOf } from './appraisal-dates';
import type { RuleData } from './rule-data';
import { openAppraisalRequest } from '../appraisal/appraisal-requests';

/** The moves that open a 鉴定申请, and its kind. */
const REQUEST_KIND: Partial<Record<CaseAction, 'initial' | 'review' | 'reappraisal'>> = {
  request_appraisal: 'initial',
  request_review: 'review',
  request_reappraisal: 'reappraisal',
};

type Db = Kysely<Database>;

export interface TransitionInput {
  caseId: string;
  action: CaseAction;
  expectedVersion: number;
  reason: string;
  article?: string | undefined;
  investigation?: string | undefined;
}

export async function transitionCase(
  db: Db,
  clock: Clock,
  rules: RuleData,
  user: User,
  input: TransitionInput,
  separationOfDuties: boolean,
): Promise<{ status: CaseStatus; version: number; caseNo: string | null; from: CaseStatus }> {
  const c = await loadCaseRow(db, input.caseId);
  if (c.version !== input.expectedVersion) throw new ApiError('CONFLICT', '案件已被他人更新，请刷新后再办理');
  const from = c.status as CaseStatus;
  const check = checkTransition(from, input.action, user.roles);
  if (!check.ok) throw new ApiError('RULE_REFUSED', check.message);
  const t = check.transition;
  const materials = await db.selectFrom('case_materials').selectAll().where('case_id', '=', c.id).execute();
  const appraisalBlocks =
    input.action === 'request_reappraisal' || input.action === 'request_review'
      ? appraisalRequestBlocks(c, (await appraisalDatesOf(db, [c.id])).get(c.id) ?? NO_APPRAISAL_DATES, rules, chinaDate(clock.now()))
      : {};
  const blocked = blockedReason(c, input.action, user.id, separationOfDuties, materials, appraisalBlocks);
  if (blocked) throw new ApiError('RULE_REFUSED', blocked);
  if (t.needsReason && input.reason.trim().length === 0)
    throw new ApiError('INVALID_INPUT', `“${t.label}”需要填写理由`, [{ path: 'reason', message: '请填写理由' }]);
  if ((input.action === 'confirm' || input.action === 'not_confirm') && !input.article?.trim()) {
    throw new ApiError('INVALID_INPUT', '请填写作出结论所依据的条款（如第十一条第（一）项）', [
      { path: 'article', message: '请填写依据条款' },
    ]);
  }

  const now = chinaInstant(clock.now());
  const today = chinaDate(clock.now());
  const patch: Partial<CasesTable> = { status: t.to, version: c.version + 1, updated_at: now };
  let assignedNo = c.case_no;
  switch (input.action) {
    case 'request_supplement':
      patch.supplement_requested_at = now;
      patch.supplement_due = supplementDueDate(today, rules);
      break;
    case 'accept':
      assignedNo = await caseNo(db, today.slice(0, 4));
      patch.case_no = assignedNo;
      patch.accepted_by = user.id;
      patch.accepted_at = now;
      break;
    case 'confirm':
    case 'not_confirm':
      patch.decision_article = input.article!.trim();
      patch.decision_reason = input.reason.trim();
      patch.investigation = input.investigation?.trim() ?? null;
      patch.decided_by = user.id;
      patch.decided_at = now;
      break;
    default:
      break;
  }
  await db.updateTable('cases').set(patch).where('id', '=', c.id).where('version', '=', c.version).execute();
  await db
    .insertInto('case_transitions')
    .values({
      id: newId(),
      case_id: c.id,
      action: input.action,
      from_status: from,
      to_status: t.to,
      by_user: user.id,
      at: now,
      reason: input.reason.trim(),
    })
    .execute();
  const requestKind = REQUEST_KIND[input.action];
  if (requestKind) await openAppraisalRequest(db, user, { caseId: c.id, kind: requestKind, on: today, reason: input.reason.trim() });
  if (assignedNo !== c.case_no) {
    const w = await db.selectFrom('workers').select(['name', 'id_number', 'phone']).where('id', '=', c.worker_id).executeTakeFirstOrThrow();
    await indexCase(db, {
      caseId: c.id,
      workerName: w.name,
      idNumber: w.id_number,
      phone: w.phone,
      registrationNo: c.registration_no,
      caseNo: assignedNo,
      orderNos: (JSON.parse(c.orders) as { orderNo: string }[]).map((o) => o.orderNo),
    });
  }
  return { status: t.to, version: c.version + 1, caseNo: assignedNo, from };
}

export function describeTransition(from: CaseStatus, to: CaseStatus, label: string): string {
  return `${label}：${STATUS_LABELS[from]} → ${STATUS_LABELS[to]}`;
}
