// A session at the table: opinions with the 晋级原则, the majority, dissent kept, the leader's
// sign-off that locks the conclusion and moves the case on.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freeze, makeTestCore, setupAdmin, signIn, thaw, type FrozenCore, type TestCore } from '../helpers/core';
import { beijingRider } from '../helpers/intake';
import { deliver, hearingScene, ITEM_45, ITEM_56, precheck as precheckFor, requestedCase as requestedCaseFor } from '../helpers/appraisal';

let t: TestCore;
let secretary: string;
let leader: string;
let caseId: string;
let hearingId: string;
let panel: { id: string; name: string }[];
let clerk: string;
let officer: string;

const requestedCase = (accidentAt?: string) => requestedCaseFor(t, { clerk, officer, secretary }, accidentAt);
const precheck = (id: string, missing: string[] = [], token = secretary) => precheckFor(t, token, id, missing);

// The hearing is built once; each test works on its own copy of the store.
// Tests may sign people in again on their copy: each starts from the scene's own sign-ins.
let frozen: FrozenCore;
let scene: Awaited<ReturnType<typeof hearingScene>>;
beforeAll(async () => {
  const built = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  scene = await hearingScene(built, await setupAdmin(built));
  frozen = await freeze(built);
});
afterAll(() => fs.rmSync(frozen.dir, { recursive: true, force: true }));
beforeEach(() => {
  t = thaw(frozen);
  ({ secretary, leader, clerk, officer, caseId, hearingId, panel } = scene);
});
afterEach(async () => {
  await t.cleanup();
});

const opinion = (expertId: string, promotionApplied: boolean, promotionReason = '') =>
  t.call(
    'hearings.opinion',
    { hearingId, caseId, expertId, items: [ITEM_45, ITEM_56], promotionApplied, promotionReason, nursingLevel: null },
    secretary,
  );

