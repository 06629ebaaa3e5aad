// Backups and the recovery key (administrators): a backup file of the whole data folder, made
// while the app stays in use, and the recovery key that opens a backup or a sealed store on
// another machine, shown once when issued.
import { z } from 'zod';
import { method } from '../define';

export const backupMethods = {
  'backup.create': method({
    label: '创建备份',
    access: ['admin'],
    mutates: false,
    // The whole store leaves in one file: audited, but the snapshot must not hold the write lock.
    auditedRead: true,
    input: z.object({}),
    output: z.object({
      file: z.string(),
      size: z.number(),
      sha256: z.string(),
      cases: z.number(),
      attachments: z.number(),
      createdAt: z.string(),
    }),
  }),
  'recovery.status': method({
    label: '查看恢复密钥状态',
    access: ['admin'],
    mutates: false,
    input: z.object({}),
    output: z.object({ exists: z.boolean(), createdAt: z.string().nullable() }),
  }),
  'recovery.issue': method({
    label: '重新生成恢复密钥',
    access: ['admin'],
    mutates: true,
    input: z.object({}),
    output: z.object({ recoveryKey: z.string() }),
  }),
};
