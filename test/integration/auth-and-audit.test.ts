import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeTestCore, setupAdmin, signIn, tempDir, type TestCore } from '../helpers/core';
import fs from 'node:fs';
import { createCore } from '../../electron/core/app-core';

let t: TestCore;
beforeEach(() => {
  t = makeTestCore();
});
afterEach(async () => {
  await t.cleanup();
});

describe('first start and setup', () => {
  it('reports that setup is needed until the first administrator exists, then refuses a second setup', async () => {
    expect((await t.call('system.info', {})).needsSetup).toBe(true);
    await setupAdmin(t);
    expect((await t.call('system.info', {})).needsSetup).toBe(false);
    const err = await t.fail('auth.setup', { username: 'other', displayName: '另一人', password: 'Another-pass-1' });
    expect(err.code).toBe('CONFLICT');
    expect((await t.call('system.info', {})).needsSetup).toBe(false);
  });

  it('refuses a weak password with a Chinese message and creates nothing', async () => {
    const err = await t.fail('auth.setup', { username: 'admin', displayName: '管理员', password: 'short' });
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('密码至少 10 个字符');
    expect(err.fields?.[0]?.path).toBe('password');
    expect((await t.call('system.info', {})).needsSetup).toBe(true);
    const audit = t.store.sqlite.prepare('SELECT COUNT(*) n FROM audit_log').get() as { n: number };
    expect(audit.n).toBe(0);
  });

  it('hashes at the production cost (scrypt N = 2^15) unless a test lowers it', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'web' });
    try {
      const r = await core.dispatch({
        method: 'auth.setup',
        input: { username: 'admin', displayName: '系统管理员', password: ADMIN_PASSWORD },
      });
      expect(r.ok).toBe(true);
      const row = core.store.sqlite.prepare('SELECT password_hash h FROM users').get() as { h: string };
      expect(row.h.startsWith('scrypt$32768$8$1$')).toBe(true);
      const login = await core.dispatch({ method: 'auth.login', input: { username: 'admin', password: ADMIN_PASSWORD } });
      expect(login.ok && (login.result as { ok: boolean }).ok).toBe(true);
    } finally {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // The tests' own cores use the low cost.
    await setupAdmin(t);
    const low = t.store.sqlite.prepare('SELECT password_hash h FROM users').get() as { h: string };
    expect(low.h.startsWith('scrypt$1024$')).toBe(true);
  });

  it('stores a salted scrypt hash, never the password', async () => {
    await setupAdmin(t);
    await t.call(
      'users.create',
      { username: 'clerk', displayName: '受理员甲', password: ADMIN_PASSWORD, roles: ['intake_clerk'] },
      await signIn(t, 'admin', ADMIN_PASSWORD),
    );
    const rows = t.store.sqlite.prepare('SELECT password_hash h, password_salt s FROM users').all() as { h: string; s: string }[];
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.h.startsWith('scrypt$')).toBe(true);
      expect(r.h).not.toContain(ADMIN_PASSWORD);
    }
    // Same password, different salts, different hashes.
    expect(rows[0]!.s).not.toBe(rows[1]!.s);
    expect(rows[0]!.h).not.toBe(rows[1]!.h);
  });
});

