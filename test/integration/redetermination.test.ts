// Redetermination after a new conclusion, through the RPC: a 复查 (《工伤保险条例》第二十八条, one
// year on) or 再次鉴定 (第十九条第二款) conclusion gives a new determination that supersedes the
// approved one from the new conclusion's date, keeps it on record, and shows the difference line by
// line — grade 7 → 5 adds the one-time allowance (第二十七条); into grades 1–4 the monthly
// allowance starts (第二十六条). The notice shows both determinations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../helpers/core';
import { appraise, confirmedCase, dataOf, determine, documentText, move, office, signInAgain, type Office } from '../helpers/legal';

let t: TestCore;
let o: Office;
beforeEach(async () => {
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  o = await office(t);
});
afterEach(async () => {
  await t.cleanup();
});

/** Grade 7 approved in 2026; a year and a day later the secretary asks for 复查. */
async function grade7ThenReview(): Promise<{ caseId: string; first: string }> {
  const caseId = await confirmedCase(t, o);
  await appraise(t, o, caseId, 7);
  const first = await determine(t, o, caseId);
  t.clock.set(new Date('2027-11-25T02:00:00Z'));
  o = await signInAgain(t, o);
  await move(t, o.secretary, caseId, 'request_review', { reason: '伤情加重，申请复查鉴定' });
  return { caseId, first };
}

describe('复查 7 → 5 (《工伤保险条例》第二十八条; 青海办法 第二十七条)', () => {
  it('supersedes the grade 7 determination from the new conclusion, adds the one-time allowance and the lump-sum difference', async () => {
    const { caseId, first } = await grade7ThenReview();
    await appraise(t, o, caseId, 5, null, 'review');
    const { id, supersedes } = await t.call(
      'determinations.prepare',
      { caseId, figures: { provincialPrivateAnnualWage: '72000' } },
      o.benefits,
    );
    expect(supersedes).toBe(first);
    let list = await t.call('determinations.list', { caseId }, o.benefits);
    const now = list.find((d) => d.id === id)!;
    expect(now).toMatchObject({ status: 'prepared', currentRound: 1, effectiveFrom: '2027-11-25', supersedesId: first });
    expect(now.comparison!.rows.map((r) => [r.code, r.before, r.after, r.payable, r.note])).toEqual([
      ['disability_lump_sum', '46800.00', '64800.00', '18000.00', '补发差额'],
      ['one_time_allowance', null, '108000.00', '108000.00', '新增，全额支付'],
    ]);
    expect(now.comparison!.oneTimePayable).toEqual({ fund: '126000.00', platform: '0.00', all: '126000.00' });
    // Until both rounds approve, the grade 7 determination stays in force.
    expect(list.find((d) => d.id === first)).toMatchObject({ status: 'approved', supersededById: null });
    await t.call('determinations.review', { determinationId: id, approve: true }, o.reviewer);
    await t.call('determinations.review', { determinationId: id, approve: true }, o.insurer);
    list = await t.call('determinations.list', { caseId }, o.benefits);
    expect(list.find((d) => d.id === first)).toMatchObject({ status: 'approved', supersededById: id });
    expect((await t.call('cases.get', { caseId }, o.benefits)).status).toBe('benefits_determined');

    const notice = await t.call('determinations.issueNotice', { determinationId: id }, o.insurer);
    expect(dataOf(t, notice.id)).toMatchObject({ effectiveFrom: '2027-11-25', oneTimePayable: '126000.00' });
    const text = documentText(t, notice.id);
    for (const phrase of [
      '职业伤害保障待遇重新核定通知书',
      '本核定自2027年11月25日起取代原核定（2026年11月24日签发的劳动能力鉴定结论（七级））',
      '一、原核定',
      '3,600.00×13个月=46,800.00',
      '二、重新核定',
      '3,600.00×18个月=64,800.00',
      '一次性津贴（五级）',
      '三、新旧对照',
      '补发差额',
      '本次应补发一次性待遇：126000.00元（壹拾贰万陆仟元整）',
      '重新核定后一次性待遇合计：172800.00元',
    ])
      expect(text).toContain(phrase);
  });
});

describe('再次鉴定 into grades 1–4 (第二十六条)', () => {
  it('starts the monthly 伤残津贴 from the new conclusion’s date', async () => {
    const caseId = await confirmedCase(t, o);
    const { hearingId } = await appraise(t, o, caseId, 7);
    const notice = await t.call('hearings.issueConclusion', { hearingId, caseId }, o.leader);
    await t.call(
      'deliveries.record',
      { documentId: notice.id, party: 'worker', method: 'direct', deliveredOn: '2026-11-24', receiver: '单通' },
      o.leader,
    );
    const first = await determine(t, o, caseId);
    await move(t, o.secretary, caseId, 'request_reappraisal', { reason: '伤情重于鉴定等级', party: 'worker' });
    t.clock.set(new Date('2026-12-15T02:00:00Z'));
    o = await signInAgain(t, o);
    await appraise(t, o, caseId, 4, 'partial', 'reappraisal');
    const second = await determine(t, o, caseId);
    const d = (await t.call('determinations.list', { caseId }, o.benefits)).find((x) => x.id === second)!;
    expect(d.supersedesId).toBe(first);
    expect(d.comparison!.rows.map((r) => [r.code, r.period, r.before, r.after, r.payable, r.note])).toEqual([
      ['disability_lump_sum', 'once', '46800.00', '75600.00', '28800.00', '补发差额'],
      ['disability_allowance', 'monthly', null, '2700.00', '2700.00', '自 2026-12-15 起按月发放'],
      ['nursing_allowance', 'monthly', null, '1080.00', '1080.00', '自 2026-12-15 起按月发放'],
    ]);
  });

  it('refuses a second determination on the same conclusion', async () => {
    const caseId = await confirmedCase(t, o);
    await appraise(t, o, caseId, 7);
    await determine(t, o, caseId);
    expect(
      (await t.fail('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, o.benefits)).message,
    ).toContain('不能重复核定');
  });
});
