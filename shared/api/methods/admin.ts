// Administration: accounts and roles, settings, the audit trail.
import { z } from 'zod';
import { method } from '../define';
import { idSchema, pageSchema, passwordSchema, text, usernameSchema } from '../common';
import { ROLES } from '../../roles';
import { userSchema } from './auth';

const rolesSchema = z.array(z.enum(ROLES, { error: '角色不存在' })).min(1, '至少选择一个角色');

export const settingsSchema = z.object({
  idleLockMinutes: z.number().int().min(1, '空闲锁定时间至少 1 分钟').max(240, '空闲锁定时间不能超过 240 分钟'),
  maxLoginFailures: z.number().int().min(3).max(20),
  lockoutMinutes: z.number().int().min(1).max(1440),
  /** 三岗分离: the person who took a claim may not confirm it, etc. */
  separationOfDuties: z.boolean(),
  agencyName: text('经办机构名称', 60),
  /** Whose rule pack applies to this office's cases (a rule pack's jurisdiction code). */
  jurisdiction: z.string().regex(/^[a-z-]{2,30}$/, '统筹地区代码应为小写字母'),
  /** Where a 再次鉴定 goes; printed on every appraisal conclusion. */
  provincialCommittee: text('省级劳动能力鉴定委员会', 60),
  appraisalCommittee: text('市（州）劳动能力鉴定委员会', 60),
});
export type Settings = z.infer<typeof settingsSchema>;

export const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  method: z.string(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  summary: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable(),
});

export const adminMethods = {
  'users.list': method({
    label: '查看用户',
    access: ['admin'],
    mutates: false,
    input: z.object({}),
    output: z.array(userSchema),
  }),
  'users.create': method({
    label: '新建用户',
    access: ['admin'],
    mutates: true,
    input: z.object({ username: usernameSchema, displayName: text('姓名', 40, 1), password: passwordSchema, roles: rolesSchema }),
    output: z.object({ userId: z.string() }),
  }),
  'users.update': method({
    label: '修改用户',
    access: ['admin'],
    mutates: true,
    input: z.object({
      userId: idSchema,
      displayName: text('姓名', 40, 1).optional(),
      roles: rolesSchema.optional(),
      active: z.boolean().optional(),
    }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'users.resetPassword': method({
    label: '重置密码',
    access: ['admin'],
    mutates: true,
    input: z.object({ userId: idSchema, newPassword: passwordSchema }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'settings.get': method({
    label: '查看设置',
    access: 'authenticated',
    mutates: false,
    input: z.object({}),
    output: settingsSchema,
  }),
  'settings.update': method({
    label: '修改设置',
    access: ['admin'],
    mutates: true,
    input: settingsSchema.partial(),
    output: settingsSchema,
  }),
  'audit.list': method({
    label: '查看审计日志',
    access: ['admin'],
    mutates: false,
    input: pageSchema.extend({ entityId: z.string().max(64).optional() }),
    output: z.object({ total: z.number(), entries: z.array(auditEntrySchema) }),
  }),
  'audit.verify': method({
    label: '校验审计日志',
    access: ['admin'],
    mutates: false,
    input: z.object({}),
    output: auditVerifySchema,
  }),
};
