import { describe, expect, it } from 'vitest';
import { computeBenefits, RuleError, type BenefitResult } from '../../../shared/rules';
import { calendar, clonePack, qinghai, shandong } from './fixtures';

const WAGE = { provincialPrivateAnnualWage: '72000' }; // monthly 6,000 → base 3,600

function qh(over: Record<string, unknown> = {}) {
  return {
    jurisdiction: 'qinghai',
    injuryDate: '2026-08-01',
    city: 'xining',
    outcome: { kind: 'disability', grade: 7, nursingLevel: null, conclusionDate: '2026-12-01' },
    figures: WAGE,
    ...over,
  };
}

function line(r: BenefitResult, code: string) {
  return r.lines.find((l) => l.code === code);
}

function refusal(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error('expected a RuleError');
}

describe('Qingdao case (seed 000): grade 7 → 39,780 yuan', () => {
  const r = computeBenefits(
    {
      jurisdiction: 'shandong',
      injuryDate: '2025-08-15',
      outcome: { kind: 'disability', grade: 7, nursingLevel: null, conclusionDate: '2025-12-10' },
    },
    shandong,
  );
  it('comes out exact from the derived 2024 Shandong wage', () => {
    expect(r.parameters.base).toBe('3060.00');
    expect(r.parameters.baseYear).toBe('2024');
    expect(r.lines).toHaveLength(1);
    expect(line(r, 'disability_lump_sum')).toMatchObject({
      amount: '39780.00',
      payer: 'fund',
      period: 'once',
      formula: '3,060.00 × 13 个月 = 39,780.00',
    });
    expect(r.totals.once.all).toBe('39780.00');
  });
  it('records the pack, the figure as derived, and warns about it', () => {
    expect(r.rulePack).toMatchObject({ id: 'shandong-2025', version: '2025.2.0' });
    expect(r.provenance.find((p) => p.key === 'provincialPrivateAnnualWage')).toMatchObject({
      value: '61200',
      status: 'derived',
      year: 2024,
    });
    expect(r.warnings.join()).toMatch(/推算数据/);
  });
});

