// The 专场包 round trip between two real stores: the office (A) exports a session, the laptop
// (B) imports it, grades and signs with its own leader, issues the 结论书 and exports it back;
// the office then shows the conclusion. Re-importing changes nothing; a damaged file, a case
// that moved on in both places and a stale package are refused and write nothing; imported
// people can never sign in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from 'node:crypto';
import fs from 'node:fs';
import { makeTestCore, setupAdmin, signIn, tempDir, type TestCore } from '../helpers/core';
import { SECRET_HEADER, SESSION_HEADER, startWebHost } from '../../electron/web-host';
import { appraisalStaff, gradeAndSign, hearingScene, STAFF_PASSWORD } from '../helpers/appraisal';
import { canonical, sha256 } from '../../electron/core/notices/signature';
import { deviceKey } from '../../electron/core/notices/device-key';
import { PACKAGE_FORMAT } from '../../electron/core/appraisal/hearing-package';

let A: TestCore;
let B: TestCore;
let scene: Awaited<ReturnType<typeof hearingScene>>;
let adminA: string;
let adminB: string;
let laptop: { secretary: string; leader: string };

beforeEach(async () => {
  A = makeTestCore(new Date('2026-11-23T02:00:00Z'));
  B = makeTestCore(new Date('2026-11-24T01:00:00Z'));
  adminA = await setupAdmin(A);
  scene = await hearingScene(A, adminA);
  adminB = await setupAdmin(B);
  // The laptop has its own accounts, with the same usernames as the office's but other people.
  laptop = await appraisalStaff(B, adminB, { secretary: '笔记本秘书', leader: '笔记本组长' });
});
afterEach(async () => {
  await A.cleanup();
  await B.cleanup();
});

