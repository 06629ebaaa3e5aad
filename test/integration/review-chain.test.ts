// 双重复核 as the seeds describe it (Qingdao's 三岗分离+双重复核, seed 000; 青海办法 第四条第三款),
// through the RPC: the review chain comes from the rule pack (two rounds, each a role of its own:
// 待遇复核 at the commissioned agency, then 社保复核 at the social insurance agency); nobody reviews
// a determination they prepared or reviewed in an earlier round; a refusal at any round returns it
// to the officer with the reason; the notice only after the last round approves.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, signIn, type TestCore } from '../helpers/core';
import { STAFF_PASSWORD } from '../helpers/appraisal';
import { appraise, auditSummaries, confirmedCase, count, office, type Office } from '../helpers/legal';

let t: TestCore;
let o: Office;
let caseId: string;
beforeEach(async () => {
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  o = await office(t);
  caseId = await confirmedCase(t, o);
  await appraise(t, o, caseId, 8);
});
afterEach(async () => {
  await t.cleanup();
});

const prepare = async () =>
  (await t.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, o.benefits)).id;

describe('the review chain of the pack', () => {
  it('passes two rounds, each by its own role, listed per round; the notice only after the last', async () => {
    const id = await prepare();
    expect(await t.call('determinations.queue', {}, o.reviewer)).toEqual([
      expect.objectContaining({ determinationId: id, round: 1, rounds: 2, roundLabel: '待遇复核（委托承办机构）', ownStep: false }),
    ]);
    expect(await t.call('determinations.queue', {}, o.insurer)).toEqual([]);
    expect(await t.call('determinations.review', { determinationId: id, approve: true }, o.reviewer)).toEqual({
      status: 'prepared',
      round: 1,
      next: '第2轮社保复核（社会保险经办机构）',
    });
    expect(await t.call('determinations.queue', {}, o.reviewer)).toEqual([]);
    expect(await t.call('determinations.queue', {}, o.insurer)).toEqual([
      expect.objectContaining({ determinationId: id, round: 2, roundLabel: '社保复核（社会保险经办机构）' }),
    ]);
    expect((await t.fail('determinations.issueNotice', { determinationId: id }, o.reviewer)).message).toContain('经复核通过');
    await t.call('determinations.review', { determinationId: id, approve: true }, o.insurer);
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    expect(d!.rounds.map((r) => [r.round, r.label, r.reviewer, r.decision])).toEqual([
      [1, '待遇复核', '待遇复核庚', 'approved'],
      [2, '社保复核', '社保复核辛', 'approved'],
    ]);
    expect(auditSummaries(t, '%复核%：%')).toEqual([
      '第1轮待遇复核（委托承办机构）：通过，转第2轮社保复核（社会保险经办机构）',
      '第2轮社保复核（社会保险经办机构）：通过，待遇核定完成',
    ]);
    await t.call('determinations.issueNotice', { determinationId: id }, o.insurer);
  });

  it('returns the determination to the officer with the reason when the second round refuses', async () => {
    const id = await prepare();
    await t.call('determinations.review', { determinationId: id, approve: true }, o.reviewer);
    expect((await t.fail('determinations.review', { determinationId: id, approve: false, reason: '' }, o.insurer)).message).toContain(
      '退回时请写明理由',
    );
    expect(
      await t.call('determinations.review', { determinationId: id, approve: false, reason: '工资基数年度有误，请核对' }, o.insurer),
    ).toMatchObject({
      status: 'returned',
      round: 2,
    });
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    expect(d).toMatchObject({ status: 'returned', reviewReason: '工资基数年度有误，请核对', currentRound: null });
    expect(d!.rounds.map((r) => r.decision)).toEqual(['approved', 'returned']);
    expect((await t.call('cases.get', { caseId }, o.benefits)).status).toBe('appraised');
    // The officer prepares again; the chain starts over.
    const again = await prepare();
    expect((await t.call('determinations.queue', {}, o.reviewer)).map((x) => [x.determinationId, x.round])).toEqual([[again, 1]]);
  });

  it('never lets the preparer or an earlier round’s reviewer take a later round', async () => {
    const admin = o.admin;
    await t.call(
      'users.create',
      { username: 'tworounds', displayName: '双岗壬', password: STAFF_PASSWORD, roles: ['benefit_reviewer', 'insurance_reviewer'] },
      admin,
    );
    await t.call(
      'users.create',
      { username: 'self', displayName: '自核癸', password: STAFF_PASSWORD, roles: ['benefit_officer', 'insurance_reviewer'] },
      admin,
    );
    const both = await signIn(t, 'tworounds', STAFF_PASSWORD);
    const self = await signIn(t, 'self', STAFF_PASSWORD);
    const { id } = await t.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, self);
    await t.call('determinations.review', { determinationId: id, approve: true }, both);
    const reviews = count(t, 'determination_reviews');
    expect((await t.fail('determinations.review', { determinationId: id, approve: true }, both)).message).toContain('同一人不能复核两轮');
    expect((await t.fail('determinations.review', { determinationId: id, approve: true }, self)).message).toContain('不能是核定人本人');
    expect(count(t, 'determination_reviews')).toBe(reviews);
    expect((await t.call('determinations.queue', {}, both))[0]).toMatchObject({ round: 2, ownStep: true });
    await t.call('determinations.review', { determinationId: id, approve: true }, o.insurer);
    expect((await t.call('cases.get', { caseId }, o.benefits)).status).toBe('benefits_determined');
  });

  it('refuses a round to a person without its role', async () => {
    const id = await prepare();
    expect((await t.fail('determinations.review', { determinationId: id, approve: true }, o.insurer)).message).toBe(
      '第1轮待遇复核（委托承办机构）须由待遇复核人员办理',
    );
    expect((await t.fail('determinations.review', { determinationId: id, approve: true }, o.benefits)).code).toBe('FORBIDDEN');
  });
});
