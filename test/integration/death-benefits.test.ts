// Death in the case flow (青海办法 第二十九条), through the RPC: a death is recorded as a move of its
// own from whatever stage the claim is at; the dependants (供养亲属) with the facts of their
// eligibility give the pension lines and their end dates; the death benefits are determined during
// treatment (第二款) and, for grade 1–4, after treatment even once disability benefits were
// approved (第三款); a sudden death (第十一条第三项) is confirmed only within the 48 hours.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestCore } from '../helpers/core';
import { beijingRider } from '../helpers/intake';
import {
  acceptedCase,
  appraise,
  auditSummaries,
  confirmedCase,
  count,
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

const EVIDENCE = '居民死亡医学证明（推断）书 No.6301002026000123，西宁市第一人民医院出具';

async function recordDeath(caseId: string, deathDate: string, causedByInjury = true, token = o.clerk) {
  const c = await t.call('cases.get', { caseId }, token);
  return t.call('cases.recordDeath', { caseId, expectedVersion: c.version, deathDate, causedByInjury, evidence: EVIDENCE }, token);
}

const DEPENDANTS = {
  spouse: {
    id: null,
    name: '柯兰',
    relation: 'spouse',
    sex: 'female',
    birthDate: '1970-05-01',
    dependent: true,
    fullyDisabled: false,
    orphanOrSolitaryElder: false,
    student: false,
    nearerRelativesGone: false,
    ended: null,
  },
  child: {
    id: null,
    name: '单小禾',
    relation: 'child',
    sex: 'male',
    birthDate: '2012-03-10',
    dependent: true,
    fullyDisabled: false,
    orphanOrSolitaryElder: false,
    student: true,
    nearerRelativesGone: false,
    ended: null,
  },
  father: {
    id: null,
    name: '单建国',
    relation: 'parent',
    sex: 'male',
    birthDate: '1960-01-01',
    dependent: true,
    fullyDisabled: false,
    orphanOrSolitaryElder: false,
    student: false,
    nearerRelativesGone: false,
    ended: null,
  },
  sister: {
    id: null,
    name: '单小溪',
    relation: 'sibling',
    sex: 'female',
    birthDate: '2010-09-01',
    dependent: true,
    fullyDisabled: false,
    orphanOrSolitaryElder: false,
    student: false,
    nearerRelativesGone: false,
    ended: null,
  },
} as const;

interface Line {
  code: string;
  label: string;
  amount: string;
  payer: string;
  period: string;
  article: string;
  formula: string;
  subject?: string;
  until?: string;
}

describe('第二十九条第二款: a death during treatment', () => {
  it('is recorded as its own move from 治疗中, with the date and the proof, audited, and only once', async () => {
    const caseId = await confirmedCase(t, o);
    await move(t, o.clerk, caseId, 'start_treatment');
    const before = count(t, 'audit_log');
    const c = await t.call('cases.get', { caseId }, o.clerk);
    expect(c.actions.find((a) => a.action === 'record_death')).toMatchObject({ label: '登记死亡', blockedBy: null });
    // A death is not a plain move: it needs its facts.
    expect((await t.fail('cases.transition', { caseId, action: 'record_death', expectedVersion: c.version }, o.clerk)).message).toContain(
      '请使用“登记死亡”功能办理',
    );
    expect(
      (
        await t.fail(
          'cases.recordDeath',
          { caseId, expectedVersion: c.version, deathDate: '2026-11-25', causedByInjury: true, evidence: EVIDENCE },
          o.clerk,
        )
      ).message,
    ).toContain('晚于今天');
    expect(count(t, 'case_deaths')).toBe(0);
    expect(await recordDeath(caseId, '2026-11-24')).toMatchObject({ status: 'deceased' });
    const after = await t.call('cases.get', { caseId }, o.benefits);
    expect(after.death).toMatchObject({ date: '2026-11-24', causedByInjury: true, evidence: EVIDENCE, recordedByName: '受理员甲' });
    expect(after.transitions.at(-1)).toMatchObject({ action: 'record_death', label: '登记死亡', from: '治疗中', to: '已死亡待核定' });
    expect(count(t, 'audit_log')).toBe(before + 1);
    expect(auditSummaries(t, '%登记死亡%')[0]).toContain('死亡日期 2026-11-24，因职业伤害导致');
    expect((await recordDeath(caseId, '2026-11-24').catch((e: Error) => e)) as Error).toBeInstanceOf(Error);
    expect(count(t, 'case_deaths')).toBe(1);
  });

  it('determines every death benefit from the recorded dependants, each pension with the end its facts give', async () => {
    const caseId = await confirmedCase(t, o);
    await move(t, o.clerk, caseId, 'start_treatment');
    await recordDeath(caseId, '2026-11-24');
    for (const d of Object.values(DEPENDANTS)) await t.call('dependants.save', { caseId, dependant: d }, o.benefits);
    const listed = await t.call('dependants.list', { caseId }, o.benefits);
    expect(listed.map((d) => [d.name, d.ageAtDeath, d.eligibility?.eligible, d.eligibility?.until])).toEqual([
      ['柯兰', 56, true, null],
      ['单小禾', 14, true, '2030-03-09'],
      ['单建国', 66, true, null],
      ['单小溪', 16, false, null],
    ]);
    expect(listed[3]!.eligibility!.reason).toContain('死者父母均已死亡或完全丧失劳动能力时方为供养亲属');

    const id = await determine(t, o, caseId);
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    const r = d!.result as { lines: Line[]; omitted: { label: string; article: string }[]; parameters: Record<string, string> };
    const by = (code: string) => r.lines.filter((l) => l.code === code);
    expect(by('funeral_grant')[0]).toMatchObject({ amount: '21600.00', article: '第二十九条第一款第（一）项' });
    expect(by('death_lump_sum')[0]).toMatchObject({ amount: '1130040.00', formula: '56,502.00 × 20 倍 = 1,130,040.00' });
    expect(by('dependant_pension').map((l) => [l.subject, l.amount, l.until ?? null])).toEqual([
      ['柯兰（配偶）', '1440.00', null],
      ['单小禾（子女）', '1080.00', '2030-03-09'],
      ['单建国（父母）', '1080.00', null],
    ]);
    expect(by('dependant_pension')[1]!.formula).toContain('发至 2030-03-09（子女死亡时未满 18 周岁）');
    expect(r.omitted).toContainEqual(
      expect.objectContaining({ label: '供养亲属抚恤金（单小溪，兄弟姐妹）', article: '《因工死亡职工供养亲属范围规定》第三条' }),
    );
    expect(r.parameters.deathBasisArticle).toBe('第二十九条第二款：在治疗职业伤害期内（至 2027-11-19）因职业伤害导致死亡');
    expect((await t.call('cases.get', { caseId }, o.benefits)).status).toBe('benefits_determined');
    const notice = await t.call('determinations.issueNotice', { determinationId: id }, o.reviewer);
    const text = documentText(t, notice.id);
    for (const phrase of [
      '根据2026年11月24日死亡（第二十九条第二款：在治疗职业伤害期内（至2027年11月19日）因职业伤害导致死亡）',
      '丧葬补助金',
      '供养亲属抚恤金',
      '56,502.00×20倍=1,130,040.00；依据：《办法》第二十九条第一款第（三）项',
      '自2026年11月25日起发至2030年3月9日',
      '社保复核：社保复核辛',
    ])
      expect(text).toContain(phrase);
  });

  it('refuses death benefits for a death in treatment that the injury did not cause, saying what to check', async () => {
    const caseId = await confirmedCase(t, o);
    await move(t, o.clerk, caseId, 'start_treatment');
    await recordDeath(caseId, '2026-11-24', false);
    const e = await t.fail('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, o.benefits);
    expect(e.code).toBe('RULE_REFUSED');
    expect(e.message).toContain('未登记为因职业伤害导致，不属于第二十九条第二款的情形');
    expect(count(t, 'benefit_determinations')).toBe(0);
  });

  it('ends a pending appraisal: a dead person cannot be appraised', async () => {
    const caseId = await confirmedCase(t, o);
    await move(t, o.secretary, caseId, 'request_appraisal');
    await recordDeath(caseId, '2026-11-24', true, o.officer);
    const { requests } = await t.call('appraisal.requests', { caseId }, o.secretary);
    expect(requests[0]!.closed).toEqual({ on: '2026-11-24', reason: '本人死亡，鉴定终止' });
    expect((await t.call('cases.get', { caseId }, o.secretary)).status).toBe('deceased');
  });
});

describe('第二十九条第三款: a grade 1–4 person dying after treatment', () => {
  it('gets funeral grant and pensions only, in a new determination that supersedes the approved disability one', async () => {
    const caseId = await confirmedCase(t, o);
    await appraise(t, o, caseId, 3, 'partial');
    const first = await determine(t, o, caseId);
    expect((await t.call('cases.get', { caseId }, o.benefits)).status).toBe('benefits_determined');
    // The treatment period ended 2027-11-19 (12 months from the accident); death in January 2028.
    t.clock.set(new Date('2028-01-10T02:00:00Z'));
    o = await signInAgain(t, o);
    const c = await t.call('cases.get', { caseId }, o.benefits);
    expect(c.actions.find((a) => a.action === 'record_death')?.blockedBy).toBeNull();
    await recordDeath(caseId, '2028-01-05', false, o.benefits);
    await t.call('dependants.save', { caseId, dependant: DEPENDANTS.spouse }, o.benefits);
    const second = await determine(t, o, caseId);
    const list = await t.call('determinations.list', { caseId }, o.benefits);
    const now = list.find((d) => d.id === second)!;
    const old = list.find((d) => d.id === first)!;
    expect(now).toMatchObject({ supersedesId: first, effectiveFrom: '2028-01-05', status: 'approved' });
    expect(old).toMatchObject({ supersededById: second, status: 'approved' });
    const r = now.result as { lines: Line[]; omitted: { code: string; article: string }[] };
    expect(r.lines.map((l) => l.code)).toEqual(['funeral_grant', 'dependant_pension']);
    expect(r.omitted).toContainEqual(expect.objectContaining({ code: 'death_lump_sum', article: '第二十九条第三款' }));
    expect(now.comparison!.rows.map((x) => [x.code, x.payable, x.note])).toEqual([
      ['funeral_grant', '21600.00', '新增，全额支付'],
      ['dependant_pension', '1440.00', '自 2028-01-06 起按月发放'],
      ['disability_lump_sum', '0.00', '原核定已支付，不受本次核定影响'],
      ['disability_allowance', '0.00', '自 2028-01-05 起停发'],
      ['nursing_allowance', '0.00', '自 2028-01-05 起停发'],
    ]);
    const notice = await t.call('determinations.issueNotice', { determinationId: second }, o.reviewer);
    const text = documentText(t, notice.id);
    for (const phrase of ['重新核定', '原核定', '自2028年1月5日起取代原核定', '第二十九条第三款', '丧葬补助金'])
      expect(text).toContain(phrase);
    expect((await t.fail('determinations.issueNotice', { determinationId: first }, o.reviewer)).message).toContain('已被新的核定取代');
  });

  it('gives a grade 7 person who dies after treatment of another cause nothing, and says why', async () => {
    const caseId = await confirmedCase(t, o);
    await appraise(t, o, caseId, 7);
    await determine(t, o, caseId);
    t.clock.set(new Date('2028-01-10T02:00:00Z'));
    o = await signInAgain(t, o);
    await recordDeath(caseId, '2028-01-05', false, o.benefits);
    const e = await t.fail('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, o.benefits);
    expect(e.message).toContain('伤残等级为7级，不属于第二十九条第三款（一级至4级伤残人员）的情形');
  });
});

describe('a death before the confirmation', () => {
  it('is recorded where the claim stands, and confirming it leads to the death benefits', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), o.clerk);
    expect(await recordDeath(caseId, '2026-11-22')).toMatchObject({ status: 'registered' });
    const c = await t.call('cases.get', { caseId }, o.clerk);
    await t.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      o.clerk,
    );
    await move(t, o.clerk, caseId, 'accept');
    const r = await move(t, o.officer, caseId, 'confirm', { reason: '送餐途中摔伤，伤重死亡', article: '第十一条第一款第（一）项' });
    expect(r.status).toBe('deceased');
  });
});

