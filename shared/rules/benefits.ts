// computeBenefits: the benefits a confirmed occupational injury gives under a rule pack
// (青海办法 第二十四至二十九条 and their counterparts), line by line with payer, period,
// article and a formula a clerk can check. Pure: figures come from the pack or the facts.
import type { RulePack } from './rule-pack-schema';
import { DEPENDANT_RELATION_LABELS, parseBenefitFacts, type BenefitFacts } from './benefit-facts';
import { GRADE_NAMES, NURSING_LABELS, type Grade, type NursingLevel } from '../appraisal/grades';
import type { BenefitLine, BenefitResult, BenefitTotals, LineCode, ParameterUsed } from './benefit-result';
import { cityMinimumLiving, nationalDisposableIncome, provincialWage, type ResolvedFigure } from './figures';
import { dependantEligibility, extraLabel, shareDependantPensions } from './dependants';
import { livingPeriod, prorate } from './living-allowance';
import { applicationTimeliness } from './application-timeliness';
import type { WorkCalendar } from './calendar';
import { RuleError } from './errors';
import { addDays, type IsoDate } from './dates';
import { D, grouped, percent, toFen, yuan, type Dec } from './money';
import { nursingGradeMismatch } from './nursing';

/** Where a line comes from in time, so 第十五条第三款 can tell whose it is. */
interface LineTiming {
  /** The day a one-time line arises, or a monthly line starts. */
  arises?: IsoDate;
  until?: IsoDate;
  subject?: string;
}

export interface ComputeOptions {
  /** With a calendar the application limits move past holidays; without one they are marked uncertain. */
  calendar?: WorkCalendar;
}

class Computation {
  readonly lines: BenefitLine[] = [];
  readonly omitted: BenefitResult['omitted'] = [];
  readonly provenance: ParameterUsed[] = [];
  readonly parameters: Record<string, string> = {};
  readonly warnings: string[] = [];
  private baseCache: Dec | undefined;

  constructor(
    readonly pack: RulePack,
    readonly facts: BenefitFacts,
  ) {}

  private rounds(point: 'monthly_wage' | 'base'): boolean {
    return this.pack.rounding.points.includes(point);
  }

  record(p: ParameterUsed): void {
    if (this.provenance.some((x) => x.key === p.key)) return;
    this.provenance.push(p);
    this.parameters[p.key] = p.value;
  }

  recordFigure(f: ResolvedFigure, unit: ParameterUsed['unit']): void {
    this.record({
      key: f.key,
      label: f.label,
      value: f.value,
      unit,
      article: f.article,
      year: f.year,
      status: f.status,
      source: f.source,
      note: f.note,
    });
    if (f.status === 'derived' || f.status === 'unconfirmed') {
      this.warnings.push(
        `${f.year}年度${f.label.replace(/^上一?年度/, '')}（${f.value}）为${f.status === 'derived' ? '推算数据' : '未经核实的数据'}：${f.source ?? f.note ?? ''}。请在正式核定前核实。`,
      );
    }
  }

  /** 计发基数 = annual wage ÷ 12 × share, rounded where the pack names it. */
  base(): Dec {
    if (this.baseCache) return this.baseCache;
    const wage = provincialWage(this.pack, this.facts);
    this.recordFigure(wage, 'yuan_per_year');
    let monthly = new D(wage.value).dividedBy(12);
    if (this.rounds('monthly_wage')) monthly = toFen(monthly);
    let base = monthly.times(this.pack.parameters.base.wageShare);
    if (this.rounds('base')) base = toFen(base);
    this.record({
      key: 'provincialPrivateMonthlyWage',
      label: '上年度全省城镇私营单位就业人员月平均工资',
      value: yuan(monthly),
      unit: 'yuan_per_month',
      year: wage.year,
      status: 'rule',
      note: '年平均工资 ÷ 12',
    });
    this.record({
      key: 'wageShare',
      label: '计发基数占月平均工资比例',
      value: this.pack.parameters.base.wageShare,
      unit: 'rate',
      article: this.pack.parameters.base.article,
      status: 'rule',
    });
    this.record({
      key: 'base',
      label: '计发基数',
      value: yuan(base),
      unit: 'yuan_per_month',
      article: this.pack.parameters.base.article,
      year: wage.year,
      status: 'rule',
      note: `${grouped(new D(wage.value))} ÷ 12 × ${percent(new D(this.pack.parameters.base.wageShare))}`,
    });
    this.parameters.baseYear = String(wage.year);
    this.baseCache = base;
    return base;
  }

