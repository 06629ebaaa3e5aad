// The sync outbox, written by the dispatcher's commit hook in the call's own transaction. A whole
// day's work runs through a checker that snapshots every replicated table around each call: a
// mutating call that changed replicated rows leaves exactly one outbox mutation whose row
// changes are exactly those rows (as they are now, local columns stripped, BLOBs by hash) with
// the versions they had before (base) and after, and whose audit copy is the call's audit entry;
// any other call leaves none. A failed call leaves none (rollback); sequence numbers stay gapless
// under many concurrent calls, failures among them.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, openTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { beijingRider, withCheckDigit } from '../helpers/intake';
import { deliver, gradeAndSign, hearingScene, STAFF_PASSWORD } from '../helpers/appraisal';
import { trustEachOther } from '../helpers/package';
import { api, type MethodName } from '../../shared/api/contract';
import { mutationSchema, type Mutation, type RowChange } from '../../shared/sync/protocol';
import { SYNC_TABLES, rowKeyString } from '../../shared/sync/tables';
import { canonical } from '../../shared/crypto/canonical';
import { entryHash } from '../../electron/core/audit';
import { storeMetaSync } from '../../electron/core/replication/table-meta';
import { toSyncRow } from '../../electron/core/replication/row-codec';
import { readBlob } from '../../electron/core/replication/blobs';
import { parseOutboxRow, pendingMutations, wireMutations } from '../../electron/core/replication/outbox';

interface Snap {
  table: string;
  key: Record<string, unknown>;
  wire: string;
  version: number | null;
  row: Record<string, unknown>;
}

function snapshot(t: TestCore): Map<string, Snap> {
  const meta = storeMetaSync(t.store.sqlite);
  const out = new Map<string, Snap>();
  for (const spec of SYNC_TABLES) {
    const tm = meta.tables.get(spec.table)!;
    for (const r of t.store.sqlite.prepare(`SELECT * FROM ${spec.table}`).all() as Record<string, unknown>[]) {
      const key = Object.fromEntries(spec.key.map((k) => [k, r[k]]));
      const wire = toSyncRow(tm, r).row;
      out.set(`${spec.table} ${rowKeyString(spec, r)}`, {
        table: spec.table,
        key,
        wire: canonical(wire),
        version: spec.merge === 'versioned' ? Number(r[spec.versionColumn!]) : null,
        row: wire,
      });
    }
  }
  return out;
}

const outbox = (t: TestCore) =>
  (t.store.sqlite.prepare('SELECT * FROM sync_outbox ORDER BY seq').all() as never[]).map((r) => parseOutboxRow(r));
const captured = (t: TestCore) => (t.store.sqlite.prepare('SELECT count(*) AS n FROM sync_capture').get() as { n: number }).n;

/** What the outbox mutation of a call must carry, from the snapshots around it. */
function expectedChanges(before: Map<string, Snap>, after: Map<string, Snap>): Map<string, RowChange> {
  const out = new Map<string, RowChange>();
  for (const [k, a] of after) {
    const b = before.get(k);
    if (b && b.wire === a.wire) continue;
    const spec = SYNC_TABLES.find((s) => s.table === a.table)!;
    if (b && spec.merge === 'set') continue;
    out.set(k, {
      table: a.table,
      key: a.key as RowChange['key'],
      op: 'upsert',
      baseVersion: b ? (b.version ?? 1) : null,
      version: a.version ?? 1,
      row: a.row as RowChange['row'],
    });
  }
  for (const [k, b] of before) {
    if (after.has(k)) continue;
    out.set(k, {
      table: b.table,
      key: b.key as RowChange['key'],
      op: 'delete',
      baseVersion: b.version ?? 1,
      version: (b.version ?? 0) + 1,
      row: null,
    });
  }
  return out;
}

