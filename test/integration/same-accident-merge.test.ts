// The same accident registered at two halls of two offices, merged (issue #13): the duplicate is
// detected at the centre and offered to both; the hall that decides closes its own case as merged
// into the other one (已办结, a pointer, a 办理记录 line), its bills, materials and records stay
// under it and are listed for the kept case; the decision and the merge are audited and travel,
// and both halls converge. A case with a signed document cannot be the one closed (Chinese reason,
// nothing written) — nor one that another computer of the same office signed for meanwhile: the
// centre refuses that merge, and the duplicate stays open for a person.
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestCore } from '../helpers/core';
import { beijingRider, staff, withCheckDigit } from '../helpers/intake';
import { signIn } from '../helpers/core';
import { useSharedCentre, type TestCentre } from '../helpers/central';
import { withCaptureOff } from '../../electron/core/replication/capture';
import { enrolledDevice } from '../helpers/enrolled';
import { move } from '../helpers/desk';
import type { Registration } from '../../shared/api/methods/cases';

let centre: TestCentre;
useSharedCentre((c) => (centre = c));
const cores: TestCore[] = [];
afterAll(async () => {
  for (const c of cores) await c.cleanup();
});

const device = (office: string, name: string) => enrolledDevice(centre, cores, office, name);

const audit = (t: TestCore, method: string) =>
  (t.store.sqlite.prepare('SELECT summary FROM audit_log WHERE method = ? ORDER BY seq').all(method) as { summary: string }[]).map(
    (r) => r.summary,
  );

/** Registers the claim, ticks every material as received and accepts it (受理). */
async function accepted(t: TestCore, clerk: string, claim: Registration): Promise<string> {
  const { caseId } = await t.call('cases.register', claim, clerk);
  const c = await t.call('cases.get', { caseId }, clerk);
  await t.call(
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    clerk,
  );
  await move(t, clerk, caseId, 'accept');
  return caseId;
}

async function sync(t: TestCore, admin: string) {
  const r = await t.call('sync.now', {}, admin);
  expect(r.ok).toBe(true);
  return r;
}

