// The walk-in claim through the RPC layer: registration with the rule engine's hits, the
// materials checklist, supplement and acceptance, confirmation with separation of duties,
// the lifecycle's refusals, bills, search, and bad input that must change nothing.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { beijingRider, staff, withCheckDigit } from '../helpers/intake';

let t: TestCore;
let s: Awaited<ReturnType<typeof staff>>;
let admin: string;
beforeEach(async () => {
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  admin = await setupAdmin(t);
  s = await staff(t, admin);
});
afterEach(async () => {
  await t.cleanup();
});

const count = (table: string) => (t.store.sqlite.prepare(`SELECT COUNT(*) n FROM ${table}`).get() as { n: number }).n;

async function registerAndReceiveAll(reg = beijingRider()) {
  const { caseId } = await t.call('cases.register', reg, s.clerk);
  const c = await t.call('cases.get', { caseId }, s.clerk);
  await t.call(
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    s.clerk,
  );
  return caseId;
}

describe('registration', () => {
  it('registers the Beijing rider as 小伤快办 with the five materials, in time, meituan responsible', async () => {
    const a = await t.call('intake.assess', { draft: beijingRider() }, s.clerk);
    expect(a.idNumber.ok).toBe(true);
    expect(a.timeliness.inTime).toBe(true);
    expect(a.responsiblePlatform.platform).toBe('meituan');
    expect(a.responsiblePlatform.reason).toContain('美团的订单 MT20261120-0001');
    expect(a.fastTrack.eligible).toBe(true);
    const { caseId, registrationNo } = await t.call('cases.register', beijingRider(), s.clerk);
    expect(registrationNo).toMatch(/^DJ2026-[0-9A-F]{4}-000001$/);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    expect(c.status).toBe('registered');
    expect(c.fastTrack).toBe(true);
    expect(c.materials.map((m) => m.label)).toEqual(
      expect.arrayContaining([
        '职业伤害保障伤残待遇申请表',
        '知情同意确认书',
        '诊断书（以处方替代病历）',
        '电子收费票据（支持电子发票或照片）',
        '事故责任认定书',
      ]),
    );
    expect(c.materials).toHaveLength(5);
    expect(c.transitions.map((x) => x.label)).toEqual(['登记']);
  });

  it('flags a late platform application and puts the gap on the platform (第十五条)', async () => {
    const reg = beijingRider({ accidentAt: '2026-09-01T09:00', applicationDate: '2026-11-20', applicantKind: 'platform' });
    reg.accident.orders[0]!.acceptedAt = '2026-09-01T08:40';
    const a = await t.call('intake.assess', { draft: reg }, s.clerk);
    expect(a.timeliness.inTime).toBe(false);
    expect(a.timeliness.limitDays).toBe(30);
    expect(a.timeliness.platformBearsCostsFrom).toBe('2026-09-01');
    expect(a.timeliness.platformBearsCostsTo).toBe('2026-11-20');
  });

  it('gives a worker 90 days; the platform that let its 30 days pass still bears the gap', async () => {
    const reg = beijingRider({ accidentAt: '2026-09-01T09:00', applicationDate: '2026-11-20' });
    reg.accident.orders[0]!.acceptedAt = '2026-09-01T08:40';
    const a = await t.call('intake.assess', { draft: reg }, s.clerk);
    expect(a.timeliness.limitDays).toBe(90);
    expect(a.timeliness.inTime).toBe(true);
    expect(a.timeliness.platformBearsCostsFrom).toBe('2026-09-01');
    const early = beijingRider({ accidentAt: '2026-11-10T09:00', applicationDate: '2026-11-20' });
    early.accident.orders[0]!.acceptedAt = '2026-11-10T08:40';
    const b = await t.call('intake.assess', { draft: early }, s.clerk);
    expect(b.timeliness.platformBearsCostsFrom).toBeNull();
  });

  it('names the platform of the first order accepted when orders ran at the same time (第十八条)', async () => {
    const reg = beijingRider();
    reg.worker.platforms = ['meituan', 'eleme'];
    reg.accident.orders = [
      { platform: 'meituan', orderNo: 'MT-2', acceptedAt: '2026-11-20T12:15', finishedAt: null },
      { platform: 'eleme', orderNo: 'ELM-1', acceptedAt: '2026-11-20T12:05', finishedAt: null },
    ];
    const a = await t.call('intake.assess', { draft: reg }, s.clerk);
    expect(a.responsiblePlatform.platform).toBe('eleme');
    expect(a.responsiblePlatform.reason).toContain('首接单');
  });

  it('shows 第十二条 exclusions, a 工伤 double claim and a possible duplicate', async () => {
    await t.call('cases.register', beijingRider(), s.clerk);
    const reg = beijingRider();
    reg.accident.exclusions = ['intoxication'];
    reg.accident.alsoWorkInjuryClaim = true;
    const a = await t.call('intake.assess', { draft: reg }, s.clerk);
    expect(a.exclusions.map((e) => e.code)).toEqual(['intoxication']);
    expect(a.doubleClaim.hit).toBe(true);
    expect(a.duplicates).toHaveLength(1);
    expect(a.fastTrack.eligible).toBe(false);
  });

  it('refuses a hospital stay as 小伤快办 and gives the full checklist', async () => {
    const reg = beijingRider();
    reg.treatment = { outpatientOnly: false, hospitalized: true, factsClear: true, disputed: false };
    const { caseId } = await t.call('cases.register', reg, s.clerk);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    expect(c.fastTrack).toBe(false);
    expect(c.assessment.fastTrack.reasons.join()).toContain('住院');
    expect(c.materials.map((m) => m.code)).toContain('medical_records');
  });
});