/** The same TestCore, every call checked against the outbox. */
function checked(t: TestCore, seen: Set<string>): TestCore {
  const check = async <T>(method: MethodName, run: () => Promise<T>): Promise<T> => {
    const before = snapshot(t);
    const lastSeq = outbox(t).at(-1)?.seq ?? 0;
    const lastAudit = (t.store.sqlite.prepare('SELECT max(seq) AS s FROM audit_log').get() as { s: number | null }).s ?? 0;
    let result: T;
    try {
      result = await run();
    } finally {
      const after = snapshot(t);
      const fresh = outbox(t).filter((m) => m.seq > lastSeq);
      const expected = expectedChanges(before, after);
      expect(captured(t), `${method} left captured keys`).toBe(0);
      if (!api[method].mutates || expected.size === 0) {
        expect(fresh, `${method} wrote an outbox row without changing a replicated table`).toEqual([]);
      } else {
        seen.add(method);
        expect(
          fresh.map((m) => m.seq),
          `${method}: one mutation`,
        ).toEqual([lastSeq + 1]);
        const m = fresh[0]!;
        expect(m.kind).toBe(method);
        const got = new Map(
          m.rows.map((r) => [
            `${r.table} ${rowKeyString(
              SYNC_TABLES.find((s) => s.table === r.table)!,
              r.key,
            )}`,
            r,
          ]),
        );
        expect(new Set(got.keys()), `${method}: the changed rows`).toEqual(new Set(expected.keys()));
        for (const [k, e] of expected) expect(got.get(k), `${method}: ${k}`).toEqual(e);
        // The audit copy is the call's own audit entry, and recomputes to its hash.
        const audit = t.store.sqlite.prepare('SELECT * FROM audit_log WHERE seq = ?').get(m.audit!.seq) as Record<string, unknown>;
        expect(m.audit!.seq).toBeGreaterThan(lastAudit);
        expect(m.audit).toEqual({
          seq: audit.seq,
          at: audit.at,
          actorId: audit.actor_id,
          actorName: audit.actor_name,
          method,
          action: api[method].label,
          entity: audit.entity,
          entityId: audit.entity_id,
          summary: audit.summary,
          prevHash: audit.prev_hash,
          hash: audit.hash,
        });
        expect(entryHash(m.audit!.seq, m.audit!, m.audit!.prevHash)).toBe(m.audit!.hash);
        expect([m.userId, m.userName, m.entity, m.entityId, m.at]).toEqual([
          audit.actor_id,
          audit.actor_name,
          audit.entity,
          audit.entity_id,
          audit.at,
        ]);
        // Nothing local leaves: no password material or lockout state.
        expect(JSON.stringify(m.rows)).not.toMatch(/password_hash|password_salt|failed_attempts|locked_until/);
      }
    }
    return result;
  };
  return {
    ...t,
    call: (method, input, token = null) => check(method, () => t.call(method, input, token)),
    fail: (method, input, token = null) => check(method as MethodName, () => t.fail(method, input, token)),
  };
}

let t: TestCore;
beforeEach(() => {
  t = makeTestCore();
});
afterEach(async () => {
  await t.cleanup();
});