describe('第十一条第一款第（三）项: sudden death during an order', () => {
  const sudden = (deathAt: string) => {
    const r = beijingRider({ accidentAt: '2026-11-20T12:30' });
    return { ...r, accident: { ...r.accident, circumstance: { item: 'sudden_death' as const, deathAt } } };
  };

  it('is confirmed only once the death is recorded and falls within 48 hours of the onset', async () => {
    const caseId = await acceptedCase(t, o, sudden('2026-11-22T10:00'));
    let c = await t.call('cases.get', { caseId }, o.officer);
    expect(c.accident.circumstanceArticle).toBe('第十一条第一款第（三）项');
    expect(c.actions.find((a) => a.action === 'confirm')?.blockedBy).toContain('以死亡为条件：请先登记死亡');
    await recordDeath(caseId, '2026-11-22', true, o.officer);
    c = await t.call('cases.get', { caseId }, o.officer);
    expect(c.actions.find((a) => a.action === 'confirm')?.blockedBy).toBeNull();
    const r = await move(t, o.officer, caseId, 'confirm', {
      reason: '送餐途中突发疾病，经抢救无效死亡',
      article: c.accident.circumstanceArticle,
    });
    expect(r.status).toBe('deceased');
  });

  it('refuses a death more than 48 hours after the onset when the order had ended', async () => {
    const r = sudden('2026-11-23T13:00');
    const caseId = await acceptedCase(t, o, {
      ...r,
      accident: { ...r.accident, orders: [{ ...r.accident.orders[0]!, finishedAt: '2026-11-20T12:45' }] },
    });
    await recordDeath(caseId, '2026-11-23', true, o.officer);
    const c = await t.call('cases.get', { caseId }, o.officer);
    expect(c.actions.find((a) => a.action === 'confirm')?.blockedBy).toContain('死亡时间距发病超过 48 小时且不在订单执行期间（72 小时）');
    expect(
      (
        await t.fail(
          'cases.transition',
          { caseId, action: 'confirm', expectedVersion: c.version, reason: '突发疾病', article: '第十一条' },
          o.officer,
        )
      ).code,
    ).toBe('RULE_REFUSED');
    // 不予确认 stays open.
    expect(c.actions.find((a) => a.action === 'not_confirm')?.blockedBy).toBeNull();
  });
});

