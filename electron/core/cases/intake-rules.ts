// Bridges the case services to the rule engine (shared/rules): the assessment shown at the
// counter, the statutory clocks on a case (intake and appraisal), and the supplement due date. The rules themselves
// live in the rule pack in force on the application date; nothing here hard-codes a limit.
import type { Selectable } from 'kysely';
import type { CasesTable, MedicalBillsTable } from '../db-schema';
import type { Assessment, CaseDeadline, Registration } from '../../../shared/api/methods/cases';
import {
  applicationTimeliness,
  checkDoubleClaim,
  checkExclusions,
  checkSmallInjury,
  deadlinesFor,
  dueDate,
  responsiblePlatform,
  type CaseDates,
  type RulePack,
} from '../../../shared/rules';
import { checkIdNumber } from '../../../shared/identity/id-number';
import { packFor, type RuleData } from './rule-data';

export interface AssessInput {
  today: string;
  idNumber: string;
  accidentAt: string | null;
  applicationDate: string | null;
  applicantKind: Registration['applicant']['kind'] | null;
  orders: Registration['accident']['orders'];
  exclusions: Registration['accident']['exclusions'];
  alsoWorkInjuryClaim: boolean;
  treatment: Registration['treatment'] | null;
  /** Platform code → name, so the reasons people read name 美团, not meituan. */
  platformNames: ReadonlyMap<string, string>;
}

