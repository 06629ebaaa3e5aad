// The smaller legal defects of issue #14, through the RPC, each with its article: the treatment
// period extension (第二十四条第二款); the 生活自理障碍 level against the grade (GB/T 16180-2014
// 定级原则); a commuting accident's platform from the last finished order (第十一条第二项,
// 第十八条第二款); 第十一条's items as structured facts with their checks; the appraisal's 60 days
// from receipt of the complete application; timeliness certain per limit (第十五条); fixed-date
// holidays outside the calendar; one hearing at a time; no sign-off before the hearing, and the
// 结论书 dated by its sign-off.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestCore } from '../helpers/core';
import { beijingRider } from '../helpers/intake';
import { ITEM_45 } from '../helpers/appraisal';
import {
  acceptedCase,
  appraise,
  auditSummaries,
  confirmedCase,
  dataOf,
  determine,
  documentText,
  move,
  signInAgain,
  type Office,
  officePerFile,
} from '../helpers/legal';

let t: TestCore;
let o: Office;
// The office is built once; each test works on its own copy of the store.
const scene = officePerFile(new Date('2026-11-24T02:00:00Z'));
beforeEach(() => {
  ({ t, o } = scene.fresh());
});
afterEach(async () => {
  await t.cleanup();
});

describe('第二十四条第二款: extending the treatment period', () => {
  it('is a move with its reason, once; the treatment clock and 生活保障费 follow it', async () => {
    const r = beijingRider({ accidentAt: '2026-07-10T12:30', applicationDate: '2026-07-15' });
    const caseId = await confirmedCase(t, o, {
      ...r,
      accident: { ...r.accident, orders: [{ ...r.accident.orders[0]!, acceptedAt: '2026-07-10T12:10' }] },
    });
    await move(t, o.clerk, caseId, 'start_treatment');
    let c = await t.call('cases.get', { caseId }, o.leader);
    expect(c.deadlines.find((d) => d.code === 'treatment_period')?.due).toBe('2027-07-09');
    expect(
      (await t.fail('cases.transition', { caseId, action: 'extend_treatment', expectedVersion: c.version }, o.leader)).message,
    ).toContain('需要填写理由');
    await move(t, o.leader, caseId, 'extend_treatment', { reason: '多发骨折愈合缓慢，经委员会确认延长治疗期' });
    c = await t.call('cases.get', { caseId }, o.leader);
    expect(c.status).toBe('in_treatment');
    expect(c.treatmentPeriod).toMatchObject({ extendedOn: '2026-11-24', limitEnd: '2028-07-09' });
    expect(c.deadlines.find((d) => d.code === 'treatment_period')).toMatchObject({ due: '2028-07-09' });
    expect(c.deadlines.find((d) => d.code === 'treatment_period')?.label).toContain('延长');
    expect(c.actions.find((a) => a.action === 'extend_treatment')?.blockedBy).toBe('治疗期已于 2026-11-24 延长，只能延长一次');
    expect(auditSummaries(t, '%延长治疗期%')[0]).toContain('多发骨折愈合缓慢');
    // The conclusion comes in September 2027, after the first 12 months: 生活保障费 runs to the end
    // of that month, because the period was extended (without it, it would stop on 2027-07-09).
    t.clock.set(new Date('2027-09-15T02:00:00Z'));
    o = await signInAgain(t, o);
    await appraise(t, o, caseId, 8);
    const id = await determine(t, o, caseId, {
      city: 'xining',
      treatment: { start: '2026-07-10', end: null },
      figures: { provincialPrivateAnnualWage: '72000', cityMinimumLivingMonthly: '900' },
    });
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    expect(d!.id).toBe(id);
    const living = (d!.result as { lines: { code: string; label: string }[]; parameters: Record<string, string> }).parameters;
    expect(living.livingAllowanceTo).toBe('2027-09-30');
  });
});

