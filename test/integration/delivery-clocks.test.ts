// 送达 and the clocks that run from it, through the RPC: each decision notice is delivered to each
// party separately with a signed 送达回证; 再次鉴定 runs 15 days from each party's receipt of the
// 结论书 (第十九条第二款) and is accepted whatever the case's status, an approval made meanwhile
// becoming provisional; 行政复议 60 days and 行政诉讼 6 months from receipt of a decision (第三十九条);
// a notice issued by mistake is voided (作废) and reissued under a new number; a repeated issue
// request never issues a second notice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestCore } from '../helpers/core';
import { beijingRider } from '../helpers/intake';
import {
  appraise,
  auditSummaries,
  confirmedCase,
  count,
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

async function deliver(
  documentId: string,
  party: 'worker' | 'platform',
  deliveredOn: string,
  token = o.leader,
  method: 'direct' | 'mail' | 'electronic' | 'public_notice' = 'direct',
) {
  return t.call(
    'deliveries.record',
    { documentId, party, method, deliveredOn, receiver: party === 'platform' ? '平台服务站王经理' : '单通', note: '' },
    token,
  );
}

async function issuedConclusion() {
  const caseId = await confirmedCase(t, o);
  const { hearingId } = await appraise(t, o, caseId, 7);
  const notice = await t.call('hearings.issueConclusion', { hearingId, caseId }, o.leader);
  return { caseId, hearingId, notice };
}

describe('送达: per party, with a 送达回证', () => {
  it('records the delivery of a 结论书 to the worker and to the platform’s legal entity, each with its signed 回证', async () => {
    const { caseId, notice } = await issuedConclusion();
    const before = count(t, 'audit_log');
    const r = await deliver(notice.id, 'platform', '2026-11-24', o.leader, 'mail');
    expect(r.receipt.documentNo).toBe(`${notice.documentNo}·送达回证（平台企业）`);
    expect(dataOf(t, r.receipt.id)).toMatchObject({
      type: 'delivery-receipt',
      addressee: '青海测试三快科技有限公司',
      method: 'mail',
      deliveredOn: '2026-11-24',
      document: { label: '劳动能力鉴定结论书', documentNo: notice.documentNo },
    });
    const text = documentText(t, r.receipt.id);
    for (const phrase of [
      '送达回证',
      '劳动能力鉴定结论书',
      '青海测试三快科技有限公司（平台企业）',
      '邮寄送达',
      '2026年11月24日',
      '受送达人签名',
    ])
      expect(text).toContain(phrase);
    expect(count(t, 'audit_log')).toBe(before + 1);
    expect(auditSummaries(t, '登记送达%')[0]).toContain(`于 2026-11-24 送达平台企业，出具送达回证`);
    // Once per party; a wrong record is withdrawn by voiding its 回证, then recorded again.
    expect(
      (
        await t.fail(
          'deliveries.record',
          { documentId: notice.id, party: 'platform', method: 'direct', deliveredOn: '2026-11-24', receiver: '王' },
          o.leader,
        )
      ).code,
    ).toBe('CONFLICT');
    expect(
      (
        await t.fail(
          'deliveries.record',
          { documentId: notice.id, party: 'worker', method: 'direct', deliveredOn: '2026-11-23', receiver: '单通' },
          o.leader,
        )
      ).message,
    ).toContain('早于文书出具日期');
    await t.call('notices.void', { id: r.receipt.id, reason: '送达日期记错' }, o.leader);
    const again = await deliver(notice.id, 'platform', '2026-11-24');
    expect(again.receipt.documentNo).toBe(`${notice.documentNo}·送达回证（平台企业）之2`);
    const list = await t.call('deliveries.list', { caseId }, o.leader);
    expect(list.map((d) => [d.party, d.live])).toEqual([
      ['platform', false],
      ['platform', true],
    ]);
  });

  it('a repeated delivery request (same request id) returns the first 回证 and records nothing more', async () => {
    const { notice } = await issuedConclusion();
    const requestId = '0190f3a0-0000-7000-8000-00000000d001';
    const input = {
      documentId: notice.id,
      party: 'worker' as const,
      method: 'direct' as const,
      deliveredOn: '2026-11-24',
      receiver: '单通',
      requestId,
    };
    const first = await t.call('deliveries.record', input, o.leader);
    const docs = count(t, 'issued_documents');
    const second = await t.call('deliveries.record', input, o.leader);
    expect(second).toEqual({ ...first, receipt: { ...first.receipt, repeated: true } });
    expect(count(t, 'issued_documents')).toBe(docs);
    expect(count(t, 'deliveries')).toBe(1);
  });
});

describe('第十九条第二款: 再次鉴定 within 15 days of each party’s receipt', () => {
  it('counts each party’s window from its own receipt: the worker’s closes while the platform’s is open', async () => {
    const { caseId, notice } = await issuedConclusion();
    await deliver(notice.id, 'worker', '2026-11-24');
    t.clock.set(new Date('2026-12-01T02:00:00Z'));
    o = await signInAgain(t, o);
    await deliver(notice.id, 'platform', '2026-12-01');
    const c = await t.call('cases.get', { caseId }, o.secretary);
    expect(c.deadlines.filter((d) => d.code === 'reappraisal_request').map((d) => [d.party, d.due])).toEqual([
      ['worker', '2026-12-09'],
      ['platform', '2026-12-16'],
    ]);
    t.clock.set(new Date('2026-12-10T02:00:00Z'));
    o = await signInAgain(t, o);
    const now = await t.call('cases.get', { caseId }, o.secretary);
    const refused = await t.fail(
      'cases.transition',
      { caseId, action: 'request_reappraisal', expectedVersion: now.version, reason: '等级偏低', party: 'worker' },
      o.secretary,
    );
    expect(refused.message).toContain(
      '本人（或其近亲属）已超过收到鉴定结论书（2026-11-24）之日起 15 日的再次鉴定申请期限（截至 2026-12-09，第十九条第二款）',
    );
    // The platform's own request (第十九条第二款 gives it the same right).
    await t.call(
      'cases.transition',
      { caseId, action: 'request_reappraisal', expectedVersion: now.version, reason: '平台企业认为等级偏高', party: 'platform' },
      o.secretary,
    );
    const { requests } = await t.call('appraisal.requests', { caseId }, o.secretary);
    expect(requests.at(-1)).toMatchObject({ kind: 'reappraisal', level: 'provincial', party: 'platform' });
  });

  it('accepts a request inside the window after benefits were approved: the approval becomes provisional and is redone', async () => {
    const { caseId, notice } = await issuedConclusion();
    await deliver(notice.id, 'worker', '2026-11-24');
    const first = await determine(t, o, caseId);
    expect((await t.call('cases.get', { caseId }, o.secretary)).status).toBe('benefits_determined');
    await move(t, o.secretary, caseId, 'request_reappraisal', { reason: '对等级不服', party: 'worker' });
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    expect(d).toMatchObject({ id: first, status: 'approved', provisional: true });
    // The provincial committee concludes grade 5 on its hearing day.
    t.clock.set(new Date('2026-12-08T02:00:00Z'));
    o = await signInAgain(t, o);
    await appraise(t, o, caseId, 5, null, 'reappraisal');
    const second = await determine(t, o, caseId);
    const list = await t.call('determinations.list', { caseId }, o.benefits);
    expect(list.find((x) => x.id === first)).toMatchObject({ supersededById: second });
    expect(list.find((x) => x.id === second)).toMatchObject({ supersedesId: first, effectiveFrom: '2026-12-08', provisional: false });
  });

  it('a request while a determination is still in review returns it to the officer', async () => {
    const { caseId, notice } = await issuedConclusion();
    await deliver(notice.id, 'worker', '2026-11-24');
    const { id } = await t.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, o.benefits);
    await move(t, o.secretary, caseId, 'request_reappraisal', { reason: '对等级不服', party: 'worker' });
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    expect(d).toMatchObject({ id, status: 'returned', reviewReason: '已申请再次鉴定，待再次鉴定结论作出后重新核定' });
  });
});

