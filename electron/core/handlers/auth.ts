// Handlers for setup, sign-in, idle lock and password changes.
import type { Handlers } from '../rpc-types';
import { requireUser } from '../rpc-types';
import { ApiError } from '../../../shared/api/errors';
import { countUsers, createUser, endSessionsOf, setPassword } from '../users';
import { checkPassword, endSession, login, setSessionLocked } from '../sessions';
import { closeEndedWindows, closeWindowOf, recordFailure } from '../login-failures';
import { getSettings } from '../settings';
import { issueRecoveryKey } from '../recovery';
import { chinaInstant } from '../clock';

type AuthHandlers = Pick<
  Handlers,
  'auth.setup' | 'auth.login' | 'auth.me' | 'auth.logout' | 'auth.lock' | 'auth.unlock' | 'auth.touch' | 'auth.changePassword'
>;

export const authHandlers: AuthHandlers = {
  async 'auth.setup'(input, ctx) {
    // Inside the write transaction: two windows racing through setup cannot both win.
    if ((await countUsers(ctx.db)) > 0) throw new ApiError('CONFLICT', '系统已完成初始化，请使用已有账号登录');
    const userId = await createUser(ctx.db, ctx.clock, ctx.passwords, { ...input, roles: ['admin'] });
    // The way back if this machine (and the OS that seals the store key) is lost: shown once.
    const recovery = await issueRecoveryKey(ctx.dataDir, ctx.keys.storeKey, ctx.passwords.cost.logN, chinaInstant(ctx.clock.now()));
    ctx.afterCommit(recovery.commit);
    ctx.note({ entity: 'user', entityId: userId, summary: `创建首个管理员 ${input.username}，并生成恢复密钥` });
    return { userId, recoveryKey: recovery.recoveryKey };
  },

  async 'auth.login'(input, ctx) {
    // Failures are summarised per account and window (login-failures.ts), not one entry each.
    for (const n of await closeEndedWindows(ctx.db, ctx.clock)) ctx.note(n);
    const r = await login(ctx.db, ctx.clock, ctx.signIn, input.username, input.password);
    if (!r.ok) {
      if (r.disabled) {
        // The right password for a disabled account: rare and worth its own entry.
        ctx.note({ entity: 'user', entityId: r.userId, summary: `登录被拒绝：${r.message}` });
      } else {
        const n = await recordFailure(ctx.db, ctx.clock, r);
        if (n) ctx.note(n);
      }
      return { ok: false as const, message: r.message };
    }
    const owed = await closeWindowOf(ctx.db, ctx.clock, r.user.id);
    if (owed) ctx.note(owed);
    ctx.note({ entity: 'user', entityId: r.user.id, summary: `${r.user.username} 登录` });
    const { idleLockMinutes } = await getSettings(ctx.db);
    return { ok: true as const, sessionToken: r.token, session: { user: r.user, idleLockMinutes } };
  },

  async 'auth.me'(_input, ctx) {
    const user = requireUser(ctx);
    const { idleLockMinutes } = await getSettings(ctx.db);
    const row = await ctx.db
      .selectFrom('sessions')
      .select('locked')
      .where('token_hash', '=', ctx.sessionTokenHash ?? '')
      .executeTakeFirst();
    return { user, idleLockMinutes, locked: row?.locked === 1 };
  },

  async 'auth.logout'(_input, ctx) {
    const user = requireUser(ctx);
    if (ctx.sessionTokenHash) {
      await endSession(ctx.db, ctx.clock, ctx.sessionTokenHash);
      const hash = ctx.sessionTokenHash;
      ctx.afterCommit(() => ctx.printJobs.endSession(hash));
    }
    ctx.note({ entity: 'user', entityId: user.id, summary: `${user.username} 退出登录` });
    return { ok: true as const };
  },

  async 'auth.lock'(_input, ctx) {
    const user = requireUser(ctx);
    if (ctx.sessionTokenHash) await setSessionLocked(ctx.db, ctx.clock, ctx.sessionTokenHash, true);
    ctx.note({ entity: 'user', entityId: user.id, summary: `${user.username} 锁定屏幕` });
    if (ctx.sessionTokenHash) ctx.events.publish('session.locked', { reason: 'manual' }, { sessionTokenHash: ctx.sessionTokenHash });
    return { ok: true as const };
  },

  async 'auth.unlock'(input, ctx) {
    const user = requireUser(ctx);
    const checked = await checkPassword(ctx.db, ctx.clock, user.id, input.password);
    if (!checked.ok) {
      ctx.note({ entity: 'user', entityId: user.id, summary: `解锁失败：${checked.message}` });
      return { ok: false as const, message: checked.message };
    }
    if (ctx.sessionTokenHash) await setSessionLocked(ctx.db, ctx.clock, ctx.sessionTokenHash, false);
    ctx.note({ entity: 'user', entityId: user.id, summary: `${user.username} 解锁屏幕` });
    return { ok: true as const };
  },

  async 'auth.touch'() {
    // The dispatcher has already recorded the activity.
    return { ok: true as const };
  },

  async 'auth.changePassword'(input, ctx) {
    const user = requireUser(ctx);
    const checked = await checkPassword(ctx.db, ctx.clock, user.id, input.currentPassword);
    if (!checked.ok)
      throw new ApiError('INVALID_INPUT', `当前密码不正确：${checked.message}`, [{ path: 'currentPassword', message: '当前密码不正确' }]);
    await setPassword(ctx.db, ctx.clock, ctx.passwords, user.id, input.newPassword);
    // Whoever else holds a session of this account (a forgotten window, someone who learnt the
    // old password) is signed out; this window stays signed in.
    const ended = await endSessionsOf(ctx.db, ctx.clock, user.id, ctx.sessionTokenHash);
    ctx.note({
      entity: 'user',
      entityId: user.id,
      summary: `${user.username} 修改了自己的密码${ended > 0 ? `，结束其他 ${ended} 个登录会话` : ''}`,
    });
    return { ok: true as const };
  },
};