describe('bad input changes nothing', () => {
  it('refuses an invalid ID number, an accident after the application, future dates and oversize text', async () => {
    const before = { cases: count('cases'), workers: count('workers'), audit: count('audit_log') };
    const badId = await t.fail('cases.register', beijingRider({ idNumber: '110108199503151230' }), s.clerk);
    expect(badId.code).toBe('INVALID_INPUT');
    expect(badId.message).toContain('校验');
    const order = await t.fail('cases.register', beijingRider({ accidentAt: '2026-11-23T10:00', applicationDate: '2026-11-21' }), s.clerk);
    expect(order.message).toContain('申请日期');
    const future = await t.fail('cases.register', beijingRider({ accidentAt: '2026-12-01T10:00', applicationDate: '2026-12-02' }), s.clerk);
    expect(future.message).toMatch(/晚于今天|未来/);
    const huge = beijingRider();
    huge.accident.description = '摔'.repeat(5 * 1024 * 1024);
    const big = await t.fail('cases.register', huge, s.clerk);
    expect(big.message).toContain('不能超过 2000 个字符');
    expect({ cases: count('cases'), workers: count('workers'), audit: count('audit_log') }).toEqual(before);
  });

  it('treats SQL metacharacters in search as plain text', async () => {
    await t.call('cases.register', beijingRider(), s.clerk);
    for (const q of ["' OR 1=1 --", '"; DROP TABLE cases; --', 'NEAR(a b)', '单通" OR "1', '*', '%_']) {
      expect(await t.call('cases.search', { q, limit: 10 }, s.clerk)).toEqual([]);
    }
    expect(count('cases')).toBe(1);
  });
});

