// 疑点筛查: each rule of the pack with a case that trips it and one that does not; the flag names
// its rule, article and evidence, never blocks a move, lapses when its condition goes, and is
// cleared by a person with a reason (audited).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { staff } from '../helpers/intake';
import { CONFIRM, freshId, move, registered } from '../helpers/desk';

let t: TestCore;
let admin: string;
let s: Awaited<ReturnType<typeof staff>>;
let manager: string;

beforeEach(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
  s = await staff(t, admin);
  await t.call('users.create', { username: 'boss', displayName: '业务主管甲', password: 'Staff-pass-2026', roles: ['manager'] }, admin);
  manager = await signIn(t, 'boss', 'Staff-pass-2026');
});
afterEach(() => t.cleanup());

const flags = async (caseId: string) => (await t.call('flags.ofCase', { caseId }, s.officer)).filter((f) => f.status === 'open');
const codes = async (caseId: string) => (await flags(caseId)).map((f) => f.code).sort();

async function bill(caseId: string, invoiceNo: string, amount: string, hospital = '北京大学第三医院') {
  await t.call(
    'bills.add',
    { caseId, billDate: '2026-11-21', hospital, invoiceNo, amount, eligible: amount, submittedDate: '2026-11-23' },
    s.clerk,
  );
}

