// Sign-in gives nothing away and cannot be turned against others: an unknown name gets the same
// answers after the same work as a wrong password, repeated failures are summarised in the
// audit trail (names without an account never recorded), and a password change ends the
// account's other sessions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';

let t: TestCore;
let admin: string;
beforeEach(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
});
afterEach(async () => {
  await t.cleanup();
});

async function attempt(username: string, password: string): Promise<string> {
  const r = await t.call('auth.login', { username, password });
  if (r.ok) throw new Error('unexpected sign-in');
  return r.message;
}

describe('an unknown name and a wrong password', () => {
  it('get the same answer at every step, lockout included', async () => {
    await t.call('users.create', { username: 'clerk', displayName: '受理员', password: 'Clerk-pass-2026', roles: ['intake_clerk'] }, admin);
    for (let i = 1; i <= 7; i++) {
      const known = await attempt('clerk', `Wrong-pass-${i}`);
      const unknown = await attempt('ghost', `Wrong-pass-${i}`);
      expect(unknown).toBe(known);
      if (i < 5) expect(known).toMatch(/^用户名或密码不正确/);
      if (i === 5) expect(known).toMatch(/账号已锁定 15 分钟/);
      if (i > 5) expect(known).toMatch(/账号已锁定至 10:15/);
    }
  });

  it('cost the same work: an unknown name is checked against a dummy hash at the cost of real ones', async () => {
    await attempt('ghost', 'Wrong-pass-1');
    const dummy = await t.deps.signIn.dummyHash();
    const real = t.store.sqlite.prepare("SELECT password_hash h FROM users WHERE username = 'admin'").get() as { h: string };
    expect(dummy.hash.split('$').slice(0, 4)).toEqual(real.h.split('$').slice(0, 4));
  });

  it('a disabled account says so only to someone who knows its password', async () => {
    const { userId } = await t.call(
      'users.create',
      { username: 'gone', displayName: '已离职', password: 'Gone-pass-2026', roles: ['intake_clerk'] },
      admin,
    );
    await t.call('users.update', { userId, active: false }, admin);
    expect(await attempt('gone', 'Wrong-pass-1')).toMatch(/^用户名或密码不正确/);
    expect(await attempt('gone', 'Gone-pass-2026')).toBe('该账号已停用，请联系管理员');
  });
});

describe('failed sign-ins in the audit trail', () => {
  it('are one entry at the start of a window plus one summary with the count, and never name an unknown user', async () => {
    const before = (t.store.sqlite.prepare('SELECT COUNT(*) n FROM audit_log').get() as { n: number }).n;
    for (let i = 0; i < 40; i++) await attempt(`secret-typed-as-name-${i % 3}`, 'Wrong-pass-1');
    const during = t.store.sqlite.prepare('SELECT summary FROM audit_log WHERE seq > ?').all(before) as { summary: string }[];
    // The first failure, then one entry per (simulated) lockout of each of the three names.
    expect(during.map((e) => e.summary)).toEqual([
      '登录失败（不存在的用户名）：用户名或密码不正确，请重新输入（连续输错 5 次将锁定 15 分钟）',
      ...Array(3).fill('登录失败（不存在的用户名）：连续 5 次输错密码，账号已锁定 15 分钟'),
    ]);
    t.clock.advanceMinutes(16);
    const fresh = await signIn(t, 'admin', ADMIN_PASSWORD);
    const after = t.store.sqlite.prepare('SELECT summary FROM audit_log WHERE seq > ? ORDER BY seq').all(before) as { summary: string }[];
    expect(after.map((e) => e.summary)).toEqual([
      ...Array(4).fill(expect.stringMatching(/^登录失败（不存在的用户名）/)),
      '登录失败汇总（不存在的用户名）：2026-11-24 10:00–10:15 共 40 次（其中 4 次已单独记录）',
      'admin 登录',
    ]);
    const everything = JSON.stringify([
      t.store.sqlite.prepare('SELECT * FROM audit_log').all(),
      t.store.sqlite.prepare('SELECT * FROM login_failures').all(),
    ]);
    expect(everything).not.toContain('secret-typed-as-name');
    expect(await t.call('audit.verify', {}, fresh)).toMatchObject({ ok: true });
  });

  it('a successful sign-in closes its account window with the summary owed', async () => {
    await attempt('admin', 'Wrong-pass-1');
    await attempt('admin', 'Wrong-pass-2');
    await attempt('admin', 'Wrong-pass-3');
    await t.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    const rows = t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'auth.login' ORDER BY seq").all() as {
      summary: string;
    }[];
    expect(rows.map((r) => r.summary).slice(-4)).toEqual([
      'admin 登录',
      expect.stringMatching(/^登录失败：/),
      '登录失败汇总：2026-11-24 10:00–10:00 共 3 次（其中 1 次已单独记录）',
      'admin 登录',
    ]);
    expect(t.store.sqlite.prepare('SELECT COUNT(*) n FROM login_failures').get()).toEqual({ n: 0 });
  });
});

describe('changing a password', () => {
  it('ends the account’s other sessions and keeps the one that changed it', async () => {
    await t.call('users.create', { username: 'clerk', displayName: '受理员', password: 'Clerk-pass-2026', roles: ['intake_clerk'] }, admin);
    const here = await signIn(t, 'clerk', 'Clerk-pass-2026');
    const forgotten = await signIn(t, 'clerk', 'Clerk-pass-2026');
    await t.call('auth.changePassword', { currentPassword: 'Clerk-pass-2026', newPassword: 'Clerk-pass-2027' }, here);
    expect((await t.fail('auth.me', {}, forgotten)).code).toBe('UNAUTHENTICATED');
    expect((await t.call('auth.me', {}, here)).user.username).toBe('clerk');
    const entry = t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'auth.changePassword'").get() as { summary: string };
    expect(entry.summary).toBe('clerk 修改了自己的密码，结束其他 1 个登录会话');
    // An administrator resetting their own password keeps their own window too.
    const other = await signIn(t, 'admin', ADMIN_PASSWORD);
    const me = await t.call('auth.me', {}, admin);
    await t.call('users.resetPassword', { userId: me.user.id, newPassword: 'Admin-pass-2027' }, admin);
    expect((await t.call('auth.me', {}, admin)).user.username).toBe('admin');
    expect((await t.fail('auth.me', {}, other)).code).toBe('UNAUTHENTICATED');
  });
});
