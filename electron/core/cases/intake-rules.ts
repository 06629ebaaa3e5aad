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
  type Circumstance,
  type Deadline,
  type RulePack,
} from '../../../shared/rules';
import { PARTY_LABELS, type CaseDelivery, type Party } from '../notices/documents';
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
  /** 第十一条: the circumstance claimed (the order in progress unless said otherwise). */
  circumstance: Circumstance;
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
  // An accident during an order (第一项, 第三项) needs that order; a commute home needs the last one.
  const item = input.circumstance.item;
  if ((item === 'order' || item === 'sudden_death') && input.orders.length === 0)
    problems.push({ path: 'accident.orders', message: '请填写事故发生时正在执行的订单' });
  if (item === 'commute' && input.circumstance.purpose === 'return_home' && !input.orders.some((o) => o?.finishedAt))
    problems.push({ path: 'accident.orders', message: '返回居所途中的事故，请填写事故前最后完成的订单及其完成时间' });
  if (item === 'sudden_death' && input.accidentAt && input.circumstance.deathAt < input.accidentAt)
    problems.push({ path: 'accident.circumstance.deathAt', message: '死亡时间早于发病（事故）时间，请核对' });

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
      certain: true,
      platformDue: null,
      platformDueCertain: true,
      othersDue: null,
      othersDueCertain: true,
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
      message: t.certain ? t.message : `${t.message}（时限跨越工作日历未收录的年份，节假日顺延待核）`,
      platformBearsCostsFrom: t.platformBorne?.from ?? null,
      platformBearsCostsTo: t.platformBorne?.to ?? null,
      certain: t.certain,
      platformDue: t.platformDue,
      platformDueCertain: t.platformDueCertain,
      othersDue: t.othersDue,
      othersDueCertain: t.othersDueCertain,
    };
  }
  const orders = input.orders.filter(
    (o) => o?.platform && o.acceptedAt && DATETIME.test(o.acceptedAt) && (!o.finishedAt || DATETIME.test(o.finishedAt)),
  );
  const nameOf = (code: string) => input.platformNames.get(code) ?? code;
  if (input.accidentAt && DATETIME.test(input.accidentAt) && (orders.length > 0 || input.circumstance.item === 'commute')) {
    const named = orders.map((o) => ({ ...o, platform: nameOf(o.platform) }));
    const r = responsiblePlatform(pack, input.accidentAt, named, input.circumstance, nameOf);
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
    if (input.circumstance.item === 'sudden_death') reasons.push('死亡案件不属于小伤');
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
  /** When the complete application was received (the 60-day clock runs from here). */
  completeOn: string | null;
  /** The committee extended the conclusion period by 30 days (疑难). */
  extended: boolean;
  /** The latest request's kind: a 再次鉴定 conclusion is final. */
  requestKind: 'initial' | 'review' | 'reappraisal' | null;
  /** The latest request ended without a conclusion (the person died). */
  requestClosed: boolean;
  /** When the latest conclusion was signed. */
  concludedOn: string | null;
  /** When its 结论书 was issued (and not voided). */
  issuedOn: string | null;
  /** When each party received that 结论书 (送达). */
  delivered: Partial<Record<Party, string>>;
}

export const NO_APPRAISAL_DATES: AppraisalDates = {
  requestedOn: null,
  precheckedOn: null,
  completeOn: null,
  extended: false,
  requestKind: null,
  requestClosed: false,
  concludedOn: null,
  issuedOn: null,
  delivered: {},
};

/** The parties a decision goes to: the worker's side, and the platform when one is responsible. */
export function partiesOf(c: CasesTable): Party[] {
  return c.responsible_platform ? ['worker', 'platform'] : ['worker'];
}

/** Whose is the 补正告知书: the applicant's side. */
export function applicantParty(c: CasesTable): Party {
  return c.applicant_kind === 'platform' ? 'platform' : 'worker';
}