describe('disability benefits by grade (Qinghai 第二十六至二十八条, base 3,600)', () => {
  it.each([
    [1, '97200.00', '3240.00', null],
    [2, '90000.00', '3060.00', null],
    [3, '82800.00', '2880.00', null],
    [4, '75600.00', '2700.00', null],
    [5, '64800.00', null, '108000.00'],
    [6, '57600.00', null, '90000.00'],
    [7, '46800.00', null, null],
    [8, '39600.00', null, null],
    [9, '32400.00', null, null],
    [10, '25200.00', null, null],
  ])('grade %i: lump sum %s, allowance %s, one-time allowance %s', (grade, lump, allowance, ota) => {
    const r = computeBenefits(qh({ outcome: { kind: 'disability', grade, nursingLevel: null, conclusionDate: '2026-12-01' } }), qinghai);
    expect(line(r, 'disability_lump_sum')?.amount).toBe(lump);
    expect(line(r, 'disability_allowance')?.amount ?? null).toBe(allowance);
    expect(line(r, 'one_time_allowance')?.amount ?? null).toBe(ota);
    if (allowance) expect(line(r, 'disability_allowance')).toMatchObject({ period: 'monthly', article: '第二十六条' });
    expect(r.totals.monthly.all).toBe(allowance ?? '0.00');
  });

  it('rounds the monthly wage and the base to the fen, half up, where the pack names it', () => {
    // 70,001 ÷ 12 = 5,833.4166… → 5,833.42; × 60% = 3,500.052 → 3,500.05
    const r = computeBenefits(
      qh({
        figures: { provincialPrivateAnnualWage: '70001' },
        outcome: { kind: 'disability', grade: 10, nursingLevel: null, conclusionDate: '2026-12-01' },
      }),
      qinghai,
    );
    expect(r.parameters.provincialPrivateMonthlyWage).toBe('5833.42');
    expect(r.parameters.base).toBe('3500.05');
    expect(line(r, 'disability_lump_sum')?.amount).toBe('24500.35');
  });

  it('without the monthly_wage rounding point the base is computed from the exact monthly wage', () => {
    const p = clonePack(qinghai);
    p.rounding.points = ['base', 'line'];
    // 70,001 ÷ 12 × 0.6 = 3,500.05 exactly
    const r = computeBenefits(qh({ figures: { provincialPrivateAnnualWage: '70001' } }), p);
    expect(r.parameters.base).toBe('3500.05');
    expect(r.parameters.provincialPrivateMonthlyWage).toBe('5833.42');
  });

  it('grade 2 with 生活大部分不能自理 gets 40% nursing allowance monthly (第二十五条)', () => {
    const r = computeBenefits(
      qh({ outcome: { kind: 'disability', grade: 2, nursingLevel: 'most', conclusionDate: '2026-12-01' } }),
      qinghai,
    );
    expect(line(r, 'nursing_allowance')).toMatchObject({
      amount: '1440.00',
      period: 'monthly',
      payer: 'fund',
      article: '第二十五条',
      formula: '3,600.00 × 40% = 1,440.00／月',
    });
    expect(r.totals.monthly.all).toBe('4500.00');
  });

  it.each([
    [2, 'full', '二级伤残不能认定“完全生活自理障碍”：该程度只与一级伤残相应'],
    [3, 'most', '三级伤残不能认定“大部分生活自理障碍”：该程度只与一级至二级伤残相应'],
    [5, 'partial', '五级伤残不能认定“部分生活自理障碍”：该程度只与一级至四级伤残相应'],
  ] as const)('refuses grade %i with %s: the level does not go with the grade (GB/T 16180-2014 定级原则)', (grade, level, message) => {
    const e = refusal(() =>
      computeBenefits(qh({ outcome: { kind: 'disability', grade, nursingLevel: level, conclusionDate: '2026-12-01' } }), qinghai),
    );
    expect(e.message).toContain(message);
    expect(e.message).toContain('GB/T 16180-2014 定级原则 5.1.1–5.4.1');
    expect(e.field).toBe('outcome.nursingLevel');
  });

  it.each([
    [1, 'full', '1800.00'],
    [2, 'most', '1440.00'],
    [4, 'partial', '1080.00'],
  ] as const)('grade %i with %s is the least severe grade the level allows', (grade, level, amount) => {
    const r = computeBenefits(qh({ outcome: { kind: 'disability', grade, nursingLevel: level, conclusionDate: '2026-12-01' } }), qinghai);
    expect(line(r, 'nursing_allowance')?.amount).toBe(amount);
  });

  it.each([
    ['full', '1800.00'],
    ['most', '1440.00'],
    ['partial', '1080.00'],
  ])('nursing level %s → %s', (level, amount) => {
    const r = computeBenefits(
      qh({ outcome: { kind: 'disability', grade: 1, nursingLevel: level, conclusionDate: '2026-12-01' } }),
      qinghai,
    );
    expect(line(r, 'nursing_allowance')?.amount).toBe(amount);
  });

  it('refuses nursing for grades 5–10 (no 生活自理障碍 under GB/T 16180-2014)', () => {
    const e = refusal(() =>
      computeBenefits(qh({ outcome: { kind: 'disability', grade: 5, nursingLevel: 'partial', conclusionDate: '2026-12-01' } }), qinghai),
    );
    expect(e.message).toMatch(/五级伤残不能认定“部分生活自理障碍”/);
    expect(e.field).toBe('outcome.nursingLevel');
  });

  it('veteran old injury (第十一条(五)): no lump sum, the rest still paid', () => {
    const r = computeBenefits(
      qh({ veteranOldInjury: true, outcome: { kind: 'disability', grade: 5, nursingLevel: null, conclusionDate: '2026-12-01' } }),
      qinghai,
    );
    expect(line(r, 'disability_lump_sum')).toBeUndefined();
    expect(line(r, 'one_time_allowance')?.amount).toBe('108000.00');
    expect(r.omitted).toEqual([expect.objectContaining({ code: 'disability_lump_sum', article: '第十一条第二款' })]);
  });

  it('未达级 (grade null) gives no disability lines and needs no wage figure', () => {
    const r = computeBenefits(
      qh({ figures: undefined, outcome: { kind: 'disability', grade: null, nursingLevel: null, conclusionDate: '2026-12-01' } }),
      qinghai,
    );
    expect(r.lines).toEqual([]);
    expect(r.totals.once.all).toBe('0.00');
  });
});