  readonly timing = new Map<BenefitLine, LineTiming>();

  line(
    code: LineCode,
    label: string,
    amount: Dec,
    payer: BenefitLine['payer'],
    period: BenefitLine['period'],
    article: string,
    formula: string,
    timing: LineTiming = {},
  ): void {
    if (amount.isNegative()) throw new RuleError('INVALID_FACTS', `${label}计算结果为负数，请核对输入。`);
    const line: BenefitLine = { code, label, amount: yuan(amount), payer, period, article, formula };
    if (timing.subject !== undefined) line.subject = timing.subject;
    if (period === 'monthly' && timing.arises !== undefined) line.from = timing.arises;
    if (timing.until !== undefined) line.until = timing.until;
    this.lines.push(line);
    this.timing.set(line, timing);
  }

  omit(code: LineCode, label: string, reason: string, article: string): void {
    this.omitted.push({ code, label, reason, article });
  }
}

function computeDisability(c: Computation, grade: number | null, nursingLevel: NursingLevel | null, conclusionDate: IsoDate): void {
  const { pack, facts } = c;
  const P = pack.parameters;
  const mismatch = nursingGradeMismatch(pack, grade, nursingLevel);
  if (mismatch) throw new RuleError('INVALID_FACTS', mismatch, 'outcome.nursingLevel');
  if (grade === null) return;
  const when = { arises: conclusionDate };
  const g = String(grade) as keyof typeof P.disabilityLumpSum.months;
  const gName = GRADE_NAMES[grade as Grade];

  const months = P.disabilityLumpSum.months[g];
  if (facts.veteranOldInjury) {
    c.omit(
      'disability_lump_sum',
      '一次性伤残补助金',
      '残疾军人旧伤复发，不享受一次性伤残补助金',
      P.disabilityLumpSum.veteranExclusionArticle,
    );
  } else if (months !== undefined) {
    const base = c.base();
    const amount = toFen(base.times(months));
    c.record({
      key: 'disabilityLumpSumMonths',
      label: `一次性伤残补助金月数（${gName}）`,
      value: String(months),
      unit: 'months',
      article: P.disabilityLumpSum.article,
      status: 'rule',
    });
    c.line(
      'disability_lump_sum',
      `一次性伤残补助金（${gName}）`,
      amount,
      'fund',
      'once',
      P.disabilityLumpSum.article,
      `${grouped(base)} × ${months} 个月 = ${grouped(amount)}`,
      when,
    );
  }

  const rate = P.disabilityAllowance.rates[g as '1'];
  if (rate !== undefined) {
    const base = c.base();
    const amount = toFen(base.times(rate));
    c.record({
      key: 'disabilityAllowanceRate',
      label: `伤残津贴比例（${gName}）`,
      value: rate,
      unit: 'rate',
      article: P.disabilityAllowance.article,
      status: 'rule',
    });
    c.line(
      'disability_allowance',
      `伤残津贴（${gName}）`,
      amount,
      'fund',
      'monthly',
      P.disabilityAllowance.article,
      `${grouped(base)} × ${percent(new D(rate))} = ${grouped(amount)}／月`,
      when,
    );
    c.warnings.push('伤残津贴按月发放；符合领取基本养老金条件后停发，养老金低于伤残津贴的由基金补足差额。');
  }

  const otaMonths = P.oneTimeAllowance.months[g as '5'];
  if (otaMonths !== undefined) {
    const base = c.base();
    const amount = toFen(base.times(otaMonths));
    c.record({
      key: 'oneTimeAllowanceMonths',
      label: `一次性津贴月数（${gName}）`,
      value: String(otaMonths),
      unit: 'months',
      article: P.oneTimeAllowance.article,
      status: 'rule',
    });
    c.line(
      'one_time_allowance',
      `一次性津贴（${gName}）`,
      amount,
      'fund',
      'once',
      P.oneTimeAllowance.article,
      `${grouped(base)} × ${otaMonths} 个月 = ${grouped(amount)}`,
      when,
    );
  }

  if (nursingLevel) {
    const base = c.base();
    const r = P.nursing.rates[nursingLevel];
    const amount = toFen(base.times(r));
    c.record({
      key: 'nursingRate',
      label: `生活护理费比例（${NURSING_LABELS[nursingLevel]}）`,
      value: r,
      unit: 'rate',
      article: P.nursing.article,
      status: 'rule',
    });
    c.line(
      'nursing_allowance',
      `生活护理费（${NURSING_LABELS[nursingLevel]}）`,
      amount,
      'fund',
      'monthly',
      P.nursing.article,
      `${grouped(base)} × ${percent(new D(r))} = ${grouped(amount)}／月`,
      when,
    );
  }
}