describe('疑点筛查 rules', () => {
  it('accident_outside_order: an accident 90 minutes after the order finished is flagged; 10 minutes after is not', async () => {
    const late = await registered(t, s.clerk, {
      accidentAt: '2026-11-20T12:30',
      orderAcceptedAt: '2026-11-20T10:00',
      orderFinishedAt: '2026-11-20T11:00',
      orderNo: 'MT-LATE',
    });
    const close = await registered(t, s.clerk, {
      accidentAt: '2026-11-20T12:30',
      orderAcceptedAt: '2026-11-20T12:00',
      orderFinishedAt: '2026-11-20T12:20',
      applicantKind: 'platform',
    });
    const [f] = await flags(late);
    expect(f).toMatchObject({
      code: 'accident_outside_order',
      label: '事故时间不在订单接单至完成时段内',
      article: '第十一条第一款第（一）项',
    });
    expect(f!.summary).toBe(
      '事故时间 2026-11-20 12:30 不在订单 MT-LATE 的接单至完成时段（2026-11-20 10:00 至 2026-11-20 11:00）内，相差 90 分钟',
    );
    expect(f!.evidence).toMatchObject({ 订单号: 'MT-LATE', 相差分钟: 90, 容差分钟: 30 });
    expect(await codes(close)).toEqual([]);
  });

  it('duplicate_invoice: one invoice number on two cases flags both, naming the other; a unique one does not', async () => {
    const x = await registered(t, s.clerk, { applicantKind: 'platform' });
    const y = await registered(t, s.clerk, { applicantKind: 'platform' });
    const z = await registered(t, s.clerk, { applicantKind: 'platform' });
    for (const id of [x, y, z]) await move(t, s.clerk, id, 'accept');
    await bill(x, 'E-100', '300.00', '北京大学第三医院');
    await bill(z, 'E-200', '300.00');
    expect(await codes(x)).toEqual([]);
    await bill(y, 'E-100', '300.00', '海淀医院');
    const caseNo = async (id: string) => (await t.call('cases.get', { caseId: id }, s.clerk)).caseNo!;
    expect((await flags(y))[0]).toMatchObject({ code: 'duplicate_invoice', summary: `票据号 E-100 同时出现在案件 ${await caseNo(x)} 中` });
    expect((await flags(x))[0]).toMatchObject({ code: 'duplicate_invoice', summary: `票据号 E-100 同时出现在案件 ${await caseNo(y)} 中` });
    expect(await codes(z)).toEqual([]);
  });

  it('repeated_claims: a third claim within 180 days flags all three; two claims do not', async () => {
    const w = freshId();
    const v = freshId();
    const a = await registered(t, s.clerk, {
      idNumber: w,
      accidentAt: '2026-08-01T09:00',
      applicationDate: '2026-08-03',
      applicantKind: 'platform',
    });
    await registered(t, s.clerk, { idNumber: v, accidentAt: '2026-08-01T09:00', applicationDate: '2026-08-03', applicantKind: 'platform' });
    await registered(t, s.clerk, { idNumber: v, accidentAt: '2026-11-20T12:30', applicantKind: 'platform' });
    const b = await registered(t, s.clerk, {
      idNumber: w,
      accidentAt: '2026-09-15T09:00',
      applicationDate: '2026-09-16',
      applicantKind: 'platform',
    });
    expect(await codes(a)).toEqual([]);
    const c = await registered(t, s.clerk, { idNumber: w, accidentAt: '2026-11-20T12:30', applicantKind: 'platform' });
    for (const id of [a, b, c]) expect(await codes(id)).toEqual(['repeated_claims']);
    const [f] = await flags(c);
    expect(f!.evidence).toMatchObject({ 申请次数: 3, 期间天数: 180, 事故日期: '2026-08-01、2026-09-15、2026-11-20' });
    const vCases = (
      t.store.sqlite.prepare('SELECT cases.id FROM cases JOIN workers ON workers.id = cases.worker_id WHERE id_number = ?').all(v) as {
        id: string;
      }[]
    ).map((r) => r.id);
    for (const id of vCases) expect(await codes(id)).toEqual([]);
  });

  it('bills_above_usual: five thousand yuan against a 300-yuan median of 20 similar fractures is flagged; 800 is not', async () => {
    for (let i = 0; i < 20; i++) {
      const id = await registered(t, s.clerk, { applicantKind: 'platform', injury: '左桡骨远端骨折' });
      await move(t, s.clerk, id, 'accept');
      await bill(id, `N-${i}`, '300.00');
    }
    const big = await registered(t, s.clerk, { applicantKind: 'platform', injury: '右胫腓骨骨折' });
    const modest = await registered(t, s.clerk, { applicantKind: 'platform', injury: '右手中指骨折' });
    const sprain = await registered(t, s.clerk, { applicantKind: 'platform', injury: '右踝关节扭伤' });
    for (const id of [big, modest, sprain]) await move(t, s.clerk, id, 'accept');
    await bill(big, 'B-1', '5000.00');
    await bill(modest, 'M-1', '800.00');
    // 21: the twenty and this one, when its bill came in (a flag is weighed when its case changes).
    // Only one sprain in the store: too few similar cases to compare, so no flag however high.
    await bill(sprain, 'S-1', '9000.00');
    const [f] = await flags(big);
    expect(f).toMatchObject({ code: 'bills_above_usual' });
    expect(f!.summary).toBe('医疗费合计 5000.00 元，超过同类伤情（骨折）21 件案件中位数 300.00 元的 3 倍');
    expect(await codes(modest)).toEqual([]);
    expect(await codes(sprain)).toEqual([]);
  });

  it('worker_reported_dead: a claim for an accident after the person was recorded dead is flagged; another person is not', async () => {
    const w = freshId();
    const first = await registered(t, s.clerk, {
      idNumber: w,
      accidentAt: '2026-08-03T09:00',
      applicationDate: '2026-08-20',
      applicantKind: 'relative',
    });
    await move(t, s.clerk, first, 'accept');
    await move(t, s.officer, first, 'confirm', CONFIRM);
    const { version } = await t.call('cases.get', { caseId: first }, s.officer);
    await t.call(
      'cases.recordDeath',
      {
        caseId: first,
        expectedVersion: version,
        deathDate: '2026-08-03',
        causedByInjury: true,
        evidence: '居民死亡医学证明（推断）书 No.6301002026000321',
      },
      s.officer,
    );
    const later = await registered(t, s.clerk, { idNumber: w, accidentAt: '2026-11-20T12:30', applicantKind: 'platform' });
    const someoneElse = await registered(t, s.clerk, { accidentAt: '2026-11-20T12:30', applicantKind: 'platform' });
    const [f] = await flags(later);
    expect(f).toMatchObject({ code: 'worker_reported_dead', evidence: { 死亡日期: '2026-08-03', 本案事故日期: '2026-11-20' } });
    // The death itself is on the first case: that case is not flagged for it (a relative applied, so only 平台未报案).
    expect(await codes(first)).toEqual(['platform_silent']);
    expect(await codes(someoneElse)).toEqual([]);
  });

  it('platform_silent: the worker applied and no platform report exists; an imported report lets the flag lapse', async () => {
    const id = freshId();
    const alone = await registered(t, s.clerk, { idNumber: id, applicantKind: 'worker' });
    const byPlatform = await registered(t, s.clerk, { applicantKind: 'platform' });
    expect(await codes(alone)).toEqual(['platform_silent']);
    expect(await codes(byPlatform)).toEqual([]);
    await t.call(
      'accidentReports.import',
      {
        reports: [
          {
            reportNo: 'BA-2026-0001',
            platform: 'meituan',
            workerName: '单通',
            idNumber: id,
            phone: '13800138000',
            accidentAt: '2026-11-20T12:30',
            place: '北京市海淀区中关村大街附近',
            orderNo: 'MT20261120-0001',
            orderAcceptedAt: '2026-11-20T12:10',
            orderFinishedAt: null,
            description: '送餐途中摔倒',
            reportedAt: '2026-11-20T13:00',
          },
        ],
      },
      admin,
    );
    expect(await codes(alone)).toEqual([]);
    expect((await t.call('flags.ofCase', { caseId: alone }, s.officer)).map((f) => f.status)).toEqual(['lapsed']);
  });
});