describe('death benefits (第二十九条)', () => {
  const death = (dependants: unknown[], extra: Record<string, unknown> = {}) =>
    qh({ outcome: { kind: 'death', deathDate: '2026-08-01', dependants, ...extra } });

  it('funeral grant 6 months, death lump sum 20 × 2025 national income', () => {
    const r = computeBenefits(death([]), qinghai);
    expect(line(r, 'funeral_grant')).toMatchObject({ amount: '21600.00', period: 'once' });
    expect(line(r, 'death_lump_sum')).toMatchObject({ amount: '1130040.00', formula: '56,502.00 × 20 倍 = 1,130,040.00' });
    expect(r.provenance.find((p) => p.key === 'nationalUrbanDisposableIncome')).toMatchObject({ year: 2025, status: 'secondary' });
  });

  it('a 2025 injury uses the 2024 figure (上年度 = year before the injury)', () => {
    const r = computeBenefits(
      { jurisdiction: 'shandong', injuryDate: '2025-09-01', outcome: { kind: 'death', deathDate: '2026-02-01', dependants: [] } },
      shandong,
    );
    expect(line(r, 'death_lump_sum')?.amount).toBe('1083760.00');
  });

  it('dependants under the cap: spouse 40%, other 30%, orphan +10%', () => {
    const r = computeBenefits(death([{ relation: 'spouse' }, { relation: 'child', orphanOrSolitaryElder: true }]), qinghai);
    const pensions = r.lines.filter((l) => l.code === 'dependant_pension');
    expect(pensions.map((l) => l.amount)).toEqual(['1440.00', '1440.00']);
    expect(pensions.every((l) => l.period === 'monthly')).toBe(true);
    expect(r.totals.monthly.all).toBe('2880.00');
  });

  it('four dependants over the cap are cut in proportion and sum to the base exactly', () => {
    const r = computeBenefits(
      death([{ relation: 'spouse' }, { relation: 'parent', orphanOrSolitaryElder: true }, { relation: 'child' }, { relation: 'child' }]),
      qinghai,
    );
    const pensions = r.lines.filter((l) => l.code === 'dependant_pension');
    // uncapped 1,440 + 1,440 + 1,080 + 1,080 = 5,040 > 3,600; fen by largest remainder go to the children
    expect(pensions.map((l) => l.amount)).toEqual(['1028.57', '1028.57', '771.43', '771.43']);
    expect(r.totals.monthly.all).toBe('3600.00');
    expect(pensions[0]!.formula).toMatch(/超过上限 3,600.00，按比例核减/);
    expect(r.warnings.join()).toMatch(/按各人应得数额比例核减/);
  });

  it('exactly at the cap is not cut', () => {
    const r = computeBenefits(death([{ relation: 'spouse' }, { relation: 'child' }, { relation: 'child' }]), qinghai);
    expect(r.lines.filter((l) => l.code === 'dependant_pension').map((l) => l.amount)).toEqual(['1440.00', '1080.00', '1080.00']);
    expect(r.warnings.join()).not.toMatch(/核减/);
  });

  it('grade 1–4 dying after the treatment period: no death lump sum (第二十九条第三款)', () => {
    const r = computeBenefits(death([{ relation: 'spouse' }], { afterTreatmentWithGrade1to4: true }), qinghai);
    expect(line(r, 'death_lump_sum')).toBeUndefined();
    expect(line(r, 'funeral_grant')).toBeDefined();
    expect(r.omitted[0]).toMatchObject({ code: 'death_lump_sum', article: '第二十九条第三款' });
  });

  it('refuses two spouses', () => {
    expect(refusal(() => computeBenefits(death([{ relation: 'spouse' }, { relation: 'spouse' }]), qinghai)).message).toMatch(
      /只能有一位配偶/,
    );
  });
});