describe('grading at the table', () => {
  it('says how many items the catalogue holds; an item outside it is recorded and flagged on the conclusion', async () => {
    const cat = await t.call('rules.catalogue', { q: '' }, secretary);
    expect(cat).toMatchObject({ itemsHeld: 10, itemsInStandard: 530 });
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '左手拇指末节缺失' }, secretary);
    const outside = { code: '5.9.2(30)', text: '一拇指末节缺失（手工录入）', grade: 9, outsideCatalogue: false };
    for (const p of panel)
      await t.call(
        'hearings.opinion',
        { hearingId, caseId, expertId: p.id, items: [ITEM_45, outside], promotionApplied: false, promotionReason: '', nursingLevel: null },
        secretary,
      );
    const sheet = await t.call('hearings.sheet', { hearingId, caseId }, leader);
    expect(sheet.opinions[0]!.items).toEqual([ITEM_45, { ...outside, outsideCatalogue: true }]);
    await t.call('hearings.sign', { hearingId, caseId, grade: 8, nursingLevel: null, advice: '' }, leader);
    const row = t.store.sqlite.prepare('SELECT items FROM appraisal_conclusions WHERE case_id = ?').get(caseId) as { items: string };
    expect(JSON.parse(row.items)).toEqual([ITEM_45, { ...outside, outsideCatalogue: true }]);
  });

  it('proposes grade 7 for two grade-8 items, keeps the dissent, and locks the signed conclusion', async () => {
    expect(
      (
        await t.fail(
          'hearings.opinion',
          { hearingId, caseId, expertId: panel[0]!.id, items: [ITEM_45], promotionApplied: false, nursingLevel: null },
          secretary,
        )
      ).message,
    ).toContain('请先登记本人到场');
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '胸廓畸形，脾部分切除术后' }, secretary);
    const first = await opinion(panel[0]!.id, true);
    expect(first).toMatchObject({ grade: 7, promotionProposed: true });
    expect(
      (
        await t.fail(
          'hearings.opinion',
          { hearingId, caseId, expertId: panel[1]!.id, items: [ITEM_45, ITEM_56], promotionApplied: false, nursingLevel: null },
          secretary,
        )
      ).message,
    ).toContain('请写明理由');
    await opinion(panel[1]!.id, true);
    expect((await t.call('hearings.sheet', { hearingId, caseId }, leader)).proposal).toBeNull();
    await opinion(panel[2]!.id, false, '脾部分切除对劳动能力影响有限，不宜晋级');
    const sheet = await t.call('hearings.sheet', { hearingId, caseId }, leader);
    expect(sheet.opinions.map((o) => o.grade)).toEqual([7, 7, 8]);
    expect(sheet.proposal?.grade.value).toBe(7);
    expect(sheet.proposal?.dissenting).toEqual([panel[2]!.id]);

    const before = (await t.call('cases.get', { caseId }, leader)).deadlines;
    // The 预审 found the materials complete: no materials notice is due, the 60 days run.
    expect(before.map((d) => d.code)).toEqual(['appraisal_conclusion']);
    expect(before[0]).toMatchObject({ certain: false });
    const signed = await t.call(
      'hearings.sign',
      { hearingId, caseId, grade: 7, nursingLevel: null, advice: '建议治疗期至 2027年1月31日' },
      leader,
    );
    // Signed: the 20-day delivery clock runs until the 结论书 is issued.
    expect((await t.call('cases.get', { caseId }, leader)).deadlines.map((d) => [d.code, d.due])).toEqual([
      ['appraisal_delivery', '2026-12-14'],
    ]);
    expect(signed.followsMajority).toBe(true);
    // The preview: the grade's entitlement from the pack; the amount waits for the 2025 wage figure.
    const preview = await t.call('determinations.preview', { caseId }, leader);
    expect(preview.lines.map((l) => [l.code, l.multiple, l.amount])).toEqual([['disability_lump_sum', '13 个月 × 计发基数', null]]);
    expect(preview.missing).toContain('2025年度青海省城镇私营单位就业人员年平均工资');
    expect((await t.call('cases.get', { caseId }, leader)).status).toBe('appraised');
    expect(
      (
        await t.fail(
          'hearings.opinion',
          { hearingId, caseId, expertId: panel[2]!.id, items: [ITEM_45], promotionApplied: false, nursingLevel: null },
          secretary,
        )
      ).message,
    ).toContain('已签发');
    expect((await t.fail('hearings.sign', { hearingId, caseId, grade: 8, nursingLevel: null }, leader)).code).toBe('CONFLICT');
    expect(() => t.store.sqlite.prepare('UPDATE appraisal_conclusions SET grade = 8').run()).toThrow(/不能修改/);
    const admin = await signIn(t, 'admin', 'Admin-pass-2026');
    await t.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 99 },
      admin,
    );
    const notice = await t.call('hearings.issueConclusion', { hearingId, caseId }, leader);
    expect(notice.documentNo).toBe('宁劳鉴〔2026〕第0001号');
    // Issued is not delivered: the committee's 20 days run until both parties have received it.
    expect((await t.call('cases.get', { caseId }, leader)).deadlines.map((d) => [d.code, d.due])).toEqual([
      ['appraisal_delivery', '2026-12-14'],
    ]);
    await deliver(t, leader, notice.id, 'worker');
    await deliver(t, leader, notice.id, 'platform');
    // Delivered to each party: now each one's 15-day 再次鉴定 window runs (第十九条第二款).
    expect((await t.call('cases.get', { caseId }, leader)).deadlines.map((d) => [d.code, d.party, d.due])).toEqual([
      ['reappraisal_request', 'worker', '2026-12-09'],
      ['reappraisal_request', 'platform', '2026-12-09'],
    ]);
    const data = JSON.parse(
      (t.store.sqlite.prepare('SELECT data FROM issued_documents WHERE id = ?').get(notice.id) as { data: string }).data,
    );
    expect(data).toMatchObject({
      grade: 7,
      nursingLevel: null,
      provincialCommittee: '青海省劳动能力鉴定委员会',
      promotion: '两项及以上伤残等级相同，依 4.2 晋级原则晋升一级。',
    });
    expect(data.experts.map((e: { dissent: boolean }) => e.dissent)).toEqual([false, false, true]);
    expect((await t.fail('hearings.issueConclusion', { hearingId, caseId }, leader)).code).toBe('CONFLICT');
    expect(await t.call('hearings.documents', { hearingId }, secretary)).toEqual({ ids: [notice.id] });
    const stored = t.store.sqlite.prepare('SELECT grade, items FROM appraisal_conclusions').get() as { grade: number; items: string };
    expect(stored.grade).toBe(7);
    expect(JSON.parse(stored.items).map((i: { code: string }) => i.code)).toEqual(['5.8.2(45)', '5.8.2(56)']);
  });

  it('asks the leader for a reason when there is no majority, or when departing from it', async () => {
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '' }, secretary);
    await t.call(
      'hearings.opinion',
      { hearingId, caseId, expertId: panel[0]!.id, items: [{ ...ITEM_45, grade: 7 }], promotionApplied: false, nursingLevel: null },
      secretary,
    );
    await t.call(
      'hearings.opinion',
      { hearingId, caseId, expertId: panel[1]!.id, items: [ITEM_45], promotionApplied: false, nursingLevel: null },
      secretary,
    );
    await t.call(
      'hearings.opinion',
      { hearingId, caseId, expertId: panel[2]!.id, items: [{ ...ITEM_45, grade: 9 }], promotionApplied: false, nursingLevel: null },
      secretary,
    );
    expect((await t.call('hearings.sheet', { hearingId, caseId }, leader)).proposal?.grade.value).toBeUndefined();
    expect((await t.fail('hearings.sign', { hearingId, caseId, grade: 8, nursingLevel: null }, leader)).message).toContain('请写明理由');
    const r = await t.call(
      'hearings.sign',
      { hearingId, caseId, grade: 8, nursingLevel: null, reason: '三名专家意见各不相同，取居中意见并经组长复核伤情' },
      leader,
    );
    expect(r.followsMajority).toBe(false);
  });

  it('keeps the person who confirmed the injury from signing its appraisal', async () => {
    const admin = await signIn(t, 'admin', 'Admin-pass-2026');
    const me = await t.call('users.list', {}, admin);
    const officer = me.find((u) => u.username === 'officer')!;
    await t.call('users.update', { userId: officer.id, roles: ['confirmation_officer', 'appraisal_leader'] }, admin);
    const both = await signIn(t, 'officer', 'Staff-pass-2026');
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '' }, secretary);
    for (const p of panel) await opinion(p.id, true);
    expect((await t.fail('hearings.sign', { hearingId, caseId, grade: 7, nursingLevel: null }, both)).message).toContain('三岗分离');
  });

  it('only schedules cases whose appraisal was applied for', async () => {
    const s2 = await signIn(t, 'clerk', 'Staff-pass-2026');
    const { caseId: other } = await t.call('cases.register', beijingRider({ accidentAt: '2026-11-21T09:00' }), s2);
    expect((await t.fail('hearings.assign', { hearingId, caseIds: [other] }, secretary)).message).toContain('尚未申请劳动能力鉴定');
  });
});

