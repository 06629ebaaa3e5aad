import { describe, expect, it } from 'vitest';
import { deadlinesFor, RuleError, type CaseDates } from '../../../shared/rules';
import { calendar, qinghai } from './fixtures';

const rules = qinghai.deadlines;
function one(caseDates: CaseDates, code: string, today = '2026-11-24', nearWithin?: number) {
  const d = deadlinesFor(caseDates, calendar, { rules, today, nearWithin }).find((x) => x.code === code);
  if (!d) throw new Error(`no deadline ${code}`);
  return d;
}

describe('deadlinesFor: every limit in the measures', () => {
  it('platform application: 30 days, moved past National Day when day 30 is a holiday (第十五条)', () => {
    const d = one({ injuryDate: '2026-09-01' }, 'platform_application');
    expect(d).toMatchObject({ due: '2026-10-08', status: '逾期', certain: true, limitText: '30 日', article: '第十五条第一款' });
    expect(d.daysLeft).toBe(-47);
  });

  it('others: 90 days; 6 days left is 正常 with the default threshold of 3', () => {
    expect(one({ injuryDate: '2026-09-01' }, 'others_application')).toMatchObject({ due: '2026-11-30', daysLeft: 6, status: '正常' });
  });

  it('the 临期 threshold is a parameter', () => {
    expect(one({ injuryDate: '2026-09-01' }, 'others_application', '2026-11-24', 7).status).toBe('临期');
  });

  it('shows only the applicant’s own limit once an application exists', () => {
    const ds = deadlinesFor({ injuryDate: '2026-09-01', applicationBy: 'worker' }, calendar, { rules, today: '2026-11-24' });
    expect(ds.map((d) => d.code)).toEqual(['others_application']);
  });

  it('supplement: 10 days from receiving the one-time notice', () => {
    expect(one({ supplementNoticeReceivedDate: '2026-11-20' }, 'supplement')).toMatchObject({
      due: '2026-11-30',
      daysLeft: 6,
      status: '正常',
    });
  });

  it('confirmation: 30 working days, across National Day with the make-up Saturday', () => {
    // 9/29, 9/30, 10/8, 10/9, 10/10 (Sat, worked), then 25 more ordinary working days
    expect(one({ applicationDate: '2026-09-28' }, 'confirmation')).toMatchObject({
      due: '2026-11-13',
      status: '逾期',
      limitText: '30 个工作日',
      article: '第十七条',
    });
  });

  it('confirmation: 7 working days where facts are clear (National Day)', () => {
    expect(one({ applicationDate: '2026-09-28', factsClear: true }, 'confirmation')).toMatchObject({ due: '2026-10-13', amount: 7 });
  });

  it('confirmation: 7 working days across Spring Festival counts both make-up Saturdays', () => {
    expect(one({ applicationDate: '2026-02-12', factsClear: true }, 'confirmation').due).toBe('2026-02-28');
  });

  it('working-day limits use working days for 临期', () => {
    const d = one({ applicationDate: '2026-11-16', factsClear: true }, 'confirmation');
    expect(d).toMatchObject({ due: '2026-11-25', workingDaysLeft: 1, daysLeft: 1, status: '临期' });
  });

  it('medical reimbursement: 7 working days', () => {
    expect(one({ medicalClaimCompleteDate: '2026-11-20' }, 'medical_reimbursement')).toMatchObject({
      due: '2026-12-01',
      status: '正常',
      workingDaysLeft: 5,
    });
  });

  it('re-appraisal request: 15 days from receiving the conclusion, moved past National Day', () => {
    expect(one({ conclusionReceivedDate: '2026-09-20' }, 'reappraisal_request')).toMatchObject({
      due: '2026-10-08',
      article: '第十九条第二款',
    });
  });

  it('treatment period: 12 months, 24 when extended', () => {
    expect(one({ treatmentStartDate: '2026-07-10' }, 'treatment_period')).toMatchObject({
      due: '2027-07-09',
      limitText: '12 个月',
      status: '正常',
    });
    expect(one({ treatmentStartDate: '2026-07-10', treatmentExtended: true }, 'treatment_period')).toMatchObject({
      due: '2028-07-09',
      amount: 24,
    });
  });

  it('appraisal: materials notice 5 working days, conclusion 60 days (+30), delivery 20 days', () => {
    // 9/30, 10/8, 10/9, 10/10 (make-up Saturday), 10/12
    expect(one({ appraisalMaterialsReceivedDate: '2026-09-29' }, 'appraisal_materials_notice').due).toBe('2026-10-12');
    expect(one({ appraisalApplicationCompleteDate: '2026-11-01' }, 'appraisal_conclusion')).toMatchObject({
      due: '2026-12-31',
      certain: true,
    });
    expect(one({ appraisalConclusionDate: '2026-11-10' }, 'appraisal_delivery')).toMatchObject({ due: '2026-11-30', status: '正常' });
  });

  it('a due date in a year the calendar does not cover is flagged uncertain', () => {
    expect(one({ appraisalApplicationCompleteDate: '2026-11-01', appraisalExtended: true }, 'appraisal_conclusion')).toMatchObject({
      due: '2027-02-01',
      certain: false,
    });
    expect(one({ medicalClaimCompleteDate: '2026-12-28' }, 'medical_reimbursement').certain).toBe(false);
  });

  it('rules whose starting date is unknown are skipped', () => {
    expect(deadlinesFor({}, calendar, { rules, today: '2026-11-24' })).toEqual([]);
  });

  it('due today is 临期 with 0 days left; yesterday is 逾期', () => {
    expect(one({ supplementNoticeReceivedDate: '2026-11-14' }, 'supplement')).toMatchObject({
      due: '2026-11-24',
      daysLeft: 0,
      status: '临期',
    });
    expect(one({ supplementNoticeReceivedDate: '2026-11-13' }, 'supplement')).toMatchObject({
      due: '2026-11-23',
      daysLeft: -1,
      status: '逾期',
    });
  });

  it('refuses a bad today or threshold', () => {
    expect(() => deadlinesFor({}, calendar, { rules, today: '2026-13-01' })).toThrow(RuleError);
    expect(() => deadlinesFor({}, calendar, { rules, today: '2026-11-24', nearWithin: -1 })).toThrow(/临期提醒天数/);
  });
});