describe('生活保障费 (第二十四条): prorated by days, paid by the platform', () => {
  const withTreatment = (
    treatment: unknown,
    outcome: unknown = { kind: 'disability', grade: null, nursingLevel: null, conclusionDate: '2027-12-01' },
  ) => qh({ injuryDate: '2026-07-10', treatment, outcome, figures: { cityMinimumLivingMonthly: '900' } });

  it('across month ends: 22/31 + 1 whole month + 15/30', () => {
    const r = computeBenefits(withTreatment({ start: '2026-07-10', end: '2026-09-15' }), qinghai);
    expect(line(r, 'living_allowance')).toMatchObject({ amount: '1988.71', payer: 'platform', period: 'once', article: '第二十四条' });
    expect(line(r, 'living_allowance')!.formula).toBe('900.00 × (22/31（2026-07） + 1 个整月 + 15/30（2026-09）) = 1,988.71（共 68 天）');
    expect(r.totals.once.platform).toBe('1988.71');
    expect(r.totals.once.fund).toBe('0.00');
  });

  it('in a leap-year February: 20/29 + 10/31', () => {
    const r = computeBenefits(
      {
        jurisdiction: 'shandong',
        injuryDate: '2028-02-10',
        outcome: { kind: 'disability', grade: null, nursingLevel: null, conclusionDate: '2028-06-01' },
        treatment: { start: '2028-02-10', end: '2028-03-10' },
        figures: { cityMinimumLivingMonthly: '900' },
      },
      shandong,
    );
    // 900 × 20/29 = 620.6897 + 900 × 10/31 = 290.3226 → 911.01
    expect(line(r, 'living_allowance')?.amount).toBe('911.01');
    expect(r.parameters.livingAllowanceDays).toBe('30');
  });

  it('stops at the end of the month of the appraisal conclusion', () => {
    const r = computeBenefits(
      withTreatment(
        { start: '2026-07-10', end: null },
        { kind: 'disability', grade: null, nursingLevel: null, conclusionDate: '2026-08-05' },
      ),
      qinghai,
    );
    expect(r.parameters.livingAllowanceTo).toBe('2026-08-31');
    expect(line(r, 'living_allowance')?.amount).toBe('1538.71');
    expect(r.warnings.join()).toMatch(/治疗尚未结束/);
  });

  it('is limited to 12 months of treatment', () => {
    const r = computeBenefits(withTreatment({ start: '2026-07-10', end: null }), qinghai);
    expect(r.parameters.livingAllowanceTo).toBe('2027-07-09');
    expect(line(r, 'living_allowance')?.amount).toBe('10800.00');
  });

  it('an extended treatment period runs up to 24 months (here to the conclusion month)', () => {
    const r = computeBenefits(withTreatment({ start: '2026-07-10', end: null, extended: true }), qinghai);
    expect(r.parameters.livingAllowanceTo).toBe('2027-12-31');
    expect(line(r, 'living_allowance')?.amount).toBe('15938.71');
  });

  it('ends on the day of death', () => {
    const r = computeBenefits(
      qh({
        injuryDate: '2026-07-10',
        treatment: { start: '2026-07-10', end: null },
        outcome: { kind: 'death', deathDate: '2026-07-20', dependants: [] },
        figures: { ...WAGE, cityMinimumLivingMonthly: '930' },
      }),
      qinghai,
    );
    expect(r.parameters.livingAllowanceTo).toBe('2026-07-20');
    expect(line(r, 'living_allowance')?.amount).toBe('330.00'); // 930 × 11/31
  });

  it('the thirty_day_month method divides by 30', () => {
    const p = clonePack(qinghai);
    p.parameters.livingAllowance.proration = 'thirty_day_month';
    const r = computeBenefits(withTreatment({ start: '2026-07-10', end: '2026-09-15' }), p);
    expect(line(r, 'living_allowance')?.amount).toBe('2040.00'); // 900 ÷ 30 × 68
  });
});