/** Row counts of every table (the search index included), to show a refused import wrote nothing. */
function counts(t: TestCore): Record<string, number> {
  const tables = t.store.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'case_search_%'")
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [name, (t.store.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}

function exportFrom(t: TestCore, token: string) {
  return t.call('hearings.exportPackage', { hearingId: scene.hearingId }, token);
}

/** A package edited and signed again with a device's own key, as a forger with that key could. */
function reseal(pkg: Record<string, unknown>, dir: string): string {
  const { sha256: _old, signature: _sig, ...body } = pkg;
  const hash = sha256(Buffer.from(canonical(body)));
  const signature = sign(null, Buffer.from(`${PACKAGE_FORMAT}:${hash}`), deviceKey(dir).privateKey).toString('base64');
  return JSON.stringify({ ...body, sha256: hash, signature });
}

/** B grades, signs with its own leader and issues the 结论书; returns B's package. */
async function dayOnTheLaptop() {
  const out = await exportFrom(A, scene.secretary);
  await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
  await gradeAndSign(B, { ...laptop, hearingId: scene.hearingId, caseId: scene.caseId, panel: scene.panel });
  await B.call(
    'numbering.addBlock',
    { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 501, last: 599 },
    adminB,
  );
  const notice = await B.call('hearings.issueConclusion', { hearingId: scene.hearingId, caseId: scene.caseId }, laptop.leader);
  return { back: await exportFrom(B, laptop.secretary), notice };
}

describe('session package round trip', () => {
  it('carries a session to the laptop and its conclusion back, and a second import changes nothing', async () => {
    const out = await exportFrom(A, scene.secretary);
    const caseNo = (await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).caseNo!;
    const hearingNo = (await A.call('hearings.get', { hearingId: scene.hearingId }, scene.secretary)).hearingNo;
    expect(out.fileName).toBe(`专场-${hearingNo}-2026-11-23.json`);
    const pkg = JSON.parse(out.content);
    expect(pkg).toMatchObject({ format: PACKAGE_FORMAT, version: 2, hearing: { id: scene.hearingId, hearingNo } });
    expect(pkg.tables.experts).toHaveLength(4);
    expect(pkg.tables.appraisal_requests).toHaveLength(1);
    expect(pkg.users.map((u: { username: string }) => u.username).sort()).toEqual(['clerk', 'officer', 'secretary']);
    // Never a password hash, a salt or a session.
    expect(out.content).not.toMatch(/scrypt|password|salt|token/);

    const first = await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
    expect(first.changed).toBe(true);
    expect(first.source).toMatchObject({ trusted: false, exportedBy: '鉴定秘书丁' });
    expect(first.tables.find((t) => t.table === 'cases')).toMatchObject({ added: 1 });
    expect(first.users).toEqual({ added: 3, existing: 0 });
    // The laptop has all it needs: the session, the case, the panel, and the case is searchable.
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
    const back = await exportFrom(B, laptop.secretary);

    // The office trusts the laptop's key (可信设备): its package then imports without the warning.
    await A.call('signers.add', { label: '鉴定现场笔记本', key: (await B.call('signers.list', {}, adminB)).own.line }, adminA);
    const home = await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    expect(home.source.trusted).toBe(true);
    expect(home.tables.find((t) => t.table === 'cases')).toMatchObject({ updated: 1 });
    expect(home.tables.find((t) => t.table === 'appraisal_conclusions')).toMatchObject({ added: 1 });
    expect(home.tables.find((t) => t.table === 'expert_opinions')).toMatchObject({ added: 3 });
    expect(home.tables.find((t) => t.table === 'issued_documents')).toMatchObject({ added: 1 });
    // The laptop's people: its secretary and leader, unknown here, as accounts that cannot sign in.
    expect(home.users).toMatchObject({ added: 2 });

    const session = await A.call('hearings.get', { hearingId: scene.hearingId }, scene.secretary);
    expect(session.items).toMatchObject([{ caseId: scene.caseId, attendance: 'present', signed: true, grade: 7 }]);
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
    expect(own.summary).toContain('鉴定结论 1');
    expect(await A.call('audit.verify', {}, adminA)).toMatchObject({ ok: true });
    expect(await B.call('audit.verify', {}, adminB)).toMatchObject({ ok: true });

    // Idempotent: the same package again changes nothing but the audit entry of the attempt.
    const before = counts(A);
    const again = await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    expect(again.changed).toBe(false);
    expect(again.tables.every((t) => t.added === 0 && t.updated === 0)).toBe(true);
    expect(again.audit.added).toBe(0);
    expect(counts(A)).toEqual({ ...before, audit_log: before.audit_log! + 1 });
    const onceMore = await B.call('hearings.importPackage', { content: back.content }, laptop.secretary);
    expect(onceMore.changed).toBe(false);
  });

  it('never creates an account that can sign in, and leaves local accounts as they were', async () => {
    const out = await exportFrom(A, scene.secretary);
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
    const out = await exportFrom(A, scene.secretary);
    await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
    const c = await A.call('cases.get', { caseId: scene.caseId }, scene.secretary);
    await A.call(
      'cases.transition',
      { caseId: scene.caseId, action: 'terminate', expectedVersion: c.version, reason: '申请人撤回鉴定申请' },
      scene.secretary,
    );
    const r = await A.call('hearings.importPackage', { content: (await exportFrom(B, laptop.secretary)).content }, scene.secretary);
    expect(r.tables.find((t) => t.table === 'cases')).toMatchObject({ keptLocal: 1, updated: 0 });
    expect((await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).status).toBe('terminated');
  });

  it('goes through the web host when the package is several MB', async () => {
    const pkg = JSON.parse((await exportFrom(A, scene.secretary)).content);
    pkg.tables.case_materials[0].note = '现场补充材料说明'.repeat(400_000); // 3.2 M characters, 9.6 MB of UTF-8
    const content = reseal(pkg, A.dir);
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
  it('refuses a package with one edited character', async () => {
    const out = await exportFrom(A, scene.secretary);
    const edited = out.content.replace('"name":"单通"', '"name":"单同"');
    expect(edited).not.toBe(out.content);
    expect(edited.length).toBe(out.content.length);
    const before = counts(B);
    const err = await B.fail('hearings.importPackage', { content: edited }, laptop.secretary);
    expect(err.code).toBe('RULE_REFUSED');
    expect(err.message).toContain('校验值');
    expect(err.message).toContain('未导入任何数据');
    // Cut short (a copy that did not finish): not JSON.
    expect((await B.fail('hearings.importPackage', { content: out.content.slice(0, -1) }, laptop.secretary)).message).toContain(
      '不是完整的专场包',
    );
    expect(counts(B)).toEqual(before);
  });

  it('refuses an edit whose hash was recomputed but not signed with the exporting device key', async () => {
    const pkg = JSON.parse((await exportFrom(A, scene.secretary)).content);
    pkg.tables.workers[0].phone = '13900139000';
    const { sha256: _old, signature, ...body } = pkg;
    const resealed = JSON.stringify({ ...body, sha256: sha256(Buffer.from(canonical(body))), signature });
    const before = counts(B);
    expect((await B.fail('hearings.importPackage', { content: resealed }, laptop.secretary)).message).toContain('签名无效');
    expect(counts(B)).toEqual(before);
  });

  it('refuses rows that do not belong to the session, even correctly signed', async () => {
    const pkg = JSON.parse((await exportFrom(A, scene.secretary)).content);
    pkg.tables.case_materials.push({ ...pkg.tables.case_materials[0], case_id: '01900000-0000-7000-8000-000000000000' });
    const before = counts(B);
    const err = await B.fail('hearings.importPackage', { content: reseal(pkg, A.dir) }, laptop.secretary);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('不属于专场');
    expect(counts(B)).toEqual(before);
  });

  it('refuses a case that moved on at the office meanwhile, naming it', async () => {
    const { back } = await dayOnTheLaptop();
    // Meanwhile at the office the case was terminated.
    const c = await A.call('cases.get', { caseId: scene.caseId }, scene.secretary);
    await A.call(
      'cases.transition',
      { caseId: scene.caseId, action: 'terminate', expectedVersion: c.version, reason: '申请人撤回鉴定申请' },
      scene.secretary,
    );
    const before = counts(A);
    const err = await A.fail('hearings.importPackage', { content: back.content }, scene.secretary);
    expect(err.code).toBe('RULE_REFUSED');
    expect(err.message).toContain(`案件 ${c.caseNo}`);
    expect(err.message).toContain('都有变动');
    expect(counts(A)).toEqual(before);
    expect((await A.call('cases.get', { caseId: scene.caseId }, scene.secretary)).status).toBe('terminated');
  });

  it('refuses a document whose number is known here with other bytes', async () => {
    const { back } = await dayOnTheLaptop();
    await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    const pkg = JSON.parse(back.content);
    const doc = pkg.tables.issued_documents[0];
    const pdf = Buffer.from(doc.pdf, 'base64');
    pdf.writeUInt8(pdf.readUInt8(pdf.length - 2) ^ 1, pdf.length - 2);
    pkg.tables.issued_documents[0] = {
      ...doc,
      id: '01900000-0000-7000-8000-0000000000aa',
      pdf: pdf.toString('base64'),
      pdf_sha256: sha256(pdf),
    };
    const before = counts(A);
    const err = await A.fail('hearings.importPackage', { content: reseal(pkg, B.dir) }, scene.secretary);
    expect(err.message).toContain(`文号 ${doc.document_no} 的文书在本机和专场包中内容不同`);
    expect(counts(A)).toEqual(before);
  });

  it('refuses to let a package from before the sign-off change a signed case', async () => {
    const out = await exportFrom(A, scene.secretary);
    const { back } = await dayOnTheLaptop();
    await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    // The morning's package again, at the office: the case there is signed now.
    const before = counts(A);
    const err = await A.fail('hearings.importPackage', { content: out.content }, scene.secretary);
    expect(err.message).toContain(`已在本机签发`);
    expect(counts(A)).toEqual(before);
  });
});