describe('benefit determination and review', () => {
  async function signGrade7() {
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '' }, secretary);
    for (const p of panel) await opinion(p.id, true);
    await t.call('hearings.sign', { hearingId, caseId, grade: 7, nursingLevel: null }, leader);
  }

  it('computes from the conclusion, refuses a missing statistic, and is approved only by someone else', async () => {
    await signGrade7();
    const admin = await signIn(t, 'admin', 'Admin-pass-2026');
    await t.call(
      'users.create',
      { username: 'officer2', displayName: '待遇核定己', password: 'Staff-pass-2026', roles: ['benefit_officer', 'benefit_reviewer'] },
      admin,
    );
    await t.call(
      'users.create',
      { username: 'reviewer', displayName: '待遇复核庚', password: 'Staff-pass-2026', roles: ['benefit_reviewer'] },
      admin,
    );
    await t.call(
      'users.create',
      { username: 'insurer', displayName: '社保复核辛', password: 'Staff-pass-2026', roles: ['insurance_reviewer'] },
      admin,
    );
    const officer = await signIn(t, 'officer2', 'Staff-pass-2026');
    const reviewer = await signIn(t, 'reviewer', 'Staff-pass-2026');
    const insurer = await signIn(t, 'insurer', 'Staff-pass-2026');

    const missing = await t.fail('determinations.prepare', { caseId }, officer);
    expect(missing.code).toBe('RULE_REFUSED');
    expect(missing.message).toContain('2025年度青海省城镇私营单位就业人员年平均工资');

    const { id } = await t.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, officer);
    const [d] = await t.call('determinations.list', { caseId }, reviewer);
    const lines = (d!.result as { lines: { code: string; amount: string; formula: string }[] }).lines;
    expect(lines.find((l) => l.code === 'disability_lump_sum')).toMatchObject({
      amount: '46800.00',
      formula: '3,600.00 × 13 个月 = 46,800.00',
    });
    expect((d!.result as { rulePack: { id: string } }).rulePack.id).toBe('qinghai-2026');

    expect((await t.fail('determinations.review', { determinationId: id, approve: true }, officer)).message).toContain('不能是核定人本人');
    expect((await t.fail('determinations.issueNotice', { determinationId: id }, reviewer)).message).toContain('经复核通过');
    // 双重复核 (the pack's two rounds): the commissioned agency's 待遇复核, then the 社保复核.
    expect((await t.fail('determinations.review', { determinationId: id, approve: true }, insurer)).message).toContain(
      '须由待遇复核人员办理',
    );
    expect(await t.call('determinations.review', { determinationId: id, approve: true }, reviewer)).toMatchObject({
      status: 'prepared',
      round: 1,
    });
    expect((await t.call('cases.get', { caseId }, reviewer)).status).toBe('appraised');
    expect((await t.fail('determinations.issueNotice', { determinationId: id }, reviewer)).message).toContain('经复核通过');
    await t.call('determinations.review', { determinationId: id, approve: true }, insurer);
    expect((await t.call('cases.get', { caseId }, reviewer)).status).toBe('benefits_determined');
    await t.call(
      'numbering.addBlock',
      { series: 'benefits', pattern: '宁职伤待〔{year}〕{seq}号', issuer: '西宁市社会保险服务中心', year: 2026, first: 1, last: 99 },
      admin,
    );
    const notice = await t.call('determinations.issueNotice', { determinationId: id }, reviewer);
    expect(notice.documentNo).toBe('宁职伤待〔2026〕1号');
    const data = JSON.parse((t.store.sqlite.prepare('SELECT data FROM issued_documents').get() as { data: string }).data);
    expect(data).toMatchObject({
      preparedBy: '待遇核定己',
      reviews: [
        { label: '待遇复核', name: '待遇复核庚' },
        { label: '社保复核', name: '社保复核辛' },
      ],
      base: '3600.00',
    });
    expect(
      (await t.fail('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, officer)).message,
    ).toContain('不能重复核定');
  });

  it('lets a reviewer return a determination with a reason, after which it is prepared again', async () => {
    await signGrade7();
    const admin = await signIn(t, 'admin', 'Admin-pass-2026');
    await t.call(
      'users.create',
      { username: 'officer2', displayName: '待遇核定己', password: 'Staff-pass-2026', roles: ['benefit_officer'] },
      admin,
    );
    await t.call(
      'users.create',
      { username: 'reviewer', displayName: '待遇复核庚', password: 'Staff-pass-2026', roles: ['benefit_reviewer'] },
      admin,
    );
    const officer = await signIn(t, 'officer2', 'Staff-pass-2026');
    const reviewer = await signIn(t, 'reviewer', 'Staff-pass-2026');
    const { id } = await t.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '70000' } }, officer);
    expect((await t.fail('determinations.review', { determinationId: id, approve: false }, reviewer)).message).toContain(
      '退回时请写明理由',
    );
    await t.call(
      'determinations.review',
      { determinationId: id, approve: false, reason: '工资数据应为 72000，请核实后重新核定' },
      reviewer,
    );
    expect((await t.call('cases.get', { caseId }, reviewer)).status).toBe('appraised');
    await t.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, officer);
    expect((await t.call('determinations.list', { caseId }, reviewer)).map((d) => d.status)).toEqual(['prepared', 'returned']);
  });
});

