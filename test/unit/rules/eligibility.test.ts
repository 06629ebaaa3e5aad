import { describe, expect, it } from 'vitest';
import {
  applicationTimeliness,
  checkDoubleClaim,
  checkExclusions,
  checkSmallInjury,
  responsiblePlatform,
  RuleError,
} from '../../../shared/rules';
import { calendar, qinghai } from './fixtures';

describe('第十二条 exclusions', () => {
  it.each([
    [['crime'], /故意犯罪/],
    [['intoxication'], /醉酒或者吸毒/],
    [['self_harm'], /自残或者自杀/],
    [['crime', 'self_harm', 'crime'], /故意犯罪、自残或者自杀/],
  ] as const)('%j excludes', (codes, msg) => {
    const r = checkExclusions(qinghai, codes);
    expect(r.excluded).toBe(true);
    expect(r.message).toMatch(msg);
    expect(r.message).toMatch(/第十二条/);
    expect(r.reasons.every((x) => x.article === '第十二条')).toBe(true);
  });
  it('none → not excluded', () => {
    expect(checkExclusions(qinghai, [])).toMatchObject({ excluded: false, reasons: [] });
  });
  it('refuses an unknown code', () => {
    expect(() => checkExclusions(qinghai, ['speeding' as 'crime'])).toThrow(RuleError);
  });
});

describe('小伤快办', () => {
  const all = ['application_form', 'consent_form', 'diagnosis', 'e_receipt', 'accident_liability'];
  const ok = { outpatientOnly: true, hospitalized: false, factsClear: true, disputed: false, materials: all };
  it('the five-material checklist', () => {
    const r = checkSmallInjury(qinghai, ok);
    expect(r.eligible).toBe(true);
    expect(r.checklist.map((m) => m.label)).toEqual([
      '职业伤害保障伤残待遇申请表',
      '知情同意确认书',
      '诊断书',
      '电子收费票据',
      '事故责任认定书',
    ]);
    expect(r.checklist.find((m) => m.code === 'diagnosis')?.note).toMatch(/处方/);
  });
  it.each([
    [{ outpatientOnly: false }, /门（急）诊/],
    [{ hospitalized: true }, /住院/],
    [{ factsClear: false }, /事实不清楚/],
    [{ disputed: true }, /争议/],
    [{ materials: all.filter((m) => m !== 'e_receipt') }, /缺电子收费票据/],
  ])('%j rules it out', (change, reason) => {
    const r = checkSmallInjury(qinghai, { ...ok, ...change });
    expect(r.eligible).toBe(false);
    expect(r.reasons.join('；')).toMatch(reason);
  });
});

describe('第十八条 responsible platform', () => {
  it('the order in progress at the accident', () => {
    const r = responsiblePlatform(qinghai, '2026-08-01T12:30', [
      { platform: '美团', acceptedAt: '2026-08-01T11:00', finishedAt: '2026-08-01T11:40' },
      { platform: '饿了么', orderNo: 'E1', acceptedAt: '2026-08-01T12:10', finishedAt: null },
    ]);
    expect(r).toMatchObject({ platform: '饿了么', article: '第十八条第二款' });
  });
  it('simultaneous orders on several platforms: the first accepted', () => {
    const r = responsiblePlatform(qinghai, '2026-08-01T12:30', [
      { platform: '饿了么', acceptedAt: '2026-08-01T12:10', finishedAt: null },
      { platform: '美团', acceptedAt: '2026-08-01T12:05', finishedAt: '2026-08-01T12:45' },
    ]);
    expect(r.platform).toBe('美团');
    expect(r.reason).toMatch(/首接单/);
  });
  it('no order in progress: no platform, with a reason', () => {
    const r = responsiblePlatform(qinghai, '2026-08-01T13:00', [
      { platform: '美团', acceptedAt: '2026-08-01T11:00', finishedAt: '2026-08-01T11:40' },
    ]);
    expect(r.platform).toBeNull();
    expect(r.reason).toMatch(/没有正在执行的订单/);
  });
  it('two platforms accepted at the same minute cannot be split', () => {
    const r = responsiblePlatform(qinghai, '2026-08-01T12:30', [
      { platform: '美团', acceptedAt: '2026-08-01T12:05', finishedAt: null },
      { platform: '饿了么', acceptedAt: '2026-08-01T12:05', finishedAt: null },
    ]);
    expect(r.platform).toBeNull();
  });
  it('refuses a malformed time', () => {
    expect(() => responsiblePlatform(qinghai, '2026-08-01 12:30', [])).toThrow(/YYYY-MM-DDTHH:mm/);
  });
});

describe('第十八条 double claim', () => {
  it('a 工伤 claim for the same accident is a hit', () => {
    expect(checkDoubleClaim(qinghai, true)).toMatchObject({ hit: true, article: '第十八条第一款' });
    expect(checkDoubleClaim(qinghai, false).hit).toBe(false);
  });
});

describe('application timeliness (第十五条)', () => {
  it('platform late: the range borne by the platform', () => {
    const r = applicationTimeliness(qinghai, '2026-08-01', { by: 'platform', date: '2026-09-10' }, calendar);
    expect(r).toMatchObject({
      platformDue: '2026-08-31',
      othersDue: '2026-10-30',
      onTime: false,
      platformBorne: { from: '2026-08-01', to: '2026-09-10' },
      certain: true,
    });
  });
  it('worker within 90 days is on time', () => {
    const r = applicationTimeliness(qinghai, '2026-08-01', { by: 'worker', date: '2026-10-30' }, calendar);
    expect(r.onTime).toBe(true);
    expect(r.platformBorne).toEqual({ from: '2026-08-01', to: '2026-10-30' });
  });
  it('worker within the platform’s 30 days: the platform has not missed anything yet', () => {
    expect(applicationTimeliness(qinghai, '2026-08-01', { by: 'worker', date: '2026-08-10' }, calendar).platformBorne).toBeNull();
  });
  it('worker after 90 days is late', () => {
    expect(applicationTimeliness(qinghai, '2026-08-01', { by: 'union', date: '2026-11-02' }, calendar).onTime).toBe(false);
  });
});