describe('sign-in, lockout and idle lock', () => {
  it('refuses a wrong password and locks the account after the configured number of failures', async () => {
    await setupAdmin(t);
    for (let i = 1; i <= 4; i++) {
      const r = await t.call('auth.login', { username: 'admin', password: 'wrong-password-1' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toBe('用户名或密码不正确，请重新输入（连续输错 5 次将锁定 15 分钟）');
    }
    const fifth = await t.call('auth.login', { username: 'admin', password: 'wrong-password-1' });
    expect(fifth.ok === false && fifth.message).toContain('已锁定 15 分钟');
    // Even the right password is refused while locked.
    const locked = await t.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(locked.ok).toBe(false);
    t.clock.advanceMinutes(16);
    expect((await t.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).ok).toBe(true);
    // The failures are in the audit trail, without the password: the first and the lockout at
    // once, all six (the one refused while locked included) in the summary at the next sign-in.
    const failures = t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE summary LIKE '登录失败%' ORDER BY seq").all() as {
      summary: string;
    }[];
    expect(failures.map((f) => f.summary)).toEqual([
      expect.stringMatching(/^登录失败：用户名或密码不正确/),
      expect.stringMatching(/^登录失败：连续 5 次输错密码，账号已锁定 15 分钟/),
      expect.stringMatching(/^登录失败汇总：2026-11-24 10:00–10:15 共 6 次（其中 2 次已单独记录）/),
    ]);
    expect(JSON.stringify(failures)).not.toContain('wrong-password-1');
  });

  it('does not reveal whether a username exists', async () => {
    await setupAdmin(t);
    const unknown = await t.call('auth.login', { username: 'nobody', password: 'x' });
    const wrong = await t.call('auth.login', { username: 'admin', password: 'x' });
    expect(unknown.ok === false && unknown.message).toBe('用户名或密码不正确，请重新输入（连续输错 5 次将锁定 15 分钟）');
    expect(wrong.ok === false && wrong.message).toBe(unknown.ok === false && unknown.message);
  });

  it('locks an idle session on the server and unlocks it only with the right password', async () => {
    const token = await setupAdmin(t);
    await t.call('users.list', {}, token);
    t.clock.advanceMinutes(11);
    const err = await t.fail('users.list', {}, token);
    expect(err.code).toBe('SESSION_LOCKED');
    expect((await t.call('auth.me', {}, token)).locked).toBe(true);
    const bad = await t.call('auth.unlock', { password: 'not-the-password-1' }, token);
    expect(bad.ok).toBe(false);
    expect((await t.fail('users.list', {}, token)).code).toBe('SESSION_LOCKED');
    expect((await t.call('auth.unlock', { password: ADMIN_PASSWORD }, token)).ok).toBe(true);
    expect(await t.call('users.list', {}, token)).toHaveLength(1);
  });

  it('honours a changed idle period and keeps an active session awake', async () => {
    const token = await setupAdmin(t);
    await t.call('settings.update', { idleLockMinutes: 30 }, token);
    for (let i = 0; i < 5; i++) {
      t.clock.advanceMinutes(20);
      await t.call('auth.touch', {}, token);
    }
    expect((await t.call('auth.me', {}, token)).locked).toBe(false);
    t.clock.advanceMinutes(31);
    expect((await t.fail('users.list', {}, token)).code).toBe('SESSION_LOCKED');
  });

  it('ends the session on logout', async () => {
    const token = await setupAdmin(t);
    await t.call('auth.logout', {}, token);
    expect((await t.fail('auth.me', {}, token)).code).toBe('UNAUTHENTICATED');
  });
});

describe('roles', () => {
  it('lets only the declared roles call a method, and says which roles are needed', async () => {
    const admin = await setupAdmin(t);
    await t.call(
      'users.create',
      { username: 'clerk', displayName: '受理员甲', password: 'Clerk-pass-2026', roles: ['intake_clerk'] },
      admin,
    );
    const clerk = await signIn(t, 'clerk', 'Clerk-pass-2026');
    const err = await t.fail('users.list', {}, clerk);
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toContain('管理员');
    expect((await t.fail('users.list', {}, null)).code).toBe('UNAUTHENTICATED');
    expect((await t.call('auth.me', {}, clerk)).user.roles).toEqual(['intake_clerk']);
  });

  it('refuses the local operator (CLI) a method that needs a named person, with a clear message', async () => {
    await setupAdmin(t);
    const r = await t.dispatch({
      method: 'cases.get',
      input: { caseId: '0190a4c0-0000-7000-8000-000000000000' },
      asLocalOperator: '命令行',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('具名账号') });
  });

  it('keeps at least one active administrator and rolls the refused change back', async () => {
    const admin = await setupAdmin(t);
    const me = await t.call('auth.me', {}, admin);
    const err = await t.fail('users.update', { userId: me.user.id, roles: ['intake_clerk'] }, admin);
    expect(err.code).toBe('CONFLICT');
    expect((await t.call('auth.me', {}, admin)).user.roles).toEqual(['admin']);
  });

  it('a user may hold several roles; deactivating a user ends their sessions', async () => {
    const admin = await setupAdmin(t);
    const { userId } = await t.call(
      'users.create',
      { username: 'panel', displayName: '鉴定秘书乙', password: 'Panel-pass-2026', roles: ['appraisal_secretary', 'appraisal_leader'] },
      admin,
    );
    const panel = await signIn(t, 'panel', 'Panel-pass-2026');
    expect((await t.call('auth.me', {}, panel)).user.roles.sort()).toEqual(['appraisal_leader', 'appraisal_secretary']);
    await t.call('users.update', { userId, active: false }, admin);
    expect((await t.fail('auth.me', {}, panel)).code).toBe('UNAUTHENTICATED');
    expect((await t.call('auth.login', { username: 'panel', password: 'Panel-pass-2026' })).ok).toBe(false);
  });
});

describe('validation at the boundary', () => {
  it('refuses unknown methods and malformed input with structured Chinese errors, writing nothing', async () => {
    const admin = await setupAdmin(t);
    const before = t.store.sqlite.prepare('SELECT COUNT(*) n FROM audit_log').get() as { n: number };
    expect((await t.fail('nope.nothing' as never, {}, admin)).code).toBe('UNKNOWN_METHOD');
    const err = await t.fail('users.create', { username: 'Bad Name', displayName: '', password: 'x', roles: ['king'] }, admin);
    expect(err.code).toBe('INVALID_INPUT');
    expect([...new Set(err.fields?.map((f) => f.path))].sort()).toEqual(['displayName', 'password', 'roles.0', 'username']);
    const huge = await t.fail(
      'users.create',
      { username: 'big', displayName: '字'.repeat(5_000_000), password: 'Valid-pass-2026', roles: ['admin'] },
      admin,
    );
    expect(huge.message).toContain('不能超过 40 个字符');
    const after = t.store.sqlite.prepare('SELECT COUNT(*) n FROM audit_log').get() as { n: number };
    expect(after.n).toBe(before.n);
    expect(await t.call('users.list', {}, admin)).toHaveLength(1);
  });
});

describe('audit trail', () => {
  it('writes one chained entry per change, with who, what and which record', async () => {
    const admin = await setupAdmin(t);
    const { userId } = await t.call(
      'users.create',
      { username: 'clerk', displayName: '受理员甲', password: 'Clerk-pass-2026', roles: ['intake_clerk'] },
      admin,
    );
    const list = await t.call('audit.list', { limit: 10, offset: 0 }, admin);
    const created = list.entries.find((e) => e.method === 'users.create');
    expect(created).toMatchObject({ actorName: '系统管理员', entity: 'user', entityId: userId, action: '新建用户' });
    expect(created?.summary).toContain('受理专员');
    expect(await t.call('audit.verify', {}, admin)).toEqual({ ok: true, checked: list.total, firstBroken: null });
  });

  it('refuses edits and deletes in the database itself', async () => {
    await setupAdmin(t);
    expect(() => t.store.sqlite.prepare("UPDATE audit_log SET summary = 'x' WHERE seq = 1").run()).toThrow(/只能追加/);
    expect(() => t.store.sqlite.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/只能追加/);
  });

  it('names the first broken entry when the chain is tampered with behind the app', async () => {
    const admin = await setupAdmin(t);
    for (const name of ['aaa', 'bbb', 'ccc']) {
      await t.call('users.create', { username: name, displayName: name, password: 'Valid-pass-2026', roles: ['intake_clerk'] }, admin);
    }
    const db = t.store.sqlite;
    // Behind the app: in the table the audit_log view reads (migration 604).
    db.exec('DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;');
    db.prepare("UPDATE audit_entries SET summary = '新建用户 zzz' WHERE seq = 4").run();
    const edited = await t.call('audit.verify', {}, admin);
    expect(edited.ok).toBe(false);
    expect(edited.firstBroken?.seq).toBe(4);
    expect(edited.firstBroken?.reason).toContain('内容被改动');
  });

  it('detects a deleted entry', async () => {
    const admin = await setupAdmin(t);
    await t.call('users.create', { username: 'aaa', displayName: 'a', password: 'Valid-pass-2026', roles: ['intake_clerk'] }, admin);
    await t.call('users.create', { username: 'bbb', displayName: 'b', password: 'Valid-pass-2026', roles: ['intake_clerk'] }, admin);
    t.store.sqlite.exec('DROP TRIGGER audit_entries_no_delete; DELETE FROM audit_entries WHERE seq = 3;');
    const r = await t.call('audit.verify', {}, admin);
    expect(r.firstBroken?.seq).toBe(4);
    expect(r.firstBroken?.reason).toContain('缺少第 3 条');
  });
});

describe('jurisdiction setting', () => {
  it('lists the installed rule packs and refuses a jurisdiction without one', async () => {
    const admin = await setupAdmin(t);
    const packs = await t.call('rules.packs', {}, admin);
    expect(packs.map((p) => p.jurisdiction).sort()).toEqual(['qinghai', 'shandong']);
    expect((await t.call('settings.get', {}, admin)).jurisdiction).toBe('qinghai');
    const err = await t.fail('settings.update', { jurisdiction: 'atlantis' }, admin);
    expect(err.message).toContain('没有统筹地区“atlantis”的规则包');
    expect((await t.call('settings.update', { jurisdiction: 'shandong' }, admin)).jurisdiction).toBe('shandong');
  });
});
