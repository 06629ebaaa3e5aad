// Issued documents leave through contract methods (documents.open / print / save) that take
// document ids: the core loads the stored PDF and hands it to the host. The browser host answers
// with one-time downloads bound to the session that asked (served over real HTTP here); a desktop
// host (injected as the core's `desktop` dependency, as electron/main.ts does) delivers itself.
// Sessions, roles and the audit entry are the dispatcher's, as for every call.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../electron/web-host';
import { createCore } from '../../electron/core/app-core';
import { ManualClock } from '../../electron/core/clock';
import { TEST_COST } from '../../electron/core/passwords';
import type { DeliveredFile, DocumentDelivery } from '../../electron/core/documents/delivery';
import { makeTestCore, setupAdmin, signIn, takeDownloads, tempDir, type TestCore } from '../helpers/core';

let t: TestCore;
let host: WebHost;
let admin: string;
let clerk: string;
const rendererDir = tempDir('oip-renderer-');

const example = (type: string) => JSON.parse(fs.readFileSync(`docs/examples/notice-${type}.json`, 'utf8')) as Record<string, unknown>;
const auditCount = () => (t.store.sqlite.prepare('SELECT COUNT(*) n FROM audit_log').get() as { n: number }).n;
const lastAudit = () =>
  t.store.sqlite.prepare('SELECT method, action, entity, entity_id, summary FROM audit_log ORDER BY seq DESC LIMIT 1').get() as {
    method: string;
    action: string;
    entity: string | null;
    entity_id: string | null;
    summary: string;
  };