describe('appraisal clocks', () => {
  it('puts the appraisal clocks on the secretary worklist as they near', async () => {
    const waiting = await requestedCase('2026-11-21T09:00');
    t.clock.set(new Date('2026-11-30T02:00:00Z'));
    const sec = await signIn(t, 'secretary', 'Staff-pass-2026');
    const items = await t.call('cases.worklist', {}, sec);
    // Not yet checked: the 5-working-day materials notice nears. Checked: the 60 days run.
    expect(items.map((w) => [w.caseId, w.deadline.code, w.deadline.status])).toContainEqual([
      waiting,
      'appraisal_materials_notice',
      '临期',
    ]);
    expect(items.find((w) => w.caseId === caseId)?.deadline.code).not.toBe('appraisal_materials_notice');
  });
});

describe('absence', () => {
  it('ends the round for a worker who does not come: no conclusion, the case waits for a later session', async () => {
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'absent', findings: '' }, secretary);
    expect(
      (
        await t.fail(
          'hearings.opinion',
          { hearingId, caseId, expertId: panel[0]!.id, items: [ITEM_45], promotionApplied: false, nursingLevel: null },
          secretary,
        )
      ).message,
    ).toContain('请先登记本人到场');
    expect((await t.fail('hearings.sign', { hearingId, caseId, grade: 8, nursingLevel: null }, leader)).message).toContain('本人未到场');
    expect((await t.call('cases.get', { caseId }, secretary)).status).toBe('awaiting_appraisal');
    const { id: later } = await t.call(
      'hearings.create',
      { date: '2026-12-15', venue: '西宁市劳动能力鉴定中心', committee: '西宁市劳动能力鉴定委员会', kind: 'initial' },
      secretary,
    );
    expect(await t.call('hearings.assign', { hearingId: later, caseIds: [caseId] }, secretary)).toEqual({ cases: 1 });
  });
});