describe('GB/T 16180-2014 定级原则: the 生活自理障碍 level against the grade', () => {
  it('refuses an opinion or a sign-off of grade 3 with 大部分生活自理障碍, and takes 部分', async () => {
    const caseId = await confirmedCase(t, o);
    await move(t, o.secretary, caseId, 'request_appraisal');
    const { checklist } = await t.call('appraisal.requests', { caseId }, o.secretary);
    await t.call('appraisal.precheck', { caseId, items: checklist.map((i) => ({ code: i.code, present: true, note: '' })) }, o.secretary);
    const { panel } = await t.call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, o.secretary);
    const { id: hearingId } = await t.call(
      'hearings.create',
      { date: '2026-11-24', venue: '西宁', committee: '西宁市劳动能力鉴定委员会', kind: 'initial' },
      o.secretary,
    );
    await t.call('hearings.assign', { hearingId, caseIds: [caseId] }, o.secretary);
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '' }, o.secretary);
    const item = { code: '5.3.2(1)', text: '三级条款', grade: 3 };
    const opinion = (expertId: string, nursingLevel: 'most' | 'partial') => ({
      hearingId,
      caseId,
      expertId,
      items: [item],
      promotionApplied: false,
      promotionReason: '',
      nursingLevel,
    });
    const refused = await t.fail('hearings.opinion', opinion(panel[0]!.id, 'most'), o.secretary);
    expect(refused.message).toContain(
      '三级伤残不能认定“大部分生活自理障碍”：该程度只与一级至二级伤残相应（GB/T 16180-2014 定级原则 5.1.1–5.4.1）',
    );
    for (const p of panel) await t.call('hearings.opinion', opinion(p.id, 'partial'), o.secretary);
    expect(
      (await t.fail('hearings.sign', { hearingId, caseId, grade: 3, nursingLevel: 'most', reason: '组长认为' }, o.leader)).message,
    ).toContain('三级伤残不能认定“大部分生活自理障碍”');
    expect(await t.call('hearings.sign', { hearingId, caseId, grade: 3, nursingLevel: 'partial' }, o.leader)).toMatchObject({
      followsMajority: true,
    });
  });
});

describe('第十一条第一款第（二）项 and 第十八条第二款: a commute home after an order', () => {
  const commute = (notMainlyResponsible: boolean) => {
    const r = beijingRider();
    return {
      ...r,
      accident: {
        ...r.accident,
        orders: [{ platform: 'meituan', orderNo: 'MT20261120-0009', acceptedAt: '2026-11-20T11:40', finishedAt: '2026-11-20T12:05' }],
        circumstance: {
          item: 'commute' as const,
          purpose: 'return_home' as const,
          accident: 'traffic' as const,
          notMainlyResponsible,
          managementPlatform: null,
        },
      },
    };
  };

  it('finds the platform of the last finished order, instead of "no order in progress"', async () => {
    const a = await t.call('intake.assess', { draft: commute(true) }, o.clerk);
    expect(a.responsiblePlatform.platform).toBe('meituan');
    expect(a.responsiblePlatform.reason).toBe(
      '事故发生在执行美团的订单 MT20261120-0009（完成于 2026-11-20 12:05）后返回日常居所途中，由该订单所属平台企业承担责任。（第十八条第二款）',
    );
    const asOrder = await t.call(
      'intake.assess',
      { draft: { ...commute(true), accident: { ...commute(true).accident, circumstance: { item: 'order' } } } },
      o.clerk,
    );
    expect(asOrder.responsiblePlatform.platform).toBeNull();
  });

  it('needs the 事故责任认定书 saying the worker was not mainly responsible before it can be confirmed', async () => {
    const caseId = await acceptedCase(t, o, commute(false));
    let c = await t.call('cases.get', { caseId }, o.officer);
    expect(c.materials.map((m) => m.code)).toContain('liability_finding');
    expect(c.accident.circumstanceArticle).toBe('第十一条第一款第（二）项');
    expect(c.actions.find((a) => a.action === 'confirm')?.blockedBy).toContain('要求事故非本人主要责任');
    await t.call(
      'cases.setCircumstance',
      { caseId, expectedVersion: c.version, circumstance: commute(true).accident.circumstance },
      o.officer,
    );
    c = await t.call('cases.get', { caseId }, o.officer);
    expect(c.actions.find((a) => a.action === 'confirm')?.blockedBy).toBeNull();
    expect(c.platform?.code).toBe('meituan');
    await move(t, o.officer, caseId, 'confirm', {
      reason: '送餐完成后返回居所途中遭遇交通事故，对方负主要责任',
      article: c.accident.circumstanceArticle,
    });
  });
});

