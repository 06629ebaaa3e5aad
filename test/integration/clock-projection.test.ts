// The clock projection the worklists read: written in the same transaction as the change, equal
// to what the case page computes (due dates, 临期/逾期 and days left on every day), and rebuilt
// when what it was built from changes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, openTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { staff } from '../helpers/intake';
import { CONFIRM, move, registered } from '../helpers/desk';
import { gradeAndSign, hearingScene } from '../helpers/appraisal';
import { clockSources } from '../../electron/core/cases/case-clocks';
import { ruleData } from '../../electron/core/cases/rule-data';
import { refreshDirty } from '../../electron/core/monitoring/derived';
import { clockDaysLeft, clockStatus } from '../../shared/monitoring/clocks';
import { addDays } from '../../shared/rules';

let t: TestCore;
let s: Awaited<ReturnType<typeof staff>>;
let admin: string;

beforeEach(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
  s = await staff(t, admin);
});
afterEach(() => t.cleanup());

const rules = () => ruleData(t.store.db, 'qinghai');
const today = () => new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const deliver = (documentId: string, party: 'worker' | 'platform', token: string) =>
  t.call('deliveries.record', { documentId, party, method: 'direct', deliveredOn: today(), receiver: '单通', note: '' }, token);
const stored = (caseId?: string) =>
  t.store.sqlite
    .prepare(`SELECT * FROM case_clocks ${caseId ? 'WHERE case_id = ?' : ''} ORDER BY case_id, code`)
    .all(...(caseId ? [caseId] : [])) as {
    case_id: string;
    code: string;
    due: string;
    near_from: string;
    unit: string;
    label: string;
    article: string;
    certain: number;
    stage: string;
    handler_id: string | null;
  }[];

/** Every clock of every case, compared with the case page's own computation on each of the next days. */
async function expectProjectionMatchesCasePage(days: number) {
  const ids = (t.store.sqlite.prepare('SELECT id FROM cases').all() as { id: string }[]).map((r) => r.id);
  const ruleSet = await rules();
  const sources = await clockSources(t.store.db, ruleSet, ids);
  const rows = stored();
  const today = '2026-11-24';
  let compared = 0;
  for (const [id, src] of sources) {
    const page = src.on(today);
    const mine = rows.filter((r) => r.case_id === id);
    expect(mine.map((r) => [r.code, r.due, r.label, r.article, r.unit, r.certain === 1])).toEqual(
      page.map((d) => [d.code, d.due, d.label, d.article, d.unit, d.certain]),
    );
    for (let k = 0; k <= days; k++) {
      const day = addDays(today, k);
      for (const d of src.on(day)) {
        const r = mine.find((x) => x.code === d.code)!;
        const c = { code: r.code, due: r.due, nearFrom: r.near_from, unit: r.unit };
        expect([day, d.code, clockStatus(c, day), clockDaysLeft(c, day, ruleSet.calendar)]).toEqual([day, d.code, d.status, d.daysLeft]);
        compared++;
      }
    }
  }
  return compared;
}