describe('再次鉴定 window', () => {
  async function signedAndDelivered() {
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '' }, secretary);
    for (const p of panel) await opinion(p.id, true);
    await t.call('hearings.sign', { hearingId, caseId, grade: 7, nursingLevel: null }, leader);
    const c = await t.call('cases.get', { caseId }, secretary);
    expect(c.actions.find((a) => a.action === 'request_reappraisal')?.blockedBy).toBe('鉴定结论书尚未出具，暂不能申请再次鉴定');
    const admin = await signIn(t, 'admin', 'Admin-pass-2026');
    await t.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '委员会', year: 2026, first: 1, last: 9 },
      admin,
    );
    const notice = await t.call('hearings.issueConclusion', { hearingId, caseId }, leader);
    await deliver(t, leader, notice.id, 'worker');
  }

  it('accepts a request within 15 days of delivery', async () => {
    await signedAndDelivered();
    t.clock.set(new Date('2026-12-09T02:00:00Z'));
    const sec = await signIn(t, 'secretary', 'Staff-pass-2026');
    const c = await t.call('cases.get', { caseId }, sec);
    const r = await t.call(
      'cases.transition',
      {
        caseId,
        action: 'request_reappraisal',
        expectedVersion: c.version,
        reason: '申请人对等级有异议，向省级委员会申请再次鉴定',
        party: 'worker',
      },
      sec,
    );
    expect(r.status).toBe('awaiting_appraisal');
  });

  it('refuses a request after the 15 days, naming the date', async () => {
    await signedAndDelivered();
    t.clock.set(new Date('2026-12-10T02:00:00Z'));
    const sec = await signIn(t, 'secretary', 'Staff-pass-2026');
    const c = await t.call('cases.get', { caseId }, sec);
    const err = await t.fail(
      'cases.transition',
      { caseId, action: 'request_reappraisal', expectedVersion: c.version, reason: '异议', party: 'worker' },
      sec,
    );
    expect(err.message).toContain('已超过收到鉴定结论书（2026-11-24）之日起 15 日的再次鉴定申请期限（截至 2026-12-09');
  });
});