export function validateIdNumberAt(id: string, today: string): { ok: true } | { ok: false; message: string } {
  const r = checkIdNumber(id, today);
  return r.ok ? { ok: true } : { ok: false, message: r.message };
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Everything the clerk should see before registering. Works on a partial draft: each check runs
 * when its inputs are there. `problems` are facts that cannot be true (they block registration);
 * rule hits (late, excluded, duplicate) are shown and recorded for the confirmation officer.
 */
export function assessRegistration(input: AssessInput, rules: RuleData): Assessment {
  const problems: Assessment['problems'] = [];
  const accidentDate = input.accidentAt && DATETIME.test(input.accidentAt) ? input.accidentAt.slice(0, 10) : null;
  const applicationDate = input.applicationDate && DATE.test(input.applicationDate) ? input.applicationDate : null;
  const id = input.idNumber ? checkIdNumber(input.idNumber, input.today) : null;
  if (id && !id.ok) problems.push({ path: 'worker.idNumber', message: id.message });
  if (accidentDate && accidentDate > input.today)
    problems.push({ path: 'accident.at', message: `事故时间 ${input.accidentAt!.replace('T', ' ')} 晚于今天，请核对` });
  if (applicationDate && applicationDate > input.today)
    problems.push({ path: 'applicant.applicationDate', message: `申请日期 ${applicationDate} 晚于今天，请核对` });
  if (accidentDate && applicationDate && applicationDate < accidentDate)
    problems.push({ path: 'applicant.applicationDate', message: `申请日期 ${applicationDate} 早于事故日期 ${accidentDate}，请核对` });
  for (const [i, o] of input.orders.entries()) {
    if (o?.acceptedAt && input.accidentAt && DATETIME.test(o.acceptedAt) && o.acceptedAt > input.accidentAt) {
      problems.push({ path: `accident.orders.${i}.acceptedAt`, message: `订单 ${o.orderNo ?? i + 1} 的接单时间晚于事故时间，请核对` });
    }
    if (o?.finishedAt && o.acceptedAt && o.finishedAt < o.acceptedAt)
      problems.push({ path: `accident.orders.${i}.finishedAt`, message: `订单 ${o.orderNo ?? i + 1} 的完成时间早于接单时间，请核对` });
  }

  let pack: RulePack | null = null;
  let packProblem: string | null = null;
  if (accidentDate) {
    try {
      pack = packFor(rules, accidentDate);
    } catch (e) {
      packProblem = e instanceof Error ? e.message : String(e);
    }
  }
  const assessment: Assessment = {
    idNumber: id ? { ok: id.ok, message: id.ok ? '校验通过' : id.message } : { ok: false, message: '' },
    timeliness: {
      inTime: true,
      limitDays: 0,
      daysSinceAccident: 0,
      message: packProblem ?? '填写事故时间、申请人和申请日期后判断是否在申请时限内',
      platformBearsCostsFrom: null,
      platformBearsCostsTo: null,
    },
    responsiblePlatform: { platform: null, reason: '填写订单后判断责任平台' },
    exclusions: [],
    doubleClaim: { hit: false, message: '' },
    duplicates: [],
    fastTrack: { eligible: false, reasons: ['填写治疗情况后判断'] },
    problems,
  };
  if (!pack) return assessment;

  if (applicationDate && input.applicantKind && applicationDate >= accidentDate!) {
    const t = applicationTimeliness(pack, accidentDate!, { by: input.applicantKind, date: applicationDate }, rules.calendar);
    const limitDays =
      input.applicantKind === 'platform' ? pack.parameters.application.platformDays : pack.parameters.application.othersDays;
    assessment.timeliness = {
      inTime: t.onTime,
      limitDays,
      daysSinceAccident: Math.round((Date.parse(applicationDate) - Date.parse(accidentDate!)) / 86_400_000),
      message: t.message,
      platformBearsCostsFrom: t.platformBorne?.from ?? null,
      platformBearsCostsTo: t.platformBorne?.to ?? null,
    };
  }
  const orders = input.orders.filter(
    (o) => o?.platform && o.acceptedAt && DATETIME.test(o.acceptedAt) && (!o.finishedAt || DATETIME.test(o.finishedAt)),
  );
  if (input.accidentAt && DATETIME.test(input.accidentAt) && orders.length > 0) {
    const named = orders.map((o) => ({ ...o, platform: input.platformNames.get(o.platform) ?? o.platform }));
    const r = responsiblePlatform(pack, input.accidentAt, named);
    const code = r.platform === null ? null : ([...input.platformNames].find(([, name]) => name === r.platform)?.[0] ?? r.platform);
    assessment.responsiblePlatform = { platform: code, reason: `${r.reason}（${r.article}）` };
  }
  assessment.exclusions = checkExclusions(pack, input.exclusions).reasons;
  const dbl = checkDoubleClaim(pack, input.alsoWorkInjuryClaim);
  assessment.doubleClaim = { hit: dbl.hit, message: dbl.hit ? dbl.message : '' };
  if (input.treatment) {
    // Materials are checked at acceptance; here only the case's own criteria decide the track.
    const small = checkSmallInjury(pack, { ...input.treatment, materials: pack.smallInjury.materials.map((m) => m.code) });
    const reasons = [...small.reasons];
    if (assessment.exclusions.length > 0) reasons.push('存在第十二条情形');
    if (dbl.hit) reasons.push('同一事故已申请工伤认定');
    assessment.fastTrack = { eligible: reasons.length === 0, reasons };
  }
  return assessment;
}

/** The fast-track checklist is the pack's (rules are data); the full list is the intake's. */
export function fastTrackMaterials(rules: RuleData, accidentDate: string): { code: string; label: string }[] {
  return packFor(rules, accidentDate).smallInjury.materials.map((m) => ({
    code: m.code,
    label: m.note ? `${m.label}（${m.note}）` : m.label,
  }));
}

/** Dates of the appraisal stage, read by the caller from the case's latest 鉴定申请 and conclusions. */
export interface AppraisalDates {
  /** When the latest appraisal was applied for (初次, 复查 or 再次). */
  requestedOn: string | null;
  /** When its 预审 was recorded (the materials notice is then given or not needed). */
  precheckedOn: string | null;
  /** When its materials were found complete (the 60-day clock runs from here). */
  completeOn: string | null;
  /** The committee extended the conclusion period by 30 days (疑难). */
  extended: boolean;
  /** The latest request's kind: a 再次鉴定 conclusion is final. */
  requestKind: 'initial' | 'review' | 'reappraisal' | null;
  /** When the latest conclusion was signed. */
  concludedOn: string | null;
  /** When the 结论书 was issued (taken as its delivery). */
  deliveredOn: string | null;
}

export const NO_APPRAISAL_DATES: AppraisalDates = {
  requestedOn: null,
  precheckedOn: null,
  completeOn: null,
  extended: false,
  requestKind: null,
  concludedOn: null,
  deliveredOn: null,
};

function caseDates(c: CasesTable, bills: Selectable<MedicalBillsTable>[], a: AppraisalDates): CaseDates {
  const open = ['registered', 'awaiting_supplement', 'accepted'];
  const unpaid = bills
    .filter((b) => !b.reimbursed_at)
    .map((b) => b.submitted_date)
    .sort();
  return {
    applicationBy: c.applicant_kind,
    // Only the clocks of the stage the case is in are running.
    supplementNoticeReceivedDate: c.status === 'awaiting_supplement' ? (c.supplement_requested_at?.slice(0, 10) ?? null) : null,
    applicationDate: open.includes(c.status) && c.status !== 'awaiting_supplement' ? c.application_date : null,
    medicalClaimCompleteDate: unpaid[0] ?? null,
    treatmentStartDate: c.status === 'in_treatment' ? c.accident_date : null,
    factsClear: c.facts_clear === 1,
    // The materials notice is due until the 预审 is recorded; the conclusion clock runs once the
    // materials are complete (60 days, 90 when the committee extended it).
    appraisalMaterialsReceivedDate: c.status === 'awaiting_appraisal' && !a.precheckedOn ? a.requestedOn : null,
    appraisalApplicationCompleteDate: c.status === 'awaiting_appraisal' ? a.completeOn : null,
    appraisalExtended: a.extended,
    // Delivery is due until the 结论书 is issued; then the 15-day 再次鉴定 window runs.
    appraisalConclusionDate: c.status === 'appraised' && !a.deliveredOn ? a.concludedOn : null,
    conclusionReceivedDate: c.status === 'appraised' ? a.deliveredOn : null,
  };
}

const CASE_CLOCKS = new Set([
  'supplement',
  'confirmation',
  'medical_reimbursement',
  'treatment_period',
  'appraisal_materials_notice',
  'appraisal_conclusion',
  'appraisal_delivery',
  'reappraisal_request',
]);

export function caseDeadlines(
  c: CasesTable,
  bills: Selectable<MedicalBillsTable>[],
  rules: RuleData,
  today: string,
  appraisal: AppraisalDates = NO_APPRAISAL_DATES,
): CaseDeadline[] {
  let pack: RulePack;
  try {
    pack = packFor(rules, c.accident_date);
  } catch {
    return [];
  }
  const list = deadlinesFor(caseDates(c, bills, appraisal), rules.calendar, {
    rules: pack.deadlines.filter((r) => CASE_CLOCKS.has(r.code)),
    today,
  });
  return list.map((d) => ({
    code: d.code,
    label: d.label,
    due: d.due,
    daysLeft: d.workingDaysLeft ?? d.daysLeft,
    unit: d.unit,
    status: d.status,
    certain: d.certain,
    article: d.article,
  }));
}

export function supplementDueDate(today: string, rules: RuleData): string {
  const pack = packFor(rules, today);
  const rule = pack.deadlines.find((r) => r.code === 'supplement');
  if (!rule) throw new Error(`rule pack ${pack.id} has no supplement deadline`);
  return dueDate(rule, today, rule.amount, rules.calendar).date;
}

/**
 * Why a 再次鉴定 or 复查 request cannot be made now (keyed by the move), for the moves that have a
 * window: 再次鉴定 needs the 结论书 delivered and is open for the pack's 15 days from receipt,
 * and a 再次鉴定 conclusion is final; 复查 waits the pack's period (one year) from the conclusion.
 */
export function appraisalRequestBlocks(
  c: CasesTable,
  a: AppraisalDates,
  rules: RuleData,
  today: string,
): Partial<Record<'request_reappraisal' | 'request_review', string>> {
  const out: Partial<Record<'request_reappraisal' | 'request_review', string>> = {};
  const pack = packFor(rules, c.accident_date);
  if (c.status === 'appraised') {
    const rule = pack.deadlines.find((r) => r.code === 'reappraisal_request');
    if (a.requestKind === 'reappraisal')
      out.request_reappraisal = '再次鉴定结论为最终结论，不能再申请再次鉴定；伤情发生变化的，可在期满后申请复查鉴定';
    else if (!a.deliveredOn) out.request_reappraisal = '鉴定结论书尚未出具送达，暂不能申请再次鉴定';
    else if (rule) {
      const due = dueDate(rule, a.deliveredOn, rule.amount, rules.calendar).date;
      if (today > due)
        out.request_reappraisal = `已超过收到鉴定结论书之日起 ${rule.amount} 日的再次鉴定申请期限（截至 ${due}，${rule.article}）`;
    }
  }
  if (!a.concludedOn) out.request_review = '本案尚无劳动能力鉴定结论，不能申请复查鉴定';
  else {
    const months = pack.appraisal.reviewAfterMonths;
    const earliest = dueDate({ unit: 'months_span' }, a.concludedOn, months, rules.calendar).date;
    // months_span gives the last day of the span; 复查 opens the day after it.
    if (today <= earliest)
      out.request_review = `自鉴定结论作出之日（${a.concludedOn}）起满 ${months} 个月后方可申请复查鉴定（${earliest} 之后，${pack.appraisal.reviewArticle}）`;
  }
  return out;
}