describe('第十五条: late platform application', () => {
  const app = (by: string, date: string) => qh({ application: { by, date } });

  it('platform after 30 days: accident-to-receipt costs fall to the platform', () => {
    const r = computeBenefits(app('platform', '2026-09-15'), qinghai, { calendar });
    expect(r.platformBorneCosts).toMatchObject({ from: '2026-08-01', to: '2026-09-15', article: '第十五条第三款', certain: true });
    expect(r.warnings.join()).toMatch(/已超过 30 日时限（至 2026-08-31）/);
  });

  it('platform within 30 days: nothing falls to the platform', () => {
    expect(computeBenefits(app('platform', '2026-08-31'), qinghai, { calendar }).platformBorneCosts).toBeNull();
  });

  it('the 30 days end after the National Day holiday when day 30 is a holiday', () => {
    const r = computeBenefits(qh({ injuryDate: '2026-09-01', application: { by: 'platform', date: '2026-10-08' } }), qinghai, { calendar });
    expect(r.platformBorneCosts).toBeNull();
  });

  it('a worker applying after the platform missed its 30 days: in time, but the platform bears the costs', () => {
    const r = computeBenefits(app('worker', '2026-09-20'), qinghai, { calendar });
    expect(r.platformBorneCosts).toMatchObject({ from: '2026-08-01', to: '2026-09-20' });
    expect(r.warnings.join()).not.toMatch(/已超过 90 日/);
  });

  it('a worker after 90 days is warned', () => {
    expect(computeBenefits(app('worker', '2026-11-05'), qinghai, { calendar }).warnings.join()).toMatch(/已超过 90 日时限/);
  });

  it('without a calendar the limit is marked uncertain', () => {
    const r = computeBenefits(app('platform', '2026-09-15'), qinghai);
    expect(r.platformBorneCosts?.certain).toBe(false);
  });
});

describe('missing statistics are refused, never guessed; figures overrides are recorded as given', () => {
  it('Qinghai without the 2025 provincial wage names the figure and the way out', () => {
    const e = refusal(() => computeBenefits(qh({ figures: undefined }), qinghai));
    expect(e.code).toBe('MISSING_FIGURE');
    expect(e.message).toMatch(/2025年度青海省城镇私营单位就业人员年平均工资/);
    expect(e.message).toMatch(/由核定人在核定页填写该项数据/);
  });

  it('Xining minimum living standard unknown: refused naming it', () => {
    const e = refusal(() => computeBenefits(qh({ treatment: { start: '2026-08-01', end: '2026-08-20' } }), qinghai));
    expect(e.message).toMatch(/2026年度西宁市城市居民月最低生活保障标准/);
    expect(e.field).toBe('figures.cityMinimumLivingMonthly');
  });

  it('a city the pack does not know is refused with the known list', () => {
    const e = refusal(() => computeBenefits(qh({ city: 'golmud', treatment: { start: '2026-08-01', end: '2026-08-20' } }), qinghai));
    expect(e.message).toMatch(/golmud/);
    expect(e.message).toMatch(/xining（西宁市）/);
  });

  it('a national income year the pack lacks is refused', () => {
    const e = refusal(() =>
      computeBenefits(
        {
          jurisdiction: 'qinghai',
          injuryDate: '2027-03-01',
          outcome: { kind: 'death', deathDate: '2027-03-01', dependants: [] },
          figures: WAGE,
        },
        qinghai,
      ),
    );
    expect(e.message).toMatch(/2026年度全国城镇居民人均可支配收入/);
  });

  it('overrides win over the pack and are recorded with status given', () => {
    const r = computeBenefits(
      qh({
        outcome: { kind: 'death', deathDate: '2026-08-01', dependants: [] },
        figures: { provincialPrivateAnnualWage: '60000', nationalUrbanDisposableIncome: '50000.50' },
      }),
      qinghai,
    );
    expect(r.parameters.base).toBe('3000.00');
    expect(line(r, 'death_lump_sum')?.amount).toBe('1000010.00');
    expect(
      r.provenance
        .filter((p) => p.status === 'given')
        .map((p) => p.key)
        .sort(),
    ).toEqual(['nationalUrbanDisposableIncome', 'provincialPrivateAnnualWage']);
    expect(r.facts.figures).toEqual({ provincialPrivateAnnualWage: '60000', nationalUrbanDisposableIncome: '50000.50' });
  });

  it('an override for Shandong replaces the derived figure', () => {
    const r = computeBenefits(
      {
        jurisdiction: 'shandong',
        injuryDate: '2025-08-15',
        outcome: { kind: 'disability', grade: 7, nursingLevel: null, conclusionDate: '2025-12-10' },
        figures: { provincialPrivateAnnualWage: '66000' },
      },
      shandong,
    );
    expect(r.parameters.base).toBe('3300.00');
    expect(r.warnings.join()).not.toMatch(/推算数据/);
  });
});