describe('same accident at two halls, merged', () => {
  it('the deciding hall’s case is closed into the other; the merge travels, is audited, and both halls converge', async () => {
    const A = await device('海南州社保经办', '海南州大厅');
    const B = await device('海北州社保经办', '海北州大厅');
    const sa = await staff(A.t, A.admin);
    const sb = await staff(B.t, B.admin);
    const { caseId: kept } = await A.t.call('cases.register', beijingRider(), sa.clerk);
    const closed = await accepted(B.t, sb.clerk, beijingRider());
    await B.t.call(
      'bills.add',
      {
        caseId: closed,
        billDate: '2026-11-20',
        hospital: '海北州人民医院',
        invoiceNo: 'HB-0001',
        amount: '480.50',
        eligible: '480.50',
        submittedDate: '2026-11-24',
      },
      sb.clerk,
    );
    await sync(A.t, A.admin);
    await sync(B.t, B.admin);
    await sync(A.t, A.admin);
    const keptNo = (await A.t.call('cases.get', { caseId: kept }, sa.clerk)).registrationNo;
    const closedNo = (await B.t.call('cases.get', { caseId: closed }, sb.clerk)).registrationNo;

    // A signed document keeps a case from being the one closed: A's hall is told so, nothing is written.
    await A.t.store.db.transaction().execute((trx) =>
      withCaptureOff(trx, async () => {
        await trx
          .insertInto('issued_documents')
          .values({
            id: '01900000-0000-7000-8000-00000000d0c1',
            type: 'acceptance',
            case_id: kept,
            series: 'acceptance',
            document_no: '海南人社受〔2026〕第0001号',
            data: '{}',
            pdf: Buffer.from('%PDF-1.7'),
            pdf_sha256: '0'.repeat(64),
            key_id: 'k',
            signature: 's',
            signer_id: null,
            signer_name: '测试',
            issued_at: '2026-11-24T10:00:00+08:00',
          })
          .execute();
      }),
    );
    const dupA = (await A.t.call('conflicts.list', { show: 'open' }, A.admin)).find((c) => c.kind === 'duplicate')!;
    expect(dupA.choices.map((c) => c.label)).toEqual(['是同一事故：本机的案件并入对方案件', '不是同一事故']);
    const outboxBefore = A.t.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number };
    const refused = await A.t.fail('conflicts.resolve', { id: dupA.id, decision: 'duplicate' }, A.admin);
    expect(refused.message).toContain('本案已签发文书（文号 海南人社受〔2026〕第0001号），签发的文书只属于本案');
    expect(refused.message).toContain('请由对方机构把其案件并入本案');
    expect((await A.t.call('cases.get', { caseId: kept }, sa.clerk)).status).toBe('registered');
    expect(A.t.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual(outboxBefore);
    expect(A.t.store.sqlite.prepare('SELECT count(*) AS n FROM conflict_decisions').get()).toEqual({ n: 0 });

    // B's hall decides: same accident, its case goes into A's.
    const dupB = (await B.t.call('conflicts.list', { show: 'open' }, B.admin)).find((c) => c.kind === 'duplicate')!;
    const r = await B.t.call('conflicts.resolve', { id: dupB.id, decision: 'duplicate' }, B.admin);
    expect(r.summary).toBe(`疑似重复登记：案件 ${closedNo} 与案件 ${keptNo} 为同一事故，已并入后者并关闭`);
    expect(audit(B.t, 'conflicts.resolve')).toEqual([r.summary]);
    const closedCase = await B.t.call('cases.get', { caseId: closed }, sb.clerk);
    expect(closedCase.status).toBe('closed');
    expect(closedCase.merge.mergedInto).toEqual({ caseId: kept, registrationNo: keptNo, here: false });
    // Nothing of the closed case is lost: its bill and its history are still its own.
    expect(closedCase.bills).toHaveLength(1);
    expect(closedCase.transitions.at(-1)).toMatchObject({ reason: `同一事故，并入案件 ${keptNo}` });
    // Merged once only.
    expect((await B.t.fail('conflicts.resolve', { id: dupB.id, decision: 'duplicate' }, B.admin)).message).toContain('已');

    await sync(B.t, B.admin);
    // The centre: both offices' copies of the duplicate are closed; B's case is closed with its pointer.
    const conflicts = await sql<{ resolution: string }>`SELECT resolution FROM conflicts WHERE conflict_kind = 'duplicate'`.execute(
      centre.db,
    );
    expect(conflicts.rows.map((c) => c.resolution)).toEqual(['duplicate', 'duplicate']);
    const atCentre = await sql<{ row: Record<string, unknown> }>`
      SELECT row FROM records WHERE table_name = 'cases' AND key = ${JSON.stringify([closed])}`.execute(centre.db);
    expect(atCentre.rows[0]!.row).toMatchObject({ status: 'closed', merged_into: kept, merged_into_no: keptNo });
    expect(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM mutations WHERE status <> 'applied'`.execute(centre.db)).rows[0]!.n,
    ).toBe(0);

    // A's hall receives the merge for its kept case: the closed case and what it carried.
    await sync(A.t, A.admin);
    const keptCase = await A.t.call('cases.get', { caseId: kept }, sa.clerk);
    expect(keptCase.status).toBe('registered');
    expect(keptCase.merge.mergedInto).toBeNull();
    expect(keptCase.merge.mergedCases).toHaveLength(1);
    const m = keptCase.merge.mergedCases[0]!;
    expect(m).toMatchObject({ caseId: closed, registrationNo: closedNo, office: '海北州社保经办', decidedBy: '系统管理员' });
    expect(m.carried.bills).toEqual([
      { date: '2026-11-20', hospital: '海北州人民医院', amount: '480.50', eligible: '480.50', reimbursed: false },
    ]);
    expect(m.carried.materials.length).toBeGreaterThan(0);
    expect(m.carried.materials.every((x) => x.received)).toBe(true);
    expect(m.carried.history.map((h) => h.to)).toEqual(['已登记', '已受理']);
    // A's inbox shows the decision, made elsewhere, as synced.
    expect((await A.t.call('conflicts.list', { show: 'all' }, A.admin)).find((c) => c.kind === 'duplicate')).toMatchObject({
      decided: { decision: 'duplicate', label: '是同一事故（已合并）', synced: true },
    });
    expect((await A.t.call('conflicts.list', { show: 'open' }, A.admin)).filter((c) => c.kind === 'duplicate')).toEqual([]);
    // A's outbox has nothing of the merge (it only received it) and B's other rows never reached A.
    expect(A.t.store.sqlite.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 1 });
  }, 240_000);

  it('the centre refuses a merge that would close a case another computer of its office has signed for; the duplicate stays open', async () => {
    const rider = () => beijingRider({ idNumber: withCheckDigit('63010219900101123') });
    const A = await device('海东市社保经办', '海东大厅');
    const B1 = await device('黄南州社保经办', '黄南大厅一号机');
    const B2 = await device('黄南州社保经办', '黄南大厅二号机');
    const sa = await staff(A.t, A.admin);
    const sb = await staff(B1.t, B1.admin);
    const { caseId: kept } = await A.t.call('cases.register', rider(), sa.clerk);
    const closed = await accepted(B1.t, sb.clerk, rider());
    await sync(A.t, A.admin);
    await sync(B1.t, B1.admin);
    await sync(A.t, A.admin);

    // The office's second computer receives the case and signs its 受理通知书.
    await sync(B2.t, B2.admin);
    await B2.t.call(
      'users.create',
      { username: 'clerk-b2', displayName: '受理员丁', roles: ['intake_clerk'], password: 'Staff-pass-2026' },
      B2.admin,
    );
    const clerkB2 = await signIn(B2.t, 'clerk-b2', 'Staff-pass-2026');
    const notice = await B2.t.call('notices.issueForCase', { caseId: closed, type: 'acceptance' }, clerkB2);
    expect((await B2.t.call('sync.now', {}, B2.admin)).rejected).toBe(0);

    // The first computer has not heard of it and decides the duplicate: its case into A's.
    const dup = (await B1.t.call('conflicts.list', { show: 'open' }, B1.admin)).find((c) => c.kind === 'duplicate')!;
    await B1.t.call('conflicts.resolve', { id: dup.id, decision: 'duplicate' }, B1.admin);
    const pass = await B1.t.call('sync.now', {}, B1.admin);
    expect(pass).toMatchObject({ rejected: 1, errors: [] });
    const refusal = JSON.parse(
      (B1.t.store.sqlite.prepare("SELECT result FROM sync_outbox WHERE status = 'rejected'").get() as { result: string }).result,
    ) as { code: string; message: string };
    expect(refusal.code).toBe('MERGE_SIGNED');
    expect(refusal.message).toContain(`要关闭的案件已签发文书（文号 ${notice.documentNo}）`);
    expect(refusal.message).toContain('请由对方机构把其案件并入该案');
    // The same pass brings the centre's state of the case back: not closed, not merged, with B2's notice.
    const back = await B1.t.call('cases.get', { caseId: closed }, sb.clerk);
    expect(back.status).toBe('accepted');
    expect(back.merge.mergedInto).toBeNull();
    expect(B1.t.store.sqlite.prepare('SELECT document_no FROM issued_documents WHERE case_id = ?').all(closed)).toEqual([
      { document_no: notice.documentNo },
    ]);

    // The centre closed nothing: the case is as B2 left it, no merge record, the duplicate still open.
    const atCentre = await sql<{ row: Record<string, unknown> }>`
      SELECT row FROM records WHERE table_name = 'cases' AND key = ${JSON.stringify([closed])}`.execute(centre.db);
    expect(atCentre.rows[0]!.row).toMatchObject({ status: 'accepted', merged_into: null });
    const merges = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM records WHERE table_name = 'case_merges' AND row ->> 'merged_case_id' = ${closed}`.execute(centre.db);
    expect(merges.rows[0]!.n).toBe(0);
    const open = await sql<{ resolution: string | null }>`
      SELECT c.resolution FROM conflicts c WHERE c.conflict_kind = 'duplicate' AND c.key_json ->> 'id' IN (${kept}, ${closed})`.execute(
      centre.db,
    );
    // One for each office, both undecided.
    expect(open.rows).toEqual([{ resolution: null }, { resolution: null }]);
  }, 240_000);
});
