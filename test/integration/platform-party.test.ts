// The platform as a party, through the RPC: 第十五条第三款 applied, not only displayed — bills dated
// between the accident and the receipt of a late application are the platform's (the fund does
// not reimburse them), benefit lines arising in that range are paid by the platform and the
// 待遇核定通知书 says so, naming its legal entity; a 平台企业承担费用告知书 per case lists them with
// 生活保障费 (第二十四条), listed per platform; letters go to the legal entity, never the brand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestCore } from '../helpers/core';
import { beijingRider } from '../helpers/intake';
import { confirmedCase, count, dataOf, determine, documentText, move, type Office, officePerFile } from '../helpers/legal';

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

/** The worker applies on day 64: the platform let its 30 days pass (第十五条第一款). */
const late = () => beijingRider({ accidentAt: '2026-09-20T12:30', applicationDate: '2026-11-23', applicantKind: 'worker' });
const lateOrders = (r: ReturnType<typeof late>) => ({
  ...r,
  accident: { ...r.accident, orders: [{ ...r.accident.orders[0]!, acceptedAt: '2026-09-20T12:10' }] },
});

interface Line {
  code: string;
  label: string;
  amount: string;
  payer: string;
  period: string;
  article: string;
  from?: string;
}

describe('第十五条第三款: what a late application leaves to the platform', () => {
  it('charges bills dated in the range to the platform, and the fund refuses to reimburse them', async () => {
    const caseId = await confirmedCase(t, o, lateOrders(late()));
    const c = await t.call('cases.get', { caseId }, o.clerk);
    expect(c.platformBorne).toEqual({ from: '2026-09-20', to: '2026-11-23', article: '第十五条第三款' });
    const bill = (billDate: string, invoiceNo: string) => ({
      caseId,
      billDate,
      hospital: '西宁市第一人民医院',
      invoiceNo,
      amount: '1200.00',
      eligible: '1000.00',
      submittedDate: '2026-11-24',
    });
    const { billId: inRange } = await t.call('bills.add', bill('2026-10-01', 'FP-001'), o.clerk);
    const { billId: after } = await t.call('bills.add', bill('2026-11-24', 'FP-002'), o.clerk);
    const bills = (await t.call('cases.get', { caseId }, o.clerk)).bills;
    expect(bills.map((b) => [b.invoiceNo, b.payer])).toEqual([
      ['FP-001', 'platform'],
      ['FP-002', 'fund'],
    ]);
    const refused = await t.fail('bills.reimburse', { billId: inRange }, o.clerk);
    expect(refused.message).toContain('依第十五条第三款由平台企业承担，已列入平台企业费用清单，基金不予报销');
    await t.call('bills.reimburse', { billId: after }, o.clerk);
  });

  it('makes the platform the payer of death benefits arising in the range, says so in the notice, and issues its statement', async () => {
    const caseId = await confirmedCase(t, o, lateOrders(late()));
    await move(t, o.clerk, caseId, 'start_treatment');
    const c = await t.call('cases.get', { caseId }, o.clerk);
    await t.call(
      'cases.recordDeath',
      { caseId, expectedVersion: c.version, deathDate: '2026-10-10', causedByInjury: true, evidence: '死亡医学证明 No.2026-1010' },
      o.clerk,
    );
    await t.call(
      'dependants.save',
      {
        caseId,
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
      o.benefits,
    );
    await t.call(
      'bills.add',
      {
        caseId,
        billDate: '2026-10-05',
        hospital: '西宁市第一人民医院',
        invoiceNo: 'FP-101',
        amount: '3000.00',
        eligible: '2500.00',
        submittedDate: '2026-11-24',
      },
      o.clerk,
    );
    const id = await determine(t, o, caseId, {
      figures: { provincialPrivateAnnualWage: '72000', cityMinimumLivingMonthly: '900' },
      city: 'xining',
      treatment: { start: '2026-09-20', end: null },
    });
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    const lines = (d!.result as { lines: Line[] }).lines;
    expect(lines.map((l) => [l.code, l.payer, l.period, l.amount])).toEqual([
      ['funeral_grant', 'platform', 'once', '21600.00'],
      // 10-11 to 11-23: 21/31 of October + 23/30 of November of 1,440.00 a month.
      ['dependant_pension', 'platform', 'once', '2079.48'],
      ['dependant_pension', 'fund', 'monthly', '1440.00'],
      ['death_lump_sum', 'platform', 'once', '1130040.00'],
      // 生活保障费 is the platform's anyway (第二十四条): 900 × (11/30 + 10/31), accident to death.
      ['living_allowance', 'platform', 'once', '620.32'],
    ]);
    expect(lines[0]!.article).toBe('第二十九条第一款第（一）项；第十五条第三款');
    expect(lines[2]!.from).toBe('2026-11-24');

    const notice = await t.call('determinations.issueNotice', { determinationId: id }, o.reviewer);
    const data = dataOf(t, notice.id);
    expect(data.platformBorne).toEqual({
      from: '2026-09-20',
      to: '2026-11-23',
      article: '第十五条第三款',
      legalName: '青海测试三快科技有限公司',
    });
    const text = documentText(t, notice.id);
    expect(text).toContain('单通（身份证号码110108********1234）、青海测试三快科技有限公司：');
    expect(text).toContain(
      '依据《办法》第十五条第三款，自2026年9月20日至2026年11月23日期间发生的职业伤害保障待遇等费用由平台企业（青海测试三快科技有限公司）承担',
    );

    const statement = await t.call('platformStatements.issue', { caseId }, o.benefits);
    const s = dataOf(t, statement.id) as { items: { label: string; amount: string }[]; total: string; platform: { legalName: string } };
    expect(s.platform.legalName).toBe('青海测试三快科技有限公司');
    expect(s.items.map((i) => i.amount)).toEqual(['21600.00', '2079.48', '1130040.00', '620.32', '2500.00']);
    expect(s.total).toBe('1156839.80');
    const st = documentText(t, statement.id);
    for (const phrase of [
      '平台企业承担职业伤害保障费用告知书',
      '青海测试三快科技有限公司',
      '第二十四条',
      '第十五条第三款',
      '医疗费（西宁市第一人民医院，票据FP-101）',
      '1156839.80',
    ])
      expect(st).toContain(phrase);
    expect((await t.fail('platformStatements.issue', { caseId }, o.benefits)).code).toBe('CONFLICT');
    const listed = await t.call('platformStatements.list', { platform: 'meituan' }, o.benefits);
    expect(listed.map((x) => [x.documentNo, x.caseId, x.legalName, x.total, x.voided])).toEqual([
      [statement.documentNo, caseId, '青海测试三快科技有限公司', '1156839.80', false],
    ]);
    expect(await t.call('platformStatements.list', { platform: 'eleme' }, o.benefits)).toEqual([]);
  });

  it('gives an application made inside the platform’s 30 days no platform range', async () => {
    const caseId = await confirmedCase(t, o);
    expect((await t.call('cases.get', { caseId }, o.clerk)).platformBorne).toBeNull();
    expect((await t.fail('platformStatements.issue', { caseId }, o.benefits)).message).toContain('本案没有由平台企业承担的费用');
  });
});

describe('letters to the platform’s legal entity', () => {
  it('refuses a decision addressed to a platform whose legal name was never entered, and says what to do', async () => {
    const r = beijingRider();
    const reg = {
      ...r,
      worker: { ...r.worker, platforms: ['eleme'] },
      accident: { ...r.accident, orders: [{ ...r.accident.orders[0]!, platform: 'eleme' }] },
    };
    const caseId = await confirmedCase(t, o, reg);
    const docs = count(t, 'issued_documents');
    const e = await t.fail('notices.issueForCase', { caseId, type: 'confirmation' }, o.officer);
    expect(e.message).toBe(
      '平台企业“饿了么”的法人名称尚未登记，文书须写明平台企业的法人名称。请管理员在“系统管理 → 平台与事故备案”中补充法人名称和统一社会信用代码后再出具',
    );
    expect(count(t, 'issued_documents')).toBe(docs);
    await t.call(
      'platforms.save',
      {
        code: 'eleme',
        name: '饿了么',
        legalName: '青海测试拉扎斯科技有限公司',
        industry: 'instant_delivery',
        creditCode: null,
        active: true,
      },
      o.admin,
    );
    const ok = await t.call('notices.issueForCase', { caseId, type: 'confirmation' }, o.officer);
    expect(documentText(t, ok.id)).toContain('单通、青海测试拉扎斯科技有限公司：');
  });

  it('checks the credit code the administrator enters', async () => {
    const e = await t.fail(
      'platforms.save',
      { code: 'eleme', name: '饿了么', legalName: '某公司', industry: 'instant_delivery', creditCode: '91310000MA1FL00001', active: true },
      o.admin,
    );
    expect(e.message).toContain('统一社会信用代码有误');
    expect((await t.call('platforms.list', {}, o.admin)).find((p) => p.code === 'eleme')?.legalName).toBeNull();
  });
});