function caseDates(c: CasesTable, bills: Selectable<MedicalBillsTable>[], a: AppraisalDates, deliveries: CaseDelivery[]): CaseDates {
  const open = ['registered', 'awaiting_supplement', 'accepted'];
  const unpaid = bills
    .filter((b) => !b.reimbursed_at && b.payer === 'fund')
    .map((b) => b.submitted_date)
    .sort();
  const supplementReceived = deliveries.find((d) => d.type === 'supplement' && d.party === applicantParty(c))?.deliveredOn ?? null;
  const allDelivered = partiesOf(c).every((p) => a.delivered[p]);
  return {
    applicationBy: c.applicant_kind,
    // Only the clocks of the stage the case is in are running. The 10 days of 补正 run from the
    // applicant's receipt of the 补正告知书 (第十五条第一款), not from its issue.
    supplementNoticeReceivedDate: c.status === 'awaiting_supplement' ? supplementReceived : null,
    applicationDate: open.includes(c.status) && c.status !== 'awaiting_supplement' ? c.application_date : null,
    medicalClaimCompleteDate: unpaid[0] ?? null,
    treatmentStartDate: c.status === 'in_treatment' ? c.accident_date : null,
    treatmentExtended: c.treatment_extended_on !== null,
    factsClear: c.facts_clear === 1,
    // The materials notice is due until the 预审 is recorded; the conclusion clock runs once the
    // materials are complete (60 days, 90 when the committee extended it).
    appraisalMaterialsReceivedDate: c.status === 'awaiting_appraisal' && !a.precheckedOn ? a.requestedOn : null,
    appraisalApplicationCompleteDate: c.status === 'awaiting_appraisal' ? a.completeOn : null,
    appraisalExtended: a.extended,
    // Delivery is due until every party has received the 结论书.
    appraisalConclusionDate: (c.status === 'appraised' || c.status === 'benefits_determined') && !allDelivered ? a.concludedOn : null,
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
]);

/** Decisions a party may take to 行政复议 or 行政诉讼 (第三十九条). */
const DECISIONS: Record<string, string> = {
  confirmation: '职业伤害确认结论书',
  'non-confirmation': '不予确认职业伤害结论书',
  'benefit-determination': '待遇核定通知书',
};

function toCaseDeadline(d: Deadline, extra: { key?: string; party?: Party } = {}): CaseDeadline {
  return {
    code: d.code,
    label: d.label,
    due: d.due,
    daysLeft: d.workingDaysLeft ?? d.daysLeft,
    unit: d.unit,
    status: d.status,
    certain: d.certain,
    article: d.article,
    ...(extra.key ? { key: extra.key } : {}),
    ...(extra.party ? { party: extra.party } : {}),
  };
}

/**
 * The case's clocks: the office's own (stage by stage) and the parties' rights that run from their
 * receipt of a document — 再次鉴定 per party from the 结论书, 行政复议 and 行政诉讼 per party from
 * each decision. A party's window is shown while it is open.
 */
export function caseDeadlines(
  c: CasesTable,
  bills: Selectable<MedicalBillsTable>[],
  rules: RuleData,
  today: string,
  appraisal: AppraisalDates = NO_APPRAISAL_DATES,
  deliveries: CaseDelivery[] = [],
): CaseDeadline[] {
  let pack: RulePack;
  try {
    pack = packFor(rules, c.accident_date);
  } catch {
    return [];
  }
  const out = deadlinesFor(caseDates(c, bills, appraisal, deliveries), rules.calendar, {
    rules: pack.deadlines.filter((r) => CASE_CLOCKS.has(r.code)),
    today,
  }).map((d) => toCaseDeadline(d));
  const partyRule = (code: string, from: string, party: Party, suffix: string, key: string) => {
    const rule = pack.deadlines.find((r) => r.code === code);
    if (!rule) return;
    const [d] = deadlinesFor({ [rule.from]: from }, rules.calendar, { rules: [rule], today });
    if (d && d.daysLeft >= 0) out.push(toCaseDeadline({ ...d, label: `${d.label}（${PARTY_LABELS[party]}${suffix}）` }, { key, party }));
  };
  const reappraisalOpen =
    (c.status === 'appraised' || c.status === 'benefits_determined') && appraisal.requestKind !== 'reappraisal' && appraisal.issuedOn;
  if (reappraisalOpen)
    for (const p of partiesOf(c)) {
      const received = appraisal.delivered[p];
      if (received) partyRule('reappraisal_request', received, p, '', `reappraisal_request-${p}`);
    }
  for (const d of deliveries) {
    const doc = DECISIONS[d.type];
    if (!doc) continue;
    for (const code of ['administrative_review', 'administrative_litigation'])
      partyRule(code, d.deliveredOn, d.party, `，${doc} ${d.documentNo}`, `${code}-${d.id}`);
  }
  return out;
}

