// 待遇核定 and 双重复核: a benefit officer turns the case's latest signed conclusion — or a recorded
// death, with its dependants — into a determination with the rule engine (every line, formula, the
// pack and each parameter used are stored). The pack's review chain (one or two rounds, each by a
// role of its own, never by anyone who took an earlier step) approves it or returns it to the
// officer with the reason; only after the last round approves is a 待遇核定通知书 issued.
// A new conclusion (复查, 再次鉴定) or a death after an approval gives a new determination that
// supersedes the approved one from its effective date, keeping it and the line-by-line difference.
import type { Kysely, Selectable } from 'kysely';
import type { BenefitDeterminationsTable, CasesTable, Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { gradeLabel } from '../../../shared/appraisal/grades';
import type { User } from '../../../shared/api/methods/auth';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import {
  compareDeterminations,
  computeBenefits,
  deathBasis,
  RuleError,
  treatmentLimitEnd,
  type BenefitResult,
  type Comparison,
  type RulePack,
} from '../../../shared/rules';
import { loadCaseRow } from '../cases/case-file';
import { transitionCase } from '../cases/case-transitions';
import { maskIdNumber } from '../cases/masking';
import { packFor, type RuleData } from '../cases/rule-data';
import { circumstanceOf, deathOf } from '../cases/case-blocks';
import { dependantRows, toDependant } from '../cases/death';
import { platformAddressee } from '../cases/platform-party';
import { liveDocumentFor } from '../notices/documents';
import { getSettings } from '../settings';
import { payeeOf } from '../cases/payee';
import { chineseDate, regulationTitle } from '../../../shared/notices/layout';
import { pendingRequest } from './appraisal-requests';

type Db = Kysely<Database>;

export interface PrepareInput {
  caseId: string;
  city?: string | undefined;
  /** The treatment period for 生活保障费: from its start to its end (null while it goes on). */
  treatment?: { start: string; end: string | null } | undefined;
  figures?: Record<string, string> | undefined;
}

export interface ReviewRound {
  role: Role;
  label: string;
  body: string;
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
export function benefitFacts(
  c: CasesTable,
  rules: RuleData,
  outcome: Record<string, unknown>,
  input: Omit<PrepareInput, 'caseId'> & { veteranOldInjury: boolean },
) {
  return {
    jurisdiction: rules.jurisdiction,
    injuryDate: c.accident_date,
    ...(input.city ? { city: input.city } : {}),
    veteranOldInjury: input.veteranOldInjury,
    outcome,
    // The committee's extension is a fact of the case (第二十四条第二款), not the officer's choice.
    ...(input.treatment ? { treatment: { ...input.treatment, extended: c.treatment_extended_on !== null } } : {}),
    application: { by: c.applicant_kind, date: c.application_date },
    ...(input.figures && Object.keys(input.figures).length > 0 ? { figures: input.figures } : {}),
    caseRef: c.case_no ?? c.registration_no,
  };
}

async function latestConclusion(db: Db, caseId: string) {
  return db
    .selectFrom('appraisal_conclusions')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('signed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The approved determination in force (not superseded), if any. */
async function approvedInForce(db: Db, caseId: string) {
  return db
    .selectFrom('benefit_determinations')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '=', 'approved')
    .where('superseded_by', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

function compute(facts: unknown, pack: RulePack, rules: RuleData): BenefitResult {
  try {
    return computeBenefits(facts, pack, { calendar: rules.calendar });
  } catch (e) {
    if (e instanceof RuleError) throw new ApiError('RULE_REFUSED', e.message);
    throw e;
  }
}

/**
 * What a determination with these inputs would be, computed and not stored: the officer's preview
 * before sending it to review, and the first half of prepareDetermination (the same refusals).
 */
export async function draftDetermination(db: Db, clock: Clock, rules: RuleData, input: PrepareInput) {
  const c = await loadCaseRow(db, input.caseId);
  const inReview = await db
    .selectFrom('benefit_determinations')
    .select('id')
    .where('case_id', '=', c.id)
    .where('status', '=', 'prepared')
    .executeTakeFirst();
  if (inReview) throw new ApiError('CONFLICT', '本案已有待复核的核定，请等待复核或由复核人退回');
  const pack = packFor(rules, c.accident_date);
  const approved = await approvedInForce(db, c.id);
  const conclusion = await latestConclusion(db, c.id);
  const veteranOldInjury = circumstanceOf(c).item === 'veteran';
  let outcome: Record<string, unknown>;
  let effectiveFrom: string | null = null;
  let conclusionId: string | null = null;
  const death = await deathOf(db, c.id);
  // The dependants of an approved death determination change (a child turns 18, a widow remarries,
  // one was left out): the pensions are determined again from the office's date.
  const dependantsChanged =
    c.status === 'benefits_determined' &&
    death !== undefined &&
    approved !== undefined &&
    (JSON.parse(approved.result) as BenefitResult).facts.outcome.kind === 'death';
  if ((c.status === 'deceased' || dependantsChanged) && death) {
    const treatmentEnd =
      input.treatment?.end ?? treatmentLimitEnd(pack, input.treatment?.start ?? c.accident_date, c.treatment_extended_on !== null);
    let basis;
    try {
      basis = deathBasis(pack, {
        deathDate: death.death_date,
        causedByInjury: death.caused_by_injury === 1,
        treatmentEnd,
        grade: conclusion?.grade ?? null,
      });
    } catch (e) {
      if (e instanceof RuleError) throw new ApiError('RULE_REFUSED', e.message);
      throw e;
    }
    const dependants = (await dependantRows(db, c.id)).map(toDependant);
    outcome = {
      kind: 'death',
      deathDate: death.death_date,
      dependants,
      afterTreatmentWithGrade1to4: basis.afterTreatmentWithGrade1to4,
      basisArticle: `${basis.article}：${basis.explanation}`,
    };
    conclusionId = conclusion?.id ?? null;
    if (dependantsChanged) {
      const before = (JSON.parse(approved.facts) as { outcome: { dependants?: unknown } }).outcome.dependants;
      if (JSON.stringify(before ?? []) === JSON.stringify(dependants))
        throw new ApiError('CONFLICT', '本案死亡待遇已核定并经复核，供养亲属情况没有变化，不需要重新核定');
      effectiveFrom = chinaDate(clock.now());
    } else if (approved) effectiveFrom = death.death_date;
  } else if (c.status === 'appraised') {
    if (!conclusion) throw new ApiError('RULE_REFUSED', '案件尚无已签发的劳动能力鉴定结论，不能核定伤残待遇');
    if (approved && approved.conclusion_id === conclusion.id)
      throw new ApiError('CONFLICT', '本案待遇已按最新鉴定结论核定并经复核，不能重复核定');
    conclusionId = conclusion.id;
    outcome = disabilityOutcome(conclusion);
    if (approved) effectiveFrom = conclusion.signed_at.slice(0, 10);
  } else {
    throw new ApiError(
      'RULE_REFUSED',
      c.status === 'benefits_determined'
        ? '本案待遇已核定并经复核，不能重复核定；鉴定结论变化、死亡或供养亲属变化后方可重新核定'
        : '案件须已作出劳动能力鉴定结论（已鉴定），或已登记死亡，才能核定待遇',
    );
  }
  // A redetermination leaves the 生活保障费 the first one settled (it stops after the first conclusion).
  const facts = benefitFacts(c, rules, outcome, {
    city: input.city,
    figures: input.figures,
    veteranOldInjury,
    ...(effectiveFrom ? {} : { treatment: input.treatment }),
  });
  const result = compute(facts, pack, rules);
  const comparison: Comparison | null =
    approved && effectiveFrom ? compareDeterminations(pack, JSON.parse(approved.result) as BenefitResult, result, effectiveFrom) : null;
  return { c, pack, facts, result, comparison, approved, effectiveFrom, conclusionId };
}

export async function prepareDetermination(db: Db, clock: Clock, rules: RuleData, officer: User, input: PrepareInput) {
  const { c, pack, facts, result, comparison, approved, effectiveFrom, conclusionId } = await draftDetermination(db, clock, rules, input);
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
      review_round: 1,
      review_chain: JSON.stringify(pack.benefitReview.rounds),
      supersedes_id: approved && effectiveFrom ? approved.id : null,
      superseded_by: null,
      effective_from: effectiveFrom,
      provisional: 0,
      comparison: comparison ? JSON.stringify(comparison) : null,
    })
    .execute();
  return { id, result, supersedes: approved && effectiveFrom ? approved.id : null, rounds: pack.benefitReview.rounds.length };
}

function chainOf(d: Pick<Selectable<BenefitDeterminationsTable>, 'review_chain'>): ReviewRound[] {
  return JSON.parse(d.review_chain) as ReviewRound[];
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
  if (d.status !== 'prepared') throw new ApiError('CONFLICT', '该核定已复核完毕，不能重复复核');
  const chain = chainOf(d);
  const round = d.review_round;
  const step = chain[round - 1]!;
  const last = round === chain.length;
  const label = chain.length > 1 ? `第${round}轮${step.label}（${step.body}）` : step.label;
  if (!reviewer.roles.includes(step.role)) throw new ApiError('RULE_REFUSED', `${label}须由${ROLE_LABELS[step.role]}人员办理`);
  // 双重复核: never the preparer, nor anyone who reviewed an earlier round, whatever 三岗分离 says.
  if (d.prepared_by === reviewer.id) throw new ApiError('RULE_REFUSED', '复核人不能是核定人本人，请由其他复核人员复核');
  const earlier = await db
    .selectFrom('determination_reviews')
    .select(['reviewer_id', 'round'])
    .where('determination_id', '=', d.id)
    .execute();
  if (earlier.some((r) => r.reviewer_id === reviewer.id))
    throw new ApiError('RULE_REFUSED', '同一人不能复核两轮，请由未参与前一轮复核的人员办理');
  if (!input.approve && !input.reason.trim())
    throw new ApiError('INVALID_INPUT', '退回时请写明理由', [{ path: 'reason', message: '请写明退回理由' }]);
  const now = chinaInstant(clock.now());
  await db
    .insertInto('determination_reviews')
    .values({
      determination_id: d.id,
      case_id: d.case_id,
      round,
      role: step.role,
      reviewer_id: reviewer.id,
      decision: input.approve ? 'approved' : 'returned',
      reason: input.reason.trim(),
      at: now,
    })
    .execute();
  if (!input.approve || last) {
    const c = await loadCaseRow(db, d.case_id);
    // Approved while a 再次鉴定 waits: provisional, redone when the new conclusion comes.
    const waiting = input.approve ? await pendingRequest(db, c.id) : undefined;
    await db
      .updateTable('benefit_determinations')
      .set({
        status: input.approve ? 'approved' : 'returned',
        reviewed_by: reviewer.id,
        reviewed_at: now,
        review_reason: input.reason.trim(),
        provisional: waiting?.kind === 'reappraisal' ? 1 : 0,
      })
      .where('id', '=', d.id)
      .where('status', '=', 'prepared')
      .execute();
    if (input.approve) {
      if (d.supersedes_id)
        await db.updateTable('benefit_determinations').set({ superseded_by: d.id }).where('id', '=', d.supersedes_id).execute();
      if (['appraised', 'deceased', 'confirmed'].includes(c.status))
        await transitionCase(
          db,
          clock,
          rules,
          reviewer,
          { caseId: c.id, action: 'determine_benefits', expectedVersion: c.version, reason: `待遇核定经${label}通过` },
          separationOfDuties,
        );
    }
    return { caseId: d.case_id, status: input.approve ? ('approved' as const) : ('returned' as const), round, label, next: null };
  }
  await db
    .updateTable('benefit_determinations')
    .set({ review_round: round + 1 })
    .where('id', '=', d.id)
    .where('review_round', '=', round)
    .execute();
  const next = chain[round]!;
  return { caseId: d.case_id, status: 'prepared' as const, round, label, next: `第${round + 1}轮${next.label}（${next.body}）` };
}

async function userNames(db: Db): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [u.id, u.display_name]));
}