describe('供养亲属: the facts that give or end eligibility', () => {
  it('keeps a widow under 55 out until she is of age, ends a pension on remarriage, and refuses a second spouse', async () => {
    const caseId = await confirmedCase(t, o);
    await recordDeath(caseId, '2026-11-24', true, o.benefits);
    const young = { ...DEPENDANTS.spouse, birthDate: '1980-02-01' };
    const { id } = await t.call('dependants.save', { caseId, dependant: young }, o.benefits);
    let [d] = await t.call('dependants.list', { caseId }, o.benefits);
    expect(d!.eligibility).toMatchObject({ eligible: false, article: '《因工死亡职工供养亲属范围规定》第三条' });
    expect(d!.eligibility!.reason).toContain('年满 55 周岁（2035-02-01）后可申请重新核定');
    expect(
      (await t.fail('dependants.save', { caseId, dependant: { ...DEPENDANTS.spouse, name: '另一人' } }, o.benefits)).message,
    ).toContain('只能有一位配偶');
    await t.call(
      'dependants.save',
      { caseId, dependant: { ...DEPENDANTS.spouse, id, ended: { date: '2026-11-24', reason: 'remarried' } } },
      o.benefits,
    );
    [d] = await t.call('dependants.list', { caseId }, o.benefits);
    expect(d!.eligibility).toMatchObject({ eligible: false, article: '《因工死亡职工供养亲属范围规定》第四条' });
    expect(d!.eligibility!.reason).toContain('因再婚已不符合条件');
    expect(auditSummaries(t, '%供养亲属%')).toHaveLength(2);
  });

  it('redetermines the pensions when a dependant’s facts change after approval: the pension ends with the event', async () => {
    const caseId = await confirmedCase(t, o);
    await recordDeath(caseId, '2026-11-24', true, o.benefits);
    const { id: spouse } = await t.call('dependants.save', { caseId, dependant: DEPENDANTS.spouse }, o.benefits);
    const first = await determine(t, o, caseId);
    expect(
      (await t.fail('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, o.benefits)).code,
    ).not.toBe('INTERNAL');
    t.clock.set(new Date('2027-03-20T02:00:00Z'));
    o = await signInAgain(t, o);
    await t.call(
      'dependants.save',
      { caseId, dependant: { ...DEPENDANTS.spouse, id: spouse, ended: { date: '2027-03-10', reason: 'remarried' } } },
      o.benefits,
    );
    const second = await determine(t, o, caseId);
    const d = (await t.call('determinations.list', { caseId }, o.benefits)).find((x) => x.id === second)!;
    expect(d).toMatchObject({ supersedesId: first, effectiveFrom: '2027-03-20' });
    const pension = (d.result as { lines: Line[] }).lines.find((l) => l.code === 'dependant_pension')!;
    expect(pension).toMatchObject({ amount: '1440.00', until: '2027-03-09' });
    expect(pension.formula).toContain('2027-03-10 因再婚停发');
    expect(d.comparison!.rows.find((r) => r.code === 'funeral_grant')).toMatchObject({ payable: '0.00', note: '与原核定相同，不再支付' });
  });

  it('needs a recorded death first', async () => {
    const caseId = await confirmedCase(t, o);
    expect((await t.fail('dependants.save', { caseId, dependant: DEPENDANTS.child }, o.benefits)).message).toContain('请先登记死亡');
    expect(count(t, 'dependants')).toBe(0);
  });
});
