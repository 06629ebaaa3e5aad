// The 同步冲突 inbox end to end (issue #13): real device stores, a real centre (PGlite, in memory),
// real sync passes. A worker's phone corrected at two halls; a case terminated at the hall while
// the committee works on it offline; the same accident registered at two halls, detected at the
// centre and offered to both as a duplicate. Each is seen side by side in Chinese, decided by an
// authorised person, and the decision travels (audited) and closes the conflict at the centre.
import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { appraisalStaff, requestedCase } from '../helpers/appraisal';
import { useFileCentre, resetCentral, type TestCentre } from '../helpers/central';
import { enrolledDevice } from '../helpers/enrolled';

let centre: TestCentre;
const cores: TestCore[] = [];

useFileCentre((c) => (centre = c), cores);
beforeEach(async () => {
  await resetCentral(centre.db);
});

const device = (office: string, name: string) => enrolledDevice(centre, cores, office, name);

async function centreConflicts(where = sql`TRUE`) {
  const r = await sql<{ id: string; conflict_kind: string; office: string; resolved_at: Date | null; resolution: string | null }>`
    SELECT c.id, c.conflict_kind, o.name AS office, c.resolved_at, c.resolution FROM conflicts c JOIN offices o ON o.id = c.office_id
    WHERE ${where} ORDER BY o.name`.execute(centre.db);
  return r.rows;
}

const audit = (t: TestCore, method: string) =>
  (t.store.sqlite.prepare('SELECT summary FROM audit_log WHERE method = ?').all(method) as { summary: string }[]).map((r) => r.summary);

