// 待遇核定 and 复核: a benefit officer turns a signed appraisal conclusion (or a death) into a
// determination with the rule engine — every line, formula, the pack and each parameter used
// are stored — and a reviewer, never the preparer, approves or returns it with a reason. Only
// an approved determination produces a 待遇核定通知书.
import type { Kysely } from 'kysely';
import type { CasesTable, Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { gradeLabel } from '../../../shared/appraisal/grades';
import type { User } from '../../../shared/api/methods/auth';
import { computeBenefits, RuleError, type BenefitResult } from '../../../shared/rules';
import { loadCaseRow } from '../cases/case-file';
import { transitionCase } from '../cases/case-transitions';
import { maskIdNumber } from '../cases/masking';
import { packFor, type RuleData } from '../cases/rule-data';
import { getSettings } from '../settings';

type Db = Kysely<Database>;

export interface PrepareInput {
  caseId: string;
  city?: string | undefined;
  veteranOldInjury: boolean;
  treatment?: { start: string; end: string | null; extended: boolean } | undefined;
  figures?: Record<string, string> | undefined;
  death?:
    | { deathDate: string; dependants: { relation: string; orphanOrSolitaryElder: boolean }[]; afterTreatmentWithGrade1to4: boolean }
    | undefined;
}

export function disabilityOutcome(conclusion: { grade: number | null; nursing_level: string | null; signed_at: string }) {
  return {
    kind: 'disability',
    grade: conclusion.grade,
    nursingLevel: conclusion.nursing_level,
    conclusionDate: conclusion.signed_at.slice(0, 10),
  };
}

/** The rule engine's facts for a case: its dates and applicant, the outcome, and what the officer adds. */
export function benefitFacts(c: CasesTable, rules: RuleData, outcome: Record<string, unknown>, input: Omit<PrepareInput, 'caseId'>) {
  return {
    jurisdiction: rules.jurisdiction,
    injuryDate: c.accident_date,
    ...(input.city ? { city: input.city } : {}),
    veteranOldInjury: input.veteranOldInjury,
    outcome,
    ...(input.treatment ? { treatment: input.treatment } : {}),
    application: { by: c.applicant_kind, date: c.application_date },
    ...(input.figures && Object.keys(input.figures).length > 0 ? { figures: input.figures } : {}),
    caseRef: c.case_no ?? c.registration_no,
  };
}

export async function prepareDetermination(db: Db, clock: Clock, rules: RuleData, officer: User, input: PrepareInput) {
  const c = await loadCaseRow(db, input.caseId);
  const open = await db
    .selectFrom('benefit_determinations')
    .select(['id', 'status'])
    .where('case_id', '=', c.id)
    .where('status', 'in', ['prepared', 'approved'])
    .executeTakeFirst();
  if (open)
    throw new ApiError(
      'CONFLICT',
      open.status === 'approved' ? '本案待遇已核定并经复核，不能重复核定' : '本案已有待复核的核定，请等待复核或由复核人退回',
    );
  let conclusionId: string | null = null;
  let outcome: Record<string, unknown>;
  if (input.death) {
    if (c.status !== 'confirmed') throw new ApiError('RULE_REFUSED', '因职业伤害死亡的待遇核定，案件须处于“已确认”状态');
    outcome = { kind: 'death', ...input.death };
  } else {
    if (c.status !== 'appraised') throw new ApiError('RULE_REFUSED', '案件尚无已签发的劳动能力鉴定结论，不能核定伤残待遇');
    const conclusion = await db
      .selectFrom('appraisal_conclusions')
      .selectAll()
      .where('case_id', '=', c.id)
      .orderBy('signed_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    conclusionId = conclusion.id;
    outcome = disabilityOutcome(conclusion);
  }
  const facts = benefitFacts(c, rules, outcome, input);
  let result: BenefitResult;
  try {
    result = computeBenefits(facts, packFor(rules, c.accident_date), { calendar: rules.calendar });
  } catch (e) {
    if (e instanceof RuleError) throw new ApiError('RULE_REFUSED', e.message);
    throw e;
  }
  const id = newId();
  await db
    .insertInto('benefit_determinations')
    .values({
      id,
      case_id: c.id,
      conclusion_id: conclusionId,
      facts: JSON.stringify(facts),
      result: JSON.stringify(result),
      status: 'prepared',
      prepared_by: officer.id,
      prepared_at: chinaInstant(clock.now()),
      reviewed_by: null,
      reviewed_at: null,
    })
    .execute();
  return { id, result };
}

export async function reviewDetermination(
  db: Db,
  clock: Clock,
  rules: RuleData,
  reviewer: User,
  input: { determinationId: string; approve: boolean; reason: string },
  separationOfDuties: boolean,
) {
  const d = await db.selectFrom('benefit_determinations').selectAll().where('id', '=', input.determinationId).executeTakeFirst();
  if (!d) throw new ApiError('NOT_FOUND', '待遇核定记录不存在');
  if (d.status !== 'prepared') throw new ApiError('CONFLICT', '该核定已复核，不能重复复核');
  // 双重复核: the reviewer is never the preparer, whatever the separation setting says.
  if (d.prepared_by === reviewer.id) throw new ApiError('RULE_REFUSED', '复核人不能是核定人本人，请由其他待遇复核人员复核');
  if (!input.approve && !input.reason.trim())
    throw new ApiError('INVALID_INPUT', '退回时请写明理由', [{ path: 'reason', message: '请写明退回理由' }]);
  await db
    .updateTable('benefit_determinations')
    .set({
      status: input.approve ? 'approved' : 'returned',
      reviewed_by: reviewer.id,
      reviewed_at: chinaInstant(clock.now()),
      review_reason: input.reason.trim(),
    })
    .where('id', '=', d.id)
    .where('status', '=', 'prepared')
    .execute();
  if (input.approve) {
    const c = await loadCaseRow(db, d.case_id);
    await transitionCase(
      db,
      clock,
      rules,
      reviewer,
      { caseId: c.id, action: 'determine_benefits', expectedVersion: c.version, reason: '待遇核定经复核通过' },
      separationOfDuties,
    );
  }
  return { caseId: d.case_id, status: input.approve ? ('approved' as const) : ('returned' as const) };
}

export async function determinationsOf(db: Db, caseId: string) {
  const rows = await db
    .selectFrom('benefit_determinations')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('prepared_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const names = new Map((await db.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [u.id, u.display_name]));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    result: JSON.parse(r.result) as BenefitResult,
    preparedBy: names.get(r.prepared_by) ?? '—',
    preparedAt: r.prepared_at,
    reviewedBy: r.reviewed_by ? (names.get(r.reviewed_by) ?? '—') : null,
    reviewedAt: r.reviewed_at,
    reviewReason: r.review_reason,
  }));
}