export async function determinationsOf(db: Db, caseId: string) {
  const rows = await db
    .selectFrom('benefit_determinations')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('prepared_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  if (rows.length === 0) return [];
  const names = await userNames(db);
  const reviews = await db
    .selectFrom('determination_reviews')
    .selectAll()
    .where(
      'determination_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('round')
    .execute();
  return rows.map((r) => {
    const chain = chainOf(r);
    return {
      id: r.id,
      status: r.status,
      result: JSON.parse(r.result) as BenefitResult,
      inputs: draftView(JSON.parse(r.result) as BenefitResult).inputs,
      preparedBy: names.get(r.prepared_by) ?? '—',
      preparedAt: r.prepared_at,
      reviewedBy: r.reviewed_by ? (names.get(r.reviewed_by) ?? '—') : null,
      reviewedAt: r.reviewed_at,
      reviewReason: r.review_reason,
      rounds: chain.map((step, i) => {
        const done = reviews.find((x) => x.determination_id === r.id && x.round === i + 1);
        return {
          round: i + 1,
          role: step.role,
          label: step.label,
          body: step.body,
          reviewer: done ? (names.get(done.reviewer_id) ?? '—') : null,
          decision: done?.decision ?? null,
          reason: done?.reason ?? '',
          at: done?.at ?? null,
        };
      }),
      currentRound: r.status === 'prepared' ? r.review_round : null,
      effectiveFrom: r.effective_from,
      supersedesId: r.supersedes_id,
      supersededById: r.superseded_by,
      provisional: r.provisional === 1,
      comparison: r.comparison ? (JSON.parse(r.comparison) as Comparison) : null,
    };
  });
}

/** Determinations waiting for a round the person's roles can review (never their own). */
export async function reviewQueue(db: Db, user: User) {
  const rows = await db
    .selectFrom('benefit_determinations')
    .innerJoin('cases', 'cases.id', 'benefit_determinations.case_id')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .select([
      'benefit_determinations.id',
      'benefit_determinations.case_id',
      'benefit_determinations.review_round',
      'benefit_determinations.review_chain',
      'benefit_determinations.prepared_by',
      'benefit_determinations.prepared_at',
      'benefit_determinations.supersedes_id',
      'cases.case_no',
      'cases.registration_no',
      'workers.name',
    ])
    .where('benefit_determinations.status', '=', 'prepared')
    .orderBy('benefit_determinations.prepared_at')
    .execute();
  const names = await userNames(db);
  const mine = await db.selectFrom('determination_reviews').select('determination_id').where('reviewer_id', '=', user.id).execute();
  const reviewed = new Set(mine.map((r) => r.determination_id));
  return rows.flatMap((r) => {
    const chain = JSON.parse(r.review_chain) as ReviewRound[];
    const step = chain[r.review_round - 1];
    if (!step || !user.roles.includes(step.role)) return [];
    return [
      {
        determinationId: r.id,
        caseId: r.case_id,
        caseNo: r.case_no ?? r.registration_no,
        workerName: r.name,
        round: r.review_round,
        rounds: chain.length,
        roundLabel: `${step.label}（${step.body}）`,
        preparedBy: names.get(r.prepared_by) ?? '—',
        preparedAt: r.prepared_at,
        redetermination: r.supersedes_id !== null,
        /** The person may not review it (prepared it or reviewed an earlier round): shown, not offered. */
        ownStep: r.prepared_by === user.id || reviewed.has(r.id),
      },
    ];
  });
}

/** The 待遇核定通知书's data; only for a determination approved by the last round, and once. */
export async function determinationNoticeData(db: Db, determinationId: string) {
  const d = await db.selectFrom('benefit_determinations').selectAll().where('id', '=', determinationId).executeTakeFirst();
  if (!d) throw new ApiError('NOT_FOUND', '待遇核定记录不存在');
  if (d.status !== 'approved') throw new ApiError('RULE_REFUSED', '只有经复核通过的待遇核定才能出具待遇核定通知书');
  if (d.superseded_by) throw new ApiError('RULE_REFUSED', '该核定已被新的核定取代，请出具新核定的通知书');
  const issued = await liveDocumentFor(db, 'benefit-determination', d.id);
  if (issued)
    throw new ApiError('CONFLICT', `本核定的待遇核定通知书已出具（${issued.document_no}），请在文书中重印；如有误，请先作废再重新出具`);
  const c = await loadCaseRow(db, d.case_id);
  const w = await db.selectFrom('workers').selectAll().where('id', '=', c.worker_id).executeTakeFirstOrThrow();
  const platform = c.responsible_platform
    ? await db.selectFrom('platforms').select('name').where('code', '=', c.responsible_platform).executeTakeFirst()
    : undefined;
  const result = JSON.parse(d.result) as BenefitResult;
  const names = await userNames(db);
  const basisOf = async (row: Selectable<BenefitDeterminationsTable>) => {
    const r = JSON.parse(row.result) as BenefitResult;
    if (r.facts.outcome.kind === 'death') return `${chineseDate(r.facts.outcome.deathDate)}死亡`;
    const concl = row.conclusion_id
      ? await db.selectFrom('appraisal_conclusions').select(['grade', 'signed_at']).where('id', '=', row.conclusion_id).executeTakeFirst()
      : undefined;
    return concl ? `${chineseDate(chinaDate(new Date(concl.signed_at)))}签发的劳动能力鉴定结论（${gradeLabel(concl.grade)}）` : '鉴定结论';
  };
  const reviews = await db.selectFrom('determination_reviews').selectAll().where('determination_id', '=', d.id).orderBy('round').execute();
  const chain = chainOf(d);
  const platformLines = result.lines.some((l) => l.payer === 'platform');
  // The notice says what the platform bears and names its legal entity.
  const party = platformLines || result.platformBorneCosts ? await platformAddressee(db, c.responsible_platform) : null;
  const previous = d.supersedes_id
    ? await db.selectFrom('benefit_determinations').selectAll().where('id', '=', d.supersedes_id).executeTakeFirst()
    : undefined;
  const previousDoc = previous ? await liveDocumentFor(db, 'benefit-determination', previous.id) : undefined;
  const comparison = d.comparison ? (JSON.parse(d.comparison) as Comparison) : null;
  const settings = await getSettings(db);
  const payee = await payeeOf(db, c.id);
  const line = (l: BenefitResult['lines'][number]) => ({
    code: l.code,
    label: l.label,
    amount: l.amount,
    payer: l.payer,
    period: l.period,
    article: l.article,
    formula: l.formula,
    ...(l.subject ? { subject: l.subject } : {}),
    ...(l.from ? { from: l.from } : {}),
    ...(l.until ? { until: l.until } : {}),
  });
  return {
    type: 'benefit-determination' as const,
    agency: settings.agencyName || '（经办机构名称未设置）',
    caseId: c.id,
    caseNo: c.case_no,
    person: { name: w.name, idNumberMasked: maskIdNumber(w.id_number) },
    platform: platform?.name ?? null,
    basis: await basisOf(d),
    rulePack: { id: result.rulePack.id, version: result.rulePack.version, name: result.rulePack.name },
    regulation: regulationTitle(result.rulePack.document),
    // The payee account from the case: the notice carries only the account's last four digits
    // (docs/notices.md); without one it names the payee and the account registered with the office.
    payment: payee
      ? { method: '均以银行转账方式转入下列收款账户', payee: payee.name, bank: payee.bank, account: payee.account.slice(-4) }
      : { method: '', payee: result.facts.outcome.kind === 'death' ? `${w.name}的近亲属` : w.name, bank: null, account: null },
    base: result.parameters.base ?? '0.00',
    lines: result.lines.map(line),
    preparedBy: names.get(d.prepared_by) ?? '—',
    reviewedBy: d.reviewed_by ? (names.get(d.reviewed_by) ?? '—') : '—',
    reviews: reviews.map((r) => ({ label: chain[r.round - 1]?.label ?? '复核', name: names.get(r.reviewer_id) ?? '—' })),
    // Dates in words read as a notice does, not as the clerk's screen.
    deathBasis: result.parameters.deathBasisArticle?.replace(/\d{4}-\d{2}-\d{2}/g, (d) => chineseDate(d)) ?? null,
    platformBorne:
      result.platformBorneCosts && party
        ? {
            from: result.platformBorneCosts.from,
            to: result.platformBorneCosts.to,
            article: result.platformBorneCosts.article,
            legalName: party.legalName,
          }
        : null,
    effectiveFrom: d.effective_from,
    previous: previous
      ? {
          basis: await basisOf(previous),
          documentNo: previousDoc?.document_no ?? null,
          lines: (JSON.parse(previous.result) as BenefitResult).lines.map(line),
        }
      : null,
    changes: (comparison?.rows ?? []).map((r) => ({
      label: r.label,
      ...(r.subject ? { subject: r.subject } : {}),
      period: r.period,
      before: r.before,
      after: r.after,
      payable: r.payable,
      note: r.note,
    })),
    oneTimePayable: comparison?.oneTimePayable.all ?? null,
  };
}

const UNIT_WORDS: Record<BenefitResult['provenance'][number]['unit'], string> = {
  yuan: '元',
  yuan_per_month: '元/月',
  yuan_per_year: '元/年',
  rate: '',
  months: '个月',
  multiple: '倍',
  days: '天',
  year: '年',
};

/** A determination as the officer previews it and the reviewer checks it: every line, and every figure with its source. */
export function draftView(result: BenefitResult) {
  const treatment = (result.facts as { treatment?: { start: string; end: string | null } }).treatment;
  return {
    lines: result.lines.map((l) => ({
      label: l.label,
      subject: l.subject ?? null,
      amount: l.amount,
      payer: l.payer,
      period: l.period,
      article: l.article,
      formula: l.formula,
    })),
    totals: { once: result.totals.once.all, monthly: result.totals.monthly.all },
    inputs: [
      ...result.provenance.map((p) => ({
        label: `${p.label}${p.year ? `（${p.year}年度）` : ''}`,
        value: `${p.value}${UNIT_WORDS[p.unit]}`,
        source: p.status === 'given' ? '核定人录入' : p.status === 'rule' ? '规则包' : `规则包：${p.source ?? p.note ?? '统计数据'}`,
      })),
      ...(treatment ? [{ label: '治疗期', value: `${treatment.start} 至 ${treatment.end ?? '仍在治疗'}`, source: '核定人录入' }] : []),
    ],
    omitted: result.omitted.map((o) => ({ label: o.label, reason: `${o.reason}（${o.article}）` })),
    warnings: result.warnings,
  };
}