describe('同步冲突', () => {
  it("a worker's phone corrected at two halls: both versions shown, the hall's kept, and it reaches the other device", async () => {
    const office = '西宁市社保经办';
    const A = await device(office, '受理大厅 A');
    const B = await device(office, '受理大厅 B');
    const sa = await staff(A.t, A.admin);
    const sb = await staff(B.t, B.admin);
    const { caseId } = await A.t.call('cases.register', beijingRider(), sa.clerk);
    expect((await A.t.call('sync.now', {}, A.admin)).ok).toBe(true);
    expect((await B.t.call('sync.now', {}, B.admin)).ok).toBe(true);
    const workerId = (await B.t.call('cases.get', { caseId }, sb.clerk)).worker.id;

    // Corrected at A (and synced) and, meanwhile, at B from an older state.
    await A.t.call('workers.correctPhone', { workerId, phone: '13900000001' }, sa.clerk);
    expect((await A.t.call('sync.now', {}, A.admin)).ok).toBe(true);
    await B.t.call('workers.correctPhone', { workerId, phone: '13900000002' }, sb.clerk);
    expect(await B.t.call('sync.now', {}, B.admin)).toMatchObject({ ok: true, conflicts: 1 });
    // The centre's row is back here meanwhile; nothing was overwritten silently.
    expect((await B.t.call('cases.get', { caseId }, sb.clerk)).worker.phone).toBe('13900000001');

    // (Both halls also saved the platforms' legal names from the same version: that conflict is theirs too.)
    const inbox = (await B.t.call('conflicts.list', { show: 'open' }, B.admin)).filter((c) => c.recordLabel === '伤者');
    expect(inbox).toHaveLength(1);
    const item = inbox[0]!;
    expect(item).toMatchObject({ kind: 'stale', recordLabel: '伤者', callLabel: '更正伤者联系电话', madeHere: true, decided: null });
    expect(item.fields.find((f) => f.label === '联系电话')).toEqual({
      label: '联系电话',
      mine: '13900000002',
      centre: '13900000001',
      differs: true,
    });
    expect(item.choices.map((c) => c.label)).toEqual(['采用本机的修改', '保留中心的版本']);
    // Only an authorised person decides.
    expect((await B.t.fail('conflicts.resolve', { id: item.id, decision: 'device' }, sb.clerk)).code).toBe('FORBIDDEN');

    await B.t.call('conflicts.resolve', { id: item.id, decision: 'device' }, B.admin);
    expect(audit(B.t, 'conflicts.resolve')).toEqual(['「伤者」的同步冲突：采用本机的修改']);
    expect((await B.t.call('conflicts.list', { show: 'open' }, B.admin)).filter((c) => c.recordLabel === '伤者')).toEqual([]);
    expect((await B.t.fail('conflicts.resolve', { id: item.id, decision: 'centre' }, B.admin)).message).toContain('已于');
    expect(await B.t.call('sync.now', {}, B.admin)).toMatchObject({ ok: true, conflicts: 0, rejected: 0 });
    const decided = await centreConflicts(sql`c.id = ${item.id}`);
    expect(decided).toMatchObject([{ resolution: 'device' }]);
    expect(decided[0]!.resolved_at).not.toBeNull();

    // A receives B's number, and its inbox shows the conflict as decided.
    expect((await A.t.call('sync.now', {}, A.admin)).ok).toBe(true);
    expect((await A.t.call('cases.get', { caseId }, sa.clerk)).worker.phone).toBe('13900000002');
    const atA = (await A.t.call('conflicts.list', { show: 'all' }, A.admin)).find((c) => c.id === item.id);
    expect(atA).toMatchObject({ madeHere: false, decided: { label: '采用本机的修改', synced: true } });
  }, 180_000);

  it('a case terminated at the hall while the committee works on it offline: the centre’s state is kept', async () => {
    // The committee's laptop belongs to the same office here: accounts named on a case do not yet
    // reach another office's devices (they are office-wide rows; issue #13's accounts part).
    const H = await device('海东市社保经办', '受理大厅');
    const C = await device('海东市社保经办', '鉴定委员会笔记本');
    const sh = await staff(H.t, H.admin);
    const ah = await appraisalStaff(H.t, H.admin);
    const caseId = await requestedCase(H.t, { clerk: sh.clerk, officer: sh.officer, secretary: ah.secretary });
    expect(await H.t.call('sync.now', {}, H.admin)).toMatchObject({ ok: true, errors: [] });
    const ac = await appraisalStaff(C.t, C.admin);
    expect(await C.t.call('sync.now', {}, C.admin)).toMatchObject({ ok: true, errors: [] });
    const atC = await C.t.call('cases.get', { caseId }, ac.secretary);
    expect(atC.status).toBe('awaiting_appraisal');

    // The hall terminates (the applicant withdrew); the committee, offline, extends the treatment period.
    const atH = await H.t.call('cases.get', { caseId }, sh.clerk);
    await H.t.call(
      'cases.transition',
      { caseId, action: 'terminate', expectedVersion: atH.version, reason: '申请人撤回鉴定申请' },
      sh.clerk,
    );
    expect((await H.t.call('sync.now', {}, H.admin)).ok).toBe(true);
    await C.t.call(
      'cases.transition',
      { caseId, action: 'extend_treatment', expectedVersion: atC.version, reason: '伤情尚未稳定，延长治疗期' },
      ac.secretary,
    );
    expect(await C.t.call('sync.now', {}, C.admin)).toMatchObject({ ok: true, conflicts: 1 });
    expect((await C.t.call('cases.get', { caseId }, ac.secretary)).status).toBe('terminated');

    const item = (await C.t.call('conflicts.list', { show: 'open' }, C.admin)).find((c) => c.recordLabel === '案件');
    expect(item).toMatchObject({ kind: 'stale', recordLabel: '案件', callLabel: '办理案件' });
    expect(item!.fields.find((f) => f.label === '案件状态')).toMatchObject({ mine: '待鉴定', centre: '已终止' });
    // A case's own row never takes a stale edit: only the centre's state can be kept.
    expect(item!.choices.map((c) => c.decision)).toEqual(['centre']);
    expect((await C.t.fail('conflicts.resolve', { id: item!.id, decision: 'device' }, C.admin)).message).toContain('只能选择');
    await C.t.call('conflicts.resolve', { id: item!.id, decision: 'centre' }, C.admin);
    expect(await C.t.call('sync.now', {}, C.admin)).toMatchObject({ ok: true, rejected: 0, conflicts: 0 });
    expect(await centreConflicts(sql`c.id = ${item!.id}`)).toMatchObject([{ resolution: 'centre' }]);
    expect((await C.t.call('cases.get', { caseId }, ac.secretary)).status).toBe('terminated');
  }, 180_000);

  it('the same accident registered at two halls is detected on sync and offered to both as a duplicate', async () => {
    const A = await device('海南州社保经办', '海南州大厅');
    const B = await device('海北州社保经办', '海北州大厅');
    const sa = await staff(A.t, A.admin);
    const sb = await staff(B.t, B.admin);
    await A.t.call('cases.register', beijingRider(), sa.clerk);
    await B.t.call('cases.register', beijingRider(), sb.clerk);
    expect((await A.t.call('sync.now', {}, A.admin)).ok).toBe(true);
    expect((await B.t.call('sync.now', {}, B.admin)).ok).toBe(true);
    expect((await A.t.call('sync.now', {}, A.admin)).ok).toBe(true);
    const atCentre = await centreConflicts(sql`c.conflict_kind = 'duplicate'`);
    expect(atCentre.map((c) => c.office)).toEqual(['海北州社保经办', '海南州社保经办']);

    for (const d of [A, B]) {
      // (Each hall's seeded platforms also meet the other's edits: those are stale conflicts of their own.)
      const dup = (await d.t.call('conflicts.list', { show: 'open' }, d.admin)).find((c) => c.kind === 'duplicate');
      expect(dup).toMatchObject({ kind: 'duplicate', recordLabel: '案件', callLabel: '登记申请' });
      expect(dup!.fields.find((f) => f.label === '身份证号')).toMatchObject({ differs: false });
      expect(dup!.fields.find((f) => f.label === '事故日期')).toMatchObject({ differs: false });
      expect(dup!.choices.map((c) => c.label)).toEqual(['是同一事故：本机的案件并入对方案件', '不是同一事故']);
    }
    const dupB = (await B.t.call('conflicts.list', { show: 'open' }, B.admin)).find((c) => c.kind === 'duplicate');
    await B.t.call('conflicts.resolve', { id: dupB!.id, decision: 'duplicate' }, B.admin);
    expect((await B.t.call('sync.now', {}, B.admin)).ok).toBe(true);
    // One decision closes every office's copy.
    expect((await centreConflicts(sql`c.conflict_kind = 'duplicate'`)).map((c) => c.resolution)).toEqual(['duplicate', 'duplicate']);
    expect((await A.t.call('sync.now', {}, A.admin)).ok).toBe(true);
    expect((await A.t.call('conflicts.list', { show: 'open' }, A.admin)).filter((c) => c.kind === 'duplicate')).toEqual([]);
    expect((await A.t.call('conflicts.list', { show: 'all' }, A.admin)).find((c) => c.kind === 'duplicate')).toMatchObject({
      decided: { decision: 'duplicate', synced: true },
    });
  }, 180_000);
});
