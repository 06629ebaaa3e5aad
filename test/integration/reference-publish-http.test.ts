// Publishing reference data over HTTP (issue #13): a centre administrator signs in (scrypt
// verifier made on the admin socket, same refusal for unknown names, rate-limited, short-lived
// session) and publishes through POST /v1/admin/reference/:kind — the CLI's own validation and
// signing path. Refused without sign-in, with the viewer role, and for a bad item (nothing
// published); an accepted item reaches an enrolled device at its next sync; every act is audited
// with who made it; the /admin page is served with a strict CSP.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { ROOT, useSharedCentre, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { passwordVerifier } from '../../central/core/accounts';
import { runAdmin } from '../../central/admin-socket';
import { MAX_FAILURES, SESSION_MINUTES, SIGN_IN_REFUSED } from '../../central/core/admin-accounts';

let centre: TestCentre;
useSharedCentre((c) => (centre = c));
const cores: TestCore[] = [];
afterAll(async () => {
  for (const c of cores) await c.cleanup();
});

const PUBLISHER_PW = '发布员的口令-2026';
const VIEWER_PW = '查看员的口令-2026';

async function admins() {
  await sql`TRUNCATE reference_items, central_accounts, centre_admins, centre_admin_sessions, centre_admin_failures, centre_admin_audit`.execute(
    centre.db,
  );
  await runAdmin(centre.db, centre.clock, {
    command: 'admin-add',
    username: 'fabu',
    displayName: '王发布',
    role: 'publisher',
    verifier: await passwordVerifier(PUBLISHER_PW, 4),
  });
  await runAdmin(centre.db, centre.clock, {
    command: 'admin-add',
    username: 'chakan',
    role: 'viewer',
    verifier: await passwordVerifier(VIEWER_PW, 4),
  });
}

async function http(method: string, p: string, body?: unknown, token?: string) {
  const res = await fetch(`${centre.url}${p}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

async function signIn(username: string, password: string): Promise<string> {
  const r = await http('POST', '/v1/admin/session', { username, password });
  expect(r.status).toBe(200);
  return r.body.token as string;
}

const published = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM reference_items`.execute(centre.db)).rows[0]!.n;
const bundledPack = () =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'resources/rules/qinghai-2026.json'), 'utf8')) as Record<string, unknown>;

