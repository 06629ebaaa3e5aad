// 运行监测 against hand counts: a small store whose every fact is chosen here (platform, industry,
// injury, story, 小伤快办, office, and the day each case was accepted, decided and paid), and the
// figures the dashboard must give for it, worked out by hand in the comments.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { CONFIRM, move, registered } from '../helpers/desk';
import { gradeAndSign, hearingScene } from '../helpers/appraisal';
import type { Figure } from '../../shared/monitoring/figures';

let t: TestCore;
let admin: string;
const tok: Record<string, string> = {};
const PW = 'Staff-pass-2026';
const USERS = [
  { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] as const },
  { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] as const },
  { username: 'bofficer', displayName: '待遇核定丙', roles: ['benefit_officer'] as const },
  { username: 'reviewer', displayName: '待遇复核丁', roles: ['benefit_reviewer'] as const },
  { username: 'insurer', displayName: '社保复核戊', roles: ['insurance_reviewer'] as const },
  { username: 'boss', displayName: '业务主管戊', roles: ['manager'] as const },
];

/** Moves the clock to 10:00 China time on a day and signs everyone in again (sessions idle out). */
async function on(day: string) {
  t.clock.set(new Date(`${day}T02:00:00Z`));
  admin = await signIn(t, 'admin', 'Admin-pass-2026');
  for (const u of USERS) tok[u.username] = await signIn(t, u.username, PW);
}

beforeEach(async () => {
  t = makeTestCore(new Date('2026-11-02T02:00:00Z'));
  admin = await setupAdmin(t);
  for (const u of USERS) await t.call('users.create', { ...u, roles: [...u.roles], password: PW }, admin);
  await on('2026-11-02');
});
afterEach(() => t.cleanup());

const fig = (figures: Figure[], code: string) => figures.find((f) => f.code === code)!.rows;
const DONGQU = '西宁市城东区社会保险服务中心';
const ZHONGQU = '西宁市城中区社会保险服务中心';

