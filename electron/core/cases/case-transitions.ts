// Moves a case through its lifecycle. The state machine (shared/cases/lifecycle.ts) says which
// moves exist and who may make them; this module adds the facts each move needs (materials
// complete, a decision article, the 第十一条 checks, separation of duties, the parties' appraisal
// windows) and records who moved it and why.
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
import { NO_APPRAISAL_DATES, reappraisalWindow } from './intake-rules';
import { appraisalDatesOf } from './appraisal-dates';
import { deathOf, moveBlocks } from './case-blocks';
import type { RuleData } from './rule-data';
import { closePendingRequest, openAppraisalRequest } from '../appraisal/appraisal-requests';
import { PARTY_LABELS, type Party } from '../notices/documents';

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
  party?: Party | undefined;
}

export async function transitionCase(
  db: Db,
  clock: Clock,
  rules: RuleData,
  user: User,
  input: TransitionInput,
  separationOfDuties: boolean,
  /** Set by the methods that make a move with facts of their own (a death). */
  via?: 'cases.recordDeath',
): Promise<{ status: CaseStatus; version: number; caseNo: string | null; from: CaseStatus }> {
  const c = await loadCaseRow(db, input.caseId);
  if (c.version !== input.expectedVersion) throw new ApiError('CONFLICT', '案件已被他人更新，请刷新后再办理');
  const from = c.status as CaseStatus;
  const check = checkTransition(from, input.action, user.roles);
  if (!check.ok) throw new ApiError('RULE_REFUSED', check.message);
  const t = check.transition;
  if (t.via && t.via !== via) throw new ApiError('INVALID_INPUT', `“${t.label}”需要填写相应事实，请使用“${t.label}”功能办理`);
  const materials = await db.selectFrom('case_materials').selectAll().where('case_id', '=', c.id).execute();
  const today = chinaDate(clock.now());
  const appraisal = (await appraisalDatesOf(db, [c.id])).get(c.id) ?? NO_APPRAISAL_DATES;
  const extra = await moveBlocks(db, c, rules, today, materials, appraisal);
  // A death is recorded by its own method, which checks it is not recorded twice.
  if (via === 'cases.recordDeath') delete extra.record_death;
  const blocked = blockedReason(c, input.action, user.id, separationOfDuties, materials, extra);
  if (blocked) throw new ApiError('RULE_REFUSED', blocked);
  if (t.needsReason && input.reason.trim().length === 0)
    throw new ApiError('INVALID_INPUT', `“${t.label}”需要填写理由`, [{ path: 'reason', message: '请填写理由' }]);
  if ((input.action === 'confirm' || input.action === 'not_confirm') && !input.article?.trim()) {
    throw new ApiError('INVALID_INPUT', '请填写作出结论所依据的条款（如第十一条第（一）项）', [
      { path: 'article', message: '请填写依据条款' },
    ]);
  }
  if (input.action === 'request_reappraisal') {
    if (!input.party)
      throw new ApiError('INVALID_INPUT', '请选择申请再次鉴定的一方（本人或平台企业）', [{ path: 'party', message: '请选择申请方' }]);
    const w = reappraisalWindow(c, appraisal, rules, today, input.party);
    if (!w.open) throw new ApiError('RULE_REFUSED', w.message);
  }

  const now = chinaInstant(clock.now());
  // Confirming a claim whose worker has died leads straight to the death benefits.
  const to: CaseStatus = input.action === 'confirm' && (await deathOf(db, c.id)) ? 'deceased' : t.to;
  const patch: Partial<CasesTable> = { status: to, version: c.version + 1, updated_at: now };
  let assignedNo = c.case_no;
  switch (input.action) {
    case 'request_supplement':
      // The 10 days run from the applicant's receipt of the notice: the due date is set when its
      // delivery is recorded.
      patch.supplement_requested_at = now;
      patch.supplement_due = null;
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
    case 'extend_treatment':
      patch.treatment_extended_on = today;
      patch.treatment_extension_reason = input.reason.trim();
      break;
    default:
      break;
  }
  await db.updateTable('cases').set(patch).where('id', '=', c.id).where('version', '=', c.version).execute();
  const partyNote = input.action === 'request_reappraisal' && input.party ? `（申请方：${PARTY_LABELS[input.party]}）` : '';
  await db
    .insertInto('case_transitions')
    .values({
      id: newId(),
      case_id: c.id,
      action: input.action,
      from_status: from,
      to_status: to,
      by_user: user.id,
      at: now,
      reason: `${input.reason.trim()}${partyNote}`,
    })
    .execute();
  const requestKind = REQUEST_KIND[input.action];
  if (requestKind)
    await openAppraisalRequest(db, user, {
      caseId: c.id,
      kind: requestKind,
      on: today,
      reason: input.reason.trim(),
      party: input.party ?? null,
    });
  // An approval made before a 再次鉴定 was asked is provisional: it is redone after the new
  // conclusion; a determination still in review goes back to the officer for the same reason.
  if (input.action === 'request_reappraisal') {
    await db
      .updateTable('benefit_determinations')
      .set({ provisional: 1 })
      .where('case_id', '=', c.id)
      .where('status', '=', 'approved')
      .where('superseded_by', 'is', null)
      .execute();
    await db
      .updateTable('benefit_determinations')
      .set({ status: 'returned', review_reason: '已申请再次鉴定，待再次鉴定结论作出后重新核定', reviewed_at: now })
      .where('case_id', '=', c.id)
      .where('status', '=', 'prepared')
      .execute();
  }
  // A dead person cannot be appraised: the pending request ends.
  if (input.action === 'record_death' && from === 'awaiting_appraisal') await closePendingRequest(db, c.id, today, '本人死亡，鉴定终止');
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
  return { status: to, version: c.version + 1, caseNo: assignedNo, from };
}

export function describeTransition(from: CaseStatus, to: CaseStatus, label: string): string {
  return from === to ? `${label}（${STATUS_LABELS[from]}）` : `${label}：${STATUS_LABELS[from]} → ${STATUS_LABELS[to]}`;
}