describe('the outbox follows every call', () => {
  it('leaves one mutation per call that changed replicated rows, with the right rows and versions, and none otherwise', async () => {
    const seen = new Set<string>();
    const c = checked(t, seen);
    const admin = await setupAdmin(c);
    const scene = await hearingScene(c, admin);
    const { caseId, hearingId } = scene;
    const users = Object.fromEntries(
      (t.store.sqlite.prepare('SELECT id, username FROM users').all() as { id: string; username: string }[]).map((u) => [u.username, u.id]),
    );

    // Reference data and accident reports.
    await c.call('platforms.save', { code: 'test-go', name: '测试出行', industry: 'ride_hailing', creditCode: null, active: true }, admin);
    await c.call('platforms.save', { code: 'test-go', name: '测试出行', industry: 'ride_hailing', creditCode: null, active: false }, admin);
    const report = {
      reportNo: 'BA-0001',
      platform: '美团',
      workerName: '李二',
      idNumber: withCheckDigit('11010819900101123'),
      phone: '13800138001',
      accidentAt: '2026-11-20T12:30',
      place: '海淀区',
      orderNo: 'MT20261120-0009',
      orderAcceptedAt: '2026-11-20T12:10',
      orderFinishedAt: null,
      description: '摔倒',
      reportedAt: '2026-11-20T13:00',
    };
    await c.call('accidentReports.import', { reports: [report] }, admin);

    // Intake: attachments, bills and their reimbursement, a notice for the case.
    await c.call(
      'cases.attach',
      { caseId, materialCode: 'diagnosis', filename: '诊断书.pdf', dataBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') },
      scene.clerk,
    );
    const { billId } = await c.call(
      'bills.add',
      {
        caseId,
        billDate: '2026-11-20',
        hospital: '北京大学第三医院',
        invoiceNo: 'E0001',
        amount: '302.00',
        eligible: '302.00',
        submittedDate: '2026-11-24',
      },
      scene.clerk,
    );
    await c.call('bills.reimburse', { billId }, scene.clerk);
    await c.call(
      'numbering.addBlock',
      { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁市社会保险服务中心', year: 2026, first: 1, last: 99 },
      admin,
    );
    await c.call('notices.issueForCase', { caseId, type: 'acceptance' }, scene.clerk);
    // A document on no case (an administrator's own notice): it travels too, with no case to hold it.
    const data = JSON.parse(fs.readFileSync('docs/examples/notice-acceptance.json', 'utf8')) as Record<string, unknown>;
    await c.call('notices.issue', { caseId: null, data }, admin);

    // Appraisal: a recusal and the extension, the hearing day, the conclusion and its notice, the report.
    const experts = await c.call('experts.list', {}, scene.secretary);
    const notOnPanel = experts.find((e) => !scene.panel.some((p) => p.id === e.id))!;
    await c.call('appraisal.recuse', { caseId, expertId: notOnPanel.id, reason: '系申请人近亲属' }, scene.secretary);
    await c.call('experts.save', { ...notOnPanel, available: false }, admin);
    await c.call('appraisal.extend', { caseId, reason: '伤情复杂，需补充检查' }, scene.leader);
    await gradeAndSign(c, { ...scene, hearingId, caseId });
    await c.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 99 },
      admin,
    );
    const notice = await c.call('hearings.issueConclusion', { hearingId, caseId }, scene.leader);
    await c.call('hearings.issueReport', { hearingId }, scene.secretary);

    // Benefits.
    await c.call(
      'users.create',
      { username: 'officer2', displayName: '待遇核定己', password: STAFF_PASSWORD, roles: ['benefit_officer'] },
      admin,
    );
    await c.call(
      'users.create',
      { username: 'reviewer', displayName: '待遇复核庚', password: STAFF_PASSWORD, roles: ['benefit_reviewer'] },
      admin,
    );
    await c.call(
      'users.create',
      { username: 'reviewer2', displayName: '社保复核辛', password: STAFF_PASSWORD, roles: ['insurance_reviewer'] },
      admin,
    );
    const officer = await signIn(c, 'officer2', STAFF_PASSWORD);
    const reviewer = await signIn(c, 'reviewer', STAFF_PASSWORD);
    const reviewer2 = await signIn(c, 'reviewer2', STAFF_PASSWORD);
    const { id } = await c.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, officer);
    // 双重复核: both rounds of the pack's chain (determination_reviews).
    await c.call('determinations.review', { determinationId: id, approve: true }, reviewer);
    await c.call('determinations.review', { determinationId: id, approve: true }, reviewer2);
    await c.call(
      'numbering.addBlock',
      { series: 'benefits', pattern: '宁职伤待〔{year}〕{seq}号', issuer: '西宁市社会保险服务中心', year: 2026, first: 1, last: 99 },
      admin,
    );
    const benefitNotice = await c.call('determinations.issueNotice', { determinationId: id }, reviewer2);
    // 送达 with its 回证 (deliveries and a new issued document), a voided notice, a death and a dependant.
    await c.call(
      'numbering.addBlock',
      { series: 'delivery', pattern: '宁送〔{year}〕{seq}号', issuer: '西宁市社会保险服务中心', year: 2026, first: 1, last: 99 },
      admin,
    );
    await deliver(c, scene.leader, benefitNotice.id, 'worker');
    await c.call('notices.void', { id: benefitNotice.id, reason: '送达地址有误，重新出具' }, reviewer2);
    const { version } = await c.call('cases.get', { caseId }, scene.clerk);
    await c.call(
      'cases.recordDeath',
      { caseId, expectedVersion: version, deathDate: '2026-11-24', causedByInjury: false, evidence: '居民死亡医学证明书 No.001' },
      scene.clerk,
    );
    await c.call(
      'dependants.save',
      {
        caseId,
        dependant: {
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
      },
      officer,
    );

    // Accounts: roles changed (user_roles deleted and inserted again), passwords, sign-in state (local only).
    await c.call(
      'users.update',
      { userId: users.clerk!, roles: ['intake_clerk', 'confirmation_officer'], displayName: '受理员甲甲' },
      admin,
    );
    await c.call('users.update', { userId: users.both!, roles: ['intake_clerk'] }, admin);
    await c.call('users.resetPassword', { userId: users.both!, newPassword: 'New-pass-2026x' }, admin);
    await c.call('auth.changePassword', { currentPassword: STAFF_PASSWORD, newPassword: 'Staff-pass-2027' }, scene.clerk);
    expect((await c.call('auth.login', { username: 'officer', password: 'wrong-password' })).ok).toBe(false);
    await c.call('auth.lock', {}, scene.officer);
    await c.call('auth.unlock', { password: STAFF_PASSWORD }, scene.officer);
    await c.call('settings.update', { idleLockMinutes: 30 }, admin);
    await c.call('hearings.exportPackage', { hearingId, recipientKeyId: null }, scene.secretary);
    await c.call('auth.logout', {}, scene.officer);

    // Every kind of replicated change was exercised, and the document's bytes are addressable by hash.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'accidentReports.import',
        'appraisal.drawPanel',
        'appraisal.extend',
        'appraisal.precheck',
        'appraisal.recuse',
        'auth.setup',
        'bills.add',
        'bills.reimburse',
        'cases.attach',
        'cases.register',
        'cases.setMaterials',
        'cases.transition',
        'determinations.issueNotice',
        'determinations.prepare',
        'determinations.review',
        'deliveries.record',
        'notices.void',
        'cases.recordDeath',
        'dependants.save',
        'experts.save',
        'hearings.assign',
        'hearings.attendance',
        'hearings.create',
        'hearings.issueConclusion',
        'hearings.issueReport',
        'hearings.opinion',
        'hearings.sign',
        'notices.issueForCase',
        'notices.issue',
        'platforms.save',
        'users.create',
        'users.update',
        'users.resetPassword',
        'auth.changePassword',
      ]),
    );
    for (const quiet of [
      'auth.login',
      'auth.lock',
      'auth.unlock',
      'auth.logout',
      'settings.update',
      'numbering.addBlock',
      'hearings.exportPackage',
    ])
      expect(seen.has(quiet), quiet).toBe(false);
    const doc = outbox(t)
      .flatMap((m) => m.rows)
      .find((r) => r.table === 'issued_documents' && r.key.id === notice.id)!;
    const ref = (doc.row as { pdf: { $blob: string } }).pdf.$blob;
    const stored = t.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE id = ?').get(notice.id) as { pdf: Buffer };
    expect((await readBlob(t.store.db, ref))!.equals(stored.pdf)).toBe(true);
    // Every mutation is one the centre accepts as it is.
    for (const m of await pendingMutations(t.store.db, 10_000)) expect(mutationSchema.safeParse(m).success).toBe(true);
    // The push sends the stored text as it is: the same JSON as the parsed mutation, and the blobs it names.
    const wire = await wireMutations(t.store.db, 10_000);
    expect(wire.map((w) => w.json)).toEqual((await pendingMutations(t.store.db, 10_000)).map((m) => JSON.stringify(m)));
    expect(wire.flatMap((w) => w.blobs)).toContain(ref);
    expect((await wireMutations(t.store.db, 3, 2)).map((w) => w.seq)).toEqual([2, 3, 4]);
  });

  it('writes nothing when a call fails after changing rows, and nothing for reads', async () => {
    const admin = await setupAdmin(t);
    const before = outbox(t).length;
    // Taking the last administrator's role changes users and user_roles, then fails the check: all rolled back.
    const me = (await t.call('auth.me', {}, admin)).user!;
    expect((await t.fail('users.update', { userId: me.id, roles: ['intake_clerk'] }, admin)).code).toBe('CONFLICT');
    expect(outbox(t)).toHaveLength(before);
    expect(captured(t)).toBe(0);
    await t.call('users.list', {}, admin);
    await t.call('audit.verify', {}, admin);
    await t.call('cases.search', { q: '单通' }, admin);
    expect(outbox(t)).toHaveLength(before);
    expect(captured(t)).toBe(0);
  });

  it('keeps seq gapless per device under many concurrent calls, failures among them', async () => {
    const admin = await setupAdmin(t);
    const s = await import('../helpers/intake').then((m) => m.staff(t, admin));
    const start = outbox(t).at(-1)!.seq;
    const calls = Array.from({ length: 60 }, (_, i) =>
      i % 4 === 3
        ? t.dispatch({
            method: 'cases.register',
            input: { ...beijingRider(), worker: { ...beijingRider().worker, idNumber: '123' } },
            sessionToken: s.clerk,
          })
        : t.dispatch({
            method: 'cases.register',
            input: beijingRider({ idNumber: withCheckDigit(`1101081990010${String(1000 + i).slice(-4)}`) }),
            sessionToken: s.clerk,
          }),
    );
    const results = await Promise.all(calls);
    const ok = results.filter((r) => r.ok).length;
    expect(ok).toBe(45);
    const seqs = outbox(t).map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.at(-1)).toBe(start + ok);
  });
});