describe('publishing over HTTP', () => {
  it('refuses without sign-in, with the viewer role and for a bad item; nothing is published', async () => {
    await admins();
    const pack = bundledPack();
    const none = await http('POST', '/v1/admin/reference/rule_pack', pack);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先以中心管理员身份登录' });
    const forged = await http('POST', '/v1/admin/reference/rule_pack', pack, 'x'.repeat(43));
    expect(forged.status).toBe(401);

    const viewer = await signIn('chakan', VIEWER_PW);
    const v = await http('POST', '/v1/admin/reference/rule_pack', pack, viewer);
    expect(v.status).toBe(403);
    expect(v.body.error!.message).toContain('不能发布参考数据');
    // The viewer may see what is in force.
    expect((await http('GET', '/v1/admin/reference', undefined, viewer)).status).toBe(200);

    const token = await signIn('fabu', PUBLISHER_PW);
    const bad = await http('POST', '/v1/admin/reference/platforms', { version: '1', platforms: [{ code: 'X', name: '' }] }, token);
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toMatch(/^平台名录格式不正确（platforms\.0\.code：/);
    const notJson = await http('POST', '/v1/admin/reference/calendar', '{"version": ', token);
    expect(notJson.status).toBe(400);
    const unknownKind = await http('POST', '/v1/admin/reference/laws', { version: '1' }, token);
    expect(unknownKind.body.error!.message).toContain('未知的参考数据种类');
    expect(await published()).toBe(0);

    // The refusals are on record with who was refused.
    const audit = await sql<{ actor: string; action: string; ok: boolean }>`
      SELECT actor, action, ok FROM centre_admin_audit WHERE action = 'publish' ORDER BY id`.execute(centre.db);
    expect(audit.rows).toEqual([
      { actor: 'fabu', action: 'publish', ok: false },
      { actor: 'fabu', action: 'publish', ok: false },
    ]);
  });

  it('an accepted item is signed like the CLI’s, audited with who, and reaches a device at its next sync', async () => {
    await admins();
    const t = makeTestCore();
    cores.push(t);
    const admin = await setupAdmin(t);
    const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' });
    await t.call('sync.enrol', { url: centre.url, code, deviceName: '办公室台式机' }, admin);

    const token = await signIn('fabu', PUBLISHER_PW);
    const pack = bundledPack();
    pack.version = '2026.10.1';
    const r = await http('POST', '/v1/admin/reference/rule_pack', pack, token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, kind: 'rule_pack', itemId: 'qinghai-2026', version: '2026.10.1', revision: 1 });

    const list = await http('GET', '/v1/admin/reference', undefined, token);
    expect((list.body.items as unknown[]).at(0)).toMatchObject({ kind: 'rule_pack', version: '2026.10.1', publishedBy: 'fabu' });
    const audit = await sql<{ actor: string; ok: boolean; detail: Record<string, unknown> }>`
      SELECT actor, ok, detail FROM centre_admin_audit WHERE action = 'publish'`.execute(centre.db);
    expect(audit.rows).toEqual([{ actor: 'fabu', ok: true, detail: expect.objectContaining({ kind: 'rule_pack', version: '2026.10.1' }) }]);

    const s = await t.call('sync.now', {}, admin);
    expect(s.errors).toEqual([]);
    const packs = await t.call('rules.packs', {}, admin);
    expect(packs.find((p) => p.id === 'qinghai-2026')).toMatchObject({ version: '2026.10.1', source: 'centre' });
  });

  it('sign-in: one answer for unknown names and wrong passwords, locked after repeated failures, sessions expire', async () => {
    await admins();
    const wrong = await http('POST', '/v1/admin/session', { username: 'fabu', password: '不对的口令' });
    const unknown = await http('POST', '/v1/admin/session', { username: 'nobody', password: '不对的口令' });
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ status: 401, body: { error: { message: SIGN_IN_REFUSED } } });

    for (let i = 1; i < MAX_FAILURES; i++) await http('POST', '/v1/admin/session', { username: 'fabu', password: '不对的口令' });
    // Locked now: even the right password is refused, and the same holds for a name that does not exist.
    const locked = await http('POST', '/v1/admin/session', { username: 'fabu', password: PUBLISHER_PW });
    expect(locked.status).toBe(429);
    expect(locked.body.error!.message).toContain('尝试次数过多');
    for (let i = 1; i < MAX_FAILURES; i++) await http('POST', '/v1/admin/session', { username: 'nobody', password: 'x' });
    expect((await http('POST', '/v1/admin/session', { username: 'nobody', password: 'x' })).status).toBe(429);

    centre.clock.advanceMinutes(16);
    const token = await signIn('fabu', PUBLISHER_PW);
    expect((await http('GET', '/v1/admin/reference', undefined, token)).status).toBe(200);
    centre.clock.advanceMinutes(SESSION_MINUTES + 1);
    expect((await http('GET', '/v1/admin/reference', undefined, token)).status).toBe(401);

    // Signing out ends the session at once.
    const t2 = await signIn('fabu', PUBLISHER_PW);
    await http('DELETE', '/v1/admin/session', undefined, t2);
    expect((await http('GET', '/v1/admin/reference', undefined, t2)).status).toBe(401);
  });

  it('serves the Chinese publish page with a strict content policy', async () => {
    const res = await fetch(`${centre.url}/admin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('管理员登录');
    expect(html).toContain('校验并发布');
    expect(html).not.toMatch(/<script>[^<]/);
    expect((await fetch(`${centre.url}/admin/app.js`)).headers.get('content-type')).toContain('javascript');
  });
});