function computeDeath(c: Computation, outcome: Extract<BenefitFacts['outcome'], { kind: 'death' }>): void {
  const P = c.pack.parameters;
  const base = c.base();
  const died = { arises: outcome.deathDate };
  if (outcome.basisArticle) c.parameters.deathBasisArticle = outcome.basisArticle;
  const funeral = toFen(base.times(P.funeral.months));
  c.record({
    key: 'funeralMonths',
    label: '丧葬补助金月数',
    value: String(P.funeral.months),
    unit: 'months',
    article: P.funeral.article,
    status: 'rule',
  });
  c.line(
    'funeral_grant',
    '丧葬补助金',
    funeral,
    'fund',
    'once',
    P.funeral.article,
    `${grouped(base)} × ${P.funeral.months} 个月 = ${grouped(funeral)}`,
    died,
  );

  // Only dependants eligible at the death share the pension; the others are listed with the reason.
  const eligible: { index: number; until: IsoDate | null; reason: string }[] = [];
  outcome.dependants.forEach((d, index) => {
    const e = dependantEligibility(c.pack, d, outcome.deathDate);
    const who = `${DEPENDANT_RELATION_LABELS[d.relation]}${d.orphanOrSolitaryElder ? `（${extraLabel(d.relation)}）` : ''}`;
    if (e.eligible) eligible.push({ index, until: e.until, reason: e.reason });
    else c.omit('dependant_pension', `供养亲属抚恤金（${d.name ? `${d.name}，` : ''}${who}）`, e.reason, e.article);
  });
  const sharing = eligible.map((e) => outcome.dependants[e.index]!);
  const pension = shareDependantPensions(c.pack, base, sharing);
  if (sharing.length > 0) {
    c.record({
      key: 'dependantPensionCap',
      label: '供养亲属抚恤金合计上限',
      value: yuan(pension.cap),
      unit: 'yuan_per_month',
      article: P.dependantPension.article,
      status: 'rule',
    });
    if (sharing.some((d) => d.birthDate))
      c.record({
        key: 'dependantEligibilityRule',
        label: '供养亲属范围',
        value: P.dependantPension.eligibility.source,
        unit: 'year',
        article: P.dependantPension.eligibility.eligibleArticle,
        status: P.dependantPension.eligibility.status === 'unknown' ? 'unconfirmed' : P.dependantPension.eligibility.status,
      });
  }
  for (const s of pension.shares) {
    const { index, until, reason } = eligible[s.index]!;
    const d = outcome.dependants[index]!;
    const who = `${DEPENDANT_RELATION_LABELS[d.relation]}${d.orphanOrSolitaryElder ? `（${extraLabel(d.relation)}）` : ''}`;
    const subject = d.name ? `${d.name}（${who}）` : `供养亲属${index + 1}：${who}`;
    const uncappedText = `${grouped(base)} × ${percent(s.rate)} = ${grouped(s.uncapped)}`;
    const formula = pension.capped
      ? `${uncappedText}；合计 ${grouped(pension.uncappedTotal)} 超过上限 ${grouped(pension.cap)}，按比例核减：${grouped(pension.cap)} × ${grouped(s.uncapped)} ÷ ${grouped(pension.uncappedTotal)} = ${grouped(s.amount)}／月`
      : `${uncappedText}／月`;
    const paid = until ? `${formula}；发至 ${until}（${reason}）` : d.birthDate ? `${formula}（${reason}）` : formula;
    c.line('dependant_pension', `供养亲属抚恤金（${who}）`, s.amount, 'fund', 'monthly', P.dependantPension.article, paid, {
      arises: addDays(outcome.deathDate, 1),
      ...(until ? { until } : {}),
      subject,
    });
  }
  if (pension.capped)
    c.warnings.push(
      `供养亲属抚恤金合计 ${grouped(pension.uncappedTotal)} 元／月超过计发基数 ${grouped(pension.cap)} 元，已按各人应得数额比例核减至上限。`,
    );
  if (pension.shares.some((s) => eligible[s.index]!.until !== null))
    c.warnings.push('有供养亲属的抚恤金在其资格终止日停发；届时其余供养亲属的抚恤金应重新核定。');

  if (outcome.afterTreatmentWithGrade1to4) {
    c.omit(
      'death_lump_sum',
      '一次性职业伤害死亡补助金',
      '一至四级伤残人员治疗期满后死亡，近亲属只享受丧葬补助金和供养亲属抚恤金',
      P.deathLumpSum.afterTreatmentExclusionArticle,
    );
    return;
  }
  const income = nationalDisposableIncome(c.pack, c.facts);
  c.recordFigure(income, 'yuan_per_year');
  c.record({
    key: 'deathLumpSumMultiple',
    label: '一次性职业伤害死亡补助金倍数',
    value: String(P.deathLumpSum.multiple),
    unit: 'multiple',
    article: P.deathLumpSum.article,
    status: 'rule',
  });
  const lump = toFen(new D(income.value).times(P.deathLumpSum.multiple));
  c.line(
    'death_lump_sum',
    '一次性职业伤害死亡补助金',
    lump,
    'fund',
    'once',
    P.deathLumpSum.article,
    `${grouped(new D(income.value))} × ${P.deathLumpSum.multiple} 倍 = ${grouped(lump)}`,
    died,
  );
}

