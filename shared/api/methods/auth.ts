// Setup of the first administrator, sign-in, idle lock and password changes.
import { z } from 'zod';
import { method } from '../define';
import { passwordSchema, text, usernameSchema } from '../common';
import { ROLES } from '../../roles';

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

const sessionInfo = z.object({
  user: userSchema,
  idleLockMinutes: z.number(),
});

export const authMethods = {
  'auth.setup': method({
    label: '创建首个管理员',
    access: 'public',
    mutates: true,
    input: z.object({
      username: usernameSchema,
      displayName: text('姓名', 40, 1),
      password: passwordSchema,
    }),
    // The recovery key, shown once to the first administrator (docs: README, 恢复密钥).
    output: z.object({ userId: z.string(), recoveryKey: z.string() }),
  }),
  'auth.login': method({
    label: '登录',
    access: 'public',
    mutates: true,
    // Repeated failures are summarised per account and window instead of one entry each.
    auditOnlyNotes: true,
    input: z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(200) }),
    output: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), sessionToken: z.string(), session: sessionInfo }),
      z.object({ ok: z.literal(false), message: z.string() }),
    ]),
  }),
  'auth.me': method({
    label: '当前用户',
    access: 'authenticated',
    mutates: false,
    allowWhenLocked: true,
    input: z.object({}),
    output: sessionInfo.extend({ locked: z.boolean() }),
  }),
  'auth.logout': method({
    label: '退出登录',
    access: 'authenticated',
    mutates: true,
    allowWhenLocked: true,
    input: z.object({}),
    output: z.object({ ok: z.literal(true) }),
  }),
  'auth.lock': method({
    label: '锁定屏幕',
    access: 'authenticated',
    mutates: true,
    allowWhenLocked: true,
    input: z.object({}),
    output: z.object({ ok: z.literal(true) }),
  }),
  'auth.unlock': method({
    label: '解锁屏幕',
    access: 'authenticated',
    mutates: true,
    allowWhenLocked: true,
    input: z.object({ password: z.string().min(1, '请输入密码').max(200) }),
    output: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), message: z.string() })]),
  }),
  'auth.touch': method({
    label: '保持会话',
    access: 'authenticated',
    mutates: false,
    input: z.object({}),
    output: z.object({ ok: z.literal(true) }),
  }),
  'auth.changePassword': method({
    label: '修改密码',
    access: 'authenticated',
    mutates: true,
    input: z.object({ currentPassword: z.string().min(1, '请输入当前密码').max(200), newPassword: passwordSchema }),
    output: z.object({ ok: z.literal(true) }),
  }),
};