describe('materials, supplement and acceptance', () => {
  it('issues one supplement notice listing every missing material, then accepts with a case number once complete', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    let c = await t.call('cases.get', { caseId }, s.clerk);
    expect(c.actions.find((a) => a.action === 'accept')?.blockedBy).toContain('尚缺 5 项材料');
    await t.call(
      'cases.setMaterials',
      {
        caseId,
        expectedVersion: c.version,
        materials: [
          { code: 'application_form', received: true },
          { code: 'diagnosis', received: true },
        ],
      },
      s.clerk,
    );
    c = await t.call('cases.get', { caseId }, s.clerk);
    const r = await t.call('cases.transition', { caseId, action: 'request_supplement', expectedVersion: c.version }, s.clerk);
    expect(r.status).toBe('awaiting_supplement');
    const doc = await t.call('cases.documentData', { caseId, type: 'supplement' }, s.clerk);
    expect(doc.missing).toEqual(['知情同意确认书', '电子收费票据（支持电子发票或照片）', '事故责任认定书']);
    // 第十五条第一款: the 10 days run from the applicant's receipt, not from the notice.
    expect(doc.supplementDue).toBeNull();
    c = await t.call('cases.get', { caseId }, s.clerk);
    expect(c.deadlines.find((d) => d.code === 'supplement')).toBeUndefined();
    await t.call(
      'numbering.addBlock',
      { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁市社会保险服务中心', year: 2026, first: 1, last: 99 },
      admin,
    );
    const notice = await t.call('notices.issueForCase', { caseId, type: 'supplement' }, s.clerk);
    t.clock.set(new Date('2026-11-25T02:00:00Z'));
    s.clerk = await signIn(t, 'clerk', 'Staff-pass-2026');
    s.officer = await signIn(t, 'officer', 'Staff-pass-2026');
    await t.call(
      'deliveries.record',
      { documentId: notice.id, party: 'worker', method: 'mail', deliveredOn: '2026-11-25', receiver: '单通', note: '挂号信 XA123' },
      s.clerk,
    );
    c = await t.call('cases.get', { caseId }, s.clerk);
    // Received on 11-25: ten days end on Sat 12-05, which moves to Monday 12-07.
    expect(c.supplementDue).toBe('2026-12-07');
    expect(c.deadlines.find((d) => d.code === 'supplement')?.due).toBe('2026-12-07');
    await t.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      s.clerk,
    );
    c = await t.call('cases.get', { caseId }, s.clerk);
    const accepted = await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
    expect(accepted.status).toBe('accepted');
    expect(accepted.caseNo).toMatch(/^SL2026-[0-9A-F]{4}-000001$/);
    expect((await t.call('cases.search', { q: accepted.caseNo!, limit: 5 }, s.officer)).map((x) => x.id)).toEqual([caseId]);
  });

  it('refuses a second concurrent change on a stale version', async () => {
    const caseId = await registerAndReceiveAll();
    const c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
    const err = await t.fail('cases.transition', { caseId, action: 'withdraw', expectedVersion: c.version, reason: '重复' }, s.clerk);
    expect(err.code).toBe('CONFLICT');
  });

  it('stores attachments by SHA-256 and refuses other types and oversize files', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n');
    const r = await t.call(
      'cases.attach',
      { caseId, materialCode: 'diagnosis', filename: '诊断书.pdf', dataBase64: pdf.toString('base64') },
      s.clerk,
    );
    expect(r.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const exe = await t.fail(
      'cases.attach',
      { caseId, materialCode: 'diagnosis', filename: 'x.pdf', dataBase64: Buffer.from('MZ\x90\x00').toString('base64') },
      s.clerk,
    );
    expect(exe.message).toContain('只接受 PDF、JPG 或 PNG');
    const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await t.fail(
      'cases.attach',
      { caseId, materialCode: 'diagnosis', filename: 'big.pdf', dataBase64: big.toString('base64') },
      s.clerk,
    );
    expect(tooBig.message).toContain('10 MB');
    expect(count('attachments')).toBe(1);
  });
});

describe('confirmation', () => {
  it('keeps the person who accepted a case from confirming it when separation of duties is on', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), s.both);
    let c = await t.call('cases.get', { caseId }, s.both);
    await t.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      s.both,
    );
    c = await t.call('cases.get', { caseId }, s.both);
    await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.both);
    c = await t.call('cases.get', { caseId }, s.both);
    const err = await t.fail(
      'cases.transition',
      { caseId, action: 'confirm', expectedVersion: c.version, reason: '事实清楚', article: '第十一条第（一）项' },
      s.both,
    );
    expect(err.code).toBe('RULE_REFUSED');
    expect(err.message).toContain('三岗分离');
    const ok = await t.call(
      'cases.transition',
      { caseId, action: 'confirm', expectedVersion: c.version, reason: '事实清楚', article: '第十一条第（一）项' },
      s.officer,
    );
    expect(ok.status).toBe('confirmed');
  });

  it('refuses to confirm a 第十二条 case but allows 不予确认 with its article, and audits who and why', async () => {
    const reg = beijingRider();
    reg.accident.exclusions = ['intoxication'];
    const caseId = await registerAndReceiveAll(reg);
    let c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
    c = await t.call('cases.get', { caseId }, s.officer);
    expect(c.actions.find((a) => a.action === 'confirm')?.blockedBy).toContain('第十二条');
    const noArticle = await t.fail(
      'cases.transition',
      { caseId, action: 'not_confirm', expectedVersion: c.version, reason: '醉酒' },
      s.officer,
    );
    expect(noArticle.code).toBe('INVALID_INPUT');
    await t.call(
      'cases.transition',
      { caseId, action: 'not_confirm', expectedVersion: c.version, reason: '经调查，事故时醉酒驾驶', article: '第十二条第（二）项' },
      s.officer,
    );
    const doc = await t.call('cases.documentData', { caseId, type: 'non-confirmation' }, s.officer);
    expect(doc).toMatchObject({ article: '第十二条第（二）项', conclusion: '不予确认为职业伤害' });
    const audit = t.store.sqlite
      .prepare("SELECT actor_name, summary FROM audit_log WHERE method = 'cases.transition' ORDER BY seq")
      .all() as { actor_name: string; summary: string }[];
    expect(audit.at(-1)).toMatchObject({ actor_name: '确认经办乙' });
    expect(audit.at(-1)?.summary).toContain('不予确认');
    expect(audit.at(-1)?.summary).toContain('醉酒驾驶');
  });

  it('sorts 小伤快办 first in the confirmation queue', async () => {
    const slow = beijingRider({ idNumber: withCheckDigit('11010819900101002') });
    slow.treatment.hospitalized = true;
    for (const reg of [slow, beijingRider()]) {
      const caseId = await registerAndReceiveAll(reg);
      const c = await t.call('cases.get', { caseId }, s.clerk);
      await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
    }
    const q = await t.call('cases.queue', { queue: 'confirmation' }, s.officer);
    expect(q.map((x) => x.fastTrack)).toEqual([true, false]);
    expect(q[0]!.deadline?.code).toBe('confirmation');
  });
});