function computeLiving(c: Computation): void {
  const t = c.facts.treatment;
  if (!t) return;
  const P = c.pack.parameters.livingAllowance;
  const o = c.facts.outcome;
  const period = livingPeriod(c.pack, t, o.kind === 'disability' ? { conclusionDate: o.conclusionDate } : { deathDate: o.deathDate });
  if (!period) return;
  if (t.end === null) c.warnings.push(`治疗尚未结束：生活保障费计至 ${period.end}（${period.endReason}）。`);
  const fig = cityMinimumLiving(c.pack, c.facts);
  c.recordFigure(fig, 'yuan_per_month');
  const p = prorate(P.proration, new D(fig.value), period.start, period.end);
  c.record({
    key: 'livingAllowanceDays',
    label: '生活保障费计发天数',
    value: String(p.days),
    unit: 'days',
    article: P.article,
    status: 'rule',
    note: `${period.start} 至 ${period.end}（${period.endReason}）`,
  });
  c.parameters.livingAllowanceFrom = period.start;
  c.parameters.livingAllowanceTo = period.end;
  c.line('living_allowance', `生活保障费（${period.start} 至 ${period.end}）`, p.amount, P.payer, 'once', P.article, p.formula);
}

/**
 * 第十五条第三款: what arises between the accident and the day a late application was received is
 * borne by the platform. A one-time line arising in that range is the platform's; a monthly line
 * starting in it is split: the days up to the receipt (prorated like 生活保障费) as a one-time line
 * the platform pays, then the monthly line from the next day, paid by the fund.
 */