/** The range of a late application whose costs the platform bears, as assessed at registration. */
export function platformBorneRange(c: CasesTable): { from: string; to: string } | null {
  const t = (JSON.parse(c.assessment) as Assessment).timeliness;
  return t.platformBearsCostsFrom && t.platformBearsCostsTo ? { from: t.platformBearsCostsFrom, to: t.platformBearsCostsTo } : null;
}

export function supplementDueDate(received: string, rules: RuleData, accidentDate: string): string {
  const pack = packFor(rules, accidentDate);
  const rule = pack.deadlines.find((r) => r.code === 'supplement');
  if (!rule) throw new Error(`rule pack ${pack.id} has no supplement deadline`);
  return dueDate(rule, received, rule.amount, rules.calendar).date;
}

/** One party's 再次鉴定 window from its receipt of the 结论书: open, or why not. */
export function reappraisalWindow(
  c: CasesTable,
  a: AppraisalDates,
  rules: RuleData,
  today: string,
  party: Party,
): { open: true } | { open: false; message: string } {
  const pack = packFor(rules, c.accident_date);
  if (a.requestKind === 'reappraisal' && a.concludedOn)
    return { open: false, message: '再次鉴定结论为最终结论，不能再申请再次鉴定；伤情发生变化的，可在期满后申请复查鉴定' };
  if (!a.issuedOn) return { open: false, message: '鉴定结论书尚未出具，暂不能申请再次鉴定' };
  if (party === 'platform' && !c.responsible_platform) return { open: false, message: '本案没有确定的责任平台企业' };
  const rule = pack.deadlines.find((r) => r.code === 'reappraisal_request');
  const received = a.delivered[party];
  // Before the party has received the 结论书 its 15 days have not begun.
  if (!rule || !received) return { open: true };
  const due = dueDate(rule, received, rule.amount, rules.calendar).date;
  if (today > due)
    return {
      open: false,
      message: `${PARTY_LABELS[party]}已超过收到鉴定结论书（${received}）之日起 ${rule.amount} 日的再次鉴定申请期限（截至 ${due}，${rule.article}）`,
    };
  return { open: true };
}

/**
 * Why a 再次鉴定 or 复查 request cannot be made now (keyed by the move), for the moves that have a
 * window: 再次鉴定 is open while either party's 15 days from its receipt of the 结论书 run (or have
 * not begun), and a 再次鉴定 conclusion is final; 复查 waits the pack's period (one year) from the
 * conclusion.
 */
export function appraisalRequestBlocks(
  c: CasesTable,
  a: AppraisalDates,
  rules: RuleData,
  today: string,
): Partial<Record<'request_reappraisal' | 'request_review', string>> {
  const out: Partial<Record<'request_reappraisal' | 'request_review', string>> = {};
  const pack = packFor(rules, c.accident_date);
  if (c.status === 'appraised' || c.status === 'benefits_determined') {
    const windows = partiesOf(c).map((p) => reappraisalWindow(c, a, rules, today, p));
    if (!windows.some((w) => w.open)) out.request_reappraisal = [...new Set(windows.map((w) => (w.open ? '' : w.message)))].join('；');
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