/** The 待遇核定通知书's data; only for an approved determination. */
export async function determinationNoticeData(db: Db, determinationId: string) {
  const d = await db.selectFrom('benefit_determinations').selectAll().where('id', '=', determinationId).executeTakeFirst();
  if (!d) throw new ApiError('NOT_FOUND', '待遇核定记录不存在');
  if (d.status !== 'approved') throw new ApiError('RULE_REFUSED', '只有经复核通过的待遇核定才能出具待遇核定通知书');
  const c = await loadCaseRow(db, d.case_id);
  const w = await db.selectFrom('workers').selectAll().where('id', '=', c.worker_id).executeTakeFirstOrThrow();
  const platform = c.responsible_platform
    ? await db.selectFrom('platforms').select('name').where('code', '=', c.responsible_platform).executeTakeFirst()
    : undefined;
  const result = JSON.parse(d.result) as BenefitResult;
  const names = new Map((await db.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [u.id, u.display_name]));
  const conclusion = d.conclusion_id
    ? await db.selectFrom('appraisal_conclusions').select(['grade', 'signed_at']).where('id', '=', d.conclusion_id).executeTakeFirst()
    : undefined;
  const settings = await getSettings(db);
  return {
    type: 'benefit-determination' as const,
    agency: settings.agencyName || '（经办机构名称未设置）',
    caseId: c.id,
    caseNo: c.case_no,
    person: { name: w.name, idNumberMasked: maskIdNumber(w.id_number) },
    platform: platform?.name ?? null,
    basis: conclusion
      ? `${chinaDate(new Date(conclusion.signed_at))}签发的劳动能力鉴定结论（${gradeLabel(conclusion.grade)}）`
      : '因职业伤害死亡',
    rulePack: { id: result.rulePack.id, version: result.rulePack.version, name: result.rulePack.name },
    base: result.parameters.base ?? '0.00',
    lines: result.lines.map((l) => ({
      code: l.code,
      label: l.label,
      amount: l.amount,
      payer: l.payer,
      period: l.period,
      article: l.article,
      formula: l.formula,
    })),
    preparedBy: names.get(d.prepared_by) ?? '—',
    reviewedBy: d.reviewed_by ? (names.get(d.reviewed_by) ?? '—') : '—',
  };
}
