// Handlers for accounts, settings and the audit trail (administrators).
import type { Handlers } from '../rpc-types';
import { createUser, endSessionsOf, getUser, listUsers, setPassword, updateUser } from '../users';
import { getSettings, updateSettings } from '../settings';
import { listAudit, verifyAudit } from '../audit';
import { ROLE_LABELS } from '../../../shared/roles';
import { ApiError } from '../../../shared/api/errors';
import { ruleData } from '../cases/rule-data';

type AdminHandlers = Pick<
  Handlers,
  | 'users.list'
  | 'users.create'
  | 'users.update'
  | 'users.resetPassword'
  | 'settings.get'
  | 'settings.update'
  | 'audit.list'
  | 'audit.verify'
>;

export const adminHandlers: AdminHandlers = {
  async 'users.list'(_input, ctx) {
    return listUsers(ctx.db);
  },

  async 'users.create'(input, ctx) {
    const userId = await createUser(ctx.db, ctx.clock, ctx.passwords, input);
    ctx.note({
      entity: 'user',
      entityId: userId,
      summary: `新建用户 ${input.username}，角色：${input.roles.map((r) => ROLE_LABELS[r]).join('、')}`,
    });
    return { userId };
  },

  async 'users.update'(input, ctx) {
    const before = await getUser(ctx.db, input.userId);
    await updateUser(ctx.db, ctx.clock, input);
    const changes: string[] = [];
    if (input.displayName !== undefined && input.displayName !== before.displayName) changes.push('姓名');
    if (input.roles) changes.push(`角色：${input.roles.map((r) => ROLE_LABELS[r]).join('、')}`);
    if (input.active !== undefined && input.active !== before.active) changes.push(input.active ? '启用' : '停用');
    ctx.note({ entity: 'user', entityId: input.userId, summary: `修改用户 ${before.username}：${changes.join('；') || '无变化'}` });
    return { ok: true as const };
  },

  async 'users.resetPassword'(input, ctx) {
    const target = await getUser(ctx.db, input.userId);
    await setPassword(ctx.db, ctx.clock, ctx.passwords, input.userId, input.newPassword);
    // A reset password must not leave the old holder signed in (the administrator's own window stays).
    await endSessionsOf(ctx.db, ctx.clock, input.userId, input.userId === ctx.user?.id ? ctx.sessionTokenHash : null);
    ctx.note({ entity: 'user', entityId: input.userId, summary: `重置用户 ${target.username} 的密码` });
    return { ok: true as const };
  },

  async 'settings.get'(_input, ctx) {
    return getSettings(ctx.db);
  },

  async 'settings.update'(input, ctx) {
    if (input.jurisdiction && !(await ruleData(ctx.db, '')).packs.some((p) => p.jurisdiction === input.jurisdiction)) {
      throw new ApiError('INVALID_INPUT', `没有统筹地区“${input.jurisdiction}”的规则包，请先安装规则包`, [
        { path: 'jurisdiction', message: '没有该地区的规则包' },
      ]);
    }
    const before = await getSettings(ctx.db);
    const after = await updateSettings(ctx.db, input);
    const changed = (Object.keys(input) as (keyof typeof input)[])
      .filter((k) => input[k] !== undefined && before[k] !== after[k])
      .map((k) => `${k}: ${String(before[k])} → ${String(after[k])}`);
    ctx.note({ entity: 'settings', summary: `修改设置 ${changed.join('；') || '无变化'}` });
    return after;
  },

  async 'audit.list'(input, ctx) {
    return listAudit(ctx.db, input);
  },

  async 'audit.verify'(_input, ctx) {
    return verifyAudit(ctx.db);
  },
};