describe('运行监测 against hand counts', () => {
  it('counts cases, 小伤快办, working days, clocks, benefits, scenarios and flags for a period and an office', async () => {
    await t.call('settings.update', { agencyName: DONGQU }, admin);
    const clerk = () => tok.clerk!;
    // C1 美团, fracture, fell avoiding a pedestrian, outpatient (小伤快办), the platform applied on Mon 2 Nov.
    const c1 = await registered(t, clerk(), {
      accidentAt: '2026-11-01T12:30',
      applicationDate: '2026-11-02',
      applicantKind: 'platform',
      platform: 'meituan',
      industry: 'instant_delivery',
      injury: '左桡骨远端骨折',
      description: '送餐途中避让行人摔倒',
    });
    // C2 滴滴, sprain, rear-ended (traffic), in hospital (not 小伤快办), the worker applied.
    const c2 = await registered(t, clerk(), {
      accidentAt: '2026-11-01T08:00',
      applicationDate: '2026-11-02',
      applicantKind: 'worker',
      platform: 'didi',
      industry: 'ride_hailing',
      injury: '右踝关节扭伤',
      description: '驾车接乘客途中被追尾',
      outpatientOnly: false,
      trafficAccident: true,
    });
    // C3 美团, fracture, missed a step on the stairs, 小伤快办, the platform applied.
    const c3 = await registered(t, clerk(), {
      accidentAt: '2026-11-01T19:00',
      applicationDate: '2026-11-02',
      applicantKind: 'platform',
      platform: 'meituan',
      industry: 'instant_delivery',
      injury: '左膝关节挫伤伴髌骨骨折',
      description: '上楼送件时踩空摔伤',
    });
    // C5 applied in October: outside the period.
    await registered(t, clerk(), { accidentAt: '2026-10-18T10:00', applicationDate: '2026-10-20', applicantKind: 'platform' });
    await t.call('settings.update', { agencyName: ZHONGQU }, admin);
    // C4 货拉拉 (城中区), scalp laceration while unloading, in hospital, the worker applied; stays registered.
    await registered(t, clerk(), {
      accidentAt: '2026-11-01T15:00',
      applicationDate: '2026-11-02',
      applicantKind: 'worker',
      platform: 'huolala',
      industry: 'freight',
      injury: '头皮挫裂伤',
      description: '装卸货物时被车门夹伤',
      outpatientOnly: false,
    });
    // C6 饿了么 (城中区), face grazed, fell, outpatient (小伤快办), the worker applied, then withdrew.
    const c6 = await registered(t, clerk(), {
      accidentAt: '2026-11-01T11:00',
      applicationDate: '2026-11-02',
      applicantKind: 'worker',
      platform: 'eleme',
      industry: 'instant_delivery',
      injury: '面部擦伤',
      description: '送餐途中不慎摔倒',
    });
    await move(t, clerk(), c6, 'withdraw', { reason: '申请人撤回' });

    // Mon 2 Nov: C1 and C3 accepted the day they were applied for (0 working days).
    await move(t, clerk(), c1, 'accept');
    await move(t, clerk(), c3, 'accept');
    await t.call(
      'bills.add',
      {
        caseId: c1,
        billDate: '2026-11-01',
        hospital: '青海省人民医院',
        invoiceNo: 'QH-1',
        amount: '302.00',
        eligible: '302.00',
        submittedDate: '2026-11-02',
      },
      clerk(),
    );
    await on('2026-11-03'); // C2 accepted: 1 working day.
    await move(t, tok.clerk!, c2, 'accept');
    await on('2026-11-04'); // C1 confirmed: 2 working days.
    await move(t, tok.officer!, c1, 'confirm', CONFIRM);
    await on('2026-11-05'); // C1's bill reimbursed: first payment after 3 working days.
    await t.call('bills.reimburse', { billId: (await t.call('cases.get', { caseId: c1 }, tok.clerk!)).bills[0]!.id }, tok.clerk!);
    await on('2026-11-06'); // C3 not confirmed: 4 working days.
    await move(t, tok.officer!, c3, 'not_confirm', { reason: '事故发生时不在执行订单', article: '第十一条' });
    await on('2026-11-10'); // C2 confirmed: 6 working days (3, 4, 5, 6, 9, 10 November).
    await move(t, tok.officer!, c2, 'confirm', CONFIRM);
    const { version } = await t.call('cases.get', { caseId: c2 }, tok.officer!);
    await t.call(
      'cases.recordDeath',
      {
        caseId: c2,
        expectedVersion: version,
        deathDate: '2026-11-01',
        causedByInjury: true,
        evidence: '居民死亡医学证明（推断）书 No.6301002026000123',
      },
      tok.officer!,
    );
    await t.call(
      'dependants.save',
      {
        caseId: c2,
        dependant: {
          id: null,
          name: '柯兰',
          relation: 'spouse',
          sex: 'female',
          birthDate: '1960-05-01',
          dependent: true,
          fullyDisabled: false,
          orphanOrSolitaryElder: false,
          student: false,
          nearerRelativesGone: false,
          ended: null,
        },
      },
      tok.bofficer!,
    );
    await t.call('determinations.prepare', { caseId: c2, figures: { provincialPrivateAnnualWage: '72000' } }, tok.bofficer!);
    await on('2026-11-11'); // Approved: C2's first payment after 7 working days.
    const [det] = await t.call('determinations.list', { caseId: c2 }, tok.reviewer!);
    await t.call('determinations.review', { determinationId: det!.id, approve: true, reason: '' }, tok.reviewer!);
    // 双重复核: the social insurance agency's round approves it too.
    await t.call('determinations.review', { determinationId: det!.id, approve: true, reason: '' }, tok.insurer!);
    await on('2026-11-12');

    const d = await t.call('monitoring.dashboard', { from: '2026-11-01', to: '2026-11-30', office: null }, tok.boss!);
    expect(d.asOf).toBe('2026-11-12');
    expect(d.offices).toEqual([ZHONGQU, DONGQU].sort());
    const f = d.figures;
    // Five applications in November (C5 was in October).
    expect(fig(f, 'by_status')).toEqual([
      { status: '已登记', cases: 1 },
      { status: '已确认', cases: 1 },
      { status: '不予确认', cases: 1 },
      { status: '待遇已核定', cases: 1 },
      { status: '已撤回', cases: 1 },
    ]);
    // Most cases first; ties in the order of the platform codes (didi, eleme, huolala).
    expect(fig(f, 'by_platform')).toEqual([
      { platform: '美团', cases: 2 },
      { platform: '滴滴出行', cases: 1 },
      { platform: '饿了么', cases: 1 },
      { platform: '货拉拉', cases: 1 },
    ]);
    expect(fig(f, 'by_industry')).toEqual([
      { industry: '出行', cases: 1 },
      { industry: '即时配送', cases: 3 },
      { industry: '同城货运', cases: 1 },
    ]);
    // 骨折 C1, C3; 扭伤 C2; 裂伤、擦伤 C4, C6 (in the order of the categories file).
    expect(fig(f, 'by_injury')).toEqual([
      { injury: '骨折', cases: 2 },
      { injury: '扭伤、拉伤', cases: 1 },
      { injury: '裂伤、擦伤', cases: 2 },
    ]);
    // Accepted: C1, C2, C3; 小伤快办: C1, C3, C6.
    expect(fig(f, 'by_month')).toEqual([{ month: '2026-11', applied: 5, accepted: 3, fastTrack: 3 }]);
    expect(fig(f, 'fast_track')).toEqual([
      { industry: '出行', cases: 1, fastTrack: 0, share: 0 },
      { industry: '即时配送', cases: 3, fastTrack: 3, share: 100 },
      { industry: '同城货运', cases: 1, fastTrack: 0, share: 0 },
      { industry: '合计', cases: 5, fastTrack: 3, share: 60 },
    ]);
    // To 受理: 0, 1, 0 → mean 0.3, 90th percentile (nearest rank, 3rd of 3) 1; 小伤快办 0, 0.
    // To 确认结论: 2, 6, 4 → mean 4, p90 6; 小伤快办 2, 4 → mean 3, p90 4.
    // To first payment: C1 3, C2 7 → mean 5, p90 7; 小伤快办 C1 3.
    expect(fig(f, 'durations')).toEqual([
      { stage: '申请至受理', cases: 3, mean: 0.3, p90: 1, fastCases: 2, fastMean: 0, fastP90: 0 },
      { stage: '申请至确认结论', cases: 3, mean: 4, p90: 6, fastCases: 2, fastMean: 3, fastP90: 4 },
      { stage: '申请至首次支付', cases: 2, mean: 5, p90: 7, fastCases: 1, fastMean: 3, fastP90: 3 },
    ]);
    // Clocks are a snapshot of today, whatever the period: C4's confirmation clock (7 working days
    // from 2 Nov → 11 Nov) and C5's (from 20 Oct → 29 Oct) are both overdue on the 12th.
    expect(fig(f, 'clocks_by_stage')).toEqual([{ stage: '职业伤害确认', near: 0, overdue: 2 }]);
    expect(fig(f, 'clocks_by_handler')).toEqual([{ handler: '受理员甲', near: 0, overdue: 2 }]);
    // Death of C2: 丧葬补助金 6 × 3,600 = 21,600 and 死亡补助金 20 × 56,502 = 1,130,040 once, 抚恤金 40% × 3,600 = 1,440 a month; C1's bill 302.
    expect(fig(f, 'benefits_by_month')).toEqual([
      {
        month: '2026-11',
        fundOnce: '1151640.00',
        platformOnce: '0.00',
        fundMonthly: '1440.00',
        platformMonthly: '0.00',
        medical: '302.00',
      },
    ]);
    expect(fig(f, 'benefits_by_type').map((r) => [r.payer, r.period, r.lines, r.amount])).toEqual([
      ['职业伤害保障基金', '一次性', 1, '1130040.00'],
      ['职业伤害保障基金', '一次性', 1, '21600.00'],
      ['职业伤害保障基金', '按月', 1, '1440.00'],
    ]);
    // Scenarios: fell (C1, C6) 40%, then in the categories' order rear-ended (C2, traffic), stairs (C3), unloading (C4), 20% each.
    expect(fig(f, 'scenarios')).toEqual([
      { scenario: '骑行或驾驶中摔倒、侧翻', cases: 2, traffic: 0, share: 40 },
      { scenario: '与车辆或行人碰撞', cases: 1, traffic: 1, share: 20 },
      { scenario: '上下楼梯、踩空', cases: 1, traffic: 0, share: 20 },
      { scenario: '装卸搬运货物', cases: 1, traffic: 0, share: 20 },
    ]);
    // 本人申请而平台未报案: C2, C4, C6.
    expect(fig(f, 'flags')).toEqual([{ rule: '本人申请而平台未报案', open: 3, cleared: 0, lapsed: 0 }]);

    // The 城中区 office alone: C4 and C6.
    const z = (await t.call('monitoring.dashboard', { from: '2026-11-01', to: '2026-11-30', office: ZHONGQU }, tok.boss!)).figures;
    expect(fig(z, 'by_status')).toEqual([
      { status: '已登记', cases: 1 },
      { status: '已撤回', cases: 1 },
    ]);
    expect(fig(z, 'clocks_by_stage')).toEqual([{ stage: '职业伤害确认', near: 0, overdue: 1 }]);
    expect(fig(z, 'benefits_by_month')).toEqual([]);
    // October alone: C5.
    const oct = (await t.call('monitoring.dashboard', { from: '2026-10-01', to: '2026-10-31', office: null }, tok.boss!)).figures;
    expect(fig(oct, 'by_month')).toEqual([{ month: '2026-10', applied: 1, accepted: 0, fastTrack: 1 }]);

    // Managers only; a bad period is refused with a Chinese message.
    expect((await t.fail('monitoring.dashboard', { from: '2026-11-01', to: '2026-11-30', office: null }, tok.clerk!)).code).toBe(
      'FORBIDDEN',
    );
    expect((await t.fail('monitoring.dashboard', { from: '2026-12-01', to: '2026-11-30', office: null }, tok.boss!)).message).toContain(
      '开始日期不能晚于结束日期',
    );
  });

  it('counts hearings, grades and the 再次鉴定 rate', async () => {
    // A store of its own: the hearing scene brings its own staff.
    await t.cleanup();
    t = makeTestCore();
    admin = await setupAdmin(t);
    const scene = await hearingScene(t, admin);
    await gradeAndSign(t, scene);
    await t.call('users.create', { username: 'boss', displayName: '业务主管戊', password: PW, roles: ['manager'] }, admin);
    const boss = await signIn(t, 'boss', PW);
    const period = { from: '2026-11-01', to: '2026-11-30', office: null };
    let f = (await t.call('monitoring.dashboard', period, boss)).figures;
    expect(fig(f, 'hearings')).toEqual([
      { hearings: 1, heard: 1, present: 1, absent: 0, concluded: 1, reappraisals: 0, reappraisalRate: 0 },
    ]);
    expect(fig(f, 'grades')).toEqual([{ grade: '七级', conclusions: 1 }]);
    await t.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕{seq}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 99 },
      admin,
    );
    await t.call('hearings.issueConclusion', { hearingId: scene.hearingId, caseId: scene.caseId }, scene.secretary);
    await move(t, scene.secretary, scene.caseId, 'request_reappraisal', { reason: '对伤残等级有异议', party: 'worker' });
    f = (await t.call('monitoring.dashboard', period, boss)).figures;
    // One 再次鉴定 request against one initial conclusion: 100%.
    expect(fig(f, 'hearings')).toEqual([
      { hearings: 1, heard: 1, present: 1, absent: 0, concluded: 1, reappraisals: 1, reappraisalRate: 100 },
    ]);
  });
});
