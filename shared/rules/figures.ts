// Resolving the statistical figures a computation needs: the pack's figure for the right year,
// or the caller's override (recorded as given). A figure the pack marks unknown, or lacks,
// refuses the computation naming the figure and the year: nothing is ever guessed.
import type { RulePack, StatFigure } from './rule-pack-schema';
import type { BenefitFacts } from './benefit-facts';
import { RuleError } from './errors';
import { yearOf } from './dates';

export type FigureKey = 'provincialPrivateAnnualWage' | 'nationalUrbanDisposableIncome' | 'cityMinimumLivingMonthly';

export interface ResolvedFigure {
  key: FigureKey;
  label: string;
  year: number;
  value: string;
  /** 'given' when the caller supplied it in `figures`. */
  status: StatFigure['status'] | 'given';
  source?: string;
  note?: string;
  article: string;
}

/** The year 上年度 points at for this case, per the pack's rule (default: the year before the injury). */
export function statisticsYear(pack: RulePack, facts: BenefitFacts): number {
  const anchorDate = pack.baseYear.anchor === 'death' && facts.outcome.kind === 'death' ? facts.outcome.deathDate : facts.injuryDate;
  return yearOf(anchorDate) + pack.baseYear.offsetYears;
}

function fromSeries(
  key: FigureKey,
  label: string,
  article: string,
  byYear: Record<string, StatFigure>,
  year: number,
  given: string | undefined,
  who: string,
): ResolvedFigure {
  if (given !== undefined) return { key, label, year, value: given, status: 'given', source: '核定人录入', article };
  const fig = byYear[String(year)];
  if (!fig || fig.value === null) {
    const why = fig?.note ? `（${fig.note}）` : '（规则包未收录该年度数据）';
    throw new RuleError(
      'MISSING_FIGURE',
      `缺少统计数据：${year}年度${who}${why}。请管理员在规则包中补充该年度数值，或由核定人在核定页填写该项数据。`,
      `figures.${key}`,
    );
  }
  return { key, label, year, value: fig.value, status: fig.status, source: fig.source, note: fig.note, article };
}

export function provincialWage(pack: RulePack, facts: BenefitFacts): ResolvedFigure {
  const s = pack.statistics.provincialPrivateAnnualWage;
  const year = statisticsYear(pack, facts);
  return fromSeries(
    'provincialPrivateAnnualWage',
    s.label,
    s.article,
    s.byYear,
    year,
    facts.figures?.provincialPrivateAnnualWage,
    `${pack.jurisdictionName}城镇私营单位就业人员年平均工资`,
  );
}

export function nationalDisposableIncome(pack: RulePack, facts: BenefitFacts): ResolvedFigure {
  const s = pack.statistics.nationalUrbanDisposableIncome;
  const year = statisticsYear(pack, facts);
  return fromSeries(
    'nationalUrbanDisposableIncome',
    s.label,
    s.article,
    s.byYear,
    year,
    facts.figures?.nationalUrbanDisposableIncome,
    '全国城镇居民人均可支配收入',
  );
}

/** The city's monthly minimum living standard in force in the injury's year (no 上年度 here: 第二十四条). */
export function cityMinimumLiving(pack: RulePack, facts: BenefitFacts): ResolvedFigure {
  const s = pack.statistics.cityMinimumLivingMonthly;
  const year = yearOf(facts.injuryDate);
  const given = facts.figures?.cityMinimumLivingMonthly;
  if (given === undefined && !facts.city) {
    throw new RuleError('INVALID_FACTS', '计算生活保障费需要事故发生城市的月最低生活保障标准：请在核定页填写该市标准。', 'city');
  }
  const city = facts.city ? s.cities[facts.city] : undefined;
  if (given === undefined && !city) {
    const known =
      Object.entries(s.cities)
        .map(([code, c]) => `${code}（${c.name}）`)
        .join('、') || '无';
    throw new RuleError(
      'MISSING_FIGURE',
      `规则包 ${pack.id} 未收录城市“${facts.city}”的最低生活保障标准（已收录：${known}）。请核对城市代码，或填写该市月最低生活保障标准。`,
      'city',
    );
  }
  const cityName = city?.name ?? facts.city ?? '事故发生地';
  return fromSeries(
    'cityMinimumLivingMonthly',
    `${cityName}${s.label.replace('事故伤害发生所在城市', '')}`,
    s.article,
    city?.byYear ?? {},
    year,
    given,
    `${cityName}城市居民月最低生活保障标准`,
  );
}