describe('lifecycle', () => {
  it('refuses illegal transitions and wrong roles with Chinese messages', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    const early = await t.fail('cases.transition', { caseId, action: 'close', expectedVersion: c.version }, s.clerk);
    expect(early.code).toBe('RULE_REFUSED');
    expect(early.message).toContain('案件当前为“已登记”');
    const role = await t.fail('cases.transition', { caseId, action: 'withdraw', expectedVersion: c.version, reason: '撤回' }, s.officer);
    expect(role.message).toContain('受理专员');
    const noReason = await t.fail('cases.transition', { caseId, action: 'withdraw', expectedVersion: c.version }, s.clerk);
    expect(noReason.message).toContain('需要填写理由');
    expect((await t.call('cases.get', { caseId }, s.clerk)).status).toBe('registered');
  });
});

describe('medical reimbursement', () => {
  it('records bills with unique invoice numbers per hospital, totals them, and tracks the 7-working-day limit', async () => {
    const caseId = await registerAndReceiveAll();
    let c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
    const bill = {
      caseId,
      billDate: '2026-11-20',
      hospital: '北京大学第三医院',
      invoiceNo: 'E0001',
      amount: '302.00',
      eligible: '302.00',
      submittedDate: '2026-11-24',
    };
    const { billId } = await t.call('bills.add', bill, s.clerk);
    const dup = await t.fail('bills.add', bill, s.clerk);
    expect(dup.code).toBe('CONFLICT');
    expect(dup.message).toContain('不能重复报销');
    const tooMuch = await t.fail('bills.add', { ...bill, invoiceNo: 'E0002', eligible: '400.00' }, s.clerk);
    expect(tooMuch.message).toContain('不能大于票据金额');
    expect((await t.fail('bills.reimburse', { billId }, s.clerk)).message).toContain('确认为职业伤害后');
    c = await t.call('cases.get', { caseId }, s.officer);
    await t.call(
      'cases.transition',
      { caseId, action: 'confirm', expectedVersion: c.version, reason: '送餐途中摔伤', article: '第十一条第（一）项' },
      s.officer,
    );
    c = await t.call('cases.get', { caseId }, s.clerk);
    // Submitted Tue 2026-11-24: 7 working days → Thu 2026-12-03.
    expect(c.deadlines.find((d) => d.code === 'medical_reimbursement')?.due).toBe('2026-12-03');
    await t.call('bills.reimburse', { billId }, s.clerk);
    c = await t.call('cases.get', { caseId }, s.clerk);
    expect(c.billTotals).toEqual({ amount: '302.00', eligible: '302.00', reimbursed: '302.00' });
    expect(c.deadlines.find((d) => d.code === 'medical_reimbursement')).toBeUndefined();
  });
});