describe('预审 (the per-case checklist before a session)', () => {
  it('keeps a case out of a session until its materials are checked complete', async () => {
    const other = await requestedCase('2026-11-21T09:00');
    expect((await t.fail('hearings.assign', { hearingId, caseIds: [other] }, secretary)).message).toContain('尚未预审');
    const blocked = async () => (await t.call('hearings.candidates', { hearingId }, secretary)).map((c) => [c.caseId, c.blockedBy]);
    expect(await blocked()).toEqual([[other, '尚未预审']]);
    const { checklist } = await t.call('appraisal.requests', { caseId: other }, secretary);
    expect(checklist.map((c) => c.code)).toEqual(['application_form', 'confirmation_decision', 'medical_records', 'identity', 'photos']);
    expect(
      (await t.fail('appraisal.precheck', { caseId: other, items: [{ code: 'application_form', present: true }] }, secretary)).message,
    ).toContain('尚未勾选有无');
    const partial = await precheck(other, ['medical_records']);
    expect(partial).toMatchObject({
      result: 'incomplete',
      missing: ['有效的诊断证明及检查、检验报告等完整病历材料（按医疗机构病历管理规定复印或复制）'],
    });
    expect((await t.fail('hearings.assign', { hearingId, caseIds: [other] }, secretary)).message).toContain('预审不齐全');
    expect(await blocked()).toEqual([[other, '预审不齐全']]);
    t.clock.set(new Date('2026-11-24T02:05:00Z'));
    expect((await precheck(other)).result).toBe('complete');
    const [request] = (await t.call('appraisal.requests', { caseId: other }, secretary)).requests;
    expect(request).toMatchObject({
      kind: 'initial',
      level: 'municipal',
      committee: '西宁市劳动能力鉴定委员会',
      precheckResult: 'complete',
      completeOn: '2026-11-24',
    });
    expect(request!.precheck!.every((i) => i.present)).toBe(true);
    expect(await blocked()).toEqual([[other, null]]);
    expect(await t.call('hearings.assign', { hearingId, caseIds: [other] }, secretary)).toEqual({ cases: 2 });
    expect(await blocked()).toEqual([]);
    const audit = t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE summary LIKE '鉴定材料预审%' ORDER BY seq").all() as {
      summary: string;
    }[];
    expect(audit.map((a) => a.summary)).toContainEqual(expect.stringContaining('缺 有效的诊断证明'));
  });
});

describe('the 60 (+30) day conclusion period', () => {
  it('is extended once by the committee, with its reason, to 90 days', async () => {
    const due = async () => (await t.call('cases.get', { caseId }, leader)).deadlines.find((d) => d.code === 'appraisal_conclusion')!;
    const before = await due();
    expect((await t.fail('appraisal.extend', { caseId, reason: '伤情复杂' }, secretary)).code).toBe('FORBIDDEN');
    expect((await t.fail('appraisal.extend', { caseId, reason: '  ' }, leader)).message).toContain('理由');
    await t.call('appraisal.extend', { caseId, reason: '多处骨折伴脏器损伤，需补充专科检查' }, leader);
    const after = await due();
    expect(before.due < after.due).toBe(true);
    expect(after.label).toContain('疑难情况延长30日');
    expect((await t.fail('appraisal.extend', { caseId, reason: '再延长' }, leader)).message).toContain('只能延长一次');
    const [request] = (await t.call('appraisal.requests', { caseId }, secretary)).requests;
    expect(request!.extension).toEqual({ reason: '多处骨折伴脏器损伤，需补充专科检查', on: '2026-11-24' });
  });
});