describe('bad facts are refused, never computed', () => {
  it.each([
    [
      'grade 0',
      qh({ outcome: { kind: 'disability', grade: 0, nursingLevel: null, conclusionDate: '2026-12-01' } }),
      /伤残等级须为 1 至 10/,
    ],
    [
      'grade 11',
      qh({ outcome: { kind: 'disability', grade: 11, nursingLevel: null, conclusionDate: '2026-12-01' } }),
      /伤残等级须为 1 至 10/,
    ],
    ['grade 2.5', qh({ outcome: { kind: 'disability', grade: 2.5, nursingLevel: null, conclusionDate: '2026-12-01' } }), /整数/],
    [
      'conclusion before injury',
      qh({ outcome: { kind: 'disability', grade: 7, nursingLevel: null, conclusionDate: '2026-07-01' } }),
      /早于事故日期/,
    ],
    [
      'death before injury',
      qh({ outcome: { kind: 'death', deathDate: '2026-07-31', dependants: [] } }),
      /死亡日期 2026-07-31 早于事故日期/,
    ],
    [
      'death with a grade',
      qh({ outcome: { kind: 'death', deathDate: '2026-08-02', dependants: [], grade: 3 } }),
      /死亡案件不能同时填写伤残等级/,
    ],
    ['negative wage', qh({ figures: { provincialPrivateAnnualWage: '-72000' } }), /年平均工资.*不正确/],
    ['zero wage', qh({ figures: { provincialPrivateAnnualWage: '0' } }), /大于 0/],
    ['wage as a number', qh({ figures: { provincialPrivateAnnualWage: 72000 } }), /带引号的十进制数字字符串/],
    [
      'treatment end before start',
      qh({ treatment: { start: '2026-08-10', end: '2026-08-05' } }),
      /治疗结束日期 2026-08-05 早于治疗开始日期/,
    ],
    ['treatment before injury', qh({ treatment: { start: '2026-07-10', end: null } }), /治疗开始日期 2026-07-10 早于事故日期/],
    ['application before injury', qh({ application: { by: 'platform', date: '2026-07-01' } }), /申请日期 2026-07-01 早于事故日期/],
    ['impossible date', qh({ injuryDate: '2026-02-30' }), /事故日期/],
    ['missing injury date', qh({ injuryDate: undefined }), /缺少事故日期/],
    ['unknown field', qh({ salary: '1' }), /不认识的字段：salary/],
    [
      '未达级 with nursing',
      qh({ outcome: { kind: 'disability', grade: null, nursingLevel: 'full', conclusionDate: '2026-12-01' } }),
      /未达级/,
    ],
    ['unknown outcome kind', qh({ outcome: { kind: 'injury' } }), /disability（伤残）或 death（死亡）/],
    ['wrong jurisdiction for pack', qh({ jurisdiction: 'shandong' }), /与案件地区“shandong”不符/],
    ['before the pack starts', qh({ injuryDate: '2026-06-30' }), /不在规则包 qinghai-2026 的适用期/],
  ])('%s', (_name, facts, message) => {
    const e = refusal(() => computeBenefits(facts, qinghai));
    expect(e.message).toMatch(message);
  });
});