describe('row versions and tombstones', () => {
  it('bumps the version on every update, never twice, and leaves a tombstone that a delete travels with', async () => {
    const admin = await setupAdmin(t);
    const s = await import('../helpers/intake').then((m) => m.staff(t, admin));
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    const v = (code: string) =>
      (
        t.store.sqlite.prepare('SELECT row_version AS v FROM case_materials WHERE case_id = ? AND code = ?').get(caseId, code) as {
          v: number;
        }
      ).v;
    expect(v('diagnosis')).toBe(1);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call('cases.setMaterials', { caseId, expectedVersion: c.version, materials: [{ code: 'diagnosis', received: true }] }, s.clerk);
    expect(v('diagnosis')).toBe(2);
    // An explicit version is kept as set (pull applies and packages set it), not bumped again.
    t.store.sqlite.prepare("UPDATE case_materials SET row_version = 7, note = 'x' WHERE case_id = ? AND code = 'diagnosis'").run(caseId);
    expect(v('diagnosis')).toBe(7);
    // cases carries its own version column, bumped by the code that moves it; the trigger covers other updates.
    const before = (t.store.sqlite.prepare('SELECT version FROM cases WHERE id = ?').get(caseId) as { version: number }).version;
    t.store.sqlite.prepare("UPDATE cases SET place = '海淀区' WHERE id = ?").run(caseId);
    expect((t.store.sqlite.prepare('SELECT version FROM cases WHERE id = ?').get(caseId) as { version: number }).version).toBe(before + 1);

    // A delete leaves its tombstone (version after the delete); the same key inserted again carries on from it.
    const row = t.store.sqlite.prepare("SELECT * FROM case_materials WHERE case_id = ? AND code = 'diagnosis'").get(caseId) as Record<
      string,
      unknown
    >;
    t.store.sqlite.prepare("DELETE FROM case_materials WHERE case_id = ? AND code = 'diagnosis'").run(caseId);
    const key = JSON.stringify([caseId, 'diagnosis']);
    expect(t.store.sqlite.prepare('SELECT version FROM sync_tombstones WHERE tbl = ? AND key = ?').get('case_materials', key)).toEqual({
      version: 8,
    });
    t.store.sqlite
      .prepare('INSERT INTO case_materials (case_id, code, label, required, received, note) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.case_id, row.code, row.label, row.required, row.received, row.note);
    expect(v('diagnosis')).toBe(9);
    expect(t.store.sqlite.prepare('SELECT count(*) AS n FROM sync_tombstones').get()).toEqual({ n: 0 });
    // Changes made outside a call are not lost: the next call's mutation carries them.
    const next = await t.call('cases.register', beijingRider({ idNumber: withCheckDigit('11010819900101123') }), s.clerk);
    const m = outbox(t).at(-1)!;
    expect(m.rows.find((r) => r.table === 'case_materials' && r.key.case_id === caseId && r.key.code === 'diagnosis')).toMatchObject({
      op: 'upsert',
      baseVersion: 2,
      version: 9,
    });
    expect(m.rows.some((r) => r.table === 'cases' && r.key.id === next.caseId)).toBe(true);
  });

  it('sends a removed role as a delete with its tombstone version', async () => {
    const admin = await setupAdmin(t);
    const { userId: id } = await t.call(
      'users.create',
      { username: 'both', displayName: '兼岗丙', password: STAFF_PASSWORD, roles: ['intake_clerk', 'confirmation_officer'] },
      admin,
    );
    await t.call('users.update', { userId: id, roles: ['intake_clerk'] }, admin);
    const m = outbox(t).at(-1)!;
    expect(m.kind).toBe('users.update');
    // The account row (its updated_at) and the one role that went; the role kept is no change.
    expect(m.rows.map((r) => r.table)).toEqual(['users', 'user_roles']);
    expect(m.rows[1]).toEqual({
      table: 'user_roles',
      key: { user_id: id, role: 'confirmation_officer' },
      op: 'delete',
      baseVersion: 1,
      version: 1,
      row: null,
    });
  });
});

describe('baseline', () => {
  it('enqueues the rows of a store that predates the outbox, once, with no base version', async () => {
    const admin = await setupAdmin(t);
    const s = await import('../helpers/intake').then((m) => m.staff(t, admin));
    await t.call('cases.register', beijingRider(), s.clerk);
    // Rewind the store to before migration 500–502: no outbox, no versions; then reopen.
    const dir = t.dir;
    const sq = t.store.sqlite;
    const tables = sq.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sync_%'").all() as { name: string }[];
    sq.exec('PRAGMA foreign_keys = OFF; DROP TRIGGER IF EXISTS sync_outbox_fixed; DROP TRIGGER IF EXISTS sync_outbox_keep_pending;');
    for (const tr of sq.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_sync_%'").all() as {
      name: string;
    }[])
      sq.exec(`DROP TRIGGER ${tr.name}`);
    for (const { name } of tables) sq.exec(`DROP TABLE ${name}`);
    sq.exec('DELETE FROM schema_migrations WHERE version BETWEEN 500 AND 519');
    // 561's guard on a merged case reads the capture switch (a table of 500): it goes too, and comes back after.
    sq.exec('DROP TRIGGER cases_merged_fixed; DELETE FROM schema_migrations WHERE version = 561');
    for (const spec of SYNC_TABLES.filter((x) => x.versionColumn === 'row_version'))
      sq.exec(`ALTER TABLE ${spec.table} DROP COLUMN row_version`);
    sq.exec('ALTER TABLE trusted_signers DROP COLUMN enc_public_key');
    await t.close();
    const again = openTestCore(dir);
    try {
      const rows = (again.store.sqlite.prepare('SELECT * FROM sync_outbox ORDER BY seq').all() as never[]).map((r) => parseOutboxRow(r));
      expect(rows.every((m: Mutation) => m.kind === 'sync.baseline' && m.audit === null && m.userId === null)).toBe(true);
      expect(rows.map((m) => m.seq)).toEqual(rows.map((_, i) => i + 1));
      const changes = rows.flatMap((m) => m.rows);
      expect(changes.every((r) => r.op === 'upsert' && r.baseVersion === null)).toBe(true);
      // Every replicated row is there once, parents first.
      const total = SYNC_TABLES.reduce(
        (n, spec) => n + (again.store.sqlite.prepare(`SELECT count(*) AS n FROM ${spec.table}`).get() as { n: number }).n,
        0,
      );
      expect(changes).toHaveLength(total);
      const order = SYNC_TABLES.map((x) => x.table);
      expect(changes.map((r) => order.indexOf(r.table))).toEqual([...changes.map((r) => order.indexOf(r.table))].sort((a, b) => a - b));
      expect(changes.find((r) => r.table === 'cases')).toMatchObject({
        version: 1,
        row: expect.objectContaining({ status: 'registered' }),
      });
      // Opening again enqueues nothing more.
      await again.close();
      const third = openTestCore(dir);
      expect((third.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n).toBe(rows.length);
      await third.close();
    } finally {
      await again.close();
    }
  });
});

describe('the catalogue and this store', () => {
  it('has every catalogue table with its key as primary key, its version column, and capture triggers', () => {
    const meta = storeMetaSync(t.store.sqlite);
    const triggers = new Set(
      (t.store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((r) => r.name),
    );
    for (const spec of SYNC_TABLES) {
      const tm = meta.tables.get(spec.table)!;
      expect(tm.pk, spec.table).toEqual([...spec.key]);
      if (spec.versionColumn) expect(tm.byName.get(spec.versionColumn), spec.table).toMatchObject({ type: 'INTEGER', notnull: true });
      for (const ev of ['insert', 'update', 'delete']) expect(triggers.has(`${spec.table}_sync_${ev}`), `${spec.table} ${ev}`).toBe(true);
      for (const c of spec.localColumns ?? []) expect(tm.byName.has(c), `${spec.table}.${c}`).toBe(true);
      for (const c of spec.blobColumns ?? []) expect(tm.blobs.has(c), `${spec.table}.${c}`).toBe(true);
    }
  });
});

describe('two stores', () => {
  it('a package import is one mutation of the importing call', async () => {
    const A = t;
    const B = makeTestCore();
    try {
      const adminA = await setupAdmin(A);
      const adminB = await setupAdmin(B);
      await trustEachOther(A, adminA, B, adminB);
      const scene = await hearingScene(A, adminA);
      const { content } = await A.call(
        'hearings.exportPackage',
        { hearingId: scene.hearingId, recipientKeyId: (await B.call('signers.list', {}, adminB)).own.keyId },
        scene.secretary,
      );
      const seen = new Set<string>();
      await checked(B, seen).call('hearings.importPackage', { content }, adminB);
      expect(seen).toEqual(new Set(['hearings.importPackage']));
    } finally {
      await B.cleanup();
    }
  });
});