describe('再次鉴定 and 复查', () => {
  async function signAndIssue(grade = 7) {
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '' }, secretary);
    for (const p of panel) await opinion(p.id, true);
    await t.call('hearings.sign', { hearingId, caseId, grade, nursingLevel: null }, leader);
    const admin = await signIn(t, 'admin', 'Admin-pass-2026');
    await t.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '委员会', year: 2026, first: 1, last: 99 },
      admin,
    );
    const notice = await t.call('hearings.issueConclusion', { hearingId, caseId }, leader);
    await deliver(t, leader, notice.id, 'worker');
  }

  it('opens a provincial 再次鉴定 linked to the first conclusion, heard only in a 再次鉴定 session, and final', async () => {
    await signAndIssue();
    t.clock.set(new Date('2026-12-01T02:00:00Z'));
    let sec = await signIn(t, 'secretary', 'Staff-pass-2026');
    let lead = await signIn(t, 'leader', 'Staff-pass-2026');
    const c = await t.call('cases.get', { caseId }, sec);
    await t.call(
      'cases.transition',
      { caseId, action: 'request_reappraisal', expectedVersion: c.version, reason: '申请人认为等级偏低', party: 'worker' },
      sec,
    );
    const { requests } = await t.call('appraisal.requests', { caseId }, sec);
    expect(requests.map((r) => [r.kind, r.level, r.committee])).toEqual([
      ['initial', 'municipal', '西宁市劳动能力鉴定委员会'],
      ['reappraisal', 'provincial', '青海省劳动能力鉴定委员会'],
    ]);
    const hearingNo = (await t.call('hearings.get', { hearingId }, sec)).hearingNo;
    expect(requests[1]!.previous).toEqual({ grade: 7, signedOn: '2026-11-24', hearingNo });
    expect(requests[0]!.answer).toEqual({ grade: 7, signedOn: '2026-11-24', hearingNo });

    const { id: initial } = await t.call(
      'hearings.create',
      { date: '2026-12-20', venue: '西宁', committee: '西宁市劳动能力鉴定委员会', kind: 'initial' },
      sec,
    );
    const { id: provincial } = await t.call(
      'hearings.create',
      { date: '2026-12-21', venue: '青海省劳动能力鉴定中心', committee: '青海省劳动能力鉴定委员会', kind: 'reappraisal' },
      sec,
    );
    await precheck(caseId, [], sec);
    expect((await t.fail('hearings.assign', { hearingId: initial, caseIds: [caseId] }, sec)).message).toContain(
      '申请的是再次鉴定，不能安排到初次鉴定专场',
    );
    expect((await t.call('hearings.candidates', { hearingId: initial }, sec)).map((c) => c.blockedBy)).toEqual(['申请的是再次鉴定']);
    await t.call('hearings.assign', { hearingId: provincial, caseIds: [caseId] }, sec);
    const again = (await t.call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, sec)).panel;
    // The day of the provincial hearing: a conclusion is never signed before it.
    t.clock.set(new Date('2026-12-21T02:00:00Z'));
    sec = await signIn(t, 'secretary', 'Staff-pass-2026');
    lead = await signIn(t, 'leader', 'Staff-pass-2026');
    await t.call('hearings.attendance', { hearingId: provincial, caseId, attendance: 'present', findings: '复查胸廓' }, sec);
    for (const p of again)
      await t.call(
        'hearings.opinion',
        { hearingId: provincial, caseId, expertId: p.id, items: [ITEM_45], promotionApplied: false, nursingLevel: null },
        sec,
      );
    await t.call('hearings.sign', { hearingId: provincial, caseId, grade: 8, nursingLevel: null }, lead);
    // One 结论书 per conclusion: the 再次鉴定 one is issued although the first round's exists.
    const notice = await t.call('hearings.issueConclusion', { hearingId: provincial, caseId }, lead);
    expect(notice).toMatchObject({ documentNo: '宁劳鉴〔2026〕第0002号' });
    const data = JSON.parse(
      (t.store.sqlite.prepare("SELECT data FROM issued_documents WHERE document_no = '宁劳鉴〔2026〕第0002号'").get() as { data: string })
        .data,
    );
    expect(data).toMatchObject({ kind: 'reappraisal', grade: 8, committee: '青海省劳动能力鉴定委员会' });
    const after = await t.call('cases.get', { caseId }, sec);
    expect(after.actions.find((a) => a.action === 'request_reappraisal')?.blockedBy).toContain('最终结论');
    expect((await t.call('appraisal.requests', { caseId }, sec)).requests[1]!.answer?.grade).toBe(8);
  });

  it('refuses 复查 before one year from the conclusion, and opens it after', async () => {
    await signAndIssue();
    t.clock.set(new Date('2027-11-23T02:00:00Z'));
    const sec = await signIn(t, 'secretary', 'Staff-pass-2026');
    let c = await t.call('cases.get', { caseId }, sec);
    const refused = await t.fail(
      'cases.transition',
      { caseId, action: 'request_review', expectedVersion: c.version, reason: '伤情加重' },
      sec,
    );
    expect(refused.message).toContain('满 12 个月后方可申请复查鉴定（2027-11-23 之后');
    expect((await t.call('appraisal.requests', { caseId }, sec)).requests).toHaveLength(1);
    t.clock.set(new Date('2027-11-24T02:00:00Z'));
    const sec2 = await signIn(t, 'secretary', 'Staff-pass-2026');
    c = await t.call('cases.get', { caseId }, sec2);
    expect(c.actions.find((a) => a.action === 'request_review')?.blockedBy).toBeNull();
    await t.call('cases.transition', { caseId, action: 'request_review', expectedVersion: c.version, reason: '伤情加重，申请复查' }, sec2);
    const requests = (await t.call('appraisal.requests', { caseId }, sec2)).requests;
    expect(requests[1]).toMatchObject({ kind: 'review', level: 'municipal', previous: { grade: 7 } });
  });
});

