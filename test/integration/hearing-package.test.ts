// The 专场包 between two real stores that trust each other: the office (A) exports a hearing
// encrypted for the laptop (B), the laptop imports it, grades and signs with its own leader,
// issues the 结论书 and exports it back for the office; the office then shows the conclusion.
// Re-importing changes nothing; a damaged file, a case that moved on in both places and a stale
// package are refused and write nothing; imported people can never sign in. Then the attacks of
// issue #10, each refused with nothing written: a package signed by an outsider, one that puts an
// unrelated case onto the hearing or swaps a case's worker, forged audit entries and document
// signatures, a file for another device, an unencrypted one — and a lost stick reveals nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { freeze, makeTestCore, setupAdmin, signIn, tempDir, thaw, type FrozenCore, type TestCore } from '../helpers/core';
import { SECRET_HEADER, SESSION_HEADER, startWebHost } from '../../electron/web-host';
import { appraisalStaff, gradeAndSign, hearingScene, STAFF_PASSWORD } from '../helpers/appraisal';
import { beijingRider, RIDER_ID, withCheckDigit } from '../helpers/intake';
import { keyIdOf, reseal, trustEachOther, unseal } from '../helpers/package';
import { canonical } from '../../shared/crypto/canonical';
import { sha256 } from '../../electron/core/crypto/hash';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { seal } from '../../electron/core/crypto/sealed-box';
import { appendSignature } from '../../electron/core/notices/signature';
import { entryHash } from '../../electron/core/audit';
import { openPackage, PACKAGE_FORMAT, SEALED_FORMAT } from '../../electron/core/appraisal/hearing-package';

type Pkg = ReturnType<typeof unseal>;

let A: TestCore;
let B: TestCore;
let scene: Awaited<ReturnType<typeof hearingScene>>;
let adminA: string;
let adminB: string;
let laptop: { secretary: string; leader: string };

let office: FrozenCore;
let laptopStore: FrozenCore;

// The two stores are built once; each test works on its own copies of them.
beforeAll(async () => {
  const a = makeTestCore(new Date('2026-11-23T02:00:00Z'));
  const b = makeTestCore(new Date('2026-11-24T01:00:00Z'));
  adminA = await setupAdmin(a);
  scene = await hearingScene(a, adminA);
  adminB = await setupAdmin(b);
  // The laptop has its own accounts, with the same usernames as the office's but other people.
  laptop = await appraisalStaff(b, adminB, { secretary: '笔记本秘书', leader: '笔记本组长' });
  await trustEachOther(a, adminA, b, adminB);
  office = await freeze(a);
  laptopStore = await freeze(b);
});
afterAll(() => {
  for (const f of [office, laptopStore]) if (f) fs.rmSync(f.dir, { recursive: true, force: true });
});
beforeEach(() => {
  A = thaw(office);
  B = thaw(laptopStore);
});
afterEach(async () => {
  await A.cleanup();
  await B.cleanup();
});