describe('第十一条: each item with its check', () => {
  it('第（一）项 needs an order in progress at the accident', async () => {
    const r = beijingRider();
    const caseId = await acceptedCase(t, o, {
      ...r,
      accident: { ...r.accident, orders: [{ ...r.accident.orders[0]!, finishedAt: '2026-11-20T12:20' }] },
    });
    const c = await t.call('cases.get', { caseId }, o.officer);
    expect(c.actions.find((a) => a.action === 'confirm')?.blockedBy).toBe(
      '事故时间没有正在执行的订单，不符合第十一条第一款第（一）项；如属返回居所或前往平台管理途中，请将情形改为第（二）项',
    );
  });

  it('第（五）项 puts the 残疾军人证 on the materials list, needs it to confirm, and leaves out the lump sum (第十一条第二款)', async () => {
    const r = beijingRider();
    const veteran = { ...r, accident: { ...r.accident, circumstance: { item: 'veteran' as const, certificateNo: '军残字第 0012345 号' } } };
    const { caseId } = await t.call('cases.register', veteran, o.clerk);
    let c = await t.call('cases.get', { caseId }, o.clerk);
    expect(c.materials.find((m) => m.code === 'veteran_certificate')).toMatchObject({
      label: '《中华人民共和国残疾军人证》',
      required: true,
    });
    expect(c.actions.find((a) => a.action === 'accept')?.blockedBy).toContain('《中华人民共和国残疾军人证》');
    await t.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      o.clerk,
    );
    await move(t, o.clerk, caseId, 'accept');
    c = await t.call('cases.get', { caseId }, o.officer);
    expect(c.actions.find((a) => a.action === 'confirm')?.blockedBy).toBeNull();
    await move(t, o.officer, caseId, 'confirm', { reason: '残疾军人旧伤复发', article: c.accident.circumstanceArticle });
    await appraise(t, o, caseId, 8);
    await determine(t, o, caseId);
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    const r2 = d!.result as { lines: { code: string }[]; omitted: { code: string; article: string }[] };
    expect(r2.lines.map((l) => l.code)).toEqual([]);
    expect(r2.omitted).toEqual([expect.objectContaining({ code: 'disability_lump_sum', article: '第十一条第二款' })]);
  });
});

describe('the appraisal’s 60 days run from receipt of the complete application', () => {
  it('dates the start from when the missing material came, not from the 预审 that recorded it', async () => {
    const caseId = await confirmedCase(t, o);
    await move(t, o.secretary, caseId, 'request_appraisal');
    const { checklist } = await t.call('appraisal.requests', { caseId }, o.secretary);
    const items = (missing: string[]) => checklist.map((i) => ({ code: i.code, present: !missing.includes(i.code), note: '' }));
    await t.call('appraisal.precheck', { caseId, items: items(['medical_records']) }, o.secretary);
    t.clock.set(new Date('2026-12-01T02:00:00Z'));
    o = await signInAgain(t, o);
    expect(
      (await t.fail('appraisal.precheck', { caseId, items: items([]), materialsReceivedOn: '2026-12-02' }, o.secretary)).message,
    ).toContain('晚于今天');
    await t.call('appraisal.precheck', { caseId, items: items([]), materialsReceivedOn: '2026-11-27' }, o.secretary);
    const [request] = (await t.call('appraisal.requests', { caseId }, o.secretary)).requests;
    expect(request).toMatchObject({ precheckedOn: '2026-12-01', completeOn: '2026-11-27' });
    const c = await t.call('cases.get', { caseId }, o.secretary);
    // 60 days from 11-27 end on 2027-01-26.
    expect(c.deadlines.find((d) => d.code === 'appraisal_conclusion')?.due).toBe('2027-01-26');
  });

  it('takes the request’s own day when the first 预审 finds everything, even if recorded later', async () => {
    const caseId = await confirmedCase(t, o);
    await move(t, o.secretary, caseId, 'request_appraisal');
    t.clock.set(new Date('2026-11-27T02:00:00Z'));
    o = await signInAgain(t, o);
    const { checklist } = await t.call('appraisal.requests', { caseId }, o.secretary);
    await t.call('appraisal.precheck', { caseId, items: checklist.map((i) => ({ code: i.code, present: true, note: '' })) }, o.secretary);
    const [request] = (await t.call('appraisal.requests', { caseId }, o.secretary)).requests;
    expect(request).toMatchObject({ requestedOn: '2026-11-24', precheckedOn: '2026-11-27', completeOn: '2026-11-24' });
  });
});