describe('session report', () => {
  it('counts cases, conclusions, absences, experts and time per case, and is issued once all are done', async () => {
    const other = await requestedCase('2026-11-21T09:00');
    await precheck(other);
    await t.call('hearings.assign', { hearingId, caseIds: [other] }, secretary);
    await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '' }, secretary);
    for (const p of panel) await opinion(p.id, true);
    t.clock.set(new Date('2026-11-24T02:25:00Z'));
    const lead = await signIn(t, 'leader', 'Staff-pass-2026');
    await t.call('hearings.sign', { hearingId, caseId, grade: 7, nursingLevel: null }, lead);
    const sec = await signIn(t, 'secretary', 'Staff-pass-2026');
    expect((await t.fail('hearings.issueReport', { hearingId }, sec)).message).toContain('尚有 1 件案件');
    await t.call('hearings.attendance', { hearingId, caseId: other, attendance: 'absent', findings: '' }, sec);
    const report = await t.call('hearings.report', { hearingId }, sec);
    expect(report.cases.map((c) => [c.attended, c.absent, c.grade, c.minutes])).toEqual([
      [true, false, 7, 25],
      [false, true, null, null],
    ]);
    expect(report.experts.sort()).toEqual(panel.map((p) => p.name).sort());
    expect(report.open).toBe(0);
    const admin = await signIn(t, 'admin', 'Admin-pass-2026');
    await t.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '委员会', year: 2026, first: 1, last: 99 },
      admin,
    );
    const issued = await t.call('hearings.issueReport', { hearingId }, sec);
    expect(issued.documentNo).toBe('宁劳鉴〔2026〕第0001号');
    const data = JSON.parse(
      (t.store.sqlite.prepare('SELECT data FROM issued_documents WHERE id = ?').get(issued.id) as { data: string }).data,
    );
    expect(data.cases.map((c: { attended: boolean; minutes: number | null }) => [c.attended, c.minutes])).toEqual([
      [true, 25],
      [false, null],
    ]);
    expect((await t.fail('hearings.issueReport', { hearingId }, sec)).code).toBe('CONFLICT');
    const file = path.join(t.dir, 'report.pdf');
    fs.writeFileSync(file, (t.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE id = ?').get(issued.id) as { pdf: Buffer }).pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const phrase of [
      '劳动能力鉴定专场报告',
      '安排案件2件，到场鉴定1件，缺席1件',
      '七级1件',
      '用时25分钟',
      '缺席',
      ...panel.map((p) => p.name),
      '专家抽取记录',
    ])
      expect(text).toContain(phrase);
    const [draw] = await t.call('appraisal.draws', { caseId }, sec);
    expect(data.draws).toEqual([
      {
        caseNo: expect.any(String),
        seed: draw!.seed,
        candidates: draw!.candidates.map((c) => c.name),
        excluded: [],
        panel: draw!.panel.map((p) => p.name),
      },
    ]);
    expect(text).toContain(`种子${draw!.seed}`);
  });
});