describe('search', () => {
  it('finds cases by 2-character name, full or last digits of the ID number, phone and order number', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    const other = beijingRider({ idNumber: withCheckDigit('11010819880808456') });
    other.worker.name = '李四';
    other.worker.phone = '13900139000';
    other.accident.orders[0]!.orderNo = 'MT-OTHER';
    await t.call('cases.register', other, s.clerk);
    const ids = async (q: string) => (await t.call('cases.search', { q, limit: 10 }, s.clerk)).map((c) => c.id);
    expect(await ids('单通')).toEqual([caseId]);
    expect(await ids(beijingRider().worker.idNumber)).toEqual([caseId]);
    expect(await ids(beijingRider().worker.idNumber.slice(-6))).toEqual([caseId]);
    expect(await ids('13800138000')).toEqual([caseId]);
    expect(await ids('MT20261120-0001')).toEqual([caseId]);
    expect(await ids('单')).toEqual([caseId]);
    expect(await ids('王五')).toEqual([]);
  });
});

describe('accident reports', () => {
  it('imports reports all-or-nothing and links a registration to its report', async () => {
    const admin = (await t.call('auth.login', { username: 'admin', password: 'Admin-pass-2026' })) as { ok: true; sessionToken: string };
    const good = {
      reportNo: 'BA-0001',
      platform: '美团',
      workerName: '单通',
      idNumber: beijingRider().worker.idNumber,
      phone: '13800138000',
      accidentAt: '2026-11-20T12:30',
      place: '海淀区',
      orderNo: 'MT20261120-0001',
      orderAcceptedAt: '2026-11-20T12:10',
      orderFinishedAt: null,
      description: '摔倒',
      reportedAt: '2026-11-20T13:00',
    };
    const bad = await t.fail(
      'accidentReports.import',
      { reports: [good, { ...good, reportNo: 'BA-0002', idNumber: '123' }] },
      admin.sessionToken,
    );
    expect(bad.message).toContain('未导入任何记录');
    expect(count('accident_reports')).toBe(0);
    expect(await t.call('accidentReports.import', { reports: [good] }, admin.sessionToken)).toEqual({ imported: 1, skipped: 0 });
    const [report] = await t.call('accidentReports.search', { q: beijingRider().worker.idNumber }, s.clerk);
    expect(report?.platformName).toBe('美团');
    const { caseId } = await t.call('cases.register', { ...beijingRider(), accidentReportId: report!.id }, s.clerk);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    expect(c.accidentReportNo).toBe('BA-0001');
    const again = await t.fail('cases.register', { ...beijingRider(), accidentReportId: report!.id }, s.clerk);
    expect(again.message).toContain('已关联');
  });
});

describe('worklist', () => {
  it('shows each role the clocks it answers for once they are 临期 or 逾期', async () => {
    const caseId = await registerAndReceiveAll();
    const c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
    // Facts clear: 7 working days from the application (Mon 2026-11-23) → Wed 2026-12-02.
    expect((await t.call('cases.get', { caseId }, s.officer)).deadlines.find((d) => d.code === 'confirmation')?.due).toBe('2026-12-02');
    expect(await t.call('cases.worklist', {}, s.officer)).toEqual([]);
    // Days later: the old sessions have idled out, so people sign in again.
    t.clock.set(new Date('2026-11-30T02:00:00Z'));
    const officer = await signIn(t, 'officer', 'Staff-pass-2026');
    const near = await t.call('cases.worklist', {}, officer);
    expect(near.map((w) => [w.caseId, w.deadline.code, w.deadline.status])).toEqual([[caseId, 'confirmation', '临期']]);
    expect(await t.call('cases.worklist', {}, await signIn(t, 'clerk', 'Staff-pass-2026'))).toEqual([]);
    t.clock.set(new Date('2026-12-03T02:00:00Z'));
    expect((await t.call('cases.worklist', {}, await signIn(t, 'officer', 'Staff-pass-2026')))[0]?.deadline.status).toBe('逾期');
  });
});

describe('impossible times', () => {
  it('refuses 30 February and 24:30 with a Chinese message', async () => {
    const s2 = await signIn(t, 'clerk', 'Staff-pass-2026');
    const feb = await t.fail('cases.register', beijingRider({ accidentAt: '2026-02-30T10:00' }), s2);
    expect(feb.message).toContain('时间不存在');
    const late = await t.fail('cases.register', beijingRider({ accidentAt: '2026-11-20T24:30' }), s2);
    expect(late.message).toContain('时间不存在');
  });
});