describe('flags are for a second look', () => {
  it('never block a move, are cleared with a reason (audited), and are counted by rule on the dashboard', async () => {
    const c = await registered(t, s.clerk, { applicantKind: 'worker' });
    const [f] = await flags(c);
    await move(t, s.clerk, c, 'accept');
    await move(t, s.officer, c, 'confirm', CONFIRM);
    expect((await t.call('cases.get', { caseId: c }, s.officer)).status).toBe('confirmed');

    expect((await t.fail('flags.clear', { flagId: f!.id, reason: '' }, s.officer)).code).toBe('INVALID_INPUT');
    expect((await t.fail('flags.clear', { flagId: f!.id, reason: '已核实' }, s.clerk)).code).toBe('FORBIDDEN');
    await t.call('flags.clear', { flagId: f!.id, reason: '电话核实：平台系统故障未能报案，已补报' }, s.officer);
    expect((await t.fail('flags.clear', { flagId: f!.id, reason: '再次' }, s.officer)).code).toBe('CONFLICT');
    const [after] = await t.call('flags.ofCase', { caseId: c }, s.officer);
    expect(after).toMatchObject({ status: 'cleared', clearedBy: '确认经办乙', clearReason: '电话核实：平台系统故障未能报案，已补报' });
    const audit = await t.call('audit.list', { limit: 5, offset: 0 }, admin);
    expect(audit.entries[0]).toMatchObject({ action: '清除疑点', entity: 'case', entityId: c });
    expect(audit.entries[0]!.summary).toContain('电话核实：平台系统故障未能报案，已补报');
    // Still cleared after the case changes again (same evidence).
    await move(t, s.clerk, c, 'start_treatment');
    expect((await t.call('flags.ofCase', { caseId: c }, s.officer))[0]!.status).toBe('cleared');

    await registered(t, s.clerk, { applicantKind: 'worker' });
    const d = await t.call('monitoring.dashboard', { from: '2026-11-01', to: '2026-11-30', office: null }, manager);
    expect(d.figures.find((x) => x.code === 'flags')!.rows).toEqual([{ rule: '本人申请而平台未报案', open: 1, cleared: 1, lapsed: 0 }]);
    expect((await t.call('flags.queue', { status: 'open', code: null }, manager)).length).toBe(1);
  });
});