describe('clock projection', () => {
  it('matches the case page on every day for supplement, confirmation and reimbursement clocks', async () => {
    const a = await registered(t, s.clerk);
    // A: one material missing, so a 补正告知 (10 days from receipt).
    const ca = await t.call('cases.get', { caseId: a }, s.clerk);
    await t.call(
      'cases.setMaterials',
      { caseId: a, expectedVersion: ca.version, materials: [{ code: ca.materials[0]!.code, received: false }] },
      s.clerk,
    );
    await move(t, s.clerk, a, 'request_supplement');
    // The 补正 clock runs from the applicant's receipt of the 补正告知 (送达, delivery-clocks.test.ts).
    await t.call(
      'numbering.addBlock',
      { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁市社会保险事业服务中心', year: 2026, first: 1, last: 99 },
      admin,
    );
    const notice = await t.call('notices.issueForCase', { caseId: a, type: 'supplement' }, s.clerk);
    expect(stored(a)).toEqual([]);
    await deliver(notice.id, 'worker', s.clerk);
    // B: accepted, so the confirmation clock runs (7 working days, facts clear).
    const b = await registered(t, s.clerk);
    await move(t, s.clerk, b, 'accept');
    // C: confirmed with an unpaid bill: the 7-working-day reimbursement clock.
    const c = await registered(t, s.clerk);
    await move(t, s.clerk, c, 'accept');
    await t.call(
      'bills.add',
      {
        caseId: c,
        billDate: '2026-11-21',
        hospital: '北京大学第三医院',
        invoiceNo: 'INV-1',
        amount: '302.00',
        eligible: '302.00',
        submittedDate: '2026-11-23',
      },
      s.clerk,
    );
    await move(t, s.officer, c, 'confirm', CONFIRM);

    expect(stored(a).map((r) => [r.code, r.stage])).toEqual([['supplement', '受理补正']]);
    expect(stored(b).map((r) => [r.code, r.due])).toEqual([['confirmation', '2026-12-02']]);
    expect(stored(c).map((r) => r.code)).toEqual(['medical_reimbursement']);
    // The handler is whoever moved the case last: the officer who confirmed C.
    const officerId = (t.store.sqlite.prepare("SELECT id FROM users WHERE username = 'officer'").get() as { id: string }).id;
    expect(stored(c)[0]!.handler_id).toBe(officerId);
    expect(t.store.sqlite.prepare('SELECT COUNT(*) n FROM case_dirty').get()).toEqual({ n: 0 });
    expect(await expectProjectionMatchesCasePage(45)).toBeGreaterThan(100);

    // Reimbursing stops C's clock at once; confirming B stops its confirmation clock.
    const bill = (await t.call('cases.get', { caseId: c }, s.clerk)).bills[0]!;
    await t.call('bills.reimburse', { billId: bill.id }, s.clerk);
    await move(t, s.officer, b, 'confirm', CONFIRM);
    expect(stored(b)).toEqual([]);
    expect(stored(c)).toEqual([]);
    await expectProjectionMatchesCasePage(5);
  });

  it('follows the appraisal clocks through 预审, sign-off, the 结论书 and the 再次鉴定 window', async () => {
    await t.cleanup();
    t = makeTestCore();
    const admin = await setupAdmin(t);
    const scene = await hearingScene(t, admin);
    const codes = () => stored(scene.caseId).map((r) => r.code);
    expect(codes()).toEqual(['appraisal_conclusion']);
    await expectProjectionMatchesCasePage(70);
    await gradeAndSign(t, scene);
    expect(codes()).toEqual(['appraisal_delivery']);
    await expectProjectionMatchesCasePage(25);
    await t.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕{seq}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 99 },
      admin,
    );
    const doc = await t.call('hearings.issueConclusion', { hearingId: scene.hearingId, caseId: scene.caseId }, scene.secretary);
    // The 再次鉴定 window runs from a party's receipt of the 结论书, not from its issue.
    expect(codes()).toEqual(['appraisal_delivery']);
    await deliver(doc.id, 'worker', scene.secretary);
    expect(codes()).toContain('reappraisal_request');
    await expectProjectionMatchesCasePage(20);
  });

  it('is written in the transaction of the change: a rolled-back change leaves the projection as it was', async () => {
    const b = await registered(t, s.clerk);
    await move(t, s.clerk, b, 'accept');
    const before = stored(b);
    expect(before.map((r) => r.code)).toEqual(['confirmation']);
    await expect(
      t.store.db.transaction().execute(async (trx) => {
        await trx.updateTable('cases').set({ status: 'confirmed' }).where('id', '=', b).execute();
        await refreshDirty(trx, t.clock);
        // Inside the transaction the clock has already gone …
        expect(await trx.selectFrom('case_clocks').selectAll().where('case_id', '=', b).execute()).toEqual([]);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    // … and with the change rolled back it is there again, with nothing left marked dirty.
    expect(stored(b)).toEqual(before);
    expect(t.store.sqlite.prepare('SELECT COUNT(*) n FROM case_dirty').get()).toEqual({ n: 0 });
  });

  it('a worklist reads the index: the case shows up on the day its clock turns 临期, not before', async () => {
    const b = await registered(t, s.clerk);
    await move(t, s.clerk, b, 'accept');
    const nearFrom = stored(b)[0]!.near_from;
    t.clock.set(new Date(`${addDays(nearFrom, -1)}T02:00:00Z`));
    const officer = await signIn(t, 'officer', 'Staff-pass-2026');
    expect(await t.call('cases.worklist', {}, officer)).toEqual([]);
    t.clock.set(new Date(`${nearFrom}T02:00:00Z`));
    const again = await signIn(t, 'officer', 'Staff-pass-2026');
    expect((await t.call('cases.worklist', {}, again)).map((w) => [w.caseId, w.deadline.status])).toEqual([[b, '临期']]);
  });

  it('is rebuilt on start when the rules it was built from changed (or rows went missing)', async () => {
    const b = await registered(t, s.clerk);
    await move(t, s.clerk, b, 'accept');
    const before = stored();
    t.store.sqlite.exec("DELETE FROM case_clocks; DELETE FROM case_facts; UPDATE derived_state SET value = 'built-from-older-rules'");
    const dir = t.dir;
    await t.close();
    t = openTestCore(dir);
    await t.derived.idle();
    expect(stored()).toEqual(before);
    expect((t.store.sqlite.prepare('SELECT COUNT(*) n FROM case_facts').get() as { n: number }).n).toBe(1);
  });
});