describe('第十五条: the timeliness answer is certain per limit', () => {
  it('keeps the platform’s 30 days certain inside a known year although the others’ 90 days run into an unknown one', async () => {
    const r = beijingRider({ accidentAt: '2026-11-10T12:30', applicationDate: '2026-11-23' });
    const draft = { ...r, accident: { ...r.accident, orders: [{ ...r.accident.orders[0]!, acceptedAt: '2026-11-10T12:10' }] } };
    const a = await t.call('intake.assess', { draft }, o.clerk);
    expect(a.timeliness).toMatchObject({
      platformDue: '2026-12-10',
      platformDueCertain: true,
      othersDue: '2027-02-08',
      othersDueCertain: false,
      certain: false,
    });
    const byPlatform = await t.call(
      'intake.assess',
      { draft: { ...draft, applicant: { ...draft.applicant, kind: 'platform', name: '美团' } } },
      o.clerk,
    );
    expect(byPlatform.timeliness).toMatchObject({ certain: true, platformDueCertain: true });
    expect(byPlatform.timeliness.message).not.toContain('待核');
  });

  it('applies 1 January to a year outside the calendar, and marks the date uncertain', async () => {
    const r = beijingRider({ accidentAt: '2026-12-02T12:30', applicationDate: '2026-12-02' });
    t.clock.set(new Date('2026-12-02T06:00:00Z'));
    o = await signInAgain(t, o);
    const draft = {
      ...r,
      applicant: { ...r.applicant, kind: 'platform' as const, name: '美团' },
      accident: { ...r.accident, orders: [{ ...r.accident.orders[0]!, acceptedAt: '2026-12-02T12:10' }] },
    };
    const a = await t.call('intake.assess', { draft }, o.clerk);
    // 30 days from 12-02 end on Friday 2027-01-01, 元旦: the first working day after is Monday 01-04.
    expect(a.timeliness).toMatchObject({ platformDue: '2027-01-04', platformDueCertain: false, certain: false });
    expect(a.timeliness.message).toContain('节假日顺延待核');
  });
});

describe('one hearing at a time; no sign-off before the hearing; the 结论书 dated by its sign-off', () => {
  async function readyCase() {
    const caseId = await confirmedCase(t, o);
    await move(t, o.secretary, caseId, 'request_appraisal');
    const { checklist } = await t.call('appraisal.requests', { caseId }, o.secretary);
    await t.call('appraisal.precheck', { caseId, items: checklist.map((i) => ({ code: i.code, present: true, note: '' })) }, o.secretary);
    const { panel } = await t.call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, o.secretary);
    return { caseId, panel };
  }
  const hearing = async (date: string) =>
    (await t.call('hearings.create', { date, venue: '西宁', committee: '西宁市劳动能力鉴定委员会', kind: 'initial' }, o.secretary)).id;

  it('refuses to put a case on a second hearing while the first has not concluded it', async () => {
    const { caseId } = await readyCase();
    const first = await hearing('2026-11-26');
    const second = await hearing('2026-12-03');
    await t.call('hearings.assign', { hearingId: first, caseIds: [caseId] }, o.secretary);
    const e = await t.fail('hearings.assign', { hearingId: second, caseIds: [caseId] }, o.secretary);
    expect(e.message).toMatch(/已安排在专场 JD2026-.+（2026-11-26），该专场尚未作出结论或登记缺席，不能同时安排到两个专场/);
    expect((await t.call('hearings.candidates', { hearingId: second }, o.secretary))[0]!.blockedBy).toMatch(/^已安排在专场 JD2026-/);
  });

  it('refuses a sign-off before the hearing’s day, and dates the 结论书 by the sign-off, not by its printing', async () => {
    const { caseId, panel } = await readyCase();
    const hearingId = await hearing('2026-11-26');
    await t.call('hearings.assign', { hearingId, caseIds: [caseId] }, o.secretary);
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '' }, o.secretary);
    for (const p of panel)
      await t.call(
        'hearings.opinion',
        { hearingId, caseId, expertId: p.id, items: [ITEM_45], promotionApplied: false, nursingLevel: null },
        o.secretary,
      );
    expect((await t.fail('hearings.sign', { hearingId, caseId, grade: 8, nursingLevel: null }, o.leader)).message).toMatch(
      /专场 JD2026-.+ 定于 2026-11-26 举行，不能在专场之前签发鉴定结论/,
    );
    t.clock.set(new Date('2026-11-26T02:00:00Z'));
    o = await signInAgain(t, o);
    await t.call('hearings.sign', { hearingId, caseId, grade: 8, nursingLevel: null }, o.leader);
    t.clock.set(new Date('2026-11-30T02:00:00Z'));
    o = await signInAgain(t, o);
    const notice = await t.call('hearings.issueConclusion', { hearingId, caseId }, o.leader);
    expect(dataOf(t, notice.id)).toMatchObject({ sessionDate: '2026-11-26', concludedOn: '2026-11-26' });
    const text = documentText(t, notice.id);
    // The date under the issuing committee's name (the seal's line) is the sign-off's.
    expect(text).toMatch(/劳动能力鉴定委员会2026年11月26日/);
    expect(text).not.toContain('2026年11月30日');
  });
});