function chargePlatform(c: Computation, range: { from: IsoDate; to: IsoDate }): void {
  const article = c.pack.articles.lateApplicationCosts;
  const out: BenefitLine[] = [];
  for (const line of c.lines) {
    const t = c.timing.get(line);
    if (line.payer === 'platform' || !t?.arises || t.arises < range.from || t.arises > range.to) {
      out.push(line);
      continue;
    }
    if (line.period === 'once') {
      out.push({ ...line, payer: 'platform', article: `${line.article}；${article}` });
      continue;
    }
    const end = t.until && t.until < range.to ? t.until : range.to;
    const p = prorate(c.pack.parameters.livingAllowance.proration, new D(line.amount), t.arises, end);
    const platformLine: BenefitLine = {
      code: line.code,
      label: `${line.label}（${t.arises} 至 ${end}，平台企业承担）`,
      amount: yuan(p.amount),
      payer: 'platform',
      period: 'once',
      article: `${line.article}；${article}`,
      formula: p.formula,
    };
    if (line.subject !== undefined) platformLine.subject = line.subject;
    out.push(platformLine);
    if (end < range.to) continue;
    out.push({ ...line, from: addDays(range.to, 1) });
  }
  c.lines.splice(0, c.lines.length, ...out);
}

export function totalsOf(lines: readonly BenefitLine[]): BenefitTotals {
  const sum = (pred: (l: BenefitLine) => boolean) => yuan(lines.filter(pred).reduce((s, l) => s.plus(l.amount), new D(0)));
  const forPeriod = (period: BenefitLine['period']) => ({
    fund: sum((l) => l.period === period && l.payer === 'fund'),
    platform: sum((l) => l.period === period && l.payer === 'platform'),
    all: sum((l) => l.period === period),
  });
  return { once: forPeriod('once'), monthly: forPeriod('monthly') };
}

/**
 * Computes every benefit line for the facts under the pack. Refuses (RuleError) bad facts,
 * a pack for another jurisdiction or period, and any statistical figure the pack lacks.
 */
export function computeBenefits(factsInput: unknown, pack: RulePack, options: ComputeOptions = {}): BenefitResult {
  const facts = parseBenefitFacts(factsInput);
  if (facts.jurisdiction !== pack.jurisdiction) {
    throw new RuleError(
      'NO_PACK',
      `规则包 ${pack.id} 属于“${pack.jurisdictionName}”，与案件地区“${facts.jurisdiction}”不符，请选择正确的规则包。`,
      'jurisdiction',
    );
  }
  if (facts.injuryDate < pack.effectiveFrom || (pack.effectiveTo !== null && facts.injuryDate > pack.effectiveTo)) {
    throw new RuleError(
      'NO_PACK',
      `事故日期 ${facts.injuryDate} 不在规则包 ${pack.id} 的适用期（${pack.effectiveFrom} 起${pack.effectiveTo ? `至 ${pack.effectiveTo}` : ''}）内，请核对事故日期或选择其他规则包。`,
      'injuryDate',
    );
  }
  if (facts.treatment?.extended && pack.parameters.livingAllowance.extensionMonthsMax === 0) {
    throw new RuleError('INVALID_FACTS', `规则包 ${pack.id} 不允许延长治疗期，请核对 treatment.extended。`, 'treatment.extended');
  }
  const c = new Computation(pack, facts);
  const o = facts.outcome;
  if (o.kind === 'disability') computeDisability(c, o.grade, o.nursingLevel, o.conclusionDate);
  else computeDeath(c, o);
  computeLiving(c);

  let platformBorneCosts: BenefitResult['platformBorneCosts'] = null;
  if (facts.application) {
    const t = applicationTimeliness(pack, facts.injuryDate, facts.application, options.calendar);
    if (t.platformBorne) {
      platformBorneCosts = {
        ...t.platformBorne,
        article: pack.articles.lateApplicationCosts,
        reason: t.message,
        certain: t.platformDueCertain,
      };
      chargePlatform(c, t.platformBorne);
    }
    if (!t.onTime) c.warnings.push(t.message);
    if (!t.certain) c.warnings.push('申请时限未按工作日历核对节假日顺延（未提供日历或超出日历年份），请人工复核。');
  }

  return {
    rulePack: {
      id: pack.id,
      version: pack.version,
      jurisdiction: pack.jurisdiction,
      name: pack.name,
      document: pack.document,
      effectiveFrom: pack.effectiveFrom,
      effectiveTo: pack.effectiveTo,
    },
    facts,
    parameters: c.parameters,
    provenance: c.provenance,
    lines: c.lines,
    totals: totalsOf(c.lines),
    omitted: c.omitted,
    platformBorneCosts,
    warnings: c.warnings,
  };
}