/** Row counts of every table (the search index included), to show a refused import wrote nothing. */
function counts(t: TestCore): Record<string, number> {
  const tables = t.store.sqlite
    // Views too: audit_log is a view over the compact audit tables (migration 604).
    .prepare(
      "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'case_search_%'",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [name, (t.store.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}

/** A hearing package from `from`, encrypted for `to`. */
function exportFrom(from: TestCore, token: string, to: TestCore) {
  return from.call('hearings.exportPackage', { hearingId: scene.hearingId, recipientKeyId: to === from ? null : keyIdOf(to) }, token);
}

/** B grades, signs with its own leader and issues the 结论书; returns B's package for the office. */
async function dayOnTheLaptop() {
  const out = await exportFrom(A, scene.secretary, B);
  await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
  await gradeAndSign(B, { ...laptop, hearingId: scene.hearingId, caseId: scene.caseId, panel: scene.panel });
  await B.call(
    'numbering.addBlock',
    { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 501, last: 599 },
    adminB,
  );
  const notice = await B.call('hearings.issueConclusion', { hearingId: scene.hearingId, caseId: scene.caseId }, laptop.leader);
  return { back: await exportFrom(B, laptop.secretary, A), notice };
}

/** Expects a refusal that names `text` and leaves every table of `t` as it was. */
async function refused(t: TestCore, token: string, content: string, text: string | RegExp) {
  const before = counts(t);
  const err = await t.fail('hearings.importPackage', { content }, token);
  expect(err.message).toMatch(text);
  expect(counts(t)).toEqual(before);
  return err;
}

const row = (t: TestCore, table: string, id: string): Record<string, unknown> =>
  t.store.sqlite.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown>;

describe('hearing package round trip', () => {
  it('carries a hearing to the laptop and its conclusion back, and a second import changes nothing', async () => {
    const out = await exportFrom(A, scene.secretary, B);
    const caseNo = (await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).caseNo!;
    const hearingNo = (await A.call('hearings.get', { hearingId: scene.hearingId }, scene.secretary)).hearingNo;
    expect(out.fileName).toBe(`专场-${hearingNo}-2026-11-23.json`);
    expect(out.recipient).toBe('鉴定现场笔记本');
    expect(JSON.parse(out.content)).toMatchObject({ format: SEALED_FORMAT, recipient: keyIdOf(B) });
    const pkg = unseal(out.content, B);
    expect(pkg).toMatchObject({
      format: PACKAGE_FORMAT,
      version: 3,
      recipient: keyIdOf(B),
      hearing: { id: scene.hearingId, hearingNo },
      device: { keyId: keyIdOf(A), centre: null },
    });
    expect(pkg.tables.experts).toHaveLength(4);
    expect(pkg.tables.appraisal_requests).toHaveLength(1);
    expect((pkg.users as { username: string }[]).map((u) => u.username).sort()).toEqual(['clerk', 'officer', 'secretary']);
    // Never a password hash, a salt or a session.
    expect(JSON.stringify(pkg)).not.toMatch(/scrypt|password|salt|token/);

    const first = await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
    expect(first.changed).toBe(true);
    expect(first.source).toMatchObject({ signer: '办公室台式机', exportedBy: '鉴定秘书丁', keyId: keyIdOf(A) });
    expect(first.sentToCentre).toBe(true);
    expect(first.tables.find((t) => t.table === 'cases')).toMatchObject({ added: 1 });
    expect(first.users).toEqual({ added: 3, existing: 0 });
    // The laptop has all it needs: the hearing, the case, the panel, and the case is searchable.
    expect((await B.call('hearings.get', { hearingId: scene.hearingId }, laptop.secretary)).items).toMatchObject([
      { caseId: scene.caseId, caseNo, name: '单通' },
    ]);
    expect((await B.call('appraisal.draws', { caseId: scene.caseId }, laptop.secretary))[0]!.panel).toEqual(scene.panel);
    expect((await B.call('cases.search', { q: '单通' }, laptop.secretary)).map((c) => c.id)).toEqual([scene.caseId]);
    expect((await B.call('cases.search', { q: caseNo }, laptop.secretary)).map((c) => c.id)).toEqual([scene.caseId]);

    await gradeAndSign(B, { ...laptop, hearingId: scene.hearingId, caseId: scene.caseId, panel: scene.panel });
    await B.call(
      'numbering.addBlock',
      {
        series: 'appraisal',
        pattern: '宁劳鉴〔{year}〕第{seq:4}号',
        issuer: '西宁市劳动能力鉴定委员会',
        year: 2026,
        first: 501,
        last: 599,
      },
      adminB,
    );
    const notice = await B.call('hearings.issueConclusion', { hearingId: scene.hearingId, caseId: scene.caseId }, laptop.leader);
    const back = await exportFrom(B, laptop.secretary, A);

    const home = await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    expect(home.source.signer).toBe('鉴定现场笔记本');
    expect(home.tables.find((t) => t.table === 'cases')).toMatchObject({ updated: 1 });
    expect(home.tables.find((t) => t.table === 'appraisal_conclusions')).toMatchObject({ added: 1 });
    expect(home.tables.find((t) => t.table === 'expert_opinions')).toMatchObject({ added: 3 });
    expect(home.tables.find((t) => t.table === 'issued_documents')).toMatchObject({ added: 1 });
    // The laptop's people: its secretary and leader, unknown here, as accounts that cannot sign in.
    expect(home.users).toMatchObject({ added: 2 });

    const hearing = await A.call('hearings.get', { hearingId: scene.hearingId }, scene.secretary);
    expect(hearing.items).toMatchObject([{ caseId: scene.caseId, attendance: 'present', signed: true, grade: 7 }]);
    expect((await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).status).toBe('appraised');
    const sheet = await A.call('hearings.sheet', { hearingId: scene.hearingId, caseId: scene.caseId }, scene.secretary);
    expect(sheet.signed).toBe(true);
    expect(sheet.opinions.map((o) => o.grade)).toEqual([7, 7, 7]);
    expect(await A.call('hearings.documents', { hearingId: scene.hearingId }, scene.secretary)).toEqual({ ids: [notice.id] });
    const pdfA = A.store.sqlite.prepare('SELECT pdf, document_no FROM issued_documents WHERE id = ?').get(notice.id) as {
      pdf: Buffer;
      document_no: string;
    };
    const pdfB = B.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE id = ?').get(notice.id) as { pdf: Buffer };
    expect(pdfA.document_no).toBe(notice.documentNo);
    expect(pdfA.pdf.equals(pdfB.pdf)).toBe(true);
    const leaderHere = A.store.sqlite
      .prepare('SELECT u.display_name, c.leader_id FROM appraisal_conclusions c JOIN users u ON u.id = c.leader_id')
      .get() as { display_name: string };
    expect(leaderHere.display_name).toBe('笔记本组长');

    // Audit: the laptop's entries arrive as copies appended to the office's chain, which stays whole.
    const copies = A.store.sqlite.prepare("SELECT actor_name, summary FROM audit_log WHERE action = '外机审计记录'").all() as {
      actor_name: string;
      summary: string;
    }[];
    expect(copies.some((c) => c.actor_name === '笔记本组长' && c.summary.includes('签发鉴定结论'))).toBe(true);
    const own = A.store.sqlite
      .prepare("SELECT summary FROM audit_log WHERE method = 'hearings.importPackage' AND action = '导入专场包'")
      .get() as { summary: string };
    expect(own.summary).toContain(`导入专场包 ${hearingNo}`);
    expect(own.summary).toContain('可信设备“鉴定现场笔记本”');
    expect(own.summary).toContain('鉴定结论 1');
    expect(await A.call('audit.verify', {}, adminA)).toMatchObject({ ok: true });
    expect(await B.call('audit.verify', {}, adminB)).toMatchObject({ ok: true });

    // Idempotent: the same package again changes nothing but the audit entry of the attempt.
    const before = counts(A);
    const again = await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    expect(again.changed).toBe(false);
    expect(again.tables.every((t) => t.added === 0 && t.updated === 0)).toBe(true);
    expect(again.audit.added).toBe(0);
    expect(counts(A)).toEqual({ ...before, audit_log: before.audit_log! + 1, audit_entries: before.audit_entries! + 1 });
  });

  it('never creates an account that can sign in, and leaves local accounts as they were', async () => {
    const out = await exportFrom(A, scene.secretary, B);
    const mine = B.store.sqlite.prepare("SELECT * FROM users WHERE username = 'secretary'").get();
    const known = (B.store.sqlite.prepare('SELECT id FROM users').all() as { id: string }[]).map((u) => `'${u.id}'`).join(',');
    await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
    expect(B.store.sqlite.prepare("SELECT * FROM users WHERE username = 'secretary'").get()).toEqual(mine);
    const imported = B.store.sqlite
      .prepare(
        `SELECT u.id, u.username, u.display_name, u.active, u.password_hash, group_concat(r.role) AS roles FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id NOT IN (${known}) GROUP BY u.id ORDER BY u.username`,
      )
      .all() as { id: string; username: string; display_name: string; active: number; password_hash: string; roles: string }[];
    expect(imported.map((u) => u.display_name)).toEqual(['受理员甲', '确认经办乙', '鉴定秘书丁']);
    // The office's 'secretary' collides with the laptop's own: the imported one gets another name.
    expect(imported.map((u) => u.username)).toEqual(['clerk', 'officer', expect.stringMatching(/^secretary\.[0-9a-f]{6}$/)]);
    for (const u of imported) {
      expect(u).toMatchObject({ active: 0, password_hash: 'none' });
      for (const password of [STAFF_PASSWORD, 'none'])
        expect((await B.call('auth.login', { username: u.username, password })).ok).toBe(false);
    }
    // Even enabled by an administrator, an account without a password cannot sign in.
    await B.call('users.update', { userId: imported[0]!.id, active: true }, adminB);
    expect((await B.call('auth.login', { username: 'clerk', password: STAFF_PASSWORD })).ok).toBe(false);
    expect(await signIn(B, 'secretary', STAFF_PASSWORD)).toBeTruthy();
  });

  it('keeps the office case when the laptop only carried an older state of it', async () => {
    const out = await exportFrom(A, scene.secretary, B);
    await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
    const c = await A.call('cases.get', { caseId: scene.caseId }, scene.secretary);
    await A.call(
      'cases.transition',
      { caseId: scene.caseId, action: 'terminate', expectedVersion: c.version, reason: '申请人撤回鉴定申请' },
      scene.secretary,
    );
    const r = await A.call('hearings.importPackage', { content: (await exportFrom(B, laptop.secretary, A)).content }, scene.secretary);
    expect(r.tables.find((t) => t.table === 'cases')).toMatchObject({ keptLocal: 1, updated: 0 });
    expect((await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).status).toBe('terminated');
  });

  it('takes a material edited on the laptop by its own row version, even when the case did not move', async () => {
    const out = await exportFrom(A, scene.secretary, B);
    await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
    // The laptop's copy of one material gets a note (a newer row version); the case row stays as it was.
    B.store.sqlite
      .prepare("UPDATE case_materials SET note = '现场补交原件' WHERE case_id = ? AND rowid = (SELECT min(rowid) FROM case_materials)")
      .run(scene.caseId);
    const r = await A.call('hearings.importPackage', { content: (await exportFrom(B, laptop.secretary, A)).content }, scene.secretary);
    expect(r.tables.find((t) => t.table === 'case_materials')).toMatchObject({ updated: 1 });
    expect(r.tables.find((t) => t.table === 'cases')).toMatchObject({ unchanged: 1 });
    // Version 2 at export (the materials were checked once); the laptop's edit made it 3.
    expect(
      A.store.sqlite.prepare("SELECT count(*) AS n FROM case_materials WHERE note = '现场补交原件' AND row_version = 3").get(),
    ).toEqual({ n: 1 });
  });

  it('goes through the web host when the package is several MB', async () => {
    const pkg = unseal((await exportFrom(A, scene.secretary, B)).content, B);
    // 9.6 MB of UTF-8 in four cells, each within what one row may carry to the centre.
    for (const m of pkg.tables.case_materials.slice(0, 4)) m.note = '现场补充材料说明'.repeat(100_000);
    const content = reseal(pkg, A, B);
    const rendererDir = tempDir('oip-renderer-');
    fs.writeFileSync(`${rendererDir}/index.html`, '<!doctype html>');
    const host = await startWebHost({ core: B, rendererDir });
    try {
      const res = await fetch(`${host.url}rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SECRET_HEADER]: host.secret, [SESSION_HEADER]: laptop.secretary },
        body: JSON.stringify({ method: 'hearings.importPackage', input: { content } }),
      });
      const body = (await res.json()) as { ok: boolean; result: { tables: { table: string; added: number }[] } };
      expect(body.ok).toBe(true);
      expect(body.result.tables.find((t) => t.table === 'cases')).toMatchObject({ added: 1 });
    } finally {
      await host.close();
      fs.rmSync(rendererDir, { recursive: true, force: true });
    }
  });
});

describe('refusals write nothing', () => {
  it('refuses a package with one altered byte, one cut short, and one edited inside its encryption', async () => {
    const out = await exportFrom(A, scene.secretary, B);
    const sealed = JSON.parse(out.content) as { ciphertext: string };
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes.writeUInt8(bytes.readUInt8(100) ^ 1, 100);
    const err = await refused(B, laptop.secretary, JSON.stringify({ ...sealed, ciphertext: bytes.toString('base64') }), '无法解密');
    expect(err.code).toBe('RULE_REFUSED');
    expect(err.message).toContain('未导入任何数据');
    // Cut short (a copy that did not finish): not JSON.
    await refused(B, laptop.secretary, out.content.slice(0, -1), '不是完整的专场包');
    // Opened, one character changed, sealed again without signing: the hash no longer matches.
    const inner = openPackage(out.content, deviceKey(B.dir))!.replace('"name":"单通"', '"name":"单同"');
    const resealed = JSON.stringify(
      seal(Buffer.from(inner), { keyId: keyIdOf(B), encPublicKey: deviceKey(B.dir).encryption.publicKeyB64 }, SEALED_FORMAT),
    );
    await refused(B, laptop.secretary, resealed, '校验值');
  });

  it('refuses an edit whose hash was recomputed but not signed with the exporting device key', async () => {
    const pkg = unseal((await exportFrom(A, scene.secretary, B)).content, B);
    pkg.tables.workers[0]!.phone = '13900139000';
    const { sha256: _old, signature, ...body } = pkg;
    const inner = JSON.stringify({ ...body, sha256: sha256(canonical(body)), signature });
    const content = JSON.stringify(
      seal(Buffer.from(inner), { keyId: keyIdOf(B), encPublicKey: deviceKey(B.dir).encryption.publicKeyB64 }, SEALED_FORMAT),
    );
    await refused(B, laptop.secretary, content, '签名无效');
  });

  it('refuses rows that do not belong to the hearing, even signed by a trusted device', async () => {
    const pkg = unseal((await exportFrom(A, scene.secretary, B)).content, B);
    pkg.tables.case_materials.push({ ...pkg.tables.case_materials[0], case_id: '01900000-0000-7000-8000-000000000000' });
    const err = await refused(B, laptop.secretary, reseal(pkg, A, B), '不属于专场');
    expect(err.code).toBe('INVALID_INPUT');
  });

  it('refuses a case that moved on at the office meanwhile, naming it', async () => {
    const { back } = await dayOnTheLaptop();
    const c = await A.call('cases.get', { caseId: scene.caseId }, scene.secretary);
    await A.call(
      'cases.transition',
      { caseId: scene.caseId, action: 'terminate', expectedVersion: c.version, reason: '申请人撤回鉴定申请' },
      scene.secretary,
    );
    const err = await refused(A, scene.secretary, back.content, `案件 ${c.caseNo}`);
    expect(err.code).toBe('RULE_REFUSED');
    expect(err.message).toContain('都有变动');
    expect((await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).status).toBe('terminated');
  });

  it('refuses other bytes under a document number known here, even validly signed by the trusted laptop', async () => {
    const { back } = await dayOnTheLaptop();
    await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    const pkg = unseal(back.content, A);
    const doc = pkg.tables.issued_documents[0]!;
    const { pdf: body, facts } = splitSignature(Buffer.from(String(doc.pdf), 'base64'));
    body.writeUInt8(body.readUInt8(body.length - 2) ^ 1, body.length - 2);
    const { signed, block } = appendSignature(body, deviceKey(B.dir), facts);
    pkg.tables.issued_documents[0] = {
      ...doc,
      id: '01900000-0000-7000-8000-0000000000aa',
      pdf: signed.toString('base64'),
      pdf_sha256: sha256(signed),
      signature: block.signature,
    };
    await refused(A, scene.secretary, reseal(pkg, B, A), `文号 ${String(doc.document_no)} 的文书在本机和专场包中内容不同`);
  });

  it('refuses to let a package from before the sign-off change a signed case', async () => {
    const morning = await exportFrom(A, scene.secretary, A);
    const { back } = await dayOnTheLaptop();
    await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    // The morning's package again, at the office: the case there is signed now.
    await refused(A, scene.secretary, morning.content, '已在本机签发');
  });
});

/** The laptop as the signing device a package names. */
const laptopDevice = () => ({ tag: 'B0B0', keyId: keyIdOf(B), publicKey: deviceKey(B.dir).publicKeyB64, centre: null });

/** The PDF before its signature line, and the facts that line signed. */
function splitSignature(signed: Buffer): { pdf: Buffer; facts: Record<string, string> } {
  const marker = Buffer.from('\n%OIP-SIG ');
  const at = signed.lastIndexOf(marker);
  const block = JSON.parse(
    Buffer.from(
      signed
        .subarray(at + marker.length)
        .toString('latin1')
        .trim(),
      'base64',
    ).toString('utf8'),
  ) as {
    facts: Record<string, string>;
  };
  return { pdf: Buffer.from(signed.subarray(0, at)), facts: block.facts };
}

describe('attacks on the hearing package (issue #10), each refused with nothing written', () => {
  it('refuses an outsider-signed package that would conclude a case at grade 1 in the leader’s name, replace the worker, disable every expert and add an audit entry', async () => {
    // The outsider runs the app on their own laptop: a valid key, never registered here.
    const outsider = makeTestCore();
    try {
      const pkg = unseal((await exportFrom(A, scene.secretary, B)).content, B);
      const leader = A.store.sqlite.prepare("SELECT id, display_name FROM users WHERE username = 'leader'").get() as {
        id: string;
        display_name: string;
      };
      const kase = pkg.tables.cases[0]!;
      kase.status = 'appraised';
      kase.version = Number(kase.version) + 3;
      const request = pkg.tables.appraisal_requests[0]!;
      pkg.tables.appraisal_conclusions.push({
        id: '01900000-0000-7000-8000-0000000000c1',
        case_id: scene.caseId,
        hearing_id: scene.hearingId,
        grade: 1,
        nursing_level: 'full',
        items: '[]',
        promotion: '',
        advice: '',
        proposal: '一级',
        decision_reason: '',
        leader_id: leader.id,
        signed_at: '2026-11-23T11:00:00+08:00',
        request_id: request.id,
      });
      (pkg.users as unknown[]).push({ id: leader.id, username: 'leader', displayName: leader.display_name, roles: ['appraisal_leader'] });
      const worker = pkg.tables.workers[0]!;
      worker.name = '冒名顶替';
      worker.id_number = withCheckDigit('11010819800101999');
      worker.updated_at = '2026-11-23T23:00:00+08:00';
      for (const e of pkg.tables.experts) {
        e.available = 0;
        e.updated_at = '2026-11-23T23:00:00+08:00';
      }
      const audit = pkg.audit as { seq: number; hash: string }[];
      const last = audit[audit.length - 1]!;
      const forged = {
        seq: last.seq + 1,
        at: '2026-11-23T11:00:00+08:00',
        actorId: leader.id,
        actorName: leader.display_name,
        method: 'hearings.sign',
        action: '签发鉴定结论',
        entity: 'case',
        entityId: scene.caseId,
        summary: '签发鉴定结论：一级',
        prevHash: last.hash,
      };
      audit.push({ ...forged, hash: entryHash(forged.seq, forged, forged.prevHash) });
      pkg.device = { ...(pkg.device as object), keyId: keyIdOf(outsider), publicKey: deviceKey(outsider.dir).publicKeyB64 };

      // Addressed to the office, where the case lives; and to the laptop.
      for (const [target, token] of [
        [A, scene.secretary],
        [B, laptop.secretary],
      ] as const) {
        pkg.recipient = keyIdOf(target);
        const err = await refused(target, token, reseal(pkg, outsider, target), '未登记为可信设备的电脑');
        expect(err.code).toBe('RULE_REFUSED');
      }
      expect((await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).status).toBe('awaiting_appraisal');
      expect(row(A, 'workers', String(worker.id)).name).toBe('单通');
      expect(A.store.sqlite.prepare('SELECT count(*) AS n FROM experts WHERE available = 1').get()).toEqual({ n: 4 });
      expect(await A.call('audit.verify', {}, adminA)).toMatchObject({ ok: true });
    } finally {
      await outsider.cleanup();
    }
  });

  it('refuses a trusted device’s package that puts an unrelated case onto the hearing, or swaps a case’s worker', async () => {
    // At the office, another claim that is on no hearing.
    const other = await A.call('cases.register', beijingRider({ idNumber: withCheckDigit('11010819900101123') }), scene.clerk);
    const otherCase = row(A, 'cases', other.caseId);
    const otherWorker = row(A, 'workers', String(otherCase.worker_id));
    // The office's own package, as if the trusted laptop had made and signed it.
    const fromA = unseal((await exportFrom(A, scene.secretary, A)).content, A);
    const pkg = { ...fromA, device: laptopDevice() } as Pkg;

    const onto = structuredClone(pkg);
    onto.tables.hearing_cases.push({ ...onto.tables.hearing_cases[0], case_id: other.caseId, position: 2 });
    onto.tables.cases.push({ ...otherCase, status: 'appraised' });
    onto.tables.workers.push(otherWorker);
    await refused(A, scene.secretary, reseal(onto, B, A), new RegExp(`不在专场 .* 中的案件 ${String(otherCase.registration_no)}`));

    const swap = structuredClone(pkg);
    swap.tables.cases[0]!.worker_id = otherWorker.id;
    swap.tables.workers = [{ ...otherWorker, name: '冒名顶替', updated_at: '2026-11-23T23:00:00+08:00' }];
    await refused(A, scene.secretary, reseal(swap, B, A), '改变了案件');

    const stray = structuredClone(pkg);
    stray.tables.workers.push({
      ...otherWorker,
      name: '冒名顶替',
      id_number: RIDER_ID.replace(/.$/, 'X'),
      updated_at: '2026-11-23T23:00:00+08:00',
    });
    await refused(A, scene.secretary, reseal(stray, B, A), '不属于专场');
    expect(row(A, 'workers', String(otherWorker.id)).name).toBe('单通');

    // What a trusted device may do: correct the name of the hearing's own worker.
    const fix = structuredClone(pkg);
    fix.tables.workers[0]!.name = '单通通';
    fix.tables.workers[0]!.updated_at = '2026-11-23T23:00:00+08:00';
    const r = await A.call('hearings.importPackage', { content: reseal(fix, B, A) }, scene.secretary);
    expect(r.tables.find((t) => t.table === 'workers')).toMatchObject({ updated: 1 });
    expect((await A.call('cases.search', { q: '单通通' }, scene.secretary)).map((c) => c.id)).toEqual([scene.caseId]);
  });

  it('refuses audit entries its signer could not have made', async () => {
    const other = await A.call('cases.register', beijingRider({ idNumber: withCheckDigit('11010819900101123') }), scene.clerk);
    const base = unseal((await exportFrom(A, scene.secretary, A)).content, A);
    const audit = base.audit as Record<string, unknown>[];
    const mk = (over: Record<string, unknown>) => {
      const last = audit[audit.length - 1] as { seq: number; hash: string };
      const e = {
        seq: last.seq + 10,
        at: '2026-11-23T09:00:00+08:00',
        actorId: null,
        actorName: '鉴定秘书丁',
        method: 'hearings.attendance',
        action: '记录到场',
        entity: 'case',
        entityId: scene.caseId,
        summary: '到场',
        prevHash: '0'.repeat(64),
        ...over,
      };
      return { ...e, hash: entryHash(e.seq, e as never, e.prevHash) };
    };
    const cases: [Record<string, unknown>, string][] = [
      [mk({ action: '外机审计记录', method: 'hearings.importPackage' }), '不是它自己的记录'],
      [mk({ entityId: other.caseId }), '与本专场无关'],
      [{ ...mk({}), summary: '改过的内容' }, '与其哈希不符'],
      [mk({ actorId: '01900000-0000-7000-8000-00000000beef' }), '既未随包附带'],
      [mk({ at: '2026-12-31T09:00:00+08:00' }), '晚于导出时间'],
    ];
    for (const [entry, message] of cases) {
      const pkg = { ...structuredClone(base), device: laptopDevice(), audit: [...audit, entry] };
      await refused(A, scene.secretary, reseal(pkg, B, A), message);
    }
  });

  it('refuses an issued document signed by a device this one does not trust', async () => {
    const { back } = await dayOnTheLaptop();
    const outsider = makeTestCore();
    try {
      const pkg = unseal(back.content, A);
      const doc = pkg.tables.issued_documents[0]!;
      const { pdf, facts } = splitSignature(Buffer.from(String(doc.pdf), 'base64'));
      const { signed, block } = appendSignature(pdf, deviceKey(outsider.dir), facts);
      pkg.tables.issued_documents[0] = {
        ...doc,
        pdf: signed.toString('base64'),
        pdf_sha256: sha256(signed),
        key_id: block.keyId,
        signature: block.signature,
      };
      await refused(A, scene.secretary, reseal(pkg, B, A), `由未登记为可信设备的电脑（密钥 ${keyIdOf(outsider)}）签名`);
    } finally {
      await outsider.cleanup();
    }
  });

  it('opens only on the device it was encrypted for, and cannot be passed on to another', async () => {
    const out = await exportFrom(A, scene.secretary, B);
    await refused(A, scene.secretary, out.content, '加密给“鉴定现场笔记本”');
    // The laptop opens it and seals the same signed file for the office: the body still names the laptop.
    const inner = openPackage(out.content, deviceKey(B.dir))!;
    const passedOn = JSON.stringify(
      seal(Buffer.from(inner), { keyId: keyIdOf(A), encPublicKey: deviceKey(A.dir).encryption.publicKeyB64 }, SEALED_FORMAT),
    );
    await refused(A, scene.secretary, passedOn, '被转交');
    // An unencrypted package (the old format) is refused outright.
    const plain = JSON.stringify({ ...JSON.parse(inner), version: 2 });
    await refused(B, laptop.secretary, plain, '未加密');
  });

  it('reveals no name, ID number or phone on a lost stick', async () => {
    const out = await exportFrom(A, scene.secretary, B);
    const file = `${tempDir('oip-stick-')}/${out.fileName}`;
    fs.writeFileSync(file, out.content);
    const onDisk = fs.readFileSync(file);
    const ciphertext = Buffer.from((JSON.parse(onDisk.toString('utf8')) as { ciphertext: string }).ciphertext, 'base64');
    for (const secret of ['单通', RIDER_ID, RIDER_ID.slice(-6), '13800138000', '西宁市劳动能力鉴定中心']) {
      expect(onDisk.includes(Buffer.from(secret))).toBe(false);
      expect(ciphertext.includes(Buffer.from(secret))).toBe(false);
    }
    // What the file does say: which device may open it.
    expect(Object.keys(JSON.parse(onDisk.toString('utf8'))).sort()).toEqual([
      'ciphertext',
      'epk',
      'format',
      'iv',
      'recipient',
      'tag',
      'version',
    ]);
  });

  it('cannot be addressed to a device registered from an old key line', async () => {
    const third = makeTestCore();
    try {
      const thirdAdmin = await setupAdmin(third);
      const [, , ed] = (await third.call('signers.list', {}, thirdAdmin)).own.line.split(':');
      await A.call('signers.add', { label: '旧笔记本', key: `OIPKEY1:${keyIdOf(third)}:${ed}` }, adminA);
      const recipients = await A.call('hearings.packageRecipients', {}, scene.secretary);
      expect(recipients.devices).toEqual(
        expect.arrayContaining([
          { keyId: keyIdOf(third), label: '旧笔记本', canReceive: false },
          { keyId: keyIdOf(B), label: '鉴定现场笔记本', canReceive: true },
        ]),
      );
      const err = await A.fail('hearings.exportPackage', { hearingId: scene.hearingId, recipientKeyId: keyIdOf(third) }, scene.secretary);
      expect(err.message).toContain('旧版密钥行');
      const unknown = await A.fail(
        'hearings.exportPackage',
        { hearingId: scene.hearingId, recipientKeyId: '0123456789abcdef' },
        scene.secretary,
      );
      expect(unknown.message).toContain('未在本机登记为可信设备');
    } finally {
      await third.cleanup();
    }
  });
});

describe('the import and the sync outbox', () => {
  const enrol = (t: TestCore, deviceId: string) =>
    t.store.sqlite
      .prepare("UPDATE sync_state SET device_id = ?, centre_key_id = 'c0ffee0000000001', enrolled_at = '2026-11-20T09:00:00+08:00'")
      .run(deviceId);
  const importMutations = (t: TestCore) =>
    (t.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE kind = 'hearings.importPackage'").get() as { n: number }).n;

  it('sends an import to the centre unless the exporting device, enrolled with the same centre, sends it itself', async () => {
    const { back } = await dayOnTheLaptop();
    // Neither enrolled: the laptop's work reaches the centre through the office.
    expect(importMutations(B)).toBe(1);
    enrol(A, '01900000-0000-7000-8000-00000000000a');
    const r1 = await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    expect(r1.sentToCentre).toBe(true);
    expect(importMutations(A)).toBe(1);
  });

  it('leaves the outbox alone when the laptop is enrolled with the same centre', async () => {
    enrol(A, '01900000-0000-7000-8000-00000000000a');
    enrol(B, '01900000-0000-7000-8000-00000000000b');
    const { back } = await dayOnTheLaptop();
    expect(unseal(back.content, A).device).toMatchObject({
      centre: { keyId: 'c0ffee0000000001', deviceId: '01900000-0000-7000-8000-00000000000b' },
    });
    const before = (A.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
    const r = await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    expect(r.sentToCentre).toBe(false);
    expect(r.changed).toBe(true);
    expect((A.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n).toBe(before);
    expect(A.store.sqlite.prepare('SELECT count(*) AS n FROM sync_capture').get()).toEqual({ n: 0 });
    expect((await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).status).toBe('appraised');
  });
});