describe('第十五条第一款: 补正 within 10 days of the applicant’s receipt', () => {
  it('starts on the recorded receipt, and stops when that delivery is withdrawn', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), o.clerk);
    let c = await t.call('cases.get', { caseId }, o.clerk);
    await t.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: [{ code: c.materials[0]!.code, received: true }] },
      o.clerk,
    );
    await move(t, o.clerk, caseId, 'request_supplement');
    const notice = await t.call('notices.issueForCase', { caseId, type: 'supplement' }, o.clerk);
    c = await t.call('cases.get', { caseId }, o.clerk);
    expect([c.supplementDue, c.deadlines.map((d) => d.code)]).toEqual([null, []]);
    const r = await deliver(notice.id, 'worker', '2026-11-24', o.clerk);
    c = await t.call('cases.get', { caseId }, o.clerk);
    expect(c.supplementDue).toBe('2026-12-04');
    expect(c.deadlines.find((d) => d.code === 'supplement')).toMatchObject({ due: '2026-12-04', article: '第十五条第一款' });
    await t.call('notices.void', { id: r.receipt.id, reason: '签收人不是申请人' }, o.clerk);
    c = await t.call('cases.get', { caseId }, o.clerk);
    expect(c.supplementDue).toBeNull();
    expect(c.deadlines.find((d) => d.code === 'supplement')).toBeUndefined();
  });
});