beforeEach(async () => {
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  t = makeTestCore();
  host = await startWebHost({ core: t, rendererDir });
  admin = await setupAdmin(t);
  await t.call('users.create', { username: 'clerk', displayName: '受理员甲', password: 'Staff-pass-2026', roles: ['intake_clerk'] }, admin);
  clerk = await signIn(t, 'clerk', 'Staff-pass-2026');
  await t.call(
    'numbering.addBlock',
    { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁市人力资源和社会保障局', year: 2026, first: 1, last: 99 },
    admin,
  );
});
afterEach(async () => {
  await host.close();
  await t.cleanup();
});

async function issue(): Promise<{ id: string; documentNo: string; pdf: Buffer }> {
  const r = await t.call('notices.issue', { caseId: null, data: example('acceptance') }, admin);
  return { ...r, pdf: Buffer.from((await t.call('notices.get', { id: r.id }, admin)).pdfBase64, 'base64') };
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: url, headers: { host: `127.0.0.1:${host.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('documents.* under the browser host: one-time downloads', () => {
  it('hands the exact stored PDF once, to the session that asked, with the launch key', async () => {
    const doc = await issue();
    const before = auditCount();
    const d = await t.call('documents.open', { documentId: doc.id }, clerk);
    expect(d).toMatchObject({ via: 'download', files: [{ fileName: `受理通知书-${doc.documentNo}.pdf` }] });
    const url = d.via === 'download' ? d.files[0]!.url : '';
    expect(url).toMatch(/^\/download\/[A-Za-z0-9_-]{32}$/);

    expect((await get(url, { 'x-oip-session': clerk })).status).toBe(401); // no launch key
    expect((await get(url, { 'x-oip-key': host.secret, 'x-oip-session': admin })).status).toBe(404); // someone else's session
    const ok = await get(url, { 'x-oip-key': host.secret, 'x-oip-session': clerk });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/pdf');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['content-disposition']).toContain(encodeURIComponent(`受理通知书-${doc.documentNo}.pdf`));
    expect(ok.body.equals(doc.pdf)).toBe(true);
    expect((await get(url, { 'x-oip-key': host.secret, 'x-oip-session': clerk })).status).toBe(404); // once only

    // Audited like a change, naming the document number (no personal data).
    expect(auditCount()).toBe(before + 1);
    expect(lastAudit()).toMatchObject({
      method: 'documents.open',
      action: '查看文书',
      entity: 'notice',
      entity_id: doc.id,
      summary: `查看受理通知书 ${doc.documentNo}（浏览器下载）`,
    });
  });

  it('saves several as separate files, all or nothing, and forgets what is not fetched in time', async () => {
    const a = await issue();
    const b = await issue();
    const files = takeDownloads(t, await t.call('documents.save', { ids: [a.id, b.id] }, clerk), clerk);
    expect(files.map((f) => f.bytes.equals(f.name.includes(a.documentNo) ? a.pdf : b.pdf))).toEqual([true, true]);
    expect(lastAudit().summary).toBe(`保存 2 份文书：受理通知书 ${a.documentNo}、受理通知书 ${b.documentNo}（浏览器下载）`);

    const before = auditCount();
    const missing = await t.fail('documents.save', { ids: [a.id, '01900000-0000-7000-8000-000000000000'] }, clerk);
    expect(missing.code).toBe('NOT_FOUND');
    expect(t.downloads.size).toBe(0);
    expect(auditCount()).toBe(before);

    const late = await t.call('documents.print', { documentId: a.id }, clerk);
    expect(t.downloads.size).toBe(1);
    t.clock.advanceMinutes(6);
    expect(() => takeDownloads(t, late, clerk)).toThrow(/下载已失效/);
  });

  it('needs a session and valid ids, like every call, and shelves nothing otherwise', async () => {
    const doc = await issue();
    expect((await t.fail('documents.open', { documentId: doc.id })).code).toBe('UNAUTHENTICATED');
    expect((await t.fail('documents.open', { documentId: doc.id, printJobId: doc.id }, clerk)).code).toBe('INVALID_INPUT');
    expect((await t.fail('documents.open', {}, clerk)).code).toBe('INVALID_INPUT');
    expect((await t.fail('documents.save', { ids: [] }, clerk)).code).toBe('INVALID_INPUT');
    expect(t.downloads.size).toBe(0);
  });
});

describe('documents.* under a desktop host: the capability main.ts supplies', () => {
  it('hands the PDF to the desktop, never to the renderer, and audits the outcome', async () => {
    const doc = await issue();
    await t.close();
    const handed: { how: string; files: DeliveredFile[] }[] = [];
    const desktop: DocumentDelivery = {
      open: async (f) => (handed.push({ how: 'open', files: [f] }), { via: 'desktop', done: true, message: '已用系统阅读器打开' }),
      print: async (f) => (handed.push({ how: 'print', files: [f] }), { via: 'desktop', done: false, message: '已取消打印' }),
      save: async (fs) => (handed.push({ how: 'save', files: fs }), { via: 'desktop', done: true, message: '已保存 1 份' }),
    };
    const core = createCore({
      dataDir: t.dir,
      host: 'test',
      clock: new ManualClock(new Date('2026-11-24T02:00:00Z')),
      passwordCost: TEST_COST,
      desktop,
    });
    try {
      const call = async (method: 'documents.open' | 'documents.print', token: string) => {
        const r = await core.dispatch({ method, input: { documentId: doc.id }, sessionToken: token });
        if (!r.ok) throw new Error(r.error.message);
        return r.result;
      };
      const token = (await core.dispatch({ method: 'auth.login', input: { username: 'clerk', password: 'Staff-pass-2026' } })) as {
        ok: true;
        result: { sessionToken: string };
      };
      const session = token.result.sessionToken;
      expect(await call('documents.open', session)).toEqual({ via: 'desktop', done: true, message: '已用系统阅读器打开' });
      expect(await call('documents.print', session)).toEqual({ via: 'desktop', done: false, message: '已取消打印' });
      expect(handed.map((h) => h.how)).toEqual(['open', 'print']);
      expect(handed[0]!.files[0]!.bytes.equals(doc.pdf)).toBe(true);
      expect(handed[0]!.files[0]!.name).toBe(`受理通知书-${doc.documentNo}.pdf`);
      expect(core.downloads.size).toBe(0);
      const audit = core.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method LIKE 'documents.%' ORDER BY seq").all() as {
        summary: string;
      }[];
      expect(audit.map((a) => a.summary)).toEqual([
        `查看受理通知书 ${doc.documentNo}（已用系统阅读器打开）`,
        `打印受理通知书 ${doc.documentNo}（未完成：已取消打印）`,
      ]);
    } finally {
      await core.close();
    }
  });
});