describe('第三十九条: 行政复议 60 days and 行政诉讼 6 months from receipt of a decision', () => {
  it('shows both clocks per party on the case once the 确认结论书 is delivered', async () => {
    const caseId = await confirmedCase(t, o);
    const notice = await t.call('notices.issueForCase', { caseId, type: 'confirmation' }, o.officer);
    expect(dataOf(t, notice.id)).toMatchObject({ platformParty: { name: '美团', legalName: '青海测试三快科技有限公司' } });
    expect(documentText(t, notice.id)).toContain('单通、青海测试三快科技有限公司：');
    await deliver(notice.id, 'worker', '2026-11-24', o.officer);
    t.clock.set(new Date('2026-11-26T02:00:00Z'));
    o = await signInAgain(t, o);
    await deliver(notice.id, 'platform', '2026-11-26', o.officer, 'electronic');
    const c = await t.call('cases.get', { caseId }, o.officer);
    const remedies = c.deadlines.filter((d) => d.code.startsWith('administrative')).map((d) => [d.code, d.party, d.due, d.article]);
    expect(remedies).toEqual([
      // 60 days from 11-24 end on Sat 01-23 → Mon 01-25; 6 months from 11-24 → 05-24 (2027, outside the calendar: uncertain).
      ['administrative_review', 'worker', '2027-01-25', '第三十九条；《中华人民共和国行政复议法》第二十条'],
      ['administrative_litigation', 'worker', '2027-05-24', '第三十九条；《中华人民共和国行政诉讼法》第四十六条'],
      ['administrative_review', 'platform', '2027-01-25', '第三十九条；《中华人民共和国行政复议法》第二十条'],
      ['administrative_litigation', 'platform', '2027-05-26', '第三十九条；《中华人民共和国行政诉讼法》第四十六条'],
    ]);
    expect(c.deadlines.find((d) => d.code === 'administrative_review')?.label).toContain('职业伤害确认结论书');
  });
});

describe('作废 and reissue; one notice per click', () => {
  it('voids a notice with a reason, never reuses its number, and then lets it be issued again', async () => {
    const caseId = await confirmedCase(t, o);
    const first = await t.call('notices.issueForCase', { caseId, type: 'confirmation' }, o.officer);
    expect((await t.fail('notices.issueForCase', { caseId, type: 'confirmation' }, o.officer)).message).toContain('本案已出具该文书');
    expect((await t.fail('notices.void', { id: first.id, reason: '' }, o.officer)).code).toBe('INVALID_INPUT');
    expect((await t.fail('notices.void', { id: first.id, reason: '写错了' }, o.clerk)).code).toBe('FORBIDDEN');
    await t.call('notices.void', { id: first.id, reason: '事故地点写错' }, o.officer);
    expect(auditSummaries(t, '作废%')[0]).toBe(`作废职业伤害确认结论书 ${first.documentNo}（文号不再使用），理由：事故地点写错`);
    expect((await t.fail('notices.void', { id: first.id, reason: '再次' }, o.officer)).code).toBe('CONFLICT');
    const second = await t.call('notices.issueForCase', { caseId, type: 'confirmation' }, o.officer);
    expect(second.documentNo).not.toBe(first.documentNo);
    expect(second.documentNo).toBe('宁人社职伤确〔2026〕2号');
    const list = await t.call('notices.list', { caseId }, o.officer);
    expect(list.find((n) => n.id === first.id)?.voided).toMatchObject({ reason: '事故地点写错', byName: '确认经办乙' });
    expect(list.find((n) => n.id === second.id)).toMatchObject({ voided: null, replacesId: first.id });
    // The voided file still verifies as signed, and says it is no longer in force.
    const pdf = (await t.call('notices.get', { id: first.id }, o.officer)).pdfBase64;
    const v = await t.call('notices.verify', { pdfBase64: pdf }, o.officer);
    expect(v).toMatchObject({ status: 'valid', voided: { reason: '事故地点写错' } });
    expect(v.message).toContain('该文书已于 2026-11-24 作废（事故地点写错），不再有效');
    // A voided notice cannot be delivered.
    expect(
      (
        await t.fail(
          'deliveries.record',
          { documentId: first.id, party: 'worker', method: 'direct', deliveredOn: '2026-11-24', receiver: '单通' },
          o.officer,
        )
      ).message,
    ).toContain('已作废');
  });

  it('a second click with the same request id returns the first notice and issues nothing', async () => {
    const { caseId, hearingId } = await (async () => {
      const id = await confirmedCase(t, o);
      const { hearingId: h } = await appraise(t, o, id, 8);
      return { caseId: id, hearingId: h };
    })();
    const requestId = '0190f3a0-0000-7000-8000-00000000c001';
    const a = await t.call('hearings.issueConclusion', { hearingId, caseId, requestId }, o.leader);
    const n = count(t, 'issued_documents');
    const b = await t.call('hearings.issueConclusion', { hearingId, caseId, requestId }, o.leader);
    expect(b).toEqual({ ...a, repeated: true });
    expect(count(t, 'issued_documents')).toBe(n);
    // Without the id, the uniqueness rule refuses a second one.
    expect((await t.fail('hearings.issueConclusion', { hearingId, caseId }, o.leader)).code).toBe('CONFLICT');
    expect(auditSummaries(t, '重复提交%')).toEqual([`重复提交，返回已出具的鉴定结论书 ${a.documentNo}`]);
  });
});
